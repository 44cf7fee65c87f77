/**
 * Read models in a PostgreSQL store (see docs/read-models.md): tables beside the events table
 * (`<table>_rm_rows`, ...), and the common SQL of sql-*.ts, awaited (the writer's
 * upkeep inside the append transaction, under the table's lock).
 */
import type { StoredEventReader } from "../core/upcast.js";
import { arrayParam } from "./postgres/arrays.js";
import { acquire } from "./postgres/pool.js";
import type { PgClient, PgPool, PgResult } from "./postgres.js";
import type { SliceModel } from "./read-model.js";
import type { ReadModelSource } from "./reader-source.js";
import { type Query, type ReadModelTables, runAsync } from "./sql-read-model.js";
import { SqlReadModelSource } from "./sql-read-source.js";
import { clearReadModels, keepReadModels } from "./sql-upkeep.js";

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

/** Writes kept before they are sent, at most (a bulk import's plan yields millions). */
const WRITES = 20_000;

/** Fewer rows than this of one INSERT are sent as statements; more, as one `unnest`. */
const BULK = 16;

/** `INSERT INTO t (columns) VALUES (tuple) rest`, the shape of every INSERT of a plan. */
const INSERT = /^\s*INSERT INTO (\S+) \(([^)]*)\)\s*VALUES \(([^)]*)\)([\s\S]*)$/;

/** Sends queries as text (one round trip for many): their params written as literals. */
const inline = ({ sql, params }: Query) => {
  let n = 0;
  return sql.replace(/\?/g, () => literal(params[n++]));
};

/**
 * One INSERT for many rows of the same INSERT (COPY's equivalent inside a statement, which
 * keeps its `ON CONFLICT`): each column one array parameter, `unnest` making rows of them.
 * COPY (pg-copy-streams, a new dependency) would need a staging table for the `ON CONFLICT`;
 * the figures against per-row statements are in docs/benchmarks.md. `columns`: the values of
 * each `?` of the statement, row by row.
 */
function bulkInsert(sql: string, columns: readonly (readonly unknown[])[]): Query {
  const match = INSERT.exec(sql);
  if (match === null) throw new TypeError(`tidemark/postgres: not a plain INSERT: ${sql}`);
  const [, table, names, tuple, rest] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
  ];
  const params: string[] = [];
  const arrays: string[] = [];
  const values = tuple.split(",").map((value) => {
    if (value.trim() !== "?") return value.trim();
    const column = params.length;
    const array = arrayParam(columns[column] as readonly unknown[], column + 1, table);
    params.push(array.value);
    arrays.push(array.sql);
    return `u.c${column}`;
  });
  const aliases = params.map((_, i) => `c${i}`).join(", ");
  return {
    sql: `INSERT INTO ${table} (${names}) SELECT ${values.join(", ")} FROM unnest(${arrays.join(", ")}) AS u(${aliases})${rest}`,
    params,
  };
}

/**
 * Many runs of one SELECT as one statement: its params as rows of `unnest`, the SELECT
 * run for each (`LATERAL`), its rows numbered in its own order; `__n` says which run.
 */
function bulkSelect(sql: string, runs: readonly (readonly unknown[])[]): Query {
  const width = runs[0]?.length ?? 0;
  const arrays = Array.from({ length: width }, (_, i) =>
    arrayParam(
      runs.map((run) => run[i] ?? null),
      i + 1,
      "a read",
    ),
  );
  let n = 0;
  const inner = sql.replace(/\?/g, () => `p.c${n++}`);
  const names = [...arrays.map((_, i) => `c${i}`), "__n"].join(", ");
  return {
    sql: `SELECT p.__n AS __n, x.* FROM unnest(${arrays.map((a) => a.sql).join(", ")}) WITH ORDINALITY AS p(${names})
      CROSS JOIN LATERAL (SELECT row_number() OVER () AS __i, y.* FROM (${inner}) y) x
      ORDER BY p.__n, x.__i`,
    params: arrays.map((a) => a.value),
  };
}

/**
 * Runs a plan's queries on `client`. Writes (which return nothing) are kept until the next
 * read: then the rows of each INSERT go as one `unnest` statement, and the other writes as
 * one round trip of statements. Queries of plans run together go as one round trip. A
 * round trip per write, then per key, made an import of 10^5 events take minutes.
 */
function runner(client: PgClient): {
  run: (query: Query) => Record<string, unknown>[] | Promise<Record<string, unknown>[]>;
  runMany: (queries: readonly Query[]) => Promise<Record<string, unknown>[][]>;
  flush: () => Promise<void>;
} {
  /** INSERTs by their SQL (the values of each `?`, rows in order); other writes, in order. */
  let inserts = new Map<string, { rows: number; columns: unknown[][] }>();
  let others: Query[] = [];
  let kept = 0;
  // Quotes doubled are the whole escaping only with standard strings: make sure of them.
  const text = (queries: readonly Query[]) =>
    ["SET LOCAL standard_conforming_strings = on", ...queries.map(inline)].join(";\n");
  /** Sends what is kept; statements of `reads` after them (returns their results). */
  const send = async (reads: readonly Query[]): Promise<PgResult[]> => {
    const statements: Query[] = [];
    // Writes of different tables (or different keys) commute: each INSERT's rows go together.
    for (const [sql, { rows, columns }] of inserts) {
      if (rows >= BULK && columns.length > 0) {
        await client.query(...query(bulkInsert(sql, columns)));
      } else {
        for (let r = 0; r < rows; r++) {
          statements.push({ sql, params: columns.map((column) => column[r]) });
        }
      }
    }
    statements.push(...others);
    inserts = new Map();
    others = [];
    kept = 0;
    if (statements.length === 0 && reads.length === 0) return [];
    const results = await client.query(text([...statements, ...reads]));
    const all = Array.isArray(results) ? results : [results];
    return all.slice(all.length - reads.length);
  };
  /** Keeps a write; a promise only when the writes kept are due to be sent. */
  const keep = ({ sql, params, rows }: Query): Promise<void> | undefined => {
    if (/^\s*INSERT\b/i.test(sql)) {
      const many = rows ?? [params];
      if (many.length === 0) return undefined;
      let entry = inserts.get(sql);
      if (entry === undefined) {
        entry = { rows: 0, columns: (many[0] as readonly unknown[]).map(() => []) };
        inserts.set(sql, entry);
      }
      for (const row of many) {
        for (let i = 0; i < row.length; i++) (entry.columns[i] as unknown[]).push(row[i]);
      }
      entry.rows += many.length;
      kept += many.length;
    } else {
      others.push({ sql, params });
      kept++;
    }
    return kept >= WRITES ? send([]).then(() => undefined) : undefined;
  };
  const isWrite = (sql: string) => /^\s*(?:INSERT|UPDATE|DELETE)\b/i.test(sql);
  const none: Record<string, unknown>[] = [];
  const read = async (q: Query) => {
    await send([]);
    return rowsOf(await client.query(numbered(q.sql), [...q.params]));
  };
  const run = (q: Query): Record<string, unknown>[] | Promise<Record<string, unknown>[]> => {
    if (!isWrite(q.sql)) return read(q);
    const sent = keep(q);
    return sent === undefined ? none : sent.then(() => none);
  };
  const runMany = async (queries: readonly Query[]) => {
    const results: Record<string, unknown>[][] = queries.map(() => []);
    /** Reads by their SQL: the index of each run. */
    const reads = new Map<string, number[]>();
    queries.forEach((q, i) => {
      if (isWrite(q.sql) || q.params.length === 0) return;
      const same = reads.get(q.sql);
      if (same === undefined) reads.set(q.sql, [i]);
      else same.push(i);
    });
    for (const q of queries) {
      const sent = isWrite(q.sql) ? keep(q) : undefined;
      if (sent !== undefined) await sent;
    }
    for (const [i, q] of queries.entries()) {
      if (!isWrite(q.sql) && q.params.length === 0) results[i] = await run(q);
    }
    if (reads.size === 0) return results;
    await send([]);
    for (const [sql, runs] of reads) {
      const rows = rowsOf(
        await client.query(
          ...query(
            bulkSelect(
              sql,
              runs.map((i) => (queries[i] as Query).params),
            ),
          ),
        ),
      );
      for (const { __n, __i, ...row } of rows) {
        (results[runs[Number(__n) - 1] as number] as Record<string, unknown>[]).push(row);
      }
    }
    return results;
  };
  return { run, runMany, flush: () => send([]).then(() => undefined) };
}

const query = ({ sql, params }: Query): [string, unknown[]] => [sql, [...params]];

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
    const { run, runMany, flush } = runner(client);
    await runAsync(
      keepReadModels(this.tables, this.models, records, previous, head, this.read),
      run,
      runMany,
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
    json: (column, path) => `(${column}::jsonb #>> '{${path.join(",")}}')`,
  });
}
