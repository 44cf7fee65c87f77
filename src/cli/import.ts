// `tidemark import FILE --into STORE`: a file checked against what the store holds (its
// registries, the events its retractions and ACLED's revisions name), then appended in one
// transaction, so that a store grows file by file and re-importing a release is a no-op.

import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { TimelineValidationError } from "../core/errors.js";
import type { TimelineEvent } from "../core/events.js";
import type { Registry, RegistryEntry } from "../core/registry.js";
import { TimelineImpl, type TimelineOptions } from "../core/timeline.js";
import type { DateOrder, SkippedRow } from "../formats/acled.js";
import type { CsvTable } from "../formats/csv-table.js";
import { detectFormat } from "../formats/detect.js";
import { NdjsonCollector } from "../formats/ndjson.js";
import type { FileFormat, ParsedFile } from "../formats/parsed-file.js";
import type { PlaceChange } from "../formats/places.js";
import { type DurableTimeline, openTimeline } from "../stores/durable.js";
import { isStoreLocation, openStore } from "../stores/open.js";
import { ConcurrencyError, StoreCorruptionError, StoreUnavailableError } from "../stores/store.js";
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
import { readJsonFile } from "./json-file.js";
import {
  legacyRegistryPath,
  readStoreRegistries,
  registriesOf,
  retireLegacyRegistries,
  type StoreRegistries,
} from "./registries.js";
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

/** A timeline on a store, and the registries the store keeps. */
interface Opened {
  readonly timeline: Durable;
  /** The store's registries (`legacy`: still in STORE.registry.json, to move into the store). */
  readonly kept: { registries: StoreRegistries; legacy: boolean } | undefined;
}

/**
 * Opens the store at `location`: with `create`, made when missing (its own atomic step, in
 * the store); without, `undefined` when there is no store yet. The timeline checks the
 * store's events against `registries` (each of them: when given, the store's own, too).
 */
async function open(
  location: string,
  create: boolean,
  options: {
    timeZone?: string | undefined;
    registries?: (kept: Opened["kept"]) => Partial<StoreRegistries>;
  },
): Promise<Opened | undefined> {
  let store: ReturnType<typeof openStore>;
  try {
    store = openStore(location, { create });
  } catch (error) {
    if (error instanceof StoreUnavailableError) throw error;
    throw new InputError(`--into: ${(error as Error).message}`);
  }
  try {
    const kept = await registriesOf(store, location).catch((error: unknown) => {
      if (error instanceof StoreUnavailableError || error instanceof StoreCorruptionError) {
        throw error;
      }
      throw new InputError(`--into: ${(error as Error).message}`);
    });
    const { places, actors } = options.registries?.(kept) ?? {};
    const timeline = (await openTimeline({
      store,
      events: EVENTS,
      reducers: REDUCERS,
      ...(places === undefined ? {} : { places }),
      ...(actors === undefined ? {} : { actors }),
      ...(options.timeZone === undefined ? {} : { timeZone: options.timeZone }),
    })) as unknown as Durable;
    return { timeline, kept };
  } catch (error) {
    await store.close().catch(() => undefined);
    if (!create && error instanceof StoreUnavailableError && error.reason === "missing") {
      return undefined;
    }
    // Damaged stores and events that no longer fit are invalid data (exit 1); a store that
    // cannot be used (locked, read-only, a server refusing) says why in its own words (exit 2).
    if (
      error instanceof StoreCorruptionError ||
      error instanceof TimelineValidationError ||
      error instanceof StoreUnavailableError ||
      error instanceof InputError
    ) {
      throw error;
    }
    throw new InputError(`--into: cannot open store ${location}: ${(error as Error).message}`);
  }
}

/** Entries of `next` that `kept` does not hold (the ones an append adds to the store). */
function added(kept: Registry | undefined, next: Registry | undefined): Registry {
  const out: Record<string, RegistryEntry> = {};
  for (const [id, entry] of Object.entries(next ?? {})) {
    if (kept === undefined || !Object.hasOwn(kept, id)) {
      Object.defineProperty(out, id, {
        value: entry,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return out;
}

/** `a` with `b`'s entries, `b` winning. */
function merge(a: Registry | undefined, b: Registry | undefined): Registry | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return { ...a, ...b };
}

/** Attempts of an import that keeps losing the race for the store to other writers. */
const ATTEMPTS = 20;

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
    parsed = await readJsonFile(stream, first, size);
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

/**
 * Imports a file into a store; resolves to false when the file has invalid data (every
 * problem written to stderr, nothing stored).
 *
 * The events and the registry entries they need are stored in one transaction, at the
 * version the import read the store at: when another writer appended meanwhile, the import
 * reads the store's registries again and retries (the file is not read again). Nothing is
 * ever removed: a failed import leaves the store as it was (a store it created stays, empty).
 */
export async function importFile(request: ImportRequest): Promise<boolean> {
  const { into, stderr } = request;
  const say = (line: string) => stderr.write(`${line}\n`);
  let opened: Opened | undefined;
  try {
    // The store's events as they are, registries or not: what the file's revisions and
    // retractions are checked against.
    opened = await open(into, false, { timeZone: request.timeZone });
    const existed = opened !== undefined;
    const kept = opened?.kept?.registries;
    const known = {
      ...((request.places ?? kept?.places) === undefined
        ? {}
        : { places: merge(kept?.places, request.places) as Registry }),
      ...((request.actors ?? kept?.actors) === undefined
        ? {}
        : { actors: merge(kept?.actors, request.actors) as Registry }),
    };
    const file = await readForImport(request, opened?.timeline, known);
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
    await opened?.timeline.close();
    opened = undefined;
    // Into a new store: the file's events are checked before the store is made, so that an
    // invalid file creates nothing.
    if (!existed) {
      const issues = dryRun(file.events, { places, actors, timeZone: request.timeZone });
      if (issues !== undefined) {
        tell(issues, file, into, say);
        return false;
      }
    }
    for (let attempt = 1; ; attempt++) {
      let writes: { places?: Registry; actors?: Registry } = {};
      let legacy = false;
      // The registries as the store holds them now, and what this file adds to them. A place
      // the file made that another import stored meanwhile keeps the stored entry (events
      // name ids only); a registry given with --places or --actors is stored as given, and
      // the store refuses an entry that differs from the one it holds.
      let seen = 0;
      const registries = (now: Opened["kept"]) => {
        legacy = now?.legacy === true;
        seen = size(now?.registries);
        const stored = now?.registries;
        const pick = (name: "places" | "actors", read: Registry | undefined) => {
          const given = request[name];
          const all = merge(merge(read, stored?.[name]), given);
          if (all === undefined) return undefined;
          writes = {
            ...writes,
            [name]: legacy ? all : { ...added(stored?.[name], all), ...given },
          };
          return all;
        };
        const p = pick("places", places);
        const a = pick("actors", actors);
        return {
          ...(p === undefined ? {} : { places: p }),
          ...(a === undefined ? {} : { actors: a }),
        };
      };
      try {
        opened = await open(into, true, { timeZone: request.timeZone, registries });
      } catch (error) {
        if (!(error instanceof TimelineValidationError) || error.issues.some(isZoneIssue)) {
          throw error;
        }
        // Another writer stored events and their registries between the two reads: read again.
        if (attempt < ATTEMPTS && size(await readStoreRegistries(into)) !== seen) continue;
        // Events stored without registries name places these do not: keep them unchecked.
        writes = {};
        legacy = false;
        opened = await open(into, true, { timeZone: request.timeZone });
        if (attempt === 1) {
          say(
            `note: ${into} holds events that name places or actors of no registry: ids are not checked`,
          );
        }
      }
      const timeline = (opened as Opened).timeline;
      const before = timeline.version;
      let stored: readonly TimelineEvent[];
      // One transaction has no steps to count: say what it is doing while it runs.
      const storing = request.progress !== undefined && file.events.length >= 100_000;
      if (storing) {
        request.progress?.write(
          `\r\x1b[Kchecking and storing ${file.events.length.toLocaleString("en")} events in ${into}...`,
        );
      }
      try {
        stored = await timeline.appendAll(file.events as never[], {
          expectedVersion: before,
          ...(writes.places === undefined && writes.actors === undefined
            ? {}
            : { registries: writes }),
        });
        if (storing) request.progress?.write("\r\x1b[K");
      } catch (error) {
        if (storing) request.progress?.write("\r\x1b[K");
        if (error instanceof ConcurrencyError && attempt < ATTEMPTS) {
          // Another writer came first: read the store again (its registries too), and retry.
          await timeline.close();
          opened = undefined;
          continue;
        }
        if (!(error instanceof TimelineValidationError)) throw error;
        const empty =
          !existed && (await timeline.refresh().catch(() => 0)) === 0 && timeline.version === 0;
        tell(
          error,
          file,
          into,
          say,
          empty ? " (created by this import, it is left in place, empty)" : "",
        );
        return false;
      }
      // Counted in this append's own transaction: other writers' events are not this file's.
      const count = timeline.version - before;
      report(file, stored, count, say);
      if (legacy) {
        const path = legacyRegistryPath(into);
        const renamed = await retireLegacyRegistries(into);
        say(
          `moved the registries of ${path} into ${into}${renamed === undefined ? "" : ` (the file is now ${renamed})`}`,
        );
      }
      const already = file.events.length - count;
      say(
        `imported ${count} events into ${into}${already > 0 ? `; ${already} already stored` : ""} (${timeline.version} stored)`,
      );
      return true;
    }
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
    await opened?.timeline.close();
  }
}

/**
 * The problems of `events` on a timeline of these registries, found without storing (or
 * folding) anything; `undefined` when there are none.
 */
function dryRun(
  events: readonly unknown[],
  options: { places?: Registry; actors?: Registry; timeZone?: string | undefined },
): TimelineValidationError | undefined {
  try {
    const memory = new TimelineImpl({
      events: EVENTS,
      reducers: REDUCERS,
      ...(options.places === undefined ? {} : { places: options.places }),
      ...(options.actors === undefined ? {} : { actors: options.actors }),
      ...(options.timeZone === undefined ? {} : { timeZone: options.timeZone }),
    } as TimelineOptions);
    memory.prepareBatch(events, "dryRun").discard();
    return undefined;
  } catch (error) {
    if (error instanceof TimelineValidationError) return error;
    // Anything else (an invalid --time-zone, a registry that does not fit) is said when the
    // store is opened, as for an existing store.
    return undefined;
  }
}

/** Writes each problem of a refused append where the user can find it, then the summary. */
function tell(
  error: TimelineValidationError,
  file: ReadForImport,
  into: string,
  say: (line: string) => void,
  note = "",
): void {
  for (const issue of error.issues) {
    if (issue.path[0] === "places" || issue.path[0] === "actors") {
      say(`${into}: ${issue.message}`);
      continue;
    }
    const path = issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
    say(`${file.where(file.lines[issue.index] ?? issue.index + 1)}: ${path}${issue.message}`);
  }
  say(
    `${error.issues.length} problem${error.issues.length === 1 ? "" : "s"} in ${file.label}; nothing imported into ${into}${note}`,
  );
}

/** Entries of a store's registries. */
function size(registries: StoreRegistries | undefined): number {
  return (
    Object.keys(registries?.places ?? {}).length + Object.keys(registries?.actors ?? {}).length
  );
}

/** Whether an issue is the store's refusal of another time zone. */
function isZoneIssue(issue: { readonly path: readonly (string | number)[] }): boolean {
  return issue.path[0] === "timeZone";
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
