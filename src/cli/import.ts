// `tidemark import FILE --into STORE`: a file checked against what the store holds (its
// registries, the events its retractions and ACLED's revisions name), then appended in one
// transaction, so that a store grows file by file and re-importing a release is a no-op.

import { existsSync, statSync } from "node:fs";
import { rm } from "node:fs/promises";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { TimelineValidationError } from "../core/errors.js";
import type { TimelineEvent } from "../core/events.js";
import type { Registry } from "../core/registry.js";
import type { DateOrder, SkippedRow } from "../formats/acled.js";
import type { PlaceChange } from "../formats/places.js";
import {
  type CsvTable,
  detectFormat,
  type FileFormat,
  NdjsonCollector,
  type ParsedFile,
  parseEventsText,
} from "../formats/text.js";
import { type DurableTimeline, openTimeline } from "../stores/durable.js";
import { isStoreLocation, openStore } from "../stores/open.js";
import { StoreCorruptionError, StoreUnavailableError } from "../stores/store.js";
import { decodedInput } from "./decode.js";
import {
  EVENTS,
  formatFromName,
  InputError,
  type InputProblem,
  isEmptyInput,
  loadInput,
  openStream,
  Progress,
  peek,
  REDUCERS,
  readCsv,
  splitInvalid,
} from "./input.js";
import { readStoreRegistries, registryPath, writeStoreRegistries } from "./registries.js";
import { invalidLines, placeLines, skippedLines } from "./report.js";

/** What `import` is asked to do. */
export interface ImportRequest {
  readonly file: string;
  readonly into: string;
  readonly format?: FileFormat;
  readonly places?: Registry;
  readonly actors?: Registry;
  readonly skipInvalid: boolean;
  readonly dateOrder?: DateOrder;
  /** The zone of `--time-zone`, for dates and offset-less times in the file. */
  readonly timeZone?: string;
  readonly stdin?: Readable;
  readonly stderr: NodeJS.WritableStream;
  /** Where to show progress (standard error when it is a terminal). */
  readonly progress?: NodeJS.WriteStream;
}

type Durable = DurableTimeline;

/** A file read for import: its events with their lines, and what it said about its rows. */
interface ReadForImport {
  readonly label: string;
  readonly format: FileFormat | "store";
  readonly table?: CsvTable;
  readonly events: readonly unknown[];
  readonly lines: readonly number[];
  readonly problems: readonly InputProblem[];
  readonly invalid: readonly InputProblem[];
  readonly skipped: readonly SkippedRow[];
  readonly rows?: number;
  readonly places?: Registry;
  readonly actors?: Registry;
  readonly placeChanges: readonly PlaceChange[];
  /** Where a line or row is, for messages. */
  where(line: number): string;
}

const TABLE_NAMES: Readonly<Record<CsvTable, string>> = {
  acled: "ACLED export",
  "acled-deletions": "ACLED deletions list",
  "ucdp-ged": "UCDP GED file",
};

function storeExists(location: string): boolean {
  if (/^postgres(?:ql)?:\/\//i.test(location)) return true;
  return existsSync(location) && statSync(location).size > 0;
}

async function open(
  location: string,
  create: boolean,
  registries: { places?: Registry; actors?: Registry; timeZone?: string | undefined },
): Promise<Durable> {
  let store: ReturnType<typeof openStore>;
  try {
    store = openStore(location, { create });
  } catch (error) {
    if (error instanceof StoreUnavailableError) throw error;
    throw new InputError(`--into: ${(error as Error).message}`);
  }
  try {
    return (await openTimeline({
      store,
      events: EVENTS,
      reducers: REDUCERS,
      ...(registries.places === undefined ? {} : { places: registries.places }),
      ...(registries.actors === undefined ? {} : { actors: registries.actors }),
      ...(registries.timeZone === undefined ? {} : { timeZone: registries.timeZone }),
    })) as unknown as Durable;
  } catch (error) {
    // Damaged stores and events that no longer fit are invalid data (exit 1); a store that
    // cannot be used (locked, read-only, a server refusing) says why in its own words (exit 2).
    if (
      error instanceof StoreCorruptionError ||
      error instanceof TimelineValidationError ||
      error instanceof StoreUnavailableError
    ) {
      throw error;
    }
    throw new InputError(`--into: cannot open store ${location}: ${(error as Error).message}`);
  }
}

const UNWRITABLE: Readonly<Record<string, "read-only" | "full">> = {
  EACCES: "read-only",
  EPERM: "read-only",
  EROFS: "read-only",
  ENOSPC: "full",
  EDQUOT: "full",
  EFBIG: "full",
};

/**
 * A failure to write the registries kept beside a store, as the store's own failures are: a
 * read-only folder or a full disk is a StoreUnavailableError (exit 2, one line).
 */
function unwritable(into: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException).code;
  const reason = code === undefined ? undefined : UNWRITABLE[code];
  const message = `cannot write the registries of ${into}: ${(error as Error).message}`;
  return reason === undefined
    ? new InputError(message)
    : new StoreUnavailableError(reason, message, { cause: error });
}

/** Reads the file to import, reconciling an ACLED file with `timeline` (the store's events). */
async function readForImport(
  request: ImportRequest,
  timeline: Durable | undefined,
  known: { places?: Registry; actors?: Registry },
): Promise<ReadForImport> {
  const { file } = request;
  if (isStoreLocation(file)) {
    const input = await loadInput(file, {
      ...(request.places === undefined ? {} : { places: request.places }),
      ...(request.actors === undefined ? {} : { actors: request.actors }),
    });
    const events = input.timeline.toJSON().events;
    await input.close();
    return {
      label: file,
      format: "store",
      events,
      lines: events.map((_, i) => i + 1),
      problems: [],
      invalid: [],
      skipped: [],
      ...(input.places === undefined ? {} : { places: input.places }),
      ...(input.actors === undefined ? {} : { actors: input.actors }),
      placeChanges: [],
      where: (line) => `${file}: event ${line}`,
    };
  }
  const label = file === "-" ? "<stdin>" : file;
  const opened = await openStream(file, request.stdin);
  const { size } = opened;
  const { stream } = await decodedInput(opened.stream, label);
  const first = await peek(stream, label);
  if (isEmptyInput(first, size)) {
    stream.destroy();
    return emptyFile(label, request.format ?? formatFromName(file) ?? "ndjson");
  }
  const format = request.format ?? formatFromName(file) ?? detectFormat(first);
  const progress = new Progress(request.progress, label);
  let parsed: ParsedFile;
  if (format === "csv") {
    parsed = await readCsv(
      stream,
      {
        ...known,
        ...(request.dateOrder === undefined ? {} : { dateOrder: request.dateOrder }),
        ...(timeline === undefined ? {} : { timeline }),
      },
      progress,
      (bytes) => (size !== undefined && size > 0 && bytes !== undefined ? bytes / size : undefined),
    );
  } else if (format === "json") {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
    parsed = parseEventsText(Buffer.concat(chunks).toString("utf8"), { format: "json" });
  } else {
    const collector = new NdjsonCollector();
    let n = 0;
    let blank = true;
    for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
      collector.line(line, ++n);
      if (blank && line.trim() !== "") blank = false;
    }
    // Blank lines only, on standard input or past the first bytes: as empty as no bytes.
    if (blank) {
      progress.done();
      return emptyFile(label, format);
    }
    parsed = collector.result();
  }
  progress.done();
  const where = (line: number) => {
    if (format !== "csv") return `${label}:${line}`;
    if (line === 0) return `${label}: header (line 1)`;
    const fileLine = parsed.rowLines?.[line - 1];
    return `${label}: row ${line}${fileLine === undefined ? "" : ` (line ${fileLine})`}`;
  };
  const locate = (p: { line: number; message: string }) => ({
    line: p.line,
    where: where(p.line),
    message: p.message,
  });
  const sorted = splitInvalid(parsed, request.skipInvalid);
  return {
    label,
    format,
    ...(parsed.table === undefined ? {} : { table: parsed.table }),
    events: parsed.events,
    lines: parsed.lines,
    problems: sorted.problems.map(locate),
    invalid: sorted.invalid.map(locate),
    skipped: parsed.skipped,
    ...(parsed.rows === undefined ? {} : { rows: parsed.rows }),
    ...(parsed.places === undefined ? {} : { places: parsed.places }),
    ...(parsed.actors === undefined ? {} : { actors: parsed.actors }),
    placeChanges: parsed.placeChanges ?? [],
    where,
  };
}

/** A file with nothing in it, or only blanks: one problem, "empty input" (exit code 1). */
function emptyFile(label: string, format: FileFormat): ReadForImport {
  return {
    label,
    format,
    events: [],
    lines: [],
    problems: [{ line: 0, where: label, message: "empty input" }],
    invalid: [],
    skipped: [],
    placeChanges: [],
    where: () => label,
  };
}

function merge(a: Registry | undefined, b: Registry | undefined): Registry | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return { ...a, ...b };
}

/**
 * Imports a file into a store; resolves to false when the file has invalid data (every
 * problem written to stderr, nothing stored).
 */
export async function importFile(request: ImportRequest): Promise<boolean> {
  const { into, stderr } = request;
  const say = (line: string) => stderr.write(`${line}\n`);
  let kept: Awaited<ReturnType<typeof readStoreRegistries>>;
  try {
    kept = storeExists(into) ? await readStoreRegistries(into) : undefined;
  } catch (error) {
    throw new InputError(`--into: ${(error as Error).message}`);
  }
  const known = {
    ...((request.places ?? kept?.places) === undefined
      ? {}
      : { places: merge(kept?.places, request.places) as Registry }),
    ...((request.actors ?? kept?.actors) === undefined
      ? {}
      : { actors: merge(kept?.actors, request.actors) as Registry }),
  };
  let timeline: Durable | undefined;
  const existed = storeExists(into);
  let created = false;
  try {
    // The store's events as they are, registries or not: what the file's revisions and
    // retractions are checked against.
    timeline = storeExists(into)
      ? await open(into, false, { timeZone: request.timeZone })
      : undefined;
    const file = await readForImport(request, timeline, known);
    const problems = file.problems;
    if (problems.length > 0) {
      for (const p of problems) say(`${p.where}: ${p.message}`);
      say(
        `${problems.length} problem${problems.length === 1 ? "" : "s"} in ${file.label}; nothing imported into ${into}`,
      );
      return false;
    }
    const places = file.places ?? known.places;
    const actors = file.actors ?? known.actors;
    const before = timeline?.version ?? 0;
    await timeline?.close();
    timeline = undefined;
    created = !existed;
    let checked = true;
    try {
      timeline = await open(into, true, {
        timeZone: request.timeZone,
        ...(places === undefined ? {} : { places }),
        ...(actors === undefined ? {} : { actors }),
      });
    } catch (error) {
      if (!(error instanceof TimelineValidationError)) throw error;
      // Events stored without registries name places these do not: keep them unchecked.
      checked = false;
      timeline = await open(into, true, { timeZone: request.timeZone });
      say(
        `note: ${into} holds events that name places or actors of no registry: ids are not checked`,
      );
    }
    const undo =
      checked && places !== undefined && actors !== undefined
        ? await writeStoreRegistries(into, { places, actors }).catch((error: unknown) => {
            throw unwritable(into, error);
          })
        : async () => {};
    let stored: readonly TimelineEvent[];
    // One transaction has no steps to count: say what it is doing while it runs.
    const storing = request.progress !== undefined && file.events.length >= 100_000;
    if (storing) {
      request.progress?.write(
        `\r\x1b[Kchecking and storing ${file.events.length.toLocaleString("en")} events in ${into}...`,
      );
    }
    try {
      stored = await timeline.appendAll(file.events as never[]);
      if (storing) request.progress?.write("\r\x1b[K");
    } catch (error) {
      if (storing) request.progress?.write("\r\x1b[K");
      await undo();
      if (!(error instanceof TimelineValidationError)) throw error;
      for (const issue of error.issues) {
        const path = issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
        say(`${file.where(file.lines[issue.index] ?? issue.index + 1)}: ${path}${issue.message}`);
      }
      say(
        `${error.issues.length} problem${error.issues.length === 1 ? "" : "s"} in ${file.label}; nothing imported into ${into}`,
      );
      return false;
    }
    created = false;
    const added = timeline.version - before;
    report(file, stored, added, say);
    const already = file.events.length - added;
    say(
      `imported ${added} events into ${into}${already > 0 ? `; ${already} already stored` : ""} (${timeline.version} stored)`,
    );
    return true;
  } catch (error) {
    if (error instanceof StoreCorruptionError) {
      say(`tidemark: ${error.message}`);
      return false;
    }
    if (error instanceof TimelineValidationError) {
      for (const issue of error.issues) say(`${into}: ${issue.message}`);
      return false;
    }
    throw error;
  } finally {
    await timeline?.close();
    // A store this import created and then stored nothing in is removed: a failed import
    // leaves no store behind, as if it had never run.
    if (created && registryPath(into) !== undefined) {
      for (const suffix of ["", "-wal", "-shm", "-journal"])
        await rm(`${into}${suffix}`, { force: true });
    }
  }
}

/** The import report: rows read, events, skipped rows by reason, places merged or split. */
function report(
  file: ReadForImport,
  stored: readonly TimelineEvent[],
  added: number,
  say: (line: string) => void,
): void {
  const what = file.table === undefined ? file.format : TABLE_NAMES[file.table];
  const rows = file.rows === undefined ? "" : `${file.rows.toLocaleString("en")} rows, `;
  say(`read ${file.label} (${what}): ${rows}${file.events.length.toLocaleString("en")} events`);
  for (const line of skippedLines(file.skipped)) say(line);
  for (const line of invalidLines(file.invalid)) say(line);
  for (const line of placeLines(file.placeChanges)) say(line);
  if (added > 0) {
    const retractions = stored.filter((e) => e.type === "Retracted");
    const revised = retractions.filter((e) =>
      String((e.data as { reason?: string }).reason).startsWith("revised"),
    ).length;
    const deleted = retractions.length - revised;
    if (revised > 0)
      say(
        `note: ${revised} events revised (the earlier version stays visible with an earlier --as-of)`,
      );
    if (deleted > 0) say(`note: ${deleted} events retracted`);
  }
}
