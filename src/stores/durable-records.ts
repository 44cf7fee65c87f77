/**
 * How a durable timeline keeps its events and registry entries as a store's records, and
 * reads an event back from its record (checking version, checksum and id).
 */
import type { TimelineEvent } from "../core/events.js";
import type { AppendOptions } from "./durable-api.js";
import {
  checksum,
  type EventRecord,
  type EventStore,
  type RegistryRecord,
  StoreCorruptionError,
  type StoredRecord,
} from "./store.js";

/** Registry entries as a store keeps them. */
export function registryRecords(
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

export function toRecord(event: TimelineEvent): EventRecord {
  const content = JSON.stringify(event);
  return { id: event.id, content, checksum: checksum(content) };
}

/** The event a record holds, after checking its version, checksum and id. */
export function readRecord(record: StoredRecord, version: number): unknown {
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
