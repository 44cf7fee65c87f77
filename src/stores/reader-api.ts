/**
 * The public face of a reader (see reader.ts): its options, its queries, and the error of a
 * read model that cannot answer.
 */
import type { Claim, ContestedPlace, PlaceClaims } from "../core/claims.js";
import type { DiffEntry } from "../core/control.js";
import type { AnyEventDefinition, EventOf } from "../core/events.js";
import type { Reducer } from "../core/reducers.js";
import type { ControlInterval } from "../core/slices.js";
import type { TimeInput } from "../core/time.js";
import type {
  DefinitionsFor,
  EventsQuery,
  QueryOptions,
  SourceCount,
  StateFor,
} from "../core/timeline.js";
import type { EventStore } from "./store.js";

/** Options of {@link openReader}. */
export interface OpenReaderOptions<
  E extends readonly AnyEventDefinition[] = readonly AnyEventDefinition[],
  R extends Readonly<Record<string, Reducer>> = Readonly<Record<string, Reducer>>,
> {
  /** The store to read: `sqliteStore(path)`; it is opened read-only, whatever its options. */
  readonly store: EventStore;
  /**
   * Custom event definitions of the store's events (for their types): events stored under an
   * older `version` of their definition are read upcast to the current one.
   */
  readonly events?: E;
  /** The keyed reducers whose slices to answer, each kept in the store under its `version`. */
  readonly reducers?: R;
}

/** Options of {@link Reader.events}: bounds on `at`, a place, and {@link QueryOptions}. */
export interface ReaderEventsQuery extends EventsQuery {
  /** Only events that touch this place in a built-in slice (a region's capture reaches it). */
  readonly place?: string;
}

/**
 * A timeline's queries answered from a store's read models, at one version: the one it
 * opened at or last refreshed to ({@link Reader.version}), whatever writers append meanwhile.
 * Every answer equals that of an in-memory timeline of the store's first `version` events.
 */
export interface Reader<
  D extends AnyEventDefinition = DefinitionsFor<[]>,
  S = StateFor<Record<never, never>>,
> {
  /** The state after every event with `at <= t` (a slice's keys are listed by id). */
  stateAt(t: TimeInput, options?: QueryOptions): Promise<S>;
  /** Control intervals of a place; a new one only where the controller changes. */
  history(place: string, options?: QueryOptions): Promise<readonly ControlInterval[]>;
  /** Places whose controller differs between `stateAt(a)` and `stateAt(b)`. */
  diff(a: TimeInput, b: TimeInput, options?: QueryOptions): Promise<readonly DiffEntry[]>;
  /** The control of a place at `t` according to each source that reports on it. */
  claims(place: string, t: TimeInput, options?: QueryOptions): Promise<readonly Claim[]>;
  /** Every place's claims at `t`, sorted by id. */
  claimsAt(t: TimeInput, options?: QueryOptions): Promise<readonly PlaceClaims[]>;
  /** Places whose sources disagree about their controller at `t`, sorted by id. */
  contested(t: TimeInput, options?: QueryOptions): Promise<readonly ContestedPlace[]>;
  /** Every source name cited by the events that count, with how many cite it, by name. */
  sources(options?: QueryOptions): Promise<readonly SourceCount[]>;
  /** The events that count, in timeline order, streamed from the store. */
  events(query?: ReaderEventsQuery): AsyncIterable<EventOf<D>>;
  /** Events stored when the reader opened or last refreshed. */
  readonly version: number;
  /** Moves the reader to the store's current version; resolves to it. */
  refresh(): Promise<number>;
  /**
   * Follows writers: refreshes whenever one appends (PostgreSQL: LISTEN/NOTIFY; SQLite:
   * polling), then calls `onChange` with the new {@link Reader.version}, as a durable
   * timeline's `watch` does. Errors of a refresh go to `onError`; a PostgreSQL watch resumes
   * by itself once the server is back. Resolves to a function that stops watching;
   * `close()` stops every watch.
   *
   * @throws {TypeError} when the store cannot watch (then call `refresh()` yourself).
   * @example
   * import { openReader } from "tidemark";
   * import { postgresStore } from "tidemark/postgres";
   * const reader = await openReader({ store: postgresStore(process.env.DATABASE_URL ?? "") });
   * const stop = await reader.watch(async (version) => {
   *   console.log(version, (await reader.stateAt(Date.now())).control.palmyra);
   * });
   * await stop();
   */
  watch(
    onChange?: (version: number) => void,
    onError?: (error: unknown) => void,
  ): Promise<() => Promise<void>>;
  /** Stops every watch and closes the reader's connection. */
  close(): Promise<void>;
}

/**
 * Thrown when a store's read model of a slice is missing (a store written before read
 * models, or a reducer never given to its writers) or stale (kept under another `version`,
 * or behind the log). The message names the slice and the remedy.
 */
export class ReadModelError extends Error {
  override readonly name = "ReadModelError";
  /** The slice whose read model cannot answer. */
  readonly slice: string;
  /** `"missing"`: never kept; `"stale"`: kept under another version or behind the log. */
  readonly reason: "missing" | "stale";

  constructor(slice: string, reason: "missing" | "stale", detail: string) {
    super(
      `The store's read model of "${slice}" is ${reason} (${detail}): rebuild it with \`await reindex({ store, reducers })\` or \`tidemark reindex STORE\``,
    );
    this.slice = slice;
    this.reason = reason;
  }
}
