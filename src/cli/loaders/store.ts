// A store (a SQLite file or a postgres:// URL) as a command's input.

import { TimelineValidationError } from "../../core/errors.js";
import type { openTimeline } from "../../stores/durable.js";
import { openStore } from "../../stores/open.js";
import { StoreCorruptionError, StoreUnavailableError } from "../../stores/store.js";
import type { LoadedInput, LoadOptions } from "../input.js";
import { InputError } from "../input-error.js";
import { openWithStoredTypes } from "../opaque.js";
import { readStoreRegistries } from "../registries.js";
import { EVENTS, REDUCERS } from "./timeline.js";

/**
 * Opens a store (a SQLite file or a postgres:// URL) as the input: its events were checked
 * when they were written, and a damaged store is a StoreCorruptionError naming the version.
 */
export async function loadStore(location: string, options: LoadOptions): Promise<LoadedInput> {
  const open = () => openStore(location, { readonly: true });
  try {
    open();
  } catch (error) {
    throw new InputError((error as Error).message);
  }
  let kept: Awaited<ReturnType<typeof readStoreRegistries>>;
  try {
    kept = await readStoreRegistries(location);
  } catch (error) {
    throw new InputError((error as Error).message);
  }
  const places = options.places ?? kept?.places;
  const actors = options.actors ?? kept?.actors;
  let timeline: Awaited<ReturnType<typeof openTimeline>>;
  try {
    const zone = options.timeZone === undefined ? {} : { timeZone: options.timeZone };
    try {
      // Custom event types are read as stored (opaque): the store's writer knew their schemas.
      timeline = await openWithStoredTypes(open, {
        events: EVENTS,
        reducers: REDUCERS,
        ...zone,
        ...(places === undefined ? {} : { places }),
        ...(actors === undefined ? {} : { actors }),
      });
    } catch (error) {
      // The registry kept beside the store is behind its events (an import cut short between
      // the two): the events still read, without it.
      const fromStore = options.places === undefined && options.actors === undefined;
      if (!(error instanceof TimelineValidationError) || kept === undefined || !fromStore) {
        throw error;
      }
      timeline = await openWithStoredTypes(open, { events: EVENTS, reducers: REDUCERS, ...zone });
    }
  } catch (error) {
    // A damaged store or events that no longer fit the registries are invalid data (exit 1);
    // a store that cannot be used says why (exit 2), and so does a --time-zone it refuses.
    if (
      error instanceof TimelineValidationError &&
      error.issues.every((issue) => issue.path[0] === "timeZone")
    ) {
      throw new InputError(`${location}: ${error.issues.map((i) => i.message).join("; ")}`);
    }
    if (error instanceof StoreCorruptionError || error instanceof TimelineValidationError) {
      throw error;
    }
    if (error instanceof StoreUnavailableError) {
      throw new StoreUnavailableError(error.reason, `cannot open store ${error.message}`, {
        cause: error,
      });
    }
    throw new InputError(`cannot open store ${location}: ${(error as Error).message}`);
  }
  return {
    timeline,
    label: location,
    format: "store",
    close: () => timeline.close(),
    ...(places === undefined ? {} : { places }),
    ...(actors === undefined ? {} : { actors }),
    skipped: [],
    problems: [],
    invalid: [],
    events: timeline.size,
  };
}
