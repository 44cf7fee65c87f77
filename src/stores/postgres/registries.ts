/**
 * The registries a PostgreSQL store keeps: one row per entry in a `tidemark_registries` table in
 * the events table's schema, `(timeline, registry, id) -> JSON`, written in the append
 * transaction (made by the first append that stores an entry).
 */
import { checkRegistryRecords, newRegistryEntries } from "../records.js";
import type { RegistryRecord } from "../store.js";
import { lastResult, type PgClient } from "./pool.js";
import type { TableNames } from "./schema.js";

/**
 * Stores `entries` inside the caller's transaction, by the one registry rule
 * (`newRegistryEntries`): a conflicting entry throws, and the caller rolls back.
 */
export async function storeRegistryEntries(
  client: PgClient,
  names: TableNames,
  entries: readonly RegistryRecord[],
): Promise<void> {
  if (entries.length === 0) return;
  // Before any query: PostgreSQL text cannot hold U+0000, which would be an internal error.
  checkRegistryRecords(entries);
  const table = names.registries;
  // Made on first use, under a lock: concurrent CREATE TABLE IF NOT EXISTS can collide.
  await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`tidemark:${table}`]);
  await client.query(
    `CREATE TABLE IF NOT EXISTS ${table} (
       timeline text NOT NULL,
       registry text NOT NULL CHECK (registry IN ('places', 'actors')),
       id text NOT NULL,
       entry text NOT NULL,
       PRIMARY KEY (timeline, registry, id)
     )`,
  );
  const found = lastResult(
    await client.query(
      `SELECT s.registry, s.id, s.entry FROM ${table} s
       JOIN unnest($2::text[], $3::text[]) AS b(registry, id) ON s.registry = b.registry AND s.id = b.id
       WHERE s.timeline = $1`,
      [names.key, entries.map((e) => e.registry), entries.map((e) => e.id)],
    ),
  ).rows as RegistryRecord[];
  const stored = new Map(found.map((row) => [`${row.registry}\u0000${row.id}`, row.entry]));
  const fresh = newRegistryEntries(entries, (registry, id) => stored.get(`${registry}\u0000${id}`));
  if (fresh.length === 0) return;
  await client.query(
    `INSERT INTO ${table} (timeline, registry, id, entry)
     SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[])`,
    [names.key, fresh.map((e) => e.registry), fresh.map((e) => e.id), fresh.map((e) => e.entry)],
  );
}

/** The SQL that reads every entry of the timeline (`$1`: its key), once the table exists. */
export function readRegistriesSql(names: TableNames): string {
  return `SELECT registry, id, entry FROM ${names.registries} WHERE timeline = $1 ORDER BY registry, id`;
}
