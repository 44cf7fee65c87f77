// A store as a read command's input: a reader answers from the read models its writers keep
// (indexed reads, never the whole log), with the registries and time zone kept in the store.
// Loaded only by commands given a store, so that reading a file never loads a store's code.

import { existsSync, statSync } from "node:fs";
import type { Registry } from "../core/registry.js";
import { isStoreLocation, openStore } from "../stores/open.js";
import { redactConnection } from "../stores/postgres/errors.js";
import { openReader, type Reader, ReadModelError, storedEvents } from "../stores/reader.js";
import { type EventStore, StoreCorruptionError, StoreUnavailableError } from "../stores/store.js";
import type { AnsweringInput, Answers, CliState } from "./answers.js";
import { InputError } from "./input-error.js";
import { REDUCERS } from "./kept-slices.js";
import { registriesOf } from "./registries.js";

const POSTGRES = /^postgres(?:ql)?:\/\//i;
/** The last instant a time can name: `stateAt` then is the state after every event. */
const LAST = 8.64e15;

/** The store as messages name it: a PostgreSQL URL without its password. */
const named = (location: string) =>
  POSTGRES.test(location) ? redactConnection(location) : location;

/**
 * A read model that cannot answer (missing in a store written before read models, stale
 * under another version): a usage error (exit 2) naming the slice and the command to run.
 */
function readModelProblem(error: ReadModelError, location: string): InputError {
  const what = error.message.replace(/: rebuild it with .*$/s, "");
  return new InputError(
    `${named(location)}: ${what}; rebuild it with: tidemark reindex ${named(location)}`,
  );
}

/** Runs a reader's query, a read model that cannot answer said as the CLI says it. */
async function asked<T>(location: string, query: () => Promise<T>): Promise<T> {
  try {
    return await query();
  } catch (error) {
    if (error instanceof ReadModelError) throw readModelProblem(error, location);
    throw error;
  }
}

/** Opens the store at `location` for reading, its errors as the command reports them. */
async function opened<T>(location: string, open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (error) {
    if (error instanceof StoreCorruptionError) throw error;
    if (error instanceof StoreUnavailableError) {
      throw new StoreUnavailableError(error.reason, `cannot open store ${error.message}`, {
        cause: error,
      });
    }
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot open store ${named(location)}: ${(error as Error).message}`);
  }
}

/**
 * The answers of the store at `location` (a SQLite file or a postgres:// URL), read-only,
 * through a reader; `places` and `actors` given on the command line win over the store's.
 */
export async function storeInput(
  location: string,
  options: { readonly places?: Registry; readonly actors?: Registry },
): Promise<AnsweringInput> {
  // A FIFO named like a store would hang SQLite's open.
  if (!POSTGRES.test(location) && existsSync(location) && !statSync(location).isFile()) {
    // Refused as every input that is not a regular file is, with the same message.
    await (await import("./input.js")).regularFileSize(location);
  }
  if (!isStoreLocation(location)) throw new InputError(`"${location}" is not a store`);
  let store: EventStore;
  try {
    store = openStore(location, { readonly: true });
  } catch (error) {
    throw new InputError((error as Error).message);
  }
  let reader: Reader<never, CliState> | undefined;
  try {
    reader = (await opened(location, () =>
      openReader({ store, reducers: REDUCERS }),
    )) as unknown as Reader<never, CliState>;
    const kept = await opened(location, () => registriesOf(store, location));
    const timeZone = await opened(location, async () => store.timeZone?.());
    const places = options.places ?? kept?.registries.places;
    const actors = options.actors ?? kept?.registries.actors;
    const answers = readerAnswers(reader, location, timeZone);
    const open = reader;
    return {
      answers,
      ...(places === undefined ? {} : { places }),
      ...(actors === undefined ? {} : { actors }),
      close: async () => {
        await open.close();
        await store.close();
      },
    };
  } catch (error) {
    await reader?.close().catch(() => undefined);
    await store.close().catch(() => undefined);
    throw error;
  }
}

/** A reader's queries as {@link Answers}. */
function readerAnswers(
  reader: Reader<never, CliState>,
  location: string,
  timeZone: string | undefined,
): Answers {
  const ask = <T>(query: () => Promise<T>) => asked(location, query);
  const state = (at: number | undefined, query: object) =>
    ask(() => reader.stateAt(at ?? LAST, query));
  return {
    timeZone,
    state,
    history: (place, query) => ask(() => reader.history(place, query)),
    diff: (a, b, query) => ask(() => reader.diff(a, b, query)),
    claims: (place, at, query) => ask(() => reader.claims(place, at, query)),
    claimsAt: (at, query) => ask(() => reader.claimsAt(at, query)),
    contested: (at, query) => ask(() => reader.contested(at, query)),
    sources: (query) => ask(() => reader.sources(query)),
    eventsById: (ids) => ask(() => storedEvents(reader, ids)),
    events: (query) => reader.events(query) as AsyncIterable<never>,
    knownPlaces: async () => {
      const latest = await state(undefined, {});
      return [
        ...Object.keys(latest.control),
        ...Object.keys(latest.airstrikes),
        ...Object.keys(latest.arrests),
      ];
    },
  };
}
