/**
 * Durable timelines: an in-memory timeline kept in step with an {@link EventStore}. Every
 * query is the in-memory timeline's (synchronous); appends are validated in memory, written
 * to the store in one transaction, and only then visible.
 */
import { TimelineValidationError } from "../core/errors.js";
import type { AnyEventDefinition, EventOf, InputOf, TimelineEvent } from "../core/events.js";
import type { Reducer } from "../core/reducers.js";
import type { Registry } from "../core/registry.js";
import type { ControlInterval } from "../core/slices.js";
import type { TimeInput } from "../core/time.js";
import {
  type Claim,
  type ContestedPlace,
  type DefinitionsFor,
  type DiffEntry,
  type EventsQuery,
  type PlaceClaims,
  type QueryOptions,
  type SourceCount,
  type StateFor,
  type Timeline,
  TimelineImpl,
  type TimelineJSON,
  type TimelineOptions,
} from "../core/timeline.js";
import { storedEventReader } from "../core/upcast.js";
import { readZone } from "../core/zone.js";
import { readModelSlices } from "./read-model.js";
import { KEEP_READ_MODELS, keepsReadModels } from "./reader-source.js";
import {
  type AppendResult,
  ConcurrencyError,
  checksum,
  type EventRecord,
  type EventStore,
  type RegistryRecord,
  StoreCorruptionError,
  type StoredRecord,
} from "./store.js";

/** Options of {@link openTimeline}: a store, and the options of `createTimeline`. */
export interface OpenTimelineOptions<
  E extends readonly AnyEventDefinition[] = readonly AnyEventDefinition[],
  R extends Readonly<Record<string, Reducer>> = Readonly<Record<string, Reducer>>,
> extends TimelineOptions<E, R> {
  /** Where the events are kept: `sqliteStore(path)`, `postgresStore(url)`, or your own. */
  readonly store: EventStore;
}

/** Options of {@link DurableTimeline.appendAll}. */
export interface AppendOptions {
  /** Append only if exactly this many events are stored when the batch is written. */
  readonly expectedVersion?: number;
  /**
   * Registry entries to keep in the store in the same transaction as the events (a store with
   * `registries()`, such as `tidemark/sqlite` and `tidemark/postgres`): new ids are added, an
   * id stored with the same entry is skipped, one stored with another entry refuses the whole
   * append. The timeline's own registries (given to `openTimeline`) stay as they are: give it
   * these entries too, so that the events naming them validate.
   */
  readonly registries?: { readonly places?: Registry; readonly actors?: Registry };
}

/**
 * A timeline kept in a store: every query of an in-memory {@link Timeline} (synchronous,
 * answered from memory), plus asynchronous, durable appends.
 */
export interface DurableTimeline<
  D extends AnyEventDefinition = DefinitionsFor<[]>,
  S = StateFor<Record<never, never>>,
> extends Omit<Timeline<D, S>, "append" | "appendAll"> {
  /**
   * Validates every input, writes the new events durably in one transaction, then makes them
   * visible; resolves to the stored event for each input. Re-appending stored events (same id
   * and content) is a no-op, also when another process stored them.
   *
   * @throws {TimelineValidationError} listing every problem; nothing is stored.
   * @throws {ReducerError} when a custom reducer throws on the batch; nothing is stored.
   */
  append(...inputs: InputOf<D>[]): Promise<readonly EventOf<D>[]>;
  /** {@link DurableTimeline.append} for a long list, optionally only at an expected version. */
  appendAll(inputs: Iterable<InputOf<D>>, options?: AppendOptions): Promise<readonly EventOf<D>[]>;
  /**
   * Optimistic concurrency: appends only if `expectedVersion` events are stored when the batch
   * is written. A batch whose events are all stored already is a no-op whatever the version.
   *
   * @throws {ConcurrencyError} when another writer appended first; nothing is stored.
   */
  appendIfVersion(expectedVersion: number, ...inputs: InputOf<D>[]): Promise<readonly EventOf<D>[]>;
  /** Number of events stored so far, as this timeline knows it (a gap-free position). */
  readonly version: number;
  /** Takes in what other writers appended; resolves to the number of events taken in. */
  refresh(): Promise<number>;
  /**
   * Refreshes whenever another writer appends (PostgreSQL: LISTEN/NOTIFY; SQLite: polling),
   * calling `onChange` with the new version; resolves to a function that stops watching.
   * Errors of a refresh go to `onError`.
   *
   * @throws {TypeError} when the store cannot watch (then call `refresh()` yourself).
   */
  watch(
    onChange?: (version: number) => void,
    onError?: (error: unknown) => void,
  ): Promise<() => Promise<void>>;
  /** Waits for pending appends, stops watching and closes the store. */
  close(): Promise<void>;
}

/** Attempts of a plain `append` that keeps losing races to other writers. */
const MAX_ATTEMPTS = 100;

const pause = (attempt: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 * attempt)));

/** Registry entries as a store keeps them. */
function registryRecords(
  registries: AppendOptions["registries"],
  store: EventStore,
): RegistryRecord[] {
  if (registries === undefined) return [];
  const out: RegistryRecord[] = [];
  for (const registry of ["places", "actors"] as const) {
    for (const [id, entry] of Object.entries(registries[registry] ?? {})) {
      out.push({ registry, id, entry: JSON.stringify(entry) });
    }
  }
  if (out.length > 0 && typeof store.registries !== "function") {
    throw new TypeError("appendAll: this store keeps no registries (it has no registries())");
  }
  return out;
}

function toRecord(event: TimelineEvent): EventRecord {
  const content = JSON.stringify(event);
  return { id: event.id, content, checksum: checksum(content) };
}

/** The event a record holds, after checking its version, checksum and id. */
function readRecord(record: StoredRecord, version: number): unknown {
  if (record.version !== version) {
    throw new StoreCorruptionError(
      record.version > version
        ? `The store has no event at version ${version} (the next one is at ${record.version}): events are missing`
        : `The store returned version ${record.version} where version ${version} was expected`,
      version,
    );
  }
  if (
    typeof record.content !== "string" ||
    typeof record.checksum !== "string" ||
    checksum(record.content) !== record.checksum
  ) {
    throw new StoreCorruptionError(
      `The event at version ${version} is damaged: its content does not match its checksum`,
      version,
    );
  }
  let event: unknown;
  try {
    event = JSON.parse(record.content);
  } catch (error) {
    throw new StoreCorruptionError(
      `The event at version ${version} is damaged: its content is not JSON`,
      version,
      { cause: error },
    );
  }
  if ((event as { id?: unknown } | null)?.id !== record.id) {
    throw new StoreCorruptionError(
      `The event at version ${version} is damaged: it is stored under id "${record.id}" but its content says otherwise`,
      version,
    );
  }
  return event;
}

/** Whether two zone names read local times alike: the same name, or the same fixed offset. */
function sameZone(a: string, b: string): boolean {
  if (a === b) return true;
  const za = readZone(a);
  const zb = readZone(b);
  return (
    typeof za !== "string" &&
    typeof zb !== "string" &&
    za.fixed !== undefined &&
    za.fixed === zb.fixed
  );
}

/** The error of a timeline whose zone is not the one its store's events were read in. */
function zoneConflict(stored: string, given: string): TimelineValidationError {
  return new TimelineValidationError([
    {
      index: 0,
      path: ["timeZone"],
      message: `the store's events were read in the time zone "${stored}", not "${given}": a store keeps one zone (leave the zone out to read in "${stored}")`,
    },
  ]);
}

function isStore(value: unknown): value is EventStore {
  const store = value as Partial<EventStore> | null;
  return (
    typeof store === "object" &&
    store !== null &&
    typeof store.load === "function" &&
    typeof store.append === "function" &&
    typeof store.close === "function"
  );
}

class DurableTimelineImpl
  implements DurableTimeline<AnyEventDefinition, Readonly<Record<string, unknown>>>
{
  private stored = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private closing: Promise<void> | undefined;
  private readonly watchers = new Set<() => Promise<void>>();

  constructor(
    private readonly memory: TimelineImpl,
    private readonly store: EventStore,
    /** Whether the store is known to keep this timeline's zone (then appends need not record it). */
    private zoneKept: boolean,
  ) {}

  get version(): number {
    return this.stored;
  }

  get size(): number {
    return this.memory.size;
  }

  get timeZone(): string {
    return this.memory.timeZone;
  }

  stateAt(t: TimeInput, options?: QueryOptions) {
    return this.memory.stateAt(t, options);
  }

  latest(options?: QueryOptions) {
    return this.memory.latest(options);
  }

  events(query?: EventsQuery): readonly TimelineEvent[] {
    return this.memory.events(query);
  }

  history(place: string, options?: QueryOptions): readonly ControlInterval[] {
    return this.memory.history(place, options);
  }

  diff(a: TimeInput, b: TimeInput, options?: QueryOptions): readonly DiffEntry[] {
    return this.memory.diff(a, b, options);
  }

  claims(place: string, t: TimeInput, options?: QueryOptions): readonly Claim[] {
    return this.memory.claims(place, t, options);
  }

  claimsAt(t: TimeInput, options?: QueryOptions): readonly PlaceClaims[] {
    return this.memory.claimsAt(t, options);
  }

  contested(t: TimeInput, options?: QueryOptions): readonly ContestedPlace[] {
    return this.memory.contested(t, options);
  }

  sources(options?: QueryOptions): readonly SourceCount[] {
    return this.memory.sources(options);
  }

  toJSON(): TimelineJSON {
    return this.memory.toJSON();
  }

  append(...inputs: unknown[]): Promise<readonly TimelineEvent[]> {
    return this.write(inputs, undefined);
  }

  appendAll(inputs: Iterable<unknown>, options?: AppendOptions): Promise<readonly TimelineEvent[]> {
    return this.write([...inputs], options?.expectedVersion, options?.registries);
  }

  appendIfVersion(
    expectedVersion: number,
    ...inputs: unknown[]
  ): Promise<readonly TimelineEvent[]> {
    return this.write(inputs, expectedVersion);
  }

  refresh(): Promise<number> {
    return this.exclusive(() => this.pull());
  }

  async watch(
    onChange?: (version: number) => void,
    onError?: (error: unknown) => void,
  ): Promise<() => Promise<void>> {
    if (this.closing !== undefined) throw new Error("tidemark: this timeline is closed");
    if (typeof this.store.watch !== "function") {
      throw new TypeError("This store cannot watch for changes: call refresh() instead");
    }
    let stopped = false;
    const update = () => {
      if (stopped || this.closing !== undefined) return;
      this.refresh().then(
        (taken) => {
          if (taken > 0 && !stopped) onChange?.(this.stored);
        },
        (error: unknown) => {
          if (!stopped) onError?.(error);
        },
      );
    };
    const stopStore = await this.store.watch(update, (error) => onError?.(error));
    const stop = async () => {
      if (stopped) return;
      stopped = true;
      this.watchers.delete(stop);
      await stopStore();
    };
    this.watchers.add(stop);
    // Whatever was appended before the watch began.
    update();
    return stop;
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.queue;
      for (const stop of [...this.watchers]) await stop();
      await this.store.close();
    })();
    return this.closing;
  }

  /** Runs store work one task at a time, so that memory changes only between tasks. */
  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    if (this.closing !== undefined) {
      return Promise.reject(new Error("tidemark: this timeline is closed"));
    }
    const run = this.queue.then(task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private write(
    inputs: readonly unknown[],
    expected: number | undefined,
    registries?: AppendOptions["registries"],
  ): Promise<readonly TimelineEvent[]> {
    let entries: RegistryRecord[];
    try {
      entries = registryRecords(registries, this.store);
    } catch (error) {
      return Promise.reject(error);
    }
    if (expected !== undefined && !(Number.isSafeInteger(expected) && expected >= 0)) {
      return Promise.reject(
        new TypeError(`expected version must be a whole number >= 0, got ${String(expected)}`),
      );
    }
    return this.exclusive(async () => {
      if (expected !== undefined && expected !== this.stored) await this.pull();
      for (let attempt = 1; ; attempt++) {
        // Validated against exactly the events the batch will follow in the store.
        const batch = this.memory.prepareBatch(inputs, "dryRun");
        if (batch.added.length === 0 && entries.length === 0) {
          batch.discard();
          return batch.result;
        }
        if (expected !== undefined && expected !== this.stored) {
          batch.discard();
          throw new ConcurrencyError(expected, this.stored);
        }
        const records = batch.added.map(toRecord);
        if (!this.zoneKept) {
          try {
            await this.keepZone();
          } catch (error) {
            batch.discard();
            throw error;
          }
        }
        let written: AppendResult;
        try {
          written =
            entries.length === 0
              ? await this.store.append(records, this.stored)
              : await this.store.append(records, this.stored, entries);
        } catch (error) {
          batch.discard();
          if (!(error instanceof ConcurrencyError) || attempt >= MAX_ATTEMPTS) throw error;
          // Another writer came first: take in its events and validate again. A writer that
          // asked for a version hears of the race even when those events do not fit it.
          if (expected === undefined) await this.pull();
          else await this.pull().catch(() => Promise.reject(error));
          if (expected === undefined) await pause(attempt);
          continue;
        }
        if (written.version !== this.stored + records.length) {
          batch.discard();
          throw new Error(
            `tidemark: the store reported version ${written.version} after appending ${records.length} events at version ${this.stored}`,
          );
        }
        batch.commit();
        this.stored = written.version;
        return batch.result;
      }
    });
  }

  /**
   * Records the timeline's zone in the store before its first append, so that later readers
   * read local dates as this writer did; refuses to append when another writer recorded
   * another zone with its events meanwhile.
   */
  private async keepZone(): Promise<void> {
    if (typeof this.store.setTimeZone !== "function") {
      this.zoneKept = true;
      return;
    }
    const ours = this.memory.timeZone;
    const kept = await this.store.setTimeZone(ours);
    if (!sameZone(kept, ours)) throw zoneConflict(kept, ours);
    this.zoneKept = true;
  }

  /** Reads what the store has beyond `version`, verified, into memory. */
  private async pull(): Promise<number> {
    const start = this.stored;
    for await (const chunk of this.store.load(this.stored)) {
      if (chunk.length === 0) continue;
      const base = this.stored;
      const events = chunk.map((record, i) => readRecord(record, base + i + 1));
      let batch: ReturnType<TimelineImpl["prepareBatch"]>;
      try {
        batch = this.memory.prepareBatch(events, "stored");
      } catch (error) {
        if (!(error instanceof TimelineValidationError)) throw error;
        throw new TimelineValidationError(
          error.issues.map((issue) => ({
            index: base + issue.index,
            path: issue.path,
            message: `stored event at version ${base + issue.index + 1}: ${issue.message}`,
          })),
        );
      }
      if (batch.added.length !== chunk.length) {
        batch.discard();
        const seen = new Set<string>();
        const at = chunk.findIndex((r) => seen.size === seen.add(r.id).size);
        throw new StoreCorruptionError(
          `The store holds an event id twice (at version ${base + at + 1} or earlier)`,
          base + Math.max(at, 0) + 1,
        );
      }
      batch.commit();
      this.stored = base + chunk.length;
    }
    return this.stored - start;
  }
}

/**
 * Opens a timeline kept in a store: reads every stored event (verifying each checksum), then
 * answers queries from memory and appends durably. The timeline owns the store: `close()`
 * closes it, and so does a failure to open.
 *
 * The store keeps its timeline's time zone (when it can: see {@link EventStore.timeZone}):
 * without a `timeZone` option the timeline reads and queries in the zone recorded with the
 * store's events; a new or empty store records the zone of its first append. Opening never
 * writes, so a read-only store is opened as it is.
 *
 * @throws {StoreCorruptionError} when the store is damaged (naming the first bad version).
 * @throws {TimelineValidationError} when a stored event does not fit the options (an event
 *   type without its definition, a place missing from the registry), or when `timeZone` is
 *   not the zone recorded with the store's events (a store must not mix zones).
 * @example
 * import { openTimeline } from "tidemark";
 * import { sqliteStore } from "tidemark/sqlite";
 * const timeline = await openTimeline({ store: sqliteStore("palmyra.db") });
 * await timeline.append({ type: "Captured", at: "2016-12-11", data: { place: "palmyra", by: "isis" } });
 * timeline.stateAt("2016-12-12").control.palmyra?.controller; // "isis"
 * await timeline.close();
 */
export async function openTimeline<
  const E extends readonly AnyEventDefinition[] = [],
  R extends Readonly<Record<string, Reducer>> = Record<never, never>,
>(options: OpenTimelineOptions<E, R>): Promise<DurableTimeline<DefinitionsFor<E>, StateFor<R>>> {
  if (typeof options !== "object" || options === null || !isStore(options.store)) {
    throw new TypeError(
      "openTimeline: options.store must be an EventStore (sqliteStore(path), postgresStore(url), or your own)",
    );
  }
  const { store, ...rest } = options;
  try {
    const stored = typeof store.timeZone === "function" ? await store.timeZone() : undefined;
    const given = rest.timeZone;
    const memory = new TimelineImpl(
      (given === undefined && stored !== undefined
        ? { ...rest, timeZone: stored }
        : rest) as TimelineOptions,
    );
    // The writer keeps the read models of the built-in slices and of its keyed reducers.
    if (keepsReadModels(store))
      store[KEEP_READ_MODELS](
        readModelSlices(rest.reducers, rest.places),
        storedEventReader(rest.events),
      );
    const timeline = new DurableTimelineImpl(
      memory,
      store,
      stored !== undefined && sameZone(stored, memory.timeZone),
    );
    await timeline.refresh();
    // A store without events takes the zone given (recorded with its first append).
    if (stored !== undefined && timeline.version > 0 && !sameZone(stored, memory.timeZone)) {
      throw zoneConflict(stored, memory.timeZone);
    }
    return timeline as unknown as DurableTimeline<DefinitionsFor<E>, StateFor<R>>;
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
}
