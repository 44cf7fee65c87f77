/**
 * Reading a SQLite store's events back: in chunks, from one consistent head, with damage
 * reported at the first version that cannot be read.
 */
import type BetterSqlite3 from "better-sqlite3";
import { StoreCorruptionError, type StoredRecord } from "../store.js";

type Database = BetterSqlite3.Database;

/** Rows per chunk of `load`. */
const CHUNK = 10_000;

/** The statements `load` reads with. */
export interface LoadStatements {
  readonly page: BetterSqlite3.Statement;
  readonly state: BetterSqlite3.Statement;
}

export function loadStatements(db: Database): LoadStatements {
  return {
    page: db.prepare(
      "SELECT version, id, content, checksum FROM tidemark_events WHERE version > ? ORDER BY version LIMIT ?",
    ),
    state: db.prepare(
      "SELECT (SELECT value FROM tidemark_meta WHERE key = 'head') AS head, (SELECT coalesce(max(version), 0) FROM tidemark_events) AS max",
    ),
  };
}

/** Runs a database call, reporting damage at the version `where` names. */
export type Guard = <T>(run: () => T, where: number | (() => number) | undefined) => T;

/** The records after `fromVersion`, in chunks (see {@link EventStore.load}). */
export async function* loadRecords(
  s: LoadStatements,
  path: string,
  guard: Guard,
  fromVersion: number,
): AsyncGenerator<readonly StoredRecord[]> {
  // One statement, one snapshot: a commit by another process cannot fall between the two.
  const { head, max } = guard(
    () => s.state.get() as { head: number; max: number },
    fromVersion + 1,
  );
  if (max !== head) {
    throw new StoreCorruptionError(
      `${path} records ${head} events but its last version is ${max}: version ${Math.min(head, max) + 1} is damaged or missing`,
      Math.min(head, max) + 1,
    );
  }
  if (head < fromVersion) {
    throw new StoreCorruptionError(
      `${path} holds ${head} events, fewer than the ${fromVersion} already read from it`,
      head + 1,
    );
  }
  let last = fromVersion;
  for (;;) {
    const after = last;
    const chunk = guard(
      () => s.page.all(after, CHUNK) as StoredRecord[],
      () => locate(s, after),
    );
    if (chunk.length === 0) break;
    last = (chunk[chunk.length - 1] as StoredRecord).version;
    yield chunk;
  }
  if (last < head) {
    throw new StoreCorruptionError(
      `${path} records ${head} events but only ${last} could be read: version ${last + 1} and later are missing`,
      last + 1,
    );
  }
}

/** The first version after `after` that cannot be read, found row by row. */
function locate(s: LoadStatements, after: number): number {
  let good = after;
  try {
    for (const row of s.page.iterate(after, CHUNK) as Iterable<StoredRecord>) {
      good = row.version;
    }
  } catch {
    // Here is the damage.
  }
  return good + 1;
}
