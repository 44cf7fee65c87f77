/**
 * Each timeline's time zone, in a `tidemark_timelines` table in the events table's schema (one
 * row per events table), made by the first writer that records one.
 */
import { lastResult, type PgClient } from "./pool.js";
import type { TableNames } from "./schema.js";

/**
 * Records `zone` unless the table holds events and another zone is recorded, inside a
 * transaction the caller began; resolves to the zone recorded afterwards.
 */
export async function recordZone(
  client: PgClient,
  names: TableNames,
  zone: string,
): Promise<string> {
  // Made on first use, under a lock: concurrent CREATE TABLE IF NOT EXISTS can collide.
  await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`tidemark:${names.settings}`]);
  await client.query(
    `CREATE TABLE IF NOT EXISTS ${names.settings} (name text PRIMARY KEY, time_zone text NOT NULL)`,
  );
  // Appends wait meanwhile, so "the store holds events" cannot change under the check.
  await client.query(`LOCK TABLE ${names.table} IN EXCLUSIVE MODE`);
  const kept = (
    lastResult(
      await client.query(`SELECT time_zone FROM ${names.settings} WHERE name = $1`, [names.key]),
    ).rows[0] as { time_zone: string } | undefined
  )?.time_zone;
  const held = lastResult(
    await client.query(`SELECT EXISTS (SELECT 1 FROM ${names.table}) AS held`),
  ).rows[0] as { held: boolean };
  const result = kept !== undefined && (kept === zone || held.held) ? kept : zone;
  if (result !== kept) {
    await client.query(
      `INSERT INTO ${names.settings} (name, time_zone) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET time_zone = excluded.time_zone`,
      [names.key, zone],
    );
  }
  return result;
}
