/**
 * `reindex`: rebuilds a store's read models from its log (docs/read-models.md).
 */
import type { AnyEventDefinition } from "../core/events.js";
import type { Reducer } from "../core/reducers.js";
import type { Registry } from "../core/registry.js";
import { storedEventReader } from "../core/upcast.js";
import { readModelSlices } from "./read-model.js";
import { keepsReadModels, REINDEX } from "./reader-source.js";
import type { EventStore } from "./store.js";

/** Options of {@link reindex}. */
export interface ReindexOptions {
  /** The store to rebuild (opened for writing). It stays open: close it when done. */
  readonly store: EventStore;
  /**
   * Custom event definitions of the store's events: events stored under an older `version`
   * of their definition are upcast before the reducers see them.
   */
  readonly events?: readonly AnyEventDefinition[];
  /** The keyed reducers whose read models to keep, each under its `version`. */
  readonly reducers?: Readonly<Record<string, Reducer>>;
  /** The places registry the store's events were read with (a region's capture reaches its descendants). */
  readonly places?: Registry;
  /** Called after each chunk of events with how many are done, of how many. */
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * Rebuilds every read model of a store (the built-in slices, claims, and the keyed reducers
 * given, under their `version`) from its log, in one streamed pass and one transaction:
 * readers see the old read models until it commits. The remedy for a `ReadModelError`.
 *
 * @returns the number of events indexed.
 * @example
 * import { reindex } from "tidemark";
 * import { sqliteStore } from "tidemark/sqlite";
 * const store = sqliteStore("acled.db");
 * await reindex({ store });
 * await store.close();
 */
export async function reindex(options: ReindexOptions): Promise<number> {
  if (typeof options !== "object" || options === null || typeof options.store !== "object") {
    throw new TypeError("reindex: options.store must be a store (sqliteStore(path), ...)");
  }
  const { store, events, reducers, places, onProgress } = options;
  if (!keepsReadModels(store)) {
    throw new TypeError("reindex: this store keeps no read models (a store of your own)");
  }
  return store[REINDEX](
    readModelSlices(reducers, places),
    onProgress ?? (() => {}),
    storedEventReader(events),
  );
}
