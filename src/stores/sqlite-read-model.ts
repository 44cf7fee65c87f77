/**
 * Read models in a SQLite store (see docs/read-models.md): the tables, and the common SQL of
 * sql-*.ts run synchronously (the writer's upkeep inside the append transaction).
 */

import type BetterSqlite3 from "better-sqlite3";
import type { StoredEventReader } from "../core/upcast.js";
import type { SliceModel } from "./read-model.js";
import type { ReadModelSource } from "./reader-source.js";
import { type Plan, type Query, type ReadModelTables, runSync } from "./sql-read-model.js";
import { SqlReadModelSource } from "./sql-read-source.js";
import { clearReadModels, keepReadModels } from "./sql-upkeep.js";

type Database = BetterSqlite3.Database;
type Statement = BetterSqlite3.Statement;

const TABLES: ReadModelTables = {
  slices: "tidemark_rm_slices",
  events: "tidemark_rm_events",
  sources: "tidemark_rm_sources",
  retractions: "tidemark_rm_retractions",
  keys: "tidemark_rm_keys",
  members: "tidemark_rm_members",
  rows: "tidemark_rm_rows",
  log: "tidemark_events",
};

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS tidemark_rm_slices (
    slice TEXT PRIMARY KEY, tag TEXT NOT NULL, upto INTEGER NOT NULL) STRICT;
  CREATE TABLE IF NOT EXISTS tidemark_rm_events (
    pos INTEGER PRIMARY KEY, at REAL NOT NULL, recorded_at REAL NOT NULL, type TEXT NOT NULL) STRICT;
  CREATE INDEX IF NOT EXISTS tidemark_rm_events_at ON tidemark_rm_events (at, pos);
  CREATE TABLE IF NOT EXISTS tidemark_rm_sources (
    name TEXT NOT NULL, pos INTEGER NOT NULL, PRIMARY KEY (name, pos)) STRICT, WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS tidemark_rm_sources_pos ON tidemark_rm_sources (pos);
  CREATE TABLE IF NOT EXISTS tidemark_rm_retractions (
    target INTEGER NOT NULL, pos INTEGER NOT NULL, recorded_at REAL NOT NULL,
    PRIMARY KEY (target, pos)) STRICT, WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS tidemark_rm_keys (
    slice TEXT NOT NULL, source TEXT NOT NULL, key TEXT NOT NULL,
    PRIMARY KEY (slice, source, key)) STRICT, WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS tidemark_rm_members (
    slice TEXT NOT NULL, source TEXT NOT NULL, key TEXT NOT NULL, at REAL NOT NULL,
    pos INTEGER NOT NULL, sub INTEGER NOT NULL,
    PRIMARY KEY (slice, source, key, at, pos)) STRICT, WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS tidemark_rm_members_pos ON tidemark_rm_members (pos, slice);
  CREATE TABLE IF NOT EXISTS tidemark_rm_rows (
    id INTEGER PRIMARY KEY, slice TEXT NOT NULL, source TEXT NOT NULL, key TEXT NOT NULL,
    at REAL NOT NULL, pos INTEGER NOT NULL, sub INTEGER NOT NULL, precision TEXT NOT NULL,
    kfrom REAL NOT NULL, kto REAL, vfrom INTEGER NOT NULL, vto INTEGER, value TEXT) STRICT;
  CREATE INDEX IF NOT EXISTS tidemark_rm_rows_key ON tidemark_rm_rows (slice, source, key, at, pos);
`;

/** Makes the read model's tables (in the transaction that creates a store, or later). */
export function createReadModelSchema(db: Database): void {
  db.exec(SCHEMA);
}

const statements = new WeakMap<Database, Map<string, Statement>>();

/** Runs one query of a plan on `db`, its statement prepared once per connection. */
function runner(db: Database): (query: Query) => Record<string, unknown>[] {
  let cache = statements.get(db);
  if (cache === undefined) {
    cache = new Map();
    statements.set(db, cache);
  }
  const prepared = cache;
  return ({ sql, params, rows }) => {
    let statement = prepared.get(sql);
    if (statement === undefined) {
      statement = db.prepare(sql);
      prepared.set(sql, statement);
    }
    if (statement.reader) return statement.all(...params) as Record<string, unknown>[];
    if (rows === undefined) statement.run(...params);
    else for (const row of rows) statement.run(...row);
    return [];
  };
}

const schemaMade = new WeakSet<Database>();

/**
 * Keeps a store's read models: called inside the append transaction with the records it
 * inserted, so that a failed append leaves no trace here either.
 */
export class SqliteReadModelWriter {
  constructor(
    private readonly models: readonly SliceModel[],
    /** Reads a stored event, upcast to its definition's current version. */
    private readonly read: StoredEventReader,
  ) {}

  /** Takes in the events at versions `previous + 1 .. head` (see `keepReadModels`). */
  apply(
    db: Database,
    records: readonly { readonly version: number; readonly content: string }[],
    previous: number,
    head: number,
  ): void {
    // A store made before read models gets their tables with its next append.
    if (!schemaMade.has(db)) {
      createReadModelSchema(db);
      schemaMade.add(db);
    }
    runSync(keepReadModels(TABLES, this.models, records, previous, head, this.read), runner(db));
  }
}

/** Empties every read model table (before a rebuild). */
export function clearReadModel(db: Database): void {
  createReadModelSchema(db);
  runSync(clearReadModels(TABLES) as Plan<void>, runner(db));
}

/** A reader's reads on a read-only connection. */
export function sqliteReadModelSource(db: Database): ReadModelSource {
  // A reader's queries seek thousands of rows at a time (a slice at an instant): read through
  // a memory map, the pages in the system's cache cost no system call each (about 3x faster
  // on a store of 10^6 events than SQLite's default 2 MB page cache). A read-only connection
  // writes nothing through it; SQLite caps the size at what it was built to allow.
  db.pragma(`mmap_size = ${2 ** 31}`);
  const run = runner(db);
  return new SqlReadModelSource(TABLES, async (sql, params) => run({ sql, params }), {
    head: async () =>
      db.prepare("SELECT value FROM tidemark_meta WHERE key = 'head'").pluck().get() as number,
    hasReadModels: async () =>
      db
        .prepare(
          "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'tidemark_rm_slices'",
        )
        .pluck()
        .get() !== 0,
    json: (column, path) => `json_extract(${column}, '$.${path.join(".")}')`,
  });
}
