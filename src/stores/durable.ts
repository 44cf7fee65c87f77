/**
 * Durable timelines: an in-memory timeline kept in step with an {@link EventStore}. Every
 * query is the in-memory timeline's (synchronous); appends are validated in memory, written
 * to the store in one transaction, and only then visible.
 */
import type { AnyEventDefinition } from "../core/events.js";
import type { Reducer } from "../core/reducers.js";
import {
  type DefinitionsFor,
  type StateFor,
  TimelineImpl,
  type TimelineOptions,
} from "../core/timeline.js";
import { storedEventReader } from "../core/upcast.js";
import type { DurableTimeline, OpenTimelineOptions } from "./durable-api.js";
import { DurableTimelineImpl } from "./durable-timeline.js";
import { sameZone, zoneConflict } from "./durable-zone.js";
import { readModelSlices } from "./read-model.js";
import { KEEP_READ_MODELS, keepsReadModels } from "./reader-source.js";
import type { EventStore } from "./store.js";

export type { AppendOptions, DurableTimeline, OpenTimelineOptions } from "./durable-api.js";

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
