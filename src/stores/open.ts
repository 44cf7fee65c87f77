/**
 * Store locations as the command line names them: a SQLite file (`*.db`, `*.sqlite`,
 * `*.sqlite3`) or a PostgreSQL URL (`postgres://...`, table in `?table=`, default
 * `tidemark_events`). Node-only, like the stores.
 */
import { type PostgresStoreOptions, postgresStore } from "./postgres.js";
import { sqliteStore } from "./sqlite.js";
import type { EventStore } from "./store.js";

const POSTGRES = /^postgres(?:ql)?:\/\//i;
const SQLITE = /\.(?:db|sqlite|sqlite3)$/i;

/** Whether a command-line argument names a store rather than a data file. */
export function isStoreLocation(location: string): boolean {
  return POSTGRES.test(location) || SQLITE.test(location);
}

/** Options of {@link openStore}. */
export interface OpenStoreOptions {
  /** Create the file or table when missing (default `true`; reading commands pass `false`). */
  readonly create?: boolean;
  /**
   * Open for reading only (the command's read commands do): nothing is created or written,
   * appends are refused, and a SQLite file is opened read-only.
   */
  readonly readonly?: boolean;
}

/**
 * The store a location names: `sqliteStore(path)` for a SQLite file, `postgresStore(url,
 * { table })` for a PostgreSQL URL (`?table=NAME` is taken out of the URL).
 *
 * @throws {TypeError} when the location is neither.
 */
export function openStore(location: string, options: OpenStoreOptions = {}): EventStore {
  if (POSTGRES.test(location)) {
    const url = new URL(location);
    const table = url.searchParams.get("table") ?? undefined;
    url.searchParams.delete("table");
    const storeOptions: PostgresStoreOptions = {
      table,
      create: options.create,
      readonly: options.readonly,
    };
    return postgresStore(url.toString(), storeOptions);
  }
  if (SQLITE.test(location)) {
    return sqliteStore(location, { create: options.create, readonly: options.readonly });
  }
  throw new TypeError(
    `"${location}" is not a store: name a SQLite file (.db, .sqlite, .sqlite3) or a postgres:// URL`,
  );
}
