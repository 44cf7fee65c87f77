/**
 * What a store with read models offers a reader, a writer and `reindex` (under symbols, so
 * that the public {@link EventStore} interface stays as it is): the reads of
 * docs/read-models.md, in the rows' own terms. Browser-safe: no I/O here.
 */
import type { StoredEventReader } from "../core/upcast.js";
import type { SliceModel } from "./read-model.js";

/** The status row of the event log's own indexes, beside the slices'. */
export const LOG_SLICE = "*log";

/** A slice's tag and the version up to which its read model is kept. */
export interface SliceStatus {
  readonly slice: string;
  readonly tag: string;
  readonly upto: number;
}

/** What a reader sees: the first `version` events, as known at `asOf` (all when undefined). */
export interface Visibility {
  readonly version: number;
  readonly asOf: number | undefined;
}

/** A visible row of one key, with its entry as JSON (`null`: absent). */
export interface VisibleRow {
  readonly at: number;
  readonly pos: number;
  readonly sub: number;
  readonly precision: string;
  readonly value: string | null;
}

/** A stored event's version and JSON. */
export interface StoredEvent {
  readonly pos: number;
  readonly content: string;
}

/** An event of a key (one membership), with its JSON, for folding a key in memory. */
export interface KeyStep {
  readonly key: string;
  readonly sub: number;
  readonly at: number;
  readonly pos: number;
  readonly content: string;
}

type Awaitable<T> = T | Promise<T>;

/** The indexed reads a reader makes (see the SQLite implementation for their meaning). */
export interface ReadModelSource {
  /** Number of events stored now. */
  head(): Awaitable<number>;
  /** Every kept slice's status (empty when the store has no read models). */
  slices(): Awaitable<readonly SliceStatus[]>;
  /** Each key's entry (JSON) at `t`; absent keys left out. */
  sliceAt(
    slice: string,
    t: number,
    view: Visibility,
  ): Awaitable<readonly { key: string; value: string }[]>;
  /** Every visible row of a key, in timeline order. */
  keyRows(
    slice: string,
    source: string,
    key: string,
    view: Visibility,
  ): Awaitable<readonly VisibleRow[]>;
  /** Events that count, per source name they cite; only those citing `names` when given. */
  sourceCounts(
    view: Visibility,
    names: readonly string[] | undefined,
  ): Awaitable<readonly (readonly [string, number])[]>;
  /** Events that count with `from <= at <= to`, in timeline order, streamed. */
  events(
    from: number,
    to: number,
    view: Visibility,
    names: readonly string[] | undefined,
    place: string | undefined,
  ): Iterable<StoredEvent> | AsyncIterable<StoredEvent>;
  /** Every membership in a slice of the events that count and cite one of `names`, by key. */
  citedSteps(
    slice: string,
    view: Visibility,
    names: readonly string[],
  ): Awaitable<readonly KeyStep[]>;
}

/** A reader's connection to a store's read models. */
export interface ReadModelConnection {
  readonly source: ReadModelSource;
  /** The time zone kept with the store's events, if any. */
  readonly timeZone: string | undefined;
  /**
   * Calls `onChange` whenever a writer may have appended (the store's own `watch`); resolves
   * to a function that stops. Absent when the store cannot watch.
   */
  readonly watch?: (
    onChange: () => void,
    onError?: (error: unknown) => void,
  ) => Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/**
 * A connection to the read models of `reader` (a read-only store, opened for this
 * connection and closed with it): `source` reads them; a failure to open closes the store.
 */
export async function connectReadModels(
  reader: {
    timeZone(): Promise<string | undefined>;
    close(): Promise<void>;
    watch?: ReadModelConnection["watch"];
  },
  source: () => Promise<ReadModelSource>,
): Promise<ReadModelConnection> {
  try {
    const opened = await source();
    return {
      source: opened,
      timeZone: await reader.timeZone(),
      watch: reader.watch?.bind(reader),
      close: () => reader.close(),
    };
  } catch (error) {
    await reader.close();
    throw error;
  }
}

/** A store's method that opens a read-only connection to its read models. */
export const OPEN_READ_MODEL: unique symbol = Symbol.for("tidemark.openReadModel");
/** A store's method that a writer calls with the slices it keeps. */
export const KEEP_READ_MODELS: unique symbol = Symbol.for("tidemark.keepReadModels");
/** A store's method that rebuilds its read models from its log, in one pass. */
export const REINDEX: unique symbol = Symbol.for("tidemark.reindex");

/** What a store that keeps read models has, beside {@link EventStore}'s methods. */
export interface ReadModelStore {
  [OPEN_READ_MODEL](): Promise<ReadModelConnection>;
  /** `read` reads a stored event, upcast to its definition's current version. */
  [KEEP_READ_MODELS](models: readonly SliceModel[], read: StoredEventReader): void;
  [REINDEX](
    models: readonly SliceModel[],
    progress: (done: number, total: number) => void,
    read: StoredEventReader,
  ): Promise<number>;
}

/** Whether a store keeps read models. */
export function keepsReadModels(store: object): store is ReadModelStore {
  return typeof (store as Partial<ReadModelStore>)[OPEN_READ_MODEL] === "function";
}
