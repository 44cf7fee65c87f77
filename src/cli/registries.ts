// The registries a store keeps for the command line: the places and actors of every file
// imported into it, so that a store grows file by file (a second export's events name the
// first's places) and `geojson` on a store has coordinates. They live in the store itself, as
// rows written in the same transaction as the events that name them (see EventStore.append).
// Stores of earlier versions kept them beside a SQLite file, in STORE.registry.json: the next
// import moves them into the store, once, and renames that file STORE.registry.json.migrated.

import { readFile, rename } from "node:fs/promises";
import type { Registry, RegistryEntry } from "../core/registry.js";
import { isStoreLocation, openStore } from "../stores/open.js";
import { type EventStore, type RegistryRecord, StoreUnavailableError } from "../stores/store.js";

/** The places and actors a store keeps (a registry it keeps no entry of is left out). */
export interface StoreRegistries {
  readonly places?: Registry;
  readonly actors?: Registry;
}

const POSTGRES = /^postgres(?:ql)?:\/\//i;

/** Where a store of an earlier version kept its registries (beside a SQLite file). */
export function legacyRegistryPath(location: string): string | undefined {
  return isStoreLocation(location) && !POSTGRES.test(location)
    ? `${location}.registry.json`
    : undefined;
}

/** The registries of a store's rows, or `undefined` for none. */
function fromRecords(records: readonly RegistryRecord[]): StoreRegistries | undefined {
  if (records.length === 0) return undefined;
  const places: Record<string, RegistryEntry> = {};
  const actors: Record<string, RegistryEntry> = {};
  for (const { registry, id, entry } of records) {
    // A defined property, so that an id such as "__proto__" is a key like any other.
    Object.defineProperty(registry === "places" ? places : actors, id, {
      value: JSON.parse(entry) as RegistryEntry,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return {
    ...(Object.keys(places).length === 0 ? {} : { places }),
    ...(Object.keys(actors).length === 0 ? {} : { actors }),
  };
}

/** The registries of STORE.registry.json, or `undefined` when there is no such file. */
export async function readLegacyRegistries(location: string): Promise<StoreRegistries | undefined> {
  const path = legacyRegistryPath(location);
  if (path === undefined) return undefined;
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    return undefined;
  }
  let value: Partial<StoreRegistries> | null;
  try {
    value = JSON.parse(text) as Partial<StoreRegistries> | null;
  } catch (error) {
    throw new Error(
      `${path} is not valid JSON (${(error as Error).message}): restore or delete it`,
    );
  }
  if (typeof value?.places !== "object" || typeof value.actors !== "object") {
    throw new Error(`${path} is not { places, actors }: restore or delete it`);
  }
  return { places: value.places ?? {}, actors: value.actors ?? {} };
}

/**
 * The registries an open store keeps: its rows, or for a store of an earlier version that has
 * none, those of STORE.registry.json (`legacy: true`: the next import moves them in).
 */
export async function registriesOf(
  store: EventStore,
  location: string,
): Promise<{ registries: StoreRegistries; legacy: boolean } | undefined> {
  const rows = typeof store.registries === "function" ? await store.registries() : [];
  const kept = fromRecords(rows);
  if (kept !== undefined) return { registries: kept, legacy: false };
  const legacy = await readLegacyRegistries(location);
  return legacy === undefined ? undefined : { registries: legacy, legacy: true };
}

/**
 * The registries kept for the store at `location` (read-only: nothing is written), or
 * undefined when it keeps none or does not exist yet.
 */
export async function readStoreRegistries(location: string): Promise<StoreRegistries | undefined> {
  const store = openStore(location, { readonly: true });
  try {
    return (await registriesOf(store, location))?.registries;
  } catch (error) {
    if (error instanceof StoreUnavailableError && error.reason === "missing") return undefined;
    throw error;
  } finally {
    await store.close();
  }
}

/**
 * Renames STORE.registry.json, once its registries are in the store, so that nobody takes it
 * for the store's registries again; resolves to the new name. Renaming replaces the directory
 * entry: a symlink planted at the new name is replaced, never followed.
 */
export async function retireLegacyRegistries(location: string): Promise<string | undefined> {
  const path = legacyRegistryPath(location);
  if (path === undefined) return undefined;
  try {
    await rename(path, `${path}.migrated`);
    return `${path}.migrated`;
  } catch {
    // Another import retired it first, or the folder is read-only: the store's rows win anyway.
    return undefined;
  }
}
