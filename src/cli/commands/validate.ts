// `tidemark validate FILE`: every event checked as append would; every problem listed.

import type { Command } from "../command.js";
import { OUTPUT, READING } from "../options.js";
import { type Check, checking, noteSkipped } from "../read.js";
import { json } from "../table.js";

function answer({ input, args, io }: Check): string {
  const summary = {
    valid: input.problems.length === 0,
    format: input.format,
    events: input.events,
    skipped: input.skipped.length,
    problems: input.problems.map((p) => ({ line: p.line, where: p.where, message: p.message })),
  };
  if (!summary.valid) {
    for (const p of input.problems) io.stderr.write(`${p.where}: ${p.message}\n`);
    const n = input.problems.length;
    io.stderr.write(`${n} problem${n === 1 ? "" : "s"} in ${input.label}\n`);
    process.exitCode = 1;
    return args.flag("json") ? json(summary) : "";
  }
  noteSkipped(input, io);
  if (args.flag("json")) return json(summary);
  const skipped =
    input.skipped.length === 0 ? "" : `; ${input.skipped.length} rows skipped (not mapped)`;
  return `valid: ${input.events} events (${input.format})${skipped}\n`;
}

export const validate: Command = {
  name: "validate",
  summary: "check every event; list every problem with its line or row",
  description:
    "Reads the whole file and checks every event as append would. Prints a summary on stdout; every problem goes to stderr as FILE:LINE: message (CSV: FILE: row N (line L): message), and the exit code is 1 if there is any. ACLED rows of sub-event types that do not map are counted, not errors.",
  usage: "",
  options: {},
  groups: [READING, OUTPUT],
  example: "tidemark validate acled-export.csv",
  run: checking(answer),
};
