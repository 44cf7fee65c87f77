// Reading the command's input into a timeline: one function, `loadInput`, which opens the input
// and hands it to the loader of its format (src/cli/loaders/: a store, JSON, NDJSON, CSV).

import { createReadStream, existsSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import type { Readable } from "node:stream";
import { getHeapStatistics } from "node:v8";
import type { AnyEventDefinition } from "../core/events.js";
import type { Registry } from "../core/registry.js";
import type { Timeline } from "../core/timeline.js";
import type { DateOrder, EventSource, SkippedRow } from "../formats/acled.js";
import type { CsvTable } from "../formats/csv-table.js";
import { detectFormat } from "../formats/detect.js";
import type { FileFormat } from "../formats/parsed-file.js";
import type { PlaceChange } from "../formats/places.js";
import { isStoreLocation } from "../stores/open.js";
import { decodedInput } from "./decode.js";
import { InputError } from "./input-error.js";
import { loadCsv } from "./loaders/csv.js";
import { loadJson } from "./loaders/json.js";
import { loadNdjson } from "./loaders/ndjson.js";
import type { Source } from "./loaders/source.js";
import { loadStore } from "./loaders/store.js";
import { commandTimeline } from "./loaders/timeline.js";
import { Progress } from "./progress.js";

export { InputError } from "./input-error.js";
export { readCsv, splitInvalid } from "./loaders/csv.js";
export { EVENTS, REDUCERS } from "./loaders/timeline.js";
export { Progress } from "./progress.js";

/** The queries the commands ask: an in-memory timeline and a durable one both answer them. */
export type QueryTimeline = Pick<
  Timeline<AnyEventDefinition>,
  | "stateAt"
  | "latest"
  | "events"
  | "history"
  | "diff"
  | "claims"
  | "claimsAt"
  | "contested"
  | "sources"
  | "size"
  | "toJSON"
  | "timeZone"
>;

/** A problem found in the input, located for a person: "events.ndjson:12" or "x.csv: row 3 (line 4)". */
export interface InputProblem {
  /** Line (JSON, NDJSON) or row (CSV) number, for sorting. */
  readonly line: number;
  readonly where: string;
  readonly message: string;
}

/** What {@link loadInput} returns. */
export interface LoadedInput {
  readonly timeline: QueryTimeline;
  /** The input as messages name it: the path, or "<stdin>". */
  readonly label: string;
  readonly format: FileFormat | "store";
  /** Releases the store the input was read from (nothing for a file). */
  close(): Promise<void>;
  /** The registries the timeline was made with (from options, or from an ACLED file). */
  readonly places?: Registry;
  readonly actors?: Registry;
  /** ACLED rows that did not map to an event and are not errors (other sub-event types). */
  readonly skipped: readonly SkippedRow[];
  /** Every problem, in file order. Empty when the input is valid. */
  readonly problems: readonly InputProblem[];
  /** Rows of a mapped kind that cannot be read, left out under `skipInvalid` (else problems). */
  readonly invalid: readonly InputProblem[];
  /** CSV: the table the header names, the rows read, and places merged or split. */
  readonly table?: CsvTable;
  readonly rows?: number;
  readonly placeChanges?: readonly PlaceChange[];
  /** Number of events appended. */
  readonly events: number;
}

/** Options of {@link loadInput}. */
export interface LoadOptions {
  readonly format?: FileFormat;
  /** Registries given on the command line; they win over an ACLED file's own. */
  readonly places?: Registry;
  readonly actors?: Registry;
  /** The zone local dates and times are read in (`--time-zone`); default UTC. */
  readonly timeZone?: string;
  /** Where to show progress (standard error when it is a terminal), or nothing. */
  readonly progress?: NodeJS.WriteStream;
  /** Standard input, for "-". */
  readonly stdin?: Readable;
  /** Leave out rows of a mapped kind that cannot be read (still listed in `invalid`). */
  readonly skipInvalid?: boolean;
  /** The order of an ACLED file's numeric dates, when its dates do not settle it. */
  readonly dateOrder?: DateOrder;
  /** The timeline an ACLED export or deletions list updates (`import --into`). */
  readonly timeline?: EventSource;
}

export function formatFromName(path: string): FileFormat | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith(".json")) return "json";
  if (lower.endsWith(".ndjson") || lower.endsWith(".jsonl")) return "ndjson";
  if (lower.endsWith(".csv")) return "csv";
  return undefined;
}

/**
 * Heap limit (`heap_size_limit`) a loaded file needs per byte of the file: its events, their
 * indexes and the state, and what reading needs besides. Measured with `state` on a 23.8 MiB
 * NDJSON file of 200,000 events: it runs out of heap under a 138 MiB limit and loads under
 * 168 MiB.
 */
const HEAP_PER_BYTE = 7;

/**
 * Refuses a file too large for this process's heap before reading it, rather than letting V8
 * die of it: says how much heap it needs and what to do instead.
 */
export function checkHeap(label: string, size: number, limit = heapLimit()): void {
  const needed = size * HEAP_PER_BYTE;
  if (needed <= limit) return;
  const mb = (bytes: number) => `${Math.ceil(bytes / 1024 / 1024).toLocaleString("en")} MB`;
  throw new InputError(
    `${label} is ${mb(size)}; holding its events needs about ${mb(needed)} of heap, and this process may use ${mb(limit)}. Import it into a store once (tidemark import ${label} --into events.db) and query the store, or raise the limit (NODE_OPTIONS=--max-old-space-size=${Math.ceil((needed * 1.25) / 1024 / 1024)})`,
  );
}

const heapLimit = () => getHeapStatistics().heap_size_limit;

/** A readable stream of the input, and its size when it is a file. */
export async function openStream(
  path: string,
  stdin: Readable | undefined,
): Promise<{ stream: Readable; size: number | undefined }> {
  if (path === "-") return { stream: stdin ?? process.stdin, size: undefined };
  const size = await regularFileSize(path);
  return { stream: createReadStream(path), size };
}

/**
 * The size of the regular file at `path`. Anything else is refused: a directory, a device
 * (`/dev/zero` would be read forever), a FIFO or a socket (reading one waits for a writer);
 * standard input is `-`.
 */
export async function regularFileSize(path: string): Promise<number> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (error) {
    throw new InputError(`cannot read ${path}: ${(error as Error).message}`);
  }
  if (info.isFile()) return info.size;
  const what = info.isDirectory()
    ? "a directory"
    : info.isFIFO()
      ? "a named pipe (FIFO)"
      : info.isSocket()
        ? "a socket"
        : "a device";
  throw new InputError(
    `cannot read ${path}: it is ${what}, not a regular file (give a file, or - for standard input)`,
  );
}

/** The first bytes of a stream as text, left in the stream (to detect the format). */
export function peek(stream: Readable, label: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const done = () => {
      stream.off("readable", onReadable);
      stream.off("error", onError);
      stream.off("end", onEnd);
    };
    const onReadable = () => {
      done();
      const chunk: unknown = stream.read();
      if (chunk === null) return resolve("");
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      stream.unshift(buffer);
      resolve(buffer.subarray(0, 65_536).toString("utf8"));
    };
    const onError = (error: Error) => {
      done();
      reject(new InputError(`cannot read ${label}: ${error.message}`));
    };
    // An empty input may end without a readable event.
    const onEnd = () => {
      stream.off("end", onEnd);
      done();
      resolve("");
    };
    stream.on("readable", onReadable);
    stream.on("error", onError);
    stream.on("end", onEnd);
  });
}

/**
 * Whether an input whose first bytes are `first` (and whose size is `size`, for a file) holds
 * nothing or only blanks: invalid data with a message rather than "0 events".
 */
export function isEmptyInput(first: string, size: number | undefined): boolean {
  return first.trim() === "" && (first === "" || (size !== undefined && size <= first.length));
}

/** The loader of each file format: each reads a file into a new timeline of the command's. */
const LOADERS: Record<FileFormat, (source: Source) => Promise<LoadedInput>> = {
  json: loadJson,
  ndjson: loadNdjson,
  csv: loadCsv,
};

/**
 * Reads a store, or a JSON, NDJSON or CSV file ("-": standard input), into a timeline, checking
 * every event. Files are streamed (a `{ version, events }` object up to 64 MiB is read whole),
 * so files larger than one string can be still load. Never throws on bad data: every problem is
 * in `problems`. Throws {@link InputError} when the input cannot be read.
 */
export async function loadInput(path: string, options: LoadOptions = {}): Promise<LoadedInput> {
  if (isStoreLocation(path)) {
    // A FIFO named like a store would hang SQLite's open.
    if (!/^postgres(ql)?:/i.test(path) && existsSync(path)) await regularFileSize(path);
    return loadStore(path, options);
  }
  const label = path === "-" ? "<stdin>" : path;
  const opened = await openStream(path, options.stdin);
  const { size } = opened;
  if (size !== undefined) checkHeap(label, size);
  const { stream } = await decodedInput(opened.stream, label);
  const first = await peek(stream, label);
  if (isEmptyInput(first, size)) return emptyInput(label, options);
  const format = options.format ?? formatFromName(path) ?? detectFormat(first);
  return LOADERS[format]({
    label,
    stream,
    first,
    size,
    options,
    progress: new Progress(options.progress, label),
    share: (bytes) =>
      size !== undefined && size > 0 && bytes !== undefined ? bytes / size : undefined,
  });
}

/** An input with nothing in it: one problem, "empty input" (exit code 1). */
function emptyInput(label: string, options: LoadOptions): LoadedInput {
  return {
    timeline: commandTimeline(options),
    label,
    format: options.format ?? "ndjson",
    close: async () => {},
    ...(options.places === undefined ? {} : { places: options.places }),
    ...(options.actors === undefined ? {} : { actors: options.actors }),
    skipped: [],
    problems: [{ line: 0, where: label, message: "empty input" }],
    invalid: [],
    events: 0,
  };
}

/** Reads a registry file (JSON keyed by id). Throws {@link InputError} when it cannot. */
export async function loadRegistry(path: string, what: "places" | "actors"): Promise<Registry> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new InputError(`--${what}: cannot read ${path}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InputError(`--${what}: ${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InputError(`--${what}: ${path} must be a JSON object keyed by id`);
  }
  return value as Registry;
}
