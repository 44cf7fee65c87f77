// `tidemark view FILE|STORE [--port N]`: the map page on 127.0.0.1 (see ../view.ts).

import { TimelineValidationError } from "../../core/errors.js";
import { isStoreLocation } from "../../stores/open.js";
import type { Command, Io } from "../command.js";
import { InvalidData, UsageError } from "../exit.js";
import { type Arguments, NO_OUTPUT, READING } from "../options.js";
import { readingOptions, reportProblems } from "../read.js";
import { DEFAULT_PORT } from "../view-port.js";

async function run(args: Arguments, io: Io): Promise<void> {
  const options = await readingOptions(args, io);
  // A store is opened in its own zone, as every read command opens it.
  const { timeZone: _, ...storeOptions } = options;
  // The server and every file reader load only when the page is asked for.
  const { viewCommand } = await import("../view.js");
  try {
    await viewCommand({
      file: args.file,
      port: args.string("port"),
      reading: isStoreLocation(args.file) ? storeOptions : options,
      store: isStoreLocation(args.file),
      stdout: io.stdout,
      stderr: io.stderr,
      reportProblems: (input) => reportProblems(input, io),
      usageError: (message) => new UsageError(message),
    });
  } catch (error) {
    if (error instanceof TimelineValidationError) {
      // A registry given with --places or --actors is invalid.
      for (const issue of error.issues) {
        const [kind, ...path] = issue.path;
        io.stderr.write(`--${String(kind)}: ${path.join(".")}: ${issue.message}\n`);
      }
      throw new InvalidData();
    }
    throw error;
  }
}

export const view: Command = {
  name: "view",
  summary: "the map page in a browser, on this machine only",
  description:
    "Serves the map page that ships with tidemark on 127.0.0.1 only, opened on the data (a file read as every command reads it, with the same errors and skipped-row report; or a store, queried where it lies so that the page never downloads its events), and prints its URL. The page reads nothing from off the machine. Ctrl-C stops it (exit 0); a port in use is exit 2.",
  usage: "[--port N]",
  options: {
    port: {
      type: "string",
      value: { min: 0, max: 65_535 },
      usage: "--port N",
      help: `port on 127.0.0.1 (default ${DEFAULT_PORT}; 0 picks a free one)`,
    },
  },
  groups: [READING, NO_OUTPUT],
  example: "tidemark view acled-export.csv --port 8080",
  run,
};
