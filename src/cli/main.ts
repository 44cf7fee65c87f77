#!/usr/bin/env node
// The `tidemark` command: a thin layer over the library. Each command is declared and run by
// its own file (commands/*.ts); this one reads the command line against those declarations
// (options.ts), runs the command, and sets process.exitCode (exit.ts) rather than exiting.

import type { Io } from "./command.js";
import { COMMANDS } from "./commands/list.js";
import { failure } from "./exit.js";
import { commandHelp, mainHelp } from "./help.js";
import { parseOptions } from "./options.js";
import { messages } from "./streams.js";

async function run(argv: readonly string[], io: Io): Promise<void> {
  const args = parseOptions(argv, COMMANDS);
  if ("help" in args) {
    io.stdout.write(args.command === undefined ? mainHelp() : commandHelp(args.command));
    return;
  }
  await COMMANDS[args.command]?.run(args, io);
}

/** Runs the command with `argv` (without node and the script) and sets `process.exitCode`. */
export async function main(argv: readonly string[], given: Io = process): Promise<void> {
  const io: Io = { stdout: given.stdout, stderr: messages(given.stderr) };
  io.stdout.on("error", (error: NodeJS.ErrnoException) => {
    // `tidemark state x | head`: the reader left; that is not an error.
    if (error.code !== "EPIPE") throw error;
  });
  try {
    await run(argv, io);
  } catch (error) {
    process.exitCode = failure(error, io.stderr);
  }
}

await main(process.argv.slice(2));
