/** Reading a PostgreSQL store's events back, in chunks, the next read while one is folded. */
import { StoreCorruptionError, type StoredRecord } from "../store.js";
import type { PgResult } from "./pool.js";

/** Rows per chunk of `load`. */
const CHUNK = 10_000;

/** Runs one query on a pooled client (`version`: the first version it reads, for damage). */
export type Run = (
  text: string,
  values: unknown[],
  version: number | undefined,
) => Promise<PgResult>;

/** The records of `table` after `fromVersion`, in chunks (see {@link EventStore.load}). */
export async function* loadRecords(
  run: Run,
  table: string,
  fromVersion: number,
): AsyncGenerator<readonly StoredRecord[]> {
  const page = (after: number) =>
    run(
      `SELECT version, id, content, checksum FROM ${table} WHERE version > $1 ORDER BY version LIMIT ${CHUNK}`,
      [after],
      after + 1,
    );
  let last = fromVersion;
  let next = page(last);
  try {
    for (;;) {
      const { rows } = await next;
      if (rows.length === 0) break;
      // bigint arrives as a string.
      const chunk = (
        rows as { version: string; id: string; content: string; checksum: string }[]
      ).map((row) => ({
        version: Number(row.version),
        id: row.id,
        content: row.content,
        checksum: row.checksum,
      }));
      last = (chunk[chunk.length - 1] as StoredRecord).version;
      // The server reads the next page while this one is verified and folded.
      next = page(last);
      yield chunk;
    }
  } finally {
    // A reader that stops early leaves a page in flight: let it settle quietly.
    next.catch(() => undefined);
  }
  if (last === fromVersion && fromVersion > 0) {
    // Nothing new: make sure the store still has what was read from it.
    const { rows } = await run(
      `SELECT coalesce(max(version), 0)::text AS head FROM ${table}`,
      [],
      undefined,
    );
    const head = Number((rows[0] as { head: string }).head);
    if (head < fromVersion) {
      throw new StoreCorruptionError(
        `Table ${table} holds ${head} events, fewer than the ${fromVersion} already read from it`,
        head + 1,
      );
    }
  }
}
