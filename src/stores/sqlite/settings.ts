/**
 * The timeline's time zone, kept in a `tidemark_settings` table made by the first writer that
 * records one (stores of older versions have none and keep working).
 */
import type BetterSqlite3 from "better-sqlite3";

type Database = BetterSqlite3.Database;

/** A value of `tidemark_settings`, `undefined` when it (or the table) is missing. */
export function readSetting(db: Database, key: string): string | undefined {
  const table = db
    .prepare(
      "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'tidemark_settings'",
    )
    .pluck()
    .get();
  if (table === 0) return undefined;
  const value = db.prepare("SELECT value FROM tidemark_settings WHERE key = ?").pluck().get(key);
  return typeof value === "string" ? value : undefined;
}

/**
 * The transaction that records `zone` unless the store holds events (`events()` > 0) and
 * another zone is recorded; `wrote` says whether it wrote.
 */
export function zoneTransaction(
  db: Database,
  events: () => number,
): BetterSqlite3.Transaction<(zone: string) => { kept: string; wrote: boolean }> {
  return db.transaction((zone: string) => {
    // Made on first use: a store of an older tidemark has no such table.
    db.exec(
      "CREATE TABLE IF NOT EXISTS tidemark_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT",
    );
    const kept = readSetting(db, "timeZone");
    if (kept === zone || (kept !== undefined && events() > 0)) {
      return { kept, wrote: false };
    }
    db.prepare(
      "INSERT INTO tidemark_settings (key, value) VALUES ('timeZone', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    ).run(zone);
    return { kept: zone, wrote: true };
  });
}
