/**
 * The SQLite store's lifecycle: opening a file as a writer or a reader (creating the store in
 * a new or empty file), running calls with SQLite's failures turned into the store errors,
 * and closing.
 */

import { copyFileSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import type BetterSqlite3 from "better-sqlite3";
import type { StoredEventReader } from "../../core/upcast.js";
import type { SliceModel } from "../read-model.js";
import {
  connectReadModels,
  KEEP_READ_MODELS,
  OPEN_READ_MODEL,
  REINDEX,
  type ReadModelConnection,
  type ReadModelStore,
} from "../reader-source.js";
import { checkRecords } from "../records.js";
import {
  clearReadModel,
  SqliteReadModelWriter,
  sqliteReadModelSource,
} from "../sqlite-read-model.js";
import {
  type AppendResult,
  type EventRecord,
  type EventStore,
  type RegistryRecord,
  StoreCorruptionError,
  type StoredRecord,
  StoreUnavailableError,
} from "../store.js";
import { type AppendTransaction, appendTransaction, countEvents } from "./append.js";
import { isCorruption, notAStore, unavailable } from "./errors.js";
import { type LoadStatements, loadRecords, loadStatements } from "./load.js";
import { readRegistryEntries } from "./registries.js";
import {
  APPLICATION_ID,
  checkFormat,
  configure,
  createSchema,
  hasTables,
  inspect,
  isForeign,
} from "./schema.js";
import { readSetting, zoneTransaction } from "./settings.js";
import { pollDataVersion } from "./watch.js";

/** Events per transaction step of a rebuild of the read models. */
const REINDEX_CHUNK = 10_000;

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

type Database = BetterSqlite3.Database;

/** An open connection and what the store runs on it. */
interface Prepared extends LoadStatements {
  readonly db: Database;
  readonly events: () => number;
  readonly append: AppendTransaction;
}

class SqliteStore implements EventStore, ReadModelStore {
  private opened: Promise<Prepared> | undefined;
  /** The read models this store's writer keeps (see sqlite-read-model.ts). */
  private readModels: SqliteReadModelWriter | undefined;
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
    yield* loadRecords(s, this.path, (run, where) => this.guard(run, where), fromVersion);
  }

  async append(
    records: readonly EventRecord[],
    expectedVersion?: number,
    registries: readonly RegistryRecord[] = [],
  ): Promise<AppendResult> {
    checkRecords(records);
    const s = await this.ready();
    if (this.options.readonly === true) {
      throw new StoreUnavailableError("read-only", `${this.path} was opened read-only`);
    }
    const result = this.guard(
      () => s.append.immediate(records, expectedVersion, registries),
      undefined,
    );
    if (result.appended > 0 || registries.length > 0) this.checkpoint(s.db);
    return result;
  }

  async registries(): Promise<readonly RegistryRecord[]> {
    const s = await this.ready();
    return this.guard(() => readRegistryEntries(s.db), undefined);
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
    const record = zoneTransaction(s.db, s.events);
    const result = this.guard(() => record.immediate(zone), undefined);
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
    const timer = pollDataVersion(s.db, this.options.pollInterval ?? 250, onChange, onError);
    this.timers.add(timer);
    return async () => {
      clearInterval(timer);
      this.timers.delete(timer);
    };
  }

  [KEEP_READ_MODELS](models: readonly SliceModel[], read: StoredEventReader): void {
    this.readModels = new SqliteReadModelWriter(models, read);
  }

  async [OPEN_READ_MODEL](): Promise<ReadModelConnection> {
    const reader = new SqliteStore(this.path, { ...this.options, readonly: true });
    return connectReadModels(reader, async () => sqliteReadModelSource((await reader.ready()).db));
  }

  async [REINDEX](
    models: readonly SliceModel[],
    progress: (done: number, total: number) => void,
    read: StoredEventReader,
  ): Promise<number> {
    const s = await this.ready();
    if (this.options.readonly === true) {
      throw new StoreUnavailableError("read-only", `${this.path} was opened read-only`);
    }
    const writer = new SqliteReadModelWriter(models, read);
    const rebuild = s.db.transaction((): number => {
      const total = s.events();
      clearReadModel(s.db);
      let done = 0;
      for (;;) {
        const chunk = s.page.all(done, REINDEX_CHUNK) as StoredRecord[];
        if (chunk.length === 0) break;
        const head = (chunk[chunk.length - 1] as StoredRecord).version;
        writer.apply(s.db, chunk, done, head);
        done = head;
        progress(done, total);
      }
      return done;
    });
    const done = this.guard(() => rebuild.immediate(), undefined);
    this.checkpoint(s.db);
    return done;
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
    if (kind === "new" && !isFolder(dirname(this.path))) {
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
      return this.guard(() => this.prepareWriter(db), undefined);
    } catch (error) {
      db.close();
      throw error;
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
    if (db.pragma("application_id", { simple: true }) !== APPLICATION_ID || !hasTables(db)) {
      throw notAStore(this.path, "foreign");
    }
    return this.statements(db);
  }

  private prepareWriter(db: Database): Prepared {
    // Refused before the first write (journal mode included), in case the header was stale.
    if (isForeign(db)) throw notAStore(this.path, "foreign");
    configure(db, this.path);
    // A store's writer takes no lock to open it: only a new store is created, under one.
    if (!hasTables(db)) createSchema(db, this.path);
    return this.statements(db);
  }

  private statements(db: Database): Prepared {
    checkFormat(db, this.path);
    return {
      db,
      ...loadStatements(db),
      events: countEvents(db),
      append: appendTransaction(db, this.path, this, () => this.readModels),
    };
  }
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/**
 * An event store in the SQLite file at `path` (created when missing), for
 * {@link index!openTimeline | openTimeline}: the embedded default, for one machine and a few
 * processes.
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
