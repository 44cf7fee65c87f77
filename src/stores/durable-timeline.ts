/**
 * A durable timeline: an in-memory timeline kept in step with its store. Queries are the
 * in-memory timeline's; appends and refreshes run one at a time against the store.
 */
import { TimelineValidationError } from "../core/errors.js";
import type { AnyEventDefinition, TimelineEvent } from "../core/events.js";
import type { ControlInterval } from "../core/slices.js";
import type { TimeInput } from "../core/time.js";
import type {
  Claim,
  ContestedPlace,
  DiffEntry,
  EventsQuery,
  PlaceClaims,
  QueryOptions,
  SourceCount,
  TimelineImpl,
  TimelineJSON,
} from "../core/timeline.js";
import type { AppendOptions, DurableTimeline } from "./durable-api.js";
import { readRecord, registryRecords, toRecord } from "./durable-records.js";
import { sameZone, zoneConflict } from "./durable-zone.js";
import {
  type AppendResult,
  ConcurrencyError,
  type EventStore,
  type RegistryRecord,
  StoreCorruptionError,
} from "./store.js";
import { watchStore } from "./watch-loop.js";

/** Attempts of a plain `append` that keeps losing races to other writers. */
const MAX_ATTEMPTS = 100;

const pause = (attempt: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 * attempt)));

/** A timeline kept in a store (opened by `openTimeline` in durable.ts). */
export class DurableTimelineImpl
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
    const store = this.store;
    return watchStore(
      {
        subscribe: typeof store.watch === "function" ? store.watch.bind(store) : undefined,
        refresh: () => this.refresh(),
        // Only what another writer appended: this timeline's own appends are no news to it.
        changed: (taken) => (taken > 0 ? this.stored : undefined),
        closed: () => this.closing !== undefined,
        watchers: this.watchers,
      },
      onChange,
      onError,
    );
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
