// `tidemark import FILE --into STORE`: a file checked against what the store holds (its
// registries, the events its retractions and ACLED's revisions name), then appended in one
// transaction, so that a store grows file by file and re-importing a release is a no-op.

import type { Readable } from "node:stream";
import { TimelineValidationError } from "../core/errors.js";
import type { TimelineEvent } from "../core/events.js";
import type { Registry } from "../core/registry.js";
import { TimelineImpl, type TimelineOptions } from "../core/timeline.js";
import type { DateOrder } from "../formats/acled.js";
import type { FileFormat } from "../formats/parsed-file.js";
import type { DurableTimeline } from "../stores/durable.js";
import { ConcurrencyError, StoreCorruptionError } from "../stores/store.js";
import { type ReadForImport, readForImport } from "./import-read.js";
import { merge, type RegistryWrites, registriesFor } from "./import-registries.js";
import { report, tell } from "./import-report.js";
import { type Opened, openInto, registryEntries } from "./import-store.js";
import { EVENTS, REDUCERS } from "./input.js";
import { legacyRegistryPath, readStoreRegistries, retireLegacyRegistries } from "./registries.js";

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

type Say = (line: string) => void;

/** Attempts of an import that keeps losing the race for the store to other writers. */
const ATTEMPTS = 20;

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
    opened = await openInto(into, false, { timeZone: request.timeZone });
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
    return await storeFile(request, file, { places, actors }, existed, say);
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
 * Stores the events of `file` and the registry entries they need, opening the store again
 * (and reading its registries again) each time another writer came first.
 */
async function storeFile(
  request: ImportRequest,
  file: ReadForImport,
  read: { places?: Registry | undefined; actors?: Registry | undefined },
  existed: boolean,
  say: Say,
): Promise<boolean> {
  const { into } = request;
  let opened: Opened | undefined;
  try {
    for (let attempt = 1; ; attempt++) {
      const { plan, registries } = registriesFor(request, read);
      try {
        opened = await openInto(into, true, { timeZone: request.timeZone, registries });
      } catch (error) {
        if (!(error instanceof TimelineValidationError) || error.issues.some(isZoneIssue)) {
          throw error;
        }
        // Another writer stored events and their registries between the two reads: read again.
        if (attempt < ATTEMPTS && registryEntries(await readStoreRegistries(into)) !== plan.seen) {
          continue;
        }
        // Events stored without registries name places these do not: keep them unchecked.
        plan.writes = {};
        plan.legacy = false;
        opened = await openInto(into, true, { timeZone: request.timeZone });
        if (attempt === 1) {
          say(
            `note: ${into} holds events that name places or actors of no registry: ids are not checked`,
          );
        }
      }
      const timeline = (opened as Opened).timeline;
      const stored = await append(request, file, timeline, plan, attempt < ATTEMPTS);
      if (stored === "again") {
        // Another writer came first: read the store again (its registries too), and retry.
        await timeline.close();
        opened = undefined;
        continue;
      }
      if (stored instanceof TimelineValidationError) {
        const empty =
          !existed && (await timeline.refresh().catch(() => 0)) === 0 && timeline.version === 0;
        tell(
          stored,
          file,
          into,
          say,
          empty ? " (created by this import, it is left in place, empty)" : "",
        );
        return false;
      }
      await reportStored(into, file, stored, plan, say);
      return true;
    }
  } finally {
    await opened?.timeline.close();
  }
}

/** Events appended, with the number this append stored. */
interface Appended {
  readonly events: readonly TimelineEvent[];
  readonly count: number;
  readonly version: number;
}

/**
 * One append of the file's events at the version the store was opened at: the events
 * stored, the refusal of invalid data, or `"again"` when another writer came first and
 * `retry` allows another attempt.
 */
async function append(
  request: ImportRequest,
  file: ReadForImport,
  timeline: DurableTimeline,
  plan: RegistryWrites,
  retry: boolean,
): Promise<Appended | TimelineValidationError | "again"> {
  const before = timeline.version;
  // One transaction has no steps to count: say what it is doing while it runs.
  const storing = request.progress !== undefined && file.events.length >= 100_000;
  if (storing) {
    request.progress?.write(
      `\r\x1b[Kchecking and storing ${file.events.length.toLocaleString("en")} events in ${request.into}...`,
    );
  }
  try {
    const events = await timeline.appendAll(file.events as never[], {
      expectedVersion: before,
      ...(plan.writes.places === undefined && plan.writes.actors === undefined
        ? {}
        : { registries: plan.writes }),
    });
    if (storing) request.progress?.write("\r\x1b[K");
    // Counted in this append's own transaction: other writers' events are not this file's.
    return { events, count: timeline.version - before, version: timeline.version };
  } catch (error) {
    if (storing) request.progress?.write("\r\x1b[K");
    if (error instanceof ConcurrencyError && retry) return "again";
    if (!(error instanceof TimelineValidationError)) throw error;
    return error;
  }
}

/** Says what an import stored, moving the registries of STORE.registry.json into the store. */
async function reportStored(
  into: string,
  file: ReadForImport,
  stored: Appended,
  plan: RegistryWrites,
  say: Say,
): Promise<void> {
  report(file, stored.events, stored.count, say);
  if (plan.legacy) {
    const path = legacyRegistryPath(into);
    const renamed = await retireLegacyRegistries(into);
    say(
      `moved the registries of ${path} into ${into}${renamed === undefined ? "" : ` (the file is now ${renamed})`}`,
    );
  }
  const already = file.events.length - stored.count;
  say(
    `imported ${stored.count} events into ${into}${already > 0 ? `; ${already} already stored` : ""} (${stored.version} stored)`,
  );
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

/** Whether an issue is the store's refusal of another time zone. */
function isZoneIssue(issue: { readonly path: readonly (string | number)[] }): boolean {
  return issue.path[0] === "timeZone";
}
