/**
 * The public face of a durable timeline (see durable.ts): its options, and its queries and
 * durable appends.
 */
import type { AnyEventDefinition, EventOf, InputOf } from "../core/events.js";
import type { Reducer } from "../core/reducers.js";
import type { Registry } from "../core/registry.js";
import type { DefinitionsFor, StateFor, Timeline, TimelineOptions } from "../core/timeline.js";
import type { EventStore } from "./store.js";

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
