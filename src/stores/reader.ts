/**
 * `openReader`: the queries of a timeline, answered from a store's read models (see
 * docs/read-models.md) at one version, without replaying the log.
 */
import { TimelineValidationError } from "../core/errors.js";
import type { AnyEventDefinition, TimelineEvent } from "../core/events.js";
import { isReducer } from "../core/options.js";
import type { Reducer } from "../core/reducers.js";
import { BUILTIN_SLICES } from "../core/slices.js";
import type { DefinitionsFor, StateFor } from "../core/timeline.js";
import { storedEventReader } from "../core/upcast.js";
import { readZone } from "../core/zone.js";
import { readModelSlices } from "./read-model.js";
import type { OpenReaderOptions, Reader } from "./reader-api.js";
import { ReaderImpl } from "./reader-queries.js";
import { keepsReadModels, OPEN_READ_MODEL, STORED_EVENTS } from "./reader-source.js";

export type { OpenReaderOptions, Reader, ReaderEventsQuery } from "./reader-api.js";
export { ReadModelError } from "./reader-api.js";

/**
 * The stored events with these ids that a reader opened by {@link openReader} sees (retracted
 * ones included), by id: an indexed read of the log, for printing the event behind an entry.
 */
export function storedEvents(
  reader: Reader<AnyEventDefinition, unknown>,
  ids: Iterable<string>,
): Promise<ReadonlyMap<string, TimelineEvent>> {
  return (reader as unknown as ReaderImpl)[STORED_EVENTS]([...new Set(ids)]);
}

/**
 * Opens a reader on a store: the queries of a timeline, answered from the read models its
 * writers keep (indexed reads), at the store's current version until `refresh()`. It never
 * writes, and never loads the whole log.
 *
 * @throws {TypeError} for a plain (non-keyed) reducer, which only `openTimeline` can fold, or
 *   a store that keeps no read models.
 * @example
 * import { openReader } from "tidemark";
 * import { sqliteStore } from "tidemark/sqlite";
 * const reader = await openReader({ store: sqliteStore("palmyra.db") });
 * (await reader.stateAt("2016-12-12")).control.palmyra?.controller; // "isis"
 * await reader.close();
 */
export async function openReader<
  const E extends readonly AnyEventDefinition[] = [],
  R extends Readonly<Record<string, Reducer>> = Record<never, never>,
>(options: OpenReaderOptions<E, R>): Promise<Reader<DefinitionsFor<E>, StateFor<R>>> {
  if (typeof options !== "object" || options === null || typeof options.store !== "object") {
    throw new TypeError("openReader: options.store must be a store (sqliteStore(path), ...)");
  }
  const { store, reducers = {} } = options;
  for (const [name, reducer] of Object.entries(reducers)) {
    if (!isReducer(reducer)) {
      throw new TypeError(`openReader: reducers.${name} is not a reducer (use defineReducer)`);
    }
    if (reducer.keyed === undefined) {
      throw new TypeError(
        `openReader: reducers.${name} is a plain (non-keyed) reducer, which no read model keeps: fold it in memory with openTimeline({ store, reducers })`,
      );
    }
    if ((BUILTIN_SLICES as readonly string[]).includes(name)) {
      throw new TypeError(`openReader: "${name}" is a built-in slice; name the reducer otherwise`);
    }
  }
  if (!keepsReadModels(store)) {
    throw new TypeError(
      "openReader: this store keeps no read models (a store of your own): use openTimeline({ store })",
    );
  }
  const models = new Map(readModelSlices(reducers, undefined).map((m) => [m.name, m] as const));
  const layout = [...BUILTIN_SLICES, ...Object.keys(reducers)];
  const connection = await store[OPEN_READ_MODEL]();
  try {
    const zone = readZone(connection.timeZone ?? "UTC");
    if (typeof zone === "string")
      throw new TimelineValidationError([{ index: 0, path: ["timeZone"], message: zone }]);
    const reader = new ReaderImpl(
      connection,
      zone,
      models,
      layout,
      storedEventReader(options.events),
    );
    await reader.refresh();
    return reader as unknown as Reader<DefinitionsFor<E>, StateFor<R>>;
  } catch (error) {
    await connection.close().catch(() => undefined);
    throw error;
  }
}
