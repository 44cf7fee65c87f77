/**
 * `tidemark/sqlite`: an {@link EventStore} in one SQLite file, on better-sqlite3 12 (an
 * optional peer dependency, loaded when the store is first used).
 *
 * The file is in WAL mode with `synchronous=FULL` (both read back and checked on open), so
 * a committed batch survives a crash of the process or of the machine. A batch is one
 * `BEGIN IMMEDIATE` transaction: writers in other processes wait for it (up to
 * `busyTimeout`), versions are assigned inside it, and a failed batch leaves nothing.
 */
import type BetterSqlite3 from "better-sqlite3";
import { TimelineValidationError, type ValidationIssue } from "../core/errors.js";
import {
  type AppendResult,
  beforeCommit,
  ConcurrencyError,
  type EventRecord,
  type EventStore,
  StoreCorruptionError,
  type StoredRecord,
} from "./store.js";

/** Options of {@link sqliteStore}. */
export interface SqliteStoreOptions {
  /** Create the file when it does not exist (default `true`; `false`: opening fails). */
  readonly create?: boolean;
  /** How long a writer waits for another process's transaction, in ms (default 10,000). */
  readonly busyTimeout?: number;
  /** How often `watch` looks for other writers' commits, in ms (default 250). */
  readonly pollInterval?: number;
}

/** `application_id` of tidemark files ("tdmk"), so that another program's file is refused. */
const APPLICATION_ID = 0x74646d6b;
const FORMAT = 1;
/** Rows per chunk of `load`. */
const CHUNK = 10_000;

type Database = BetterSqlite3.Database;
type Statement = BetterSqlite3.Statement;

interface Prepared {
  readonly db: Database;
  readonly head: Statement;
  readonly max: Statement;
  readonly find: Statement;
  readonly insert: Statement;
  readonly setHead: Statement;
  readonly page: Statement;
  readonly state: Statement;
  readonly append: BetterSqlite3.Transaction<
    (records: readonly EventRecord[], expected: number | undefined) => AppendResult
  >;
}

function isCorruption(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    typeof code === "string" &&
    (code.startsWith("SQLITE_CORRUPT") ||
      code === "SQLITE_NOTADB" ||
      code === "SQLITE_IOERR_SHORT_READ")
  );
}

function checkRecords(records: readonly EventRecord[]): void {
  if (!Array.isArray(records)) throw new TypeError("append: expected an array of records");
  for (const r of records) {
    if (
      typeof r?.id !== "string" ||
      typeof r.content !== "string" ||
      typeof r.checksum !== "string"
    ) {
      throw new TypeError("append: each record is { id, content, checksum }, all strings");
    }
  }
}

class SqliteStore implements EventStore {
  private opened: Promise<Prepared> | undefined;
  private closed = false;
  private readonly timers = new Set<ReturnType<typeof setInterval>>();

  constructor(
    private readonly path: string,
    private readonly options: SqliteStoreOptions,
  ) {}

  async *load(fromVersion: number): AsyncGenerator<readonly StoredRecord[]> {
    const s = await this.ready();
    // One statement, one snapshot: a commit by another process cannot fall between the two.
    const { head, max } = this.guard(
      () => s.state.get() as { head: number; max: number },
      fromVersion + 1,
    );
    if (max !== head) {
      throw new StoreCorruptionError(
        `${this.path} records ${head} events but its last version is ${max}: version ${Math.min(head, max) + 1} is damaged or missing`,
        Math.min(head, max) + 1,
      );
    }
    if (head < fromVersion) {
      throw new StoreCorruptionError(
        `${this.path} holds ${head} events, fewer than the ${fromVersion} already read from it`,
        head + 1,
      );
    }
    let last = fromVersion;
    for (;;) {
      const after = last;
      const chunk = this.guard(
        () => s.page.all(after, CHUNK) as StoredRecord[],
        () => this.locate(s, after),
      );
      if (chunk.length === 0) break;
      last = (chunk[chunk.length - 1] as StoredRecord).version;
      yield chunk;
    }
    if (last < head) {
      throw new StoreCorruptionError(
        `${this.path} records ${head} events but only ${last} could be read: version ${last + 1} and later are missing`,
        last + 1,
      );
    }
  }

  async append(records: readonly EventRecord[], expectedVersion?: number): Promise<AppendResult> {
    checkRecords(records);
    const s = await this.ready();
    return this.guard(() => s.append.immediate(records, expectedVersion), undefined);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    this.timers.clear();
    const opened = this.opened;
    if (opened === undefined) return;
    const s = await opened.catch(() => undefined);
    s?.db.close();
  }

  async watch(
    onChange: () => void,
    onError?: (error: unknown) => void,
  ): Promise<() => Promise<void>> {
    const s = await this.ready();
    // data_version changes when another connection commits.
    const version = s.db.prepare("PRAGMA data_version").pluck();
    let last = version.get();
    const timer = setInterval(() => {
      try {
        const now = version.get();
        if (now !== last) {
          last = now;
          onChange();
        }
      } catch (error) {
        onError?.(error);
      }
    }, this.options.pollInterval ?? 250);
    (timer as { unref?: () => void }).unref?.();
    this.timers.add(timer);
    return async () => {
      clearInterval(timer);
      this.timers.delete(timer);
    };
  }

  /**
   * Runs a database call, turning SQLite's reports of a damaged file into StoreCorruptionError
   * naming the first version that cannot be read (`where`, when the call reads events).
   */
  private guard<T>(run: () => T, where: number | (() => number) | undefined): T {
    try {
      return run();
    } catch (error) {
      if (!isCorruption(error)) throw error;
      const version = typeof where === "function" ? where() : where;
      const at = version === undefined ? "" : ` (version ${version} cannot be read)`;
      throw new StoreCorruptionError(
        `${this.path} is damaged${at}: ${(error as Error).message}`,
        version,
        { cause: error },
      );
    }
  }

  /** The first version after `after` that cannot be read, found row by row. */
  private locate(s: Prepared, after: number): number {
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

  private ready(): Promise<Prepared> {
    if (this.closed) return Promise.reject(new Error(`tidemark/sqlite: ${this.path} is closed`));
    this.opened ??= this.open();
    return this.opened;
  }

  private async open(): Promise<Prepared> {
    let Driver: typeof BetterSqlite3;
    try {
      Driver = (await import("better-sqlite3")).default;
    } catch (error) {
      throw new Error(
        "tidemark/sqlite needs the better-sqlite3 package: npm install better-sqlite3@12",
        { cause: error },
      );
    }
    const db = this.guard(
      () =>
        new Driver(this.path, {
          fileMustExist: this.options.create === false,
          timeout: this.options.busyTimeout ?? 10_000,
        }),
      undefined,
    );
    try {
      return this.guard(() => this.prepare(db), undefined);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  private prepare(db: Database): Prepared {
    const id = db.pragma("application_id", { simple: true }) as number;
    if (id !== 0 && id !== APPLICATION_ID) {
      throw new Error(`${this.path} is not a tidemark store (another program's SQLite file)`);
    }
    const mode = db.pragma("journal_mode = WAL", { simple: true });
    db.pragma("synchronous = FULL");
    // macOS: make fsync reach the disk, not only the drive's cache. No effect elsewhere.
    db.pragma("fullfsync = ON");
    const synchronous = db.pragma("synchronous", { simple: true });
    if (mode !== "wal" || db.pragma("journal_mode", { simple: true }) !== "wal") {
      throw new Error(
        `tidemark/sqlite: ${this.path} cannot use write-ahead logging (journal_mode is "${String(mode)}"); a store must be a file on a local disk`,
      );
    }
    if (synchronous !== 2) {
      throw new Error(
        `tidemark/sqlite: ${this.path} did not accept synchronous=FULL (it reads ${String(synchronous)})`,
      );
    }
    db.transaction(() => {
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
      `);
    }).immediate();
    const format = db.prepare("SELECT value FROM tidemark_meta WHERE key = 'format'").pluck().get();
    if (format !== FORMAT) {
      throw new Error(
        `${this.path} is a tidemark store of format ${String(format)}, not ${FORMAT}`,
      );
    }

    const head = db.prepare("SELECT value FROM tidemark_meta WHERE key = 'head'").pluck();
    const max = db.prepare("SELECT coalesce(max(version), 0) FROM tidemark_events").pluck();
    const find = db.prepare("SELECT content FROM tidemark_events WHERE id = ?").pluck();
    const insert = db.prepare(
      "INSERT INTO tidemark_events (version, id, content, checksum) VALUES (?, ?, ?, ?)",
    );
    const setHead = db.prepare("UPDATE tidemark_meta SET value = ? WHERE key = 'head'");
    const page = db.prepare(
      "SELECT version, id, content, checksum FROM tidemark_events WHERE version > ? ORDER BY version LIMIT ?",
    );
    const state = db.prepare(
      "SELECT (SELECT value FROM tidemark_meta WHERE key = 'head') AS head, (SELECT coalesce(max(version), 0) FROM tidemark_events) AS max",
    );
    const append = db.transaction(
      (records: readonly EventRecord[], expected: number | undefined): AppendResult => {
        const current = head.get() as number;
        if (max.get() !== current) {
          throw new StoreCorruptionError(
            `${this.path} is inconsistent: it records ${current} events but its last version is ${String(max.get())}`,
            current + 1,
          );
        }
        if (expected !== undefined && expected !== current) {
          throw new ConcurrencyError(expected, current);
        }
        let version = current;
        const issues: ValidationIssue[] = [];
        const batch = new Map<string, string>();
        records.forEach((record, index) => {
          const stored = batch.get(record.id) ?? (find.get(record.id) as string | undefined);
          if (stored === undefined) {
            insert.run(++version, record.id, record.content, record.checksum);
            batch.set(record.id, record.content);
          } else if (stored !== record.content) {
            issues.push({
              index,
              path: ["id"],
              message: `id "${record.id}" is already used by an event with other content`,
            });
          }
        });
        if (issues.length > 0) throw new TimelineValidationError(issues);
        if (version !== current) setHead.run(version);
        beforeCommit(this);
        return { version, appended: version - current };
      },
    );
    return { db, head, max, find, insert, setHead, page, state, append };
  }
}

/**
 * An event store in the SQLite file at `path` (created when missing), for
 * {@link openTimeline}: the embedded default, for one machine and a few processes.
 *
 * @example
 * import { openTimeline } from "tidemark";
 * import { sqliteStore } from "tidemark/sqlite";
 * const timeline = await openTimeline({ store: sqliteStore("palmyra.db") });
 */
export function sqliteStore(path: string, options: SqliteStoreOptions = {}): EventStore {
  if (typeof path !== "string" || path.length === 0) {
    throw new TypeError("sqliteStore: expected the path of a database file");
  }
  return new SqliteStore(path, options);
}
