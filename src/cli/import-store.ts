// Opening the store an import reads and writes, with the registries it keeps.

import { TimelineValidationError } from "../core/errors.js";
import { type DurableTimeline, openTimeline } from "../stores/durable.js";
import { openStore } from "../stores/open.js";
import { StoreCorruptionError, StoreUnavailableError } from "../stores/store.js";
import { EVENTS, InputError, REDUCERS } from "./input.js";
import { registriesOf, type StoreRegistries } from "./registries.js";

/** A timeline on a store, and the registries the store keeps. */
export interface Opened {
  readonly timeline: DurableTimeline;
  /** The store's registries (`legacy`: still in STORE.registry.json, to move into the store). */
  readonly kept: { registries: StoreRegistries; legacy: boolean } | undefined;
}

/**
 * Opens the store at `location`: with `create`, made when missing (its own atomic step, in
 * the store); without, `undefined` when there is no store yet. The timeline checks the
 * store's events against `registries` (each of them: when given, the store's own, too).
 */
export async function openInto(
  location: string,
  create: boolean,
  options: {
    timeZone?: string | undefined;
    registries?: (kept: Opened["kept"]) => Partial<StoreRegistries>;
  },
): Promise<Opened | undefined> {
  let store: ReturnType<typeof openStore>;
  try {
    store = openStore(location, { create });
  } catch (error) {
    if (error instanceof StoreUnavailableError) throw error;
    throw new InputError(`--into: ${(error as Error).message}`);
  }
  try {
    const kept = await registriesOf(store, location).catch((error: unknown) => {
      if (error instanceof StoreUnavailableError || error instanceof StoreCorruptionError) {
        throw error;
      }
      throw new InputError(`--into: ${(error as Error).message}`);
    });
    const { places, actors } = options.registries?.(kept) ?? {};
    const timeline = (await openTimeline({
      store,
      events: EVENTS,
      reducers: REDUCERS,
      ...(places === undefined ? {} : { places }),
      ...(actors === undefined ? {} : { actors }),
      ...(options.timeZone === undefined ? {} : { timeZone: options.timeZone }),
    })) as unknown as DurableTimeline;
    return { timeline, kept };
  } catch (error) {
    await store.close().catch(() => undefined);
    if (!create && error instanceof StoreUnavailableError && error.reason === "missing") {
      return undefined;
    }
    // Damaged stores and events that no longer fit are invalid data (exit 1); a store that
    // cannot be used (locked, read-only, a server refusing) says why in its own words (exit 2).
    if (
      error instanceof StoreCorruptionError ||
      error instanceof TimelineValidationError ||
      error instanceof StoreUnavailableError ||
      error instanceof InputError
    ) {
      throw error;
    }
    throw new InputError(`--into: cannot open store ${location}: ${(error as Error).message}`);
  }
}

/** Entries of a store's registries. */
export function registryEntries(registries: StoreRegistries | undefined): number {
  return (
    Object.keys(registries?.places ?? {}).length + Object.keys(registries?.actors ?? {}).length
  );
}
