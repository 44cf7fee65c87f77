// Which registry entries an import stores: what its file adds to the store's registries, read
// again on each attempt, since another import may have stored some of them meanwhile.

import type { Registry, RegistryEntry } from "../core/registry.js";
import type { Opened } from "./import-store.js";
import { registryEntries } from "./import-store.js";

/** Entries of `next` that `kept` does not hold (the ones an append adds to the store). */
function added(kept: Registry | undefined, next: Registry | undefined): Registry {
  const out: Record<string, RegistryEntry> = {};
  for (const [id, entry] of Object.entries(next ?? {})) {
    if (kept === undefined || !Object.hasOwn(kept, id)) {
      Object.defineProperty(out, id, {
        value: entry,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return out;
}

/** `a` with `b`'s entries, `b` winning. */
export function merge(a: Registry | undefined, b: Registry | undefined): Registry | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return { ...a, ...b };
}

/** The registry entries one attempt of an import writes, as found when the store is opened. */
export interface RegistryWrites {
  writes: { places?: Registry; actors?: Registry };
  /** Whether the store's registries are still in STORE.registry.json, to move into the store. */
  legacy: boolean;
  /** Entries of the store's registries when it was opened. */
  seen: number;
}

/**
 * The registries to open the store with (the file's, the store's and the ones given, merged),
 * noting in `plan` what the append must write.
 */
export function registriesFor(
  given: { places?: Registry | undefined; actors?: Registry | undefined },
  read: { places?: Registry | undefined; actors?: Registry | undefined },
): {
  plan: RegistryWrites;
  registries: (now: Opened["kept"]) => Partial<Record<"places" | "actors", Registry>>;
} {
  const plan: RegistryWrites = { writes: {}, legacy: false, seen: 0 };
  // The registries as the store holds them now, and what this file adds to them. A place
  // the file made that another import stored meanwhile keeps the stored entry (events
  // name ids only); a registry given with --places or --actors is stored as given, and
  // the store refuses an entry that differs from the one it holds.
  const registries = (now: Opened["kept"]) => {
    plan.legacy = now?.legacy === true;
    plan.seen = registryEntries(now?.registries);
    const stored = now?.registries;
    const pick = (name: "places" | "actors") => {
      const all = merge(merge(read[name], stored?.[name]), given[name]);
      if (all === undefined) return undefined;
      plan.writes = {
        ...plan.writes,
        [name]: plan.legacy ? all : { ...added(stored?.[name], all), ...given[name] },
      };
      return all;
    };
    const p = pick("places");
    const a = pick("actors");
    return {
      ...(p === undefined ? {} : { places: p }),
      ...(a === undefined ? {} : { actors: a }),
    };
  };
  return { plan, registries };
}
