/** The names a PostgreSQL store uses (its table, settings table, channel) and its table's DDL. */
import { checksum } from "../store.js";

const NAME = /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/;
/** The table, in the events table's schema, that keeps the time zone of each timeline. */
export const SETTINGS = "tidemark_timelines";
/** The table, in the events table's schema, that keeps the registries of each timeline. */
export const REGISTRIES = "tidemark_registries";

/** A name quoted as an SQL identifier. */
export function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** What a store on one events table names in SQL. */
export interface TableNames {
  /** The events table, quoted (`"osint"."palmyra"`). */
  readonly table: string;
  /** The table beside it that keeps each timeline's zone, quoted. */
  readonly settings: string;
  /** The table beside it that keeps each timeline's registry entries, quoted. */
  readonly registries: string;
  /** The events table's own name, its key in {@link TableNames.settings} and `registries`. */
  readonly key: string;
  /** The channel its commits notify. */
  readonly channel: string;
}

/**
 * The names of a store on table `name` (`"tidemark_events"` or `"schema.table"`).
 *
 * @throws {TypeError} for a name that is not one or two plain SQL identifiers.
 */
export function tableNames(name: unknown): TableNames {
  const parts = typeof name === "string" ? name.split(".") : [];
  if (parts.length < 1 || parts.length > 2 || !parts.every((p) => NAME.test(p))) {
    throw new TypeError(
      `postgresStore: table must be a name like "tidemark_events" or "schema.table", got ${JSON.stringify(name)}`,
    );
  }
  const last = parts[parts.length - 1];
  if (last === SETTINGS || last === REGISTRIES) {
    throw new TypeError(`postgresStore: the table name "${last}" is taken by tidemark`);
  }
  const plain = `tidemark_${parts.join("_")}`;
  return {
    table: parts.map(quote).join("."),
    settings: [...parts.slice(0, -1), SETTINGS].map(quote).join("."),
    registries: [...parts.slice(0, -1), REGISTRIES].map(quote).join("."),
    key: parts[parts.length - 1] as string,
    channel: plain.length <= 63 ? plain : `tidemark_${checksum(name as string)}`,
  };
}

/** The events table, created if missing (run under the table's advisory lock). */
export function createTableSql(table: string): string {
  return `CREATE TABLE IF NOT EXISTS ${table} (
    version bigint PRIMARY KEY CHECK (version > 0),
    id text NOT NULL UNIQUE,
    content text NOT NULL,
    checksum text NOT NULL
  )`;
}
