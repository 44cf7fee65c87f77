// Reading the command's input into a timeline: one function, `loadInput`, so that other
// kinds of input (a store path) can be added in one place.

import { createReadStream, existsSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { Readable } from "node:stream";
import { finished } from "node:stream/promises";
import { getHeapStatistics } from "node:v8";
import { parse as csvStream } from "csv-parse";
import { TimelineValidationError, type ValidationIssue } from "../core/errors.js";
import type { AnyEventDefinition } from "../core/events.js";
import type { Registry } from "../core/registry.js";
import { createTimeline, type Timeline } from "../core/timeline.js";
import type { DateOrder, EventSource, SkippedRow } from "../formats/acled.js";
import type { PlaceChange } from "../formats/places.js";
import {
  CsvCollector,
  type CsvTable,
  detectFormat,
  type FileFormat,
  NdjsonCollector,
  type ParsedFile,
  parseEventsText,
} from "../formats/text.js";
import type { openTimeline } from "../stores/durable.js";
import { isStoreLocation, openStore } from "../stores/open.js";
import { StoreCorruptionError, StoreUnavailableError } from "../stores/store.js";
import { decodedInput } from "./decode.js";
import { InputError } from "./input-error.js";
import { arrayElements } from "./json-array.js";
import { objectEvents } from "./json-object.js";
import { EVENTS, REDUCERS } from "./kept-slices.js";
import { MAX_LINE, readLines } from "./lines.js";
import { openWithStoredTypes } from "./opaque.js";
import { readStoreRegistries } from "./registries.js";

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

export { EVENTS, REDUCERS };

/**
 * Opens a store (a SQLite file or a postgres:// URL) as the input: its events were checked
 * when they were written, and a damaged store is a StoreCorruptionError naming the version.
 */
async function loadStore(location: string, options: LoadOptions): Promise<LoadedInput> {
  const open = () => openStore(location, { readonly: true });
  try {
    open();
  } catch (error) {
    throw new InputError((error as Error).message);
  }
  let kept: Awaited<ReturnType<typeof readStoreRegistries>>;
  try {
    kept = await readStoreRegistries(location);
  } catch (error) {
    throw new InputError((error as Error).message);
  }
  const places = options.places ?? kept?.places;
  const actors = options.actors ?? kept?.actors;
  let timeline: Awaited<ReturnType<typeof openTimeline>>;
  try {
    const zone = options.timeZone === undefined ? {} : { timeZone: options.timeZone };
    try {
      // Custom event types are read as stored (opaque): the store's writer knew their schemas.
      timeline = await openWithStoredTypes(open, {
        events: EVENTS,
        reducers: REDUCERS,
        ...zone,
        ...(places === undefined ? {} : { places }),
        ...(actors === undefined ? {} : { actors }),
      });
    } catch (error) {
      // The registry kept beside the store is behind its events (an import cut short between
      // the two): the events still read, without it.
      const fromStore = options.places === undefined && options.actors === undefined;
      if (!(error instanceof TimelineValidationError) || kept === undefined || !fromStore) {
        throw error;
      }
      timeline = await openWithStoredTypes(open, { events: EVENTS, reducers: REDUCERS, ...zone });
    }
  } catch (error) {
    // A damaged store or events that no longer fit the registries are invalid data (exit 1);
    // a store that cannot be used says why (exit 2), and so does a --time-zone it refuses.
    if (
      error instanceof TimelineValidationError &&
      error.issues.every((issue) => issue.path[0] === "timeZone")
    ) {
      throw new InputError(`${location}: ${error.issues.map((i) => i.message).join("; ")}`);
    }
    if (error instanceof StoreCorruptionError || error instanceof TimelineValidationError) {
      throw error;
    }
    if (error instanceof StoreUnavailableError) {
      throw new StoreUnavailableError(error.reason, `cannot open store ${error.message}`, {
        cause: error,
      });
    }
    throw new InputError(`cannot open store ${location}: ${(error as Error).message}`);
  }
  return {
    timeline,
    label: location,
    format: "store",
    close: () => timeline.close(),
    ...(places === undefined ? {} : { places }),
    ...(actors === undefined ? {} : { actors }),
    skipped: [],
    problems: [],
    invalid: [],
    events: timeline.size,
  };
}

export { InputError };

const BATCH = 10_000;

/** A retraction of an id not stored yet: its target may come later in the file. */
const retractsUnknown = (issue: ValidationIssue) =>
  issue.path.join(".") === "data.eventId" && issue.message.startsWith("cannot retract");
const PROGRESS_FROM = 100_000;

export function formatFromName(path: string): FileFormat | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith(".json")) return "json";
  if (lower.endsWith(".ndjson") || lower.endsWith(".jsonl")) return "ndjson";
  if (lower.endsWith(".csv")) return "csv";
  return undefined;
}

/**
 * Appends events in batches as they are read. A batch with invalid events records every
 * problem, then appends the rest of it, so that one run lists every problem of the file.
 * Retractions of events that come later in the file are tried again at the end.
 */
class Appender {
  readonly problems: { line: number; message: string }[] = [];
  private deferred: { event: unknown; line: number }[] = [];
  count = 0;

  constructor(readonly timeline: Timeline) {}

  add(events: readonly unknown[], lines: readonly number[], final = false): void {
    if (events.length === 0) return;
    try {
      this.timeline.appendAll(events as never[]);
      this.count += events.length;
      return;
    } catch (error) {
      if (!(error instanceof TimelineValidationError)) throw error;
      const byIndex = new Map<number, ValidationIssue[]>();
      for (const issue of error.issues) {
        byIndex.set(issue.index, [...(byIndex.get(issue.index) ?? []), issue]);
      }
      const rest: unknown[] = [];
      const restLines: number[] = [];
      events.forEach((event, i) => {
        const line = lines[i] ?? 0;
        const issues = byIndex.get(i);
        if (issues === undefined) {
          rest.push(event);
          restLines.push(line);
        } else if (!final && issues.every(retractsUnknown)) {
          this.deferred.push({ event, line });
        } else {
          for (const issue of issues) {
            const path = issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
            this.problems.push({ line, message: `${path}${issue.message}` });
          }
        }
      });
      this.add(rest, restLines, final);
    }
  }

  finish(): void {
    const deferred = this.deferred;
    this.deferred = [];
    this.add(
      deferred.map((d) => d.event),
      deferred.map((d) => d.line),
      true,
    );
  }
}

/**
 * The progress line on stderr (when it is a terminal) for inputs over 100,000 events:
 * "reading events.csv: 120,000 rows (45%)", then "checking events.csv: 80,000 of 200,000 events".
 */
export class Progress {
  private shown = false;
  private last = 0;

  constructor(
    private readonly stream: NodeJS.WriteStream | undefined,
    private readonly label: string,
  ) {}

  /** `count` things done, and the share of the whole (0 to 1) when known. */
  update(verb: string, count: number, what: string, share?: number): void {
    if (this.stream === undefined || count < PROGRESS_FROM) return;
    const now = Date.now();
    if (now - this.last < 200) return;
    this.last = now;
    const percent = share === undefined ? "" : ` (${Math.min(100, Math.floor(share * 100))}%)`;
    this.stream.write(
      `\r\x1b[K${verb} ${this.label}: ${count.toLocaleString("en")} ${what}${percent}`,
    );
    this.shown = true;
  }

  done(): void {
    if (this.shown) this.stream?.write("\r\x1b[K");
  }
}

/** The whole text of a stream. */
async function streamText(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
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

/**
 * Largest `{ version, events }` JSON file read whole (as `parseEventsText` reads it); larger
 * ones, and any on standard input, are streamed.
 */
const WHOLE_JSON = 64 * 1024 * 1024;

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

/**
 * Reads a JSON, NDJSON or ACLED CSV file ("-": standard input) into a new timeline, checking
 * every event. NDJSON and CSV are streamed (csv-parse's Node stream), so files larger than
 * memory allows as one string still load; JSON is parsed whole. Never throws on bad data:
 * every problem is in `problems`. Throws {@link InputError} when the input cannot be read.
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
  const head = options.format ?? formatFromName(path) ?? detectFormat(first);
  const progress = new Progress(options.progress, label);
  const share = (bytes: number | undefined) =>
    size !== undefined && size > 0 && bytes !== undefined ? bytes / size : undefined;

  const located = (line: number, message: string, rowLines?: readonly number[]): InputProblem => {
    if (head !== "csv") return { line, where: `${label}:${line}`, message };
    if (line === 0) return { line, where: `${label}: header (line 1)`, message };
    const fileLine = rowLines?.[line - 1];
    return {
      line,
      where: `${label}: row ${line}${fileLine === undefined ? "" : ` (line ${fileLine})`}`,
      message,
    };
  };

  // JSON and NDJSON: the events are appended as they are read; what is left is the same.
  const finish = (
    format: "json" | "ndjson",
    timeline: Timeline,
    appender: Appender,
    readProblems: readonly { readonly line: number; readonly message: string }[],
  ): LoadedInput => {
    appender.finish();
    progress.done();
    const problems = [...readProblems, ...appender.problems]
      .map((p) => located(p.line, p.message))
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
  };

  if (
    head === "json" &&
    first
      .replace(/^\ufeff/, "")
      .trimStart()
      .startsWith("[")
  ) {
    return finish(
      "json",
      ...(await streamArray(stream, options, (count) =>
        progress.update("reading", count, "events", share(bytesRead(stream))),
      )),
    );
  }

  const wholeJson = (text: string): LoadedInput => {
    const parsed = parseEventsText(text, { format: "json" });
    // toJSON() output keeps its timeline's zone, as fromJSON does, unless --time-zone is given.
    const timeline = createTimeline({
      events: EVENTS,
      reducers: REDUCERS,
      places: options.places,
      actors: options.actors,
      timeZone: options.timeZone ?? parsed.timeZone,
    });
    const appender = new Appender(timeline);
    for (let i = 0; i < parsed.events.length; i += BATCH) {
      appender.add(parsed.events.slice(i, i + BATCH), parsed.lines.slice(i, i + BATCH));
      progress.update("reading", appender.count, "events", appender.count / parsed.events.length);
    }
    return finish("json", timeline, appender, parsed.problems);
  };

  if (head === "json" && (size === undefined || size > WHOLE_JSON)) {
    // A large `{ version, events }` file, or one on standard input: streamed.
    const opened = await objectEvents(stream);
    if ("problem" in opened && opened.whole !== undefined) {
      return wholeJson(opened.whole);
    }
    if ("problem" in opened) {
      const [timeline, appender] = await streamArray(Readable.from([]), options, () => {});
      return finish("json", timeline, appender, [{ line: opened.line, message: opened.problem }]);
    }
    const { members } = opened;
    const zone = options.timeZone ?? members.timeZone;
    if (members.version !== 1 || (zone !== undefined && typeof zone !== "string")) {
      opened.array.destroy();
      const [timeline, appender] = await streamArray(Readable.from([]), options, () => {});
      const message =
        members.version !== 1
          ? `version ${JSON.stringify(members.version)} is not 1 (toJSON output)`
          : "timeZone is not a string";
      return finish("json", timeline, appender, [{ line: 1, message }]);
    }
    const read = await streamArray(
      opened.array,
      { ...options, ...(zone === undefined ? {} : { timeZone: zone }) },
      (count) => progress.update("reading", count, "events", share(bytesRead(stream))),
      opened.lineOffset,
    );
    const after = await opened.rest;
    if (after !== undefined) read[2].push({ line: after.line, message: after.problem });
    return finish("json", ...read);
  }

  if (head === "json") {
    let text: string;
    try {
      text = await streamText(stream);
    } catch (error) {
      throw new InputError(`cannot read ${label}: ${(error as Error).message}`);
    }
    return wholeJson(text);
  }

  if (head === "ndjson") {
    const timeline = createTimeline({
      events: EVENTS,
      reducers: REDUCERS,
      places: options.places,
      actors: options.actors,
      timeZone: options.timeZone,
    });
    const appender = new Appender(timeline);
    const collector = new NdjsonCollector();
    const tooLong: { line: number; message: string }[] = [];
    let pending = 0;
    for await (const { line, text } of readLines(stream)) {
      if (text === undefined) {
        tooLong.push({ line, message: `line too long (over ${MAX_LINE / 1024 / 1024} MiB)` });
        continue;
      }
      collector.line(text, line);
      if (++pending >= BATCH) {
        pending = 0;
        const batch = collector.drain();
        appender.add(batch.events, batch.lines);
        progress.update("reading", appender.count, "events", share(bytesRead(stream)));
      }
    }
    const batch = collector.drain();
    appender.add(batch.events, batch.lines);
    return finish("ndjson", timeline, appender, [...collector.problemList, ...tooLong]);
  }

  // CSV: the registries are only known once every row is read, and the timeline needs them
  // first; so rows are mapped as they stream in and the events appended at the end.
  const parsed = await readCsv(stream, options, progress, share);
  const sorted = splitInvalid(parsed, options.skipInvalid === true);
  const places = options.places ?? parsed.places;
  const actors = options.actors ?? parsed.actors;
  const timeline = createTimeline({
    events: EVENTS,
    reducers: REDUCERS,
    places,
    actors,
    timeZone: options.timeZone,
  });
  const appender = new Appender(timeline);
  const total = parsed.events.length.toLocaleString("en");
  for (let i = 0; i < parsed.events.length; i += BATCH) {
    appender.add(parsed.events.slice(i, i + BATCH), parsed.lines.slice(i, i + BATCH));
    progress.update(
      "checking",
      appender.count,
      `of ${total} events`,
      appender.count / parsed.events.length,
    );
  }
  appender.finish();
  progress.done();
  const problems = [...sorted.problems, ...appender.problems]
    .map((p) => located(p.line, p.message, parsed.rowLines))
    .sort((a, b) => a.line - b.line);
  return {
    timeline,
    label,
    close: async () => {},
    format: "csv",
    ...(places === undefined ? {} : { places }),
    ...(actors === undefined ? {} : { actors }),
    skipped: parsed.skipped.filter((s) => !s.invalid),
    problems,
    invalid: sorted.invalid.map((p) => located(p.line, p.message, parsed.rowLines)),
    ...(parsed.table === undefined ? {} : { table: parsed.table }),
    rows: parsed.rows ?? 0,
    placeChanges: parsed.placeChanges ?? [],
    events: appender.count,
  };
}

/**
 * A file's problems, with the rows of a mapped kind that cannot be read taken apart when
 * `skipInvalid` (they are listed, not failures).
 */
export function splitInvalid(
  parsed: ParsedFile,
  skipInvalid: boolean,
): { problems: ParsedFile["problems"]; invalid: ParsedFile["problems"] } {
  if (!skipInvalid) return { problems: parsed.problems, invalid: [] };
  const invalidRows = new Set(parsed.skipped.filter((s) => s.invalid).map((s) => s.row));
  return {
    problems: parsed.problems.filter((p) => !invalidRows.has(p.line)),
    invalid: parsed.problems.filter((p) => invalidRows.has(p.line)),
  };
}

/** Reads a CSV table from a stream with csv-parse's Node parser (see {@link CsvCollector}). */
export async function readCsv(
  stream: Readable,
  options: LoadOptions,
  progress: Progress,
  share: (bytes: number | undefined) => number | undefined,
): Promise<ParsedFile> {
  const collector = new CsvCollector({
    ...(options.dateOrder === undefined ? {} : { dateOrder: options.dateOrder }),
    ...(options.timeline === undefined ? {} : { timeline: options.timeline }),
    ...(options.places === undefined ? {} : { places: options.places }),
    ...(options.actors === undefined ? {} : { actors: options.actors }),
  });
  const csvOptions = collector.options();
  const onRecord = csvOptions.on_record;
  let rows = 0;
  csvOptions.on_record = (record) => {
    if (++rows % 1000 === 0) progress.update("reading", rows, "rows", share(bytesRead(stream)));
    return onRecord(record);
  };
  const parser = csvStream(csvOptions);
  stream.on("error", (error) => parser.destroy(error));
  stream.pipe(parser);
  parser.resume();
  try {
    await finished(parser);
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") throw new InputError(String(error));
    if (error instanceof InputError) throw error;
    collector.syntaxError(error);
  }
  return collector.result();
}

/**
 * A JSON array of events read element by element (never the whole file as one string), each
 * parsed and appended in batches as it comes.
 */
async function streamArray(
  stream: Readable,
  options: LoadOptions,
  progress: (count: number) => void,
  lineOffset = 0,
): Promise<[Timeline, Appender, { line: number; message: string }[]]> {
  const timeline = createTimeline({
    events: EVENTS,
    reducers: REDUCERS,
    places: options.places,
    actors: options.actors,
    timeZone: options.timeZone,
  });
  const appender = new Appender(timeline);
  const problems: { line: number; message: string }[] = [];
  let events: unknown[] = [];
  let lines: number[] = [];
  for await (const item of arrayElements(stream)) {
    const line = item.line + lineOffset;
    if ("problem" in item) {
      problems.push({ line, message: item.problem });
      continue;
    }
    try {
      events.push(JSON.parse(item.text));
      lines.push(line);
    } catch (error) {
      problems.push({ line, message: `not valid JSON: ${(error as Error).message}` });
    }
    if (events.length >= BATCH) {
      appender.add(events, lines);
      events = [];
      lines = [];
      progress(appender.count);
    }
  }
  appender.add(events, lines);
  return [timeline, appender, problems];
}

/** An input with nothing in it: one problem, "empty input" (exit code 1). */
function emptyInput(label: string, options: LoadOptions): LoadedInput {
  return {
    timeline: createTimeline({
      events: EVENTS,
      reducers: REDUCERS,
      places: options.places,
      actors: options.actors,
      timeZone: options.timeZone,
    }),
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

function bytesRead(stream: Readable): number | undefined {
  const read = (stream as { bytesRead?: unknown }).bytesRead;
  return typeof read === "number" ? read : undefined;
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
