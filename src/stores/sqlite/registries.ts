/**
 * The registries a SQLite store keeps: one row per entry, `(registry, id) -> JSON`, in a
 * `tidemark_registries` table written in the append transaction (made by the first append that
 * stores an entry: stores of older versions have none and keep working).
 */
import type BetterSqlite3 from "better-sqlite3";
import { newRegistryEntries } from "../records.js";
import type { RegistryRecord } from "../store.js";

type Database = BetterSqlite3.Database;

/** The table of registry entries. */
export const REGISTRIES = "tidemark_registries";

const CREATE = `CREATE TABLE IF NOT EXISTS ${REGISTRIES} (
  registry TEXT NOT NULL CHECK (registry IN ('places', 'actors')),
  id TEXT NOT NULL,
  entry TEXT NOT NULL,
  PRIMARY KEY (registry, id)
) STRICT`;

/** The registry table's DDL, for a new store's schema. */
export function createRegistriesSql(): string {
  return CREATE;
}

function hasTable(db: Database): boolean {
  return (
    db
      .prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?")
      .pluck()
      .get(REGISTRIES) === 1
  );
}

/**
 * Stores `entries` inside the caller's write transaction, by the one registry rule
 * (`newRegistryEntries`): a conflicting entry throws, and the caller's transaction rolls back.
 */
export function storeRegistryEntries(db: Database, entries: readonly RegistryRecord[]): void {
  if (entries.length === 0) return;
  db.exec(CREATE);
  const find = db.prepare(`SELECT entry FROM ${REGISTRIES} WHERE registry = ? AND id = ?`).pluck();
  const insert = db.prepare(`INSERT INTO ${REGISTRIES} (registry, id, entry) VALUES (?, ?, ?)`);
  const fresh = newRegistryEntries(
    entries,
    (registry, id) => find.get(registry, id) as string | undefined,
  );
  for (const { registry, id, entry } of fresh) insert.run(registry, id, entry);
}

/** Every entry the store keeps, by registry and id. Never writes. */
export function readRegistryEntries(db: Database): RegistryRecord[] {
  if (!hasTable(db)) return [];
  return db
    .prepare(`SELECT registry, id, entry FROM ${REGISTRIES} ORDER BY registry, id`)
    .all() as RegistryRecord[];
}
