/**
 * What makes a SQLite file a tidemark store: its header (application id), its pragmas (WAL,
 * `synchronous=FULL`) and its tables, and the one transaction that creates them.
 */
import { closeSync, openSync, readSync } from "node:fs";
import type BetterSqlite3 from "better-sqlite3";
import { createReadModelSchema } from "../sqlite-read-model.js";
import { notAStore } from "./errors.js";
import { createRegistriesSql } from "./registries.js";

type Database = BetterSqlite3.Database;

/** `application_id` of tidemark files ("tdmk"), so that another program's file is refused. */
export const APPLICATION_ID = 0x74646d6b;
/** The layout of the tables, in `tidemark_meta`'s `format` row. */
export const FORMAT = 1;

/** What the first bytes of a file say it is. */
export type Kind = "new" | "empty" | "store" | "foreign" | "not-sqlite" | "damaged";

const SQLITE_MAGIC = "SQLite format 3\0";

/**
 * Reads the file's header without SQLite (which could change the file): a missing or
 * zero-length file is new, a SQLite header with tidemark's application id is a store, one with
 * no application id and no schema (schema cookie 0) is an empty database, anything else is not
 * ours. The header of a WAL database can be older than its log: the schema is checked again
 * inside the creating transaction.
 */
export function inspect(path: string): Kind {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "new";
    throw error;
  }
  try {
    const header = Buffer.alloc(65_536);
    const read = readSync(fd, header, 0, header.length, 0);
    if (read === 0) return "new";
    if (read < 100 || header.toString("latin1", 0, 16) !== SQLITE_MAGIC) {
      // A store whose header was damaged still has tidemark's schema on its first page.
      return header.subarray(0, read).includes("CREATE TABLE tidemark_events")
        ? "damaged"
        : "not-sqlite";
    }
    const applicationId = header.readUInt32BE(68);
    if (applicationId === APPLICATION_ID) return "store";
    if (applicationId !== 0) return "foreign";
    return header.readUInt32BE(40) === 0 ? "empty" : "foreign";
  } finally {
    closeSync(fd);
  }
}

/** Whether the file holds tidemark's two tables (a store, or one being created). */
export function hasTables(db: Database): boolean {
  const tables = db
    .prepare(
      "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('tidemark_events', 'tidemark_meta')",
    )
    .pluck()
    .get();
  return tables === 2;
}

/** Whether the database holds anything but a tidemark store (tables, or another id). */
export function isForeign(db: Database): boolean {
  const id = db.pragma("application_id", { simple: true }) as number;
  if (id !== 0 && id !== APPLICATION_ID) return true;
  const others = db
    .prepare(
      "SELECT count(*) FROM sqlite_schema WHERE name NOT IN ('tidemark_events', 'tidemark_meta', 'tidemark_settings', 'tidemark_registries') AND name NOT LIKE 'sqlite_autoindex_tidemark_%' AND name NOT LIKE 'tidemark\\_rm\\_%' ESCAPE '\\'",
    )
    .pluck()
    .get() as number;
  return others > 0;
}

/** Puts the file in WAL mode with `synchronous=FULL`, and checks that both took. */
export function configure(db: Database, path: string): void {
  const mode = db.pragma("journal_mode = WAL", { simple: true });
  db.pragma("synchronous = FULL");
  // macOS: make fsync reach the disk, not only the drive's cache. No effect elsewhere.
  db.pragma("fullfsync = ON");
  const synchronous = db.pragma("synchronous", { simple: true });
  if (mode !== "wal" || db.pragma("journal_mode", { simple: true }) !== "wal") {
    throw new Error(
      `tidemark/sqlite: ${path} cannot use write-ahead logging (journal_mode is "${String(mode)}"); a store must be a file on a local disk`,
    );
  }
  if (synchronous !== 2) {
    throw new Error(
      `tidemark/sqlite: ${path} did not accept synchronous=FULL (it reads ${String(synchronous)})`,
    );
  }
}

/** Creates the store's tables in a new or empty file, in one write transaction. */
export function createSchema(db: Database, path: string): void {
  db.transaction(() => {
    // Another process may have made the empty file something else since it was inspected.
    if (isForeign(db)) throw notAStore(path, "foreign");
    if ((db.pragma("application_id", { simple: true }) as number) === 0) {
      db.pragma(`application_id = ${APPLICATION_ID}`);
    }
    db.exec(`
      CREATE TABLE IF NOT EXISTS tidemark_events (
        version INTEGER PRIMARY KEY CHECK (version > 0),
        id TEXT NOT NULL UNIQUE,
        content TEXT NOT NULL,
        checksum TEXT NOT NULL
      ) STRICT;
      CREATE TABLE IF NOT EXISTS tidemark_meta (
        key TEXT PRIMARY KEY,
        value INTEGER NOT NULL
      ) STRICT;
      INSERT OR IGNORE INTO tidemark_meta (key, value) VALUES ('format', ${FORMAT}), ('head', 0);
      ${createRegistriesSql()};
    `);
    createReadModelSchema(db);
  }).immediate();
}

/** @throws {Error} unless the store's tables are of the format this version reads. */
export function checkFormat(db: Database, path: string): void {
  const format = db.prepare("SELECT value FROM tidemark_meta WHERE key = 'format'").pluck().get();
  if (format !== FORMAT) {
    throw new Error(`${path} is a tidemark store of format ${String(format)}, not ${FORMAT}`);
  }
}
