/**
 * `tidemark/sqlite`: an {@link EventStore} in one SQLite file, on better-sqlite3 12 (an
 * optional peer dependency, loaded when the store is first used).
 *
 * The file is in WAL mode with `synchronous=FULL` (both read back and checked on open), so
 * a committed batch survives a crash of the process or of the machine. A batch is one
 * `BEGIN IMMEDIATE` transaction: writers in other processes wait for it (up to
 * `busyTimeout`), versions are assigned inside it, and a failed batch leaves nothing. After
 * each commit the log is checkpointed into the main file and emptied, so the main file alone
 * holds every acknowledged batch: a copy made without its `-wal` file loses nothing.
 *
 * A reader (`readonly: true`) never writes: it opens the file read-only, refuses a file that is
 * not a tidemark store before touching it, and does not wait for writers. In a read-only folder
 * (read-only media), where SQLite cannot make the `-shm` file that reading a WAL file needs, it
 * reads a private copy made in the temporary folder.
 *
 * The timeline's time zone is kept in a `tidemark_settings` table, made by the first writer
 * that records one (stores of older versions have none and keep working).
 */
import {
  closeSync,
  copyFileSync,
  mkdtempSync,
  openSync,
  readSync,
  rmSync,
  statSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
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
  StoreUnavailableError,
} from "./store.js";

/** Options of {@link sqliteStore}. */
export interface SqliteStoreOptions {
  /** Create the file when it does not exist (default `true`; `false`: opening fails). */
  readonly create?: boolean;
  /** How long a writer waits for another process's transaction, in ms (default 10,000). */
  readonly busyTimeout?: number;
  /** How often `watch` looks for other writers' commits, in ms (default 250). */
  readonly pollInterval?: number;
  /**
   * Open for reading only (default `false`): the file must exist and be a tidemark store; it
   * is never written (not even its journal mode), and `append` rejects with a
   * {@link StoreUnavailableError} (`"read-only"`). Works on a read-only file or folder.
   */
  readonly readonly?: boolean;
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

/** What the first bytes of a file say it is. */
type Kind = "new" | "empty" | "store" | "foreign" | "not-sqlite" | "damaged";

const SQLITE_MAGIC = "SQLite format 3\0";

/**
 * Reads the file's header without SQLite (which could change the file): a missing or
 * zero-length file is new, a SQLite header with tidemark's application id is a store, one with
 * no application id and no schema (schema cookie 0) is an empty database, anything else is not
 * ours. The header of a WAL database can be older than its log: the schema is checked again
 * inside the creating transaction.
 */
function inspect(path: string): Kind {
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

const errno = (error: unknown) =>
  String((error as { code?: unknown } | null)?.code ?? "") +
  String((error as { message?: unknown } | null)?.message ?? "");

/**
 * The driver's or the file system's report of a store that cannot be used, as a
 * StoreUnavailableError saying why; `undefined` for any other error.
 */
function unavailable(path: string, error: unknown): StoreUnavailableError | undefined {
  const code = String((error as { code?: unknown } | null)?.code ?? "");
  const message = (error as Error | null)?.message ?? String(error);
  const make = (reason: StoreUnavailableError["reason"], text: string) =>
    new StoreUnavailableError(reason, `${path}: ${text}`, { cause: error });
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) {
    return make("locked", `locked by another writer past the busy timeout (${message})`);
  }
  if (
    code.startsWith("SQLITE_READONLY") ||
    code === "EROFS" ||
    code === "EACCES" ||
    code === "EPERM"
  ) {
    return make("read-only", `cannot write here: the file or its folder is read-only (${message})`);
  }
  if (code === "SQLITE_FULL" || /EFBIG|ENOSPC|disk.*full|too large/i.test(errno(error))) {
    return make("full", `the disk is full or a file-size limit was reached (${message})`);
  }
  if (code.startsWith("SQLITE_IOERR")) return make("full", `cannot write to the disk (${message})`);
  if (code === "SQLITE_CANTOPEN" || code === "ENOENT") {
    return make("missing", `cannot open the file (${message})`);
  }
  if (code === "SQLITE_NOTADB")
    return make("not-a-store", "not a tidemark store (not a SQLite database)");
  return undefined;
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
  /** The folder of the private copy a reader in a read-only folder reads. */
  private copy: string | undefined;
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
    if (this.options.readonly === true) {
      throw new StoreUnavailableError("read-only", `${this.path} was opened read-only`);
    }
    const result = this.guard(() => s.append.immediate(records, expectedVersion), undefined);
    if (result.appended > 0) this.checkpoint(s.db);
    return result;
  }

  async timeZone(): Promise<string | undefined> {
    const s = await this.ready();
    return this.guard(() => readSetting(s.db, "timeZone"), undefined);
  }

  async setTimeZone(zone: string): Promise<string> {
    if (typeof zone !== "string" || zone === "") {
      throw new TypeError("setTimeZone: expected the name of a time zone");
    }
    const s = await this.ready();
    if (this.options.readonly === true) {
      throw new StoreUnavailableError("read-only", `${this.path} was opened read-only`);
    }
    const record = s.db.transaction((): { kept: string; wrote: boolean } => {
      // Made on first use: a store of an older tidemark has no such table.
      s.db.exec(
        "CREATE TABLE IF NOT EXISTS tidemark_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT",
      );
      const kept = readSetting(s.db, "timeZone");
      if (kept === zone || (kept !== undefined && (s.head.get() as number) > 0)) {
        return { kept, wrote: false };
      }
      s.db
        .prepare(
          "INSERT INTO tidemark_settings (key, value) VALUES ('timeZone', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .run(zone);
      return { kept: zone, wrote: true };
    });
    const result = this.guard(() => record.immediate(), undefined);
    if (result.wrote) this.checkpoint(s.db);
    return result.kept;
  }

  /**
   * Copies the log into the main file and empties it, so that the main file alone holds every
   * acknowledged batch. The batch is committed (durable in the log) whatever happens here: a
   * checkpoint that a long reader keeps from finishing, or that fails, is made by a later one.
   */
  private checkpoint(db: Database): void {
    try {
      db.pragma("wal_checkpoint(TRUNCATE)");
    } catch {
      // Committed already; the next batch's checkpoint takes this one's pages too.
    }
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
    if (this.copy !== undefined) rmSync(this.copy, { recursive: true, force: true });
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
      if (error instanceof StoreUnavailableError) throw error;
      if (!isCorruption(error)) throw unavailable(this.path, error) ?? error;
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
    const kind = this.guard(() => inspect(this.path), undefined);
    const reader = this.options.readonly === true;
    if (kind === "new" && (reader || this.options.create === false)) {
      throw new StoreUnavailableError(
        "missing",
        `${this.path} does not exist${reader ? "" : " (create: false)"}`,
      );
    }
    if (kind === "new" && !this.exists(dirname(this.path))) {
      throw new StoreUnavailableError(
        "missing",
        `${this.path}: the folder ${dirname(this.path)} does not exist`,
      );
    }
    if (kind === "foreign" || kind === "not-sqlite" || (reader && kind === "empty")) {
      throw notAStore(this.path, kind);
    }
    if (kind === "damaged") {
      throw new StoreCorruptionError(`${this.path} is damaged: its SQLite header cannot be read`);
    }
    const timeout = this.options.busyTimeout ?? 10_000;
    if (reader) return this.openReader(Driver, timeout);
    const db = this.guard(
      () => new Driver(this.path, { fileMustExist: kind !== "new", timeout }),
      undefined,
    );
    try {
      return this.guard(() => this.prepare(db), undefined);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  private exists(path: string): boolean {
    try {
      return statSync(path).isDirectory();
    } catch {
      return false;
    }
  }

  /**
   * A read-only connection; in a read-only folder, where SQLite cannot make the `-shm` file a
   * WAL file needs, a private copy of the file (and of its log, when not empty) is read.
   */
  private openReader(Driver: typeof BetterSqlite3, timeout: number): Prepared {
    const connect = (path: string) => {
      const db = new Driver(path, { readonly: true, fileMustExist: true, timeout });
      try {
        return this.prepareReader(db);
      } catch (error) {
        db.close();
        throw error;
      }
    };
    try {
      return this.guard(() => connect(this.path), undefined);
    } catch (error) {
      const code = String((error as { cause?: { code?: unknown } }).cause?.code ?? "");
      if (
        code !== "SQLITE_READONLY_DIRECTORY" &&
        code !== "SQLITE_CANTOPEN" &&
        !code.startsWith("SQLITE_READONLY_CANTINIT")
      )
        throw error;
    }
    const copy = mkdtempSync(join(tmpdir(), "tidemark-readonly-"));
    this.copy = copy;
    const target = join(copy, basename(this.path));
    copyFileSync(this.path, target);
    const wal = `${this.path}-wal`;
    if (fileSize(wal) > 0) copyFileSync(wal, `${target}-wal`);
    return this.guard(() => connect(target), undefined);
  }

  /** Statements of a reader: what the file holds is checked, nothing is written. */
  private prepareReader(db: Database): Prepared {
    const tables = db
      .prepare(
        "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('tidemark_events', 'tidemark_meta')",
      )
      .pluck()
      .get();
    if (db.pragma("application_id", { simple: true }) !== APPLICATION_ID || tables !== 2) {
      throw notAStore(this.path, "foreign");
    }
    return this.statements(db);
  }

  private prepare(db: Database): Prepared {
    // Refused before the first write (journal mode included), in case the header was stale.
    if (this.foreign(db)) throw notAStore(this.path, "foreign");
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
    const tables = db
      .prepare(
        "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('tidemark_events', 'tidemark_meta')",
      )
      .pluck()
      .get();
    // A store's writer takes no lock to open it: only a new store is created, under one.
    if (tables !== 2) {
      db.transaction(() => {
        // Another process may have made the empty file something else since the check above.
        if (this.foreign(db)) throw notAStore(this.path, "foreign");
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
    }
    return this.statements(db);
  }

  /** Whether the database holds anything but a tidemark store (tables, or another id). */
  private foreign(db: Database): boolean {
    const id = db.pragma("application_id", { simple: true }) as number;
    if (id !== 0 && id !== APPLICATION_ID) return true;
    const others = db
      .prepare(
        "SELECT count(*) FROM sqlite_schema WHERE name NOT IN ('tidemark_events', 'tidemark_meta', 'tidemark_settings') AND name NOT LIKE 'sqlite_autoindex_tidemark_%'",
      )
      .pluck()
      .get() as number;
    return others > 0;
  }

  private statements(db: Database): Prepared {
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

/** A value of `tidemark_settings`, `undefined` when it (or the table) is missing. */
function readSetting(db: Database, key: string): string | undefined {
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

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function notAStore(path: string, kind: Kind): StoreUnavailableError {
  const what =
    kind === "not-sqlite"
      ? "not a SQLite database"
      : kind === "empty"
        ? "an empty database"
        : "another program's SQLite database";
  return new StoreUnavailableError(
    "not-a-store",
    `${path} is not a tidemark store (${what}); it was left as it was`,
  );
}

/**
 * An event store in the SQLite file at `path` (created when missing), for
 * {@link index!openTimeline | openTimeline}: the embedded default, for one machine and a few processes.
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
