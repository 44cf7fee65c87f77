// The registries a store keeps for the command line: the places and actors of every file
// imported into it, so that a store grows file by file (a second export's events name the
// first's places) and `geojson` on a store has coordinates. An EventStore holds events only;
// the registries live beside a SQLite store in STORE.registry.json.

import { readFile, rename, rm, writeFile } from "node:fs/promises";
import type { Registry } from "../core/registry.js";
import { isStoreLocation } from "../stores/open.js";

/** The places and actors a store keeps. */
export interface StoreRegistries {
  readonly places: Registry;
  readonly actors: Registry;
}

const POSTGRES = /^postgres(?:ql)?:\/\//i;

/** Where a store's registries are kept (a file beside a SQLite store; none for PostgreSQL). */
export function registryPath(location: string): string | undefined {
  return isStoreLocation(location) && !POSTGRES.test(location)
    ? `${location}.registry.json`
    : undefined;
}

/** The registries kept for a store, or undefined when it keeps none. */
export async function readStoreRegistries(location: string): Promise<StoreRegistries | undefined> {
  const path = registryPath(location);
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
 * Replaces the registries kept for a store (written whole, then renamed into place, so that
 * a crash leaves the old file or the new one). Resolves to a function that puts the old
 * file back, for when the events they were written for are not stored after all.
 */
export async function writeStoreRegistries(
  location: string,
  registries: StoreRegistries,
): Promise<() => Promise<void>> {
  const path = registryPath(location);
  if (path === undefined) return async () => {};
  let before: string | undefined;
  try {
    before = await readFile(path, "utf8");
  } catch {
    before = undefined;
  }
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(registries)}\n`);
  await rename(temporary, path);
  return async () => {
    if (before === undefined) await rm(path, { force: true });
    else {
      await writeFile(temporary, before);
      await rename(temporary, path);
    }
  };
}
