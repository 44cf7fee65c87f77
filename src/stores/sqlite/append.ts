/**
 * The append transaction of a SQLite store: versions assigned after the stored head, ids
 * checked against the store by the one duplicate-id rule, all in one `BEGIN IMMEDIATE`
 * transaction (the caller runs it with `.immediate()`).
 */
import type BetterSqlite3 from "better-sqlite3";
import { newRecords } from "../records.js";
import type { SqliteReadModelWriter } from "../sqlite-read-model.js";
import {
  type AppendResult,
  beforeCommit,
  ConcurrencyError,
  type EventRecord,
  type RegistryRecord,
  StoreCorruptionError,
} from "../store.js";
import { storeRegistryEntries } from "./registries.js";

type Database = BetterSqlite3.Database;

/** The append transaction: `(records, expectedVersion) => AppendResult`. */
export type AppendTransaction = BetterSqlite3.Transaction<
  (
    records: readonly EventRecord[],
    expected: number | undefined,
    registries: readonly RegistryRecord[],
  ) => AppendResult
>;

/**
 * Prepares the append transaction of the store at `path`; `store` is the object a test's
 * fault hook is set on; `readModels` gives the read models its writer keeps, updated in the
 * same transaction (so a failed append leaves no trace in them either).
 */
export function appendTransaction(
  db: Database,
  path: string,
  store: object,
  readModels: () => SqliteReadModelWriter | undefined,
): AppendTransaction {
  const head = db.prepare("SELECT value FROM tidemark_meta WHERE key = 'head'").pluck();
  const max = db.prepare("SELECT coalesce(max(version), 0) FROM tidemark_events").pluck();
  const find = db.prepare("SELECT content FROM tidemark_events WHERE id = ?").pluck();
  const insert = db.prepare(
    "INSERT INTO tidemark_events (version, id, content, checksum) VALUES (?, ?, ?, ?)",
  );
  const setHead = db.prepare("UPDATE tidemark_meta SET value = ? WHERE key = 'head'");
  return db.transaction(
    (
      records: readonly EventRecord[],
      expected: number | undefined,
      registries: readonly RegistryRecord[],
    ) => {
      const current = head.get() as number;
      if (max.get() !== current) {
        throw new StoreCorruptionError(
          `${path} is inconsistent: it records ${current} events but its last version is ${String(max.get())}`,
          current + 1,
        );
      }
      if (expected !== undefined && expected !== current) {
        throw new ConcurrencyError(expected, current);
      }
      let version = current;
      const fresh = newRecords(records, (id) => find.get(id) as string | undefined);
      const inserted: { version: number; content: string }[] = [];
      for (const record of fresh) {
        insert.run(++version, record.id, record.content, record.checksum);
        inserted.push({ version, content: record.content });
      }
      if (version !== current) {
        setHead.run(version);
        readModels()?.apply(db, inserted, current, version);
      }
      storeRegistryEntries(db, registries);
      beforeCommit(store);
      return { version, appended: version - current };
    },
  );
}

/** How many events the store records (its head). */
export function countEvents(db: Database): () => number {
  const head = db.prepare("SELECT value FROM tidemark_meta WHERE key = 'head'").pluck();
  return () => head.get() as number;
}
