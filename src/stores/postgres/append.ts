/**
 * The append transaction of a PostgreSQL store. It first takes the table's EXCLUSIVE lock
 * (readers go on; other writers wait for the commit), then reads the last version and numbers
 * the batch after it, so that a failed batch leaves no gap and writers are serialised by the
 * database. The commit notifies the table's channel.
 */
import type { PostgresReadModelWriter } from "../postgres-read-model.js";
import { newRecords } from "../records.js";
import {
  type AppendResult,
  beforeCommit,
  ConcurrencyError,
  type EventRecord,
  type RegistryRecord,
} from "../store.js";
import { arrayParam } from "./arrays.js";
import { lastResult, type PgClient, type PgResult } from "./pool.js";
import { storeRegistryEntries } from "./registries.js";
import type { TableNames } from "./schema.js";

/**
 * What an append sends with its `BEGIN` (round trip 1): wait for other writers (the lock),
 * then read the last version.
 */
export function lockAndReadHead(names: TableNames): string {
  return `LOCK TABLE ${names.table} IN EXCLUSIVE MODE; SELECT coalesce(max(version), 0)::text AS head FROM ${names.table}`;
}

/**
 * Appends `records` (each id once already: `batch`) inside a transaction the caller began
 * with {@link lockAndReadHead} (`begun`, its result) and will commit or roll back; `store` is
 * the object a test's fault hook is set on; `readModels`, the read models its writer keeps,
 * updated in the same transaction.
 */
export async function appendInTransaction(
  client: PgClient,
  names: TableNames,
  begun: PgResult,
  records: readonly EventRecord[],
  batch: readonly EventRecord[],
  expectedVersion: number | undefined,
  registries: readonly RegistryRecord[],
  store: object,
  readModels: PostgresReadModelWriter | undefined,
): Promise<AppendResult> {
  const current = Number((begun.rows[0] as { head: string }).head);
  if (expectedVersion !== undefined && expectedVersion !== current) {
    throw new ConcurrencyError(expectedVersion, current);
  }
  // Round trip 2: write the batch unless one of its ids is stored, then notify.
  let fresh = batch;
  const found = await insert(client, names, batch, current, true);
  if (found.length > 0) {
    // A retry of stored events (the durable timeline never sends one): skip them.
    const stored = new Map(found);
    fresh = newRecords(records, (id) => stored.get(id));
    await insert(client, names, fresh, current, false);
  }
  await storeRegistryEntries(client, names, registries);
  if (fresh.length > 0 && readModels !== undefined) {
    const inserted = fresh.map((r, i) => ({ version: current + i + 1, content: r.content }));
    await readModels.apply(client, inserted, current, current + fresh.length);
  }
  beforeCommit(store);
  return { version: current + fresh.length, appended: fresh.length };
}

/**
 * Inserts `records` as versions `after + 1, after + 2, ...` and notifies the channel; with
 * `check`, only if none of their ids is stored, returning those that are.
 */
async function insert(
  client: PgClient,
  names: TableNames,
  records: readonly EventRecord[],
  after: number,
  check: boolean,
): Promise<[id: string, content: string][]> {
  if (records.length === 0) return [];
  // The batch's columns as one string each (arrays.ts): the driver's escaping of 10^5 JSON
  // texts made gigabytes of garbage.
  const ids = arrayParam(
    records.map((r) => r.id),
    1,
    names.table,
  );
  const contents = arrayParam(
    records.map((r) => r.content),
    2,
    names.table,
  );
  const checksums = arrayParam(
    records.map((r) => r.checksum),
    3,
    names.table,
  );
  const result = await client.query(
    `WITH batch AS (
       SELECT * FROM unnest(${ids.sql}, ${contents.sql}, ${checksums.sql}) WITH ORDINALITY AS b(id, content, checksum, n)
     ), stored AS (
       SELECT id, content FROM ${names.table} WHERE $6 AND id = ANY(${ids.sql})
     ), written AS (
       INSERT INTO ${names.table} (version, id, content, checksum)
       SELECT $4::bigint + n, id, content, checksum FROM batch
       WHERE NOT EXISTS (SELECT 1 FROM stored)
       RETURNING version
     )
     SELECT (SELECT coalesce(json_agg(json_build_array(id, content)), '[]') FROM stored) AS stored,
            CASE WHEN EXISTS (SELECT 1 FROM written) THEN pg_notify($5, ($4::bigint + $7::bigint)::text) END`,
    [ids.value, contents.value, checksums.value, after, names.channel, check, records.length],
  );
  return (lastResult(result).rows[0] as { stored: [string, string][] }).stored;
}
