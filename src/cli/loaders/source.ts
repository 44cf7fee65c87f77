// What every file loader is given, and how its problems are located for a person.

import type { Readable } from "node:stream";
import type { Timeline } from "../../core/timeline.js";
import type { InputProblem, LoadedInput, LoadOptions } from "../input.js";
import type { Progress } from "../progress.js";
import type { Appender } from "./timeline.js";

/** A file opened for a loader: its stream (its first bytes peeked), label, size and options. */
export interface Source {
  /** The input as messages name it: the path, or "<stdin>". */
  readonly label: string;
  readonly stream: Readable;
  /** The first bytes, still in the stream. */
  readonly first: string;
  /** The file's size; `undefined` for standard input. */
  readonly size: number | undefined;
  readonly options: LoadOptions;
  readonly progress: Progress;
  /** The share of the file read, from the bytes read, when its size is known. */
  share(bytes: number | undefined): number | undefined;
}

/** A problem located for a person: "events.ndjson:12", or "x.csv: row 3 (line 4)". */
export function located(
  label: string,
  format: "json" | "ndjson" | "csv",
  line: number,
  message: string,
  rowLines?: readonly number[],
): InputProblem {
  if (format !== "csv") return { line, where: `${label}:${line}`, message };
  if (line === 0) return { line, where: `${label}: header (line 1)`, message };
  const fileLine = rowLines?.[line - 1];
  return {
    line,
    where: `${label}: row ${line}${fileLine === undefined ? "" : ` (line ${fileLine})`}`,
    message,
  };
}

/** JSON and NDJSON: the events were appended as they were read; what is left is the same. */
export function finishStreamed(
  source: Source,
  format: "json" | "ndjson",
  timeline: Timeline,
  appender: Appender,
  readProblems: readonly { readonly line: number; readonly message: string }[],
): LoadedInput {
  const { label, options, progress } = source;
  appender.finish();
  progress.done();
  const problems = [...readProblems, ...appender.problems]
    .map((p) => located(label, format, p.line, p.message))
    .sort((a, b) => a.line - b.line);
  return {
    timeline,
    label,
    close: async () => {},
    format,
    ...(options.places === undefined ? {} : { places: options.places }),
    ...(options.actors === undefined ? {} : { actors: options.actors }),
    skipped: [],
    problems,
    invalid: [],
    events: appender.count,
  };
}

/** Bytes read so far from a file stream (for progress), when it counts them. */
export function bytesRead(stream: Readable): number | undefined {
  const read = (stream as { bytesRead?: unknown }).bytesRead;
  return typeof read === "number" ? read : undefined;
}
