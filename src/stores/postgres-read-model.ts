/**
 * Read models in a PostgreSQL store (see docs/read-models.md): tables beside the events table
 * (`<table>_rm_rows`, ...), and the common SQL of sql-read-model.ts, awaited (the writer's
 * upkeep inside the append transaction, under the table's lock).
 */
import type { StoredEventReader } from "../core/upcast.js";
import { acquire } from "./postgres/pool.js";
import type { PgClient, PgPool, PgResult } from "./postgres.js";
import type { SliceModel } from "./read-model.js";
import type { ReadModelSource } from "./reader-source.js";
import {
  clearReadModels,
  keepReadModels,
  type Query,
  type ReadModelTables,
  runAsync,
  SqlReadModelSource,
} from "./sql-read-model.js";

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** The read model tables of the events table `table` (`name` or `schema.name`, unquoted). */
export function postgresReadModelTables(table: string): ReadModelTables {
  const parts = table.split(".");
  const schema = parts.slice(0, -1);
  const named = (suffix: string) =>
    [...schema, `${parts[parts.length - 1]}_${suffix}`].map(quote).join(".");
  return {
    slices: named("rm_slices"),
    events: named("rm_events"),
    sources: named("rm_sources"),
    retractions: named("rm_retractions"),
    keys: named("rm_keys"),
    members: named("rm_members"),
    rows: named("rm_rows"),
    log: parts.map(quote).join("."),
  };
}

/** Index names live in the schema beside the tables: each named for its table. */
function indexName(table: string, suffix: string): string {
  const last = table.split(".").pop() as string;
  return quote(`${last.slice(1, -1)}_${suffix}`);
}

function schema(t: ReadModelTables): string {
  return `
    CREATE TABLE IF NOT EXISTS ${t.slices} (slice text PRIMARY KEY, tag text NOT NULL, upto integer NOT NULL);
    CREATE TABLE IF NOT EXISTS ${t.events} (pos integer PRIMARY KEY, at double precision NOT NULL,
      recorded_at double precision NOT NULL, type text NOT NULL);
    CREATE INDEX IF NOT EXISTS ${indexName(t.events, "at")} ON ${t.events} (at, pos);
    CREATE TABLE IF NOT EXISTS ${t.sources} (name text NOT NULL, pos integer NOT NULL, PRIMARY KEY (name, pos));
    CREATE INDEX IF NOT EXISTS ${indexName(t.sources, "pos")} ON ${t.sources} (pos);
    CREATE TABLE IF NOT EXISTS ${t.retractions} (target integer NOT NULL, pos integer NOT NULL,
      recorded_at double precision NOT NULL, PRIMARY KEY (target, pos));
    CREATE TABLE IF NOT EXISTS ${t.keys} (slice text NOT NULL, source text NOT NULL, key text NOT NULL,
      PRIMARY KEY (slice, source, key));
    CREATE TABLE IF NOT EXISTS ${t.members} (slice text NOT NULL, source text NOT NULL, key text NOT NULL,
      at double precision NOT NULL, pos integer NOT NULL, sub integer NOT NULL,
      PRIMARY KEY (slice, source, key, at, pos));
    CREATE INDEX IF NOT EXISTS ${indexName(t.members, "pos")} ON ${t.members} (pos, slice);
    CREATE TABLE IF NOT EXISTS ${t.rows} (id bigserial PRIMARY KEY, slice text NOT NULL,
      source text NOT NULL, key text NOT NULL, at double precision NOT NULL, pos integer NOT NULL,
      sub integer NOT NULL, precision text NOT NULL, kfrom double precision NOT NULL,
      kto double precision, vfrom integer NOT NULL, vto integer, value text);
    CREATE INDEX IF NOT EXISTS ${indexName(t.rows, "key")} ON ${t.rows} (slice, source, key, at, pos);
  `;
}

/** `?` placeholders as PostgreSQL's `$1, $2, ...`. */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

function rowsOf(result: PgResult | PgResult[]): Record<string, unknown>[] {
  const last = Array.isArray(result) ? (result[result.length - 1] as PgResult) : result;
  return last.rows as Record<string, unknown>[];
}

/** A value written into SQL text: a finite number, a string, or NULL. */
function literal(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value === "string") return `'${value.replaceAll("'", "''")}'`;
  throw new TypeError(`tidemark/postgres: cannot write ${String(value)} into a read model`);
}

/** Writes per round trip at most. */
const WRITES = 500;

/**
 * Runs a plan's queries on `client`, sending its writes (which return nothing) together, as
 * one round trip of statements, before the next read: a round trip per write made an append
 * of a few events cost hundreds of them.
 */
function runner(client: PgClient): {
  run: (query: Query) => Promise<Record<string, unknown>[]>;
  flush: () => Promise<void>;
} {
  let writes: string[] = [];
  const flush = async () => {
    if (writes.length === 0) return;
    // Quotes doubled are the whole escaping only with standard strings: make sure of them.
    const text = ["SET LOCAL standard_conforming_strings = on", ...writes].join(";\n");
    writes = [];
    await client.query(text);
  };
  const run = async ({ sql, params }: Query) => {
    if (/^\s*(?:INSERT|UPDATE|DELETE)\b/i.test(sql)) {
      let n = 0;
      writes.push(sql.replace(/\?/g, () => literal(params[n++])));
      if (writes.length >= WRITES) await flush();
      return [];
    }
    await flush();
    return rowsOf(await client.query(numbered(sql), [...params]));
  };
  return { run, flush };
}

/**
 * Keeps a store's read models: called inside the append transaction (which holds the events
 * table's lock, so writers take turns) with the records it inserted.
 */
export class PostgresReadModelWriter {
  private schemaMade = false;

  constructor(
    private readonly tables: ReadModelTables,
    private readonly models: readonly SliceModel[],
    /** Reads a stored event, upcast to its definition's current version. */
    private readonly read: StoredEventReader,
  ) {}

  /** Takes in the events at versions `previous + 1 .. head` (see `keepReadModels`). */
  async apply(
    client: PgClient,
    records: readonly { readonly version: number; readonly content: string }[],
    previous: number,
    head: number,
  ): Promise<void> {
    if (!this.schemaMade) {
      await client.query(schema(this.tables));
      this.schemaMade = true;
    }
    const { run, flush } = runner(client);
    await runAsync(
      keepReadModels(this.tables, this.models, records, previous, head, this.read),
      run,
    );
    await flush();
  }

  /** Empties the read models (inside the rebuild's transaction). */
  async clear(client: PgClient): Promise<void> {
    await client.query(schema(this.tables));
    this.schemaMade = true;
    const { run, flush } = runner(client);
    await runAsync(clearReadModels(this.tables), run);
    await flush();
  }
}

/** A reader's reads, each on a connection of `pool`. */
export function postgresReadModelSource(pool: PgPool, tables: ReadModelTables): ReadModelSource {
  const query = async (sql: string, params: readonly unknown[]) => {
    // `acquire`: a connection that dies while checked out (a restart) must not crash the
    // process; it is dropped, not returned to the pool.
    const client = await acquire(pool);
    let broken: unknown;
    try {
      return rowsOf(await client.query(numbered(sql), [...params]));
    } catch (error) {
      broken = error;
      throw error;
    } finally {
      client.release(broken !== undefined);
    }
  };
  return new SqlReadModelSource(tables, query, {
    head: async () =>
      Number(
        (await query(`SELECT coalesce(max(version), 0)::text AS head FROM ${tables.log}`, []))[0]
          ?.head,
      ),
    hasReadModels: async () =>
      (await query("SELECT to_regclass(?) IS NOT NULL AS found", [tables.slices]))[0]?.found ===
      true,
  });
}
