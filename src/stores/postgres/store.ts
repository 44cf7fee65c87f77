/**
 * The PostgreSQL store's lifecycle: its pool (its own, or the user's), the table made when
 * missing, transactions with their rollback, and the errors a lost server becomes.
 */
import type { StoredEventReader } from "../../core/upcast.js";
import {
  PostgresReadModelWriter,
  postgresReadModelSource,
  postgresReadModelTables,
} from "../postgres-read-model.js";
import type { SliceModel } from "../read-model.js";
import {
  connectReadModels,
  KEEP_READ_MODELS,
  OPEN_READ_MODEL,
  REINDEX,
  type ReadModelConnection,
  type ReadModelStore,
} from "../reader-source.js";
import { checkRecords, newRecords } from "../records.js";
import {
  type AppendResult,
  type EventRecord,
  type EventStore,
  type RegistryRecord,
  StoreCorruptionError,
  type StoredRecord,
  StoreUnavailableError,
} from "../store.js";
import { appendInTransaction, lockAndReadHead } from "./append.js";
import { isCorruption, isLost, server } from "./errors.js";
import { loadRecords } from "./load.js";
import {
  acquire,
  createPool,
  lastResult,
  type PgClient,
  type PgPool,
  type PgResult,
} from "./pool.js";
import { readRegistriesSql } from "./registries.js";
import { createTableSql, type TableNames, tableNames } from "./schema.js";
import { recordZone } from "./settings.js";
import { listen } from "./watch.js";

/** Options of {@link postgresStore}. */
export interface PostgresStoreOptions {
  /**
   * The table that holds the timeline (default `tidemark_events`), optionally
   * schema-qualified (`osint.palmyra`); created when missing. One table is one timeline.
   */
  readonly table?: string;
  /** Create the table when it does not exist (default `true`; `false`: opening fails). */
  readonly create?: boolean;
  /**
   * Open for reading only (default `false`): the table must exist, nothing is created, and
   * `append` rejects with a {@link StoreUnavailableError} (`"read-only"`).
   */
  readonly readonly?: boolean;
}

/** Events per step of a rebuild of the read models. */
const REINDEX_CHUNK = 10_000;

class PostgresStore implements EventStore, ReadModelStore {
  private readonly names: TableNames;
  /** The read models this store's writer keeps (see postgres-read-model.ts). */
  private readModels: PostgresReadModelWriter | undefined;
  private opened: Promise<PgPool> | undefined;
  private closed = false;
  private readonly listeners = new Set<() => Promise<void>>();
  /** The server as messages name it: host, port and database, never the password. */
  private readonly where: string;

  constructor(
    private readonly connection: string | PgPool,
    private readonly options: PostgresStoreOptions,
  ) {
    this.names = tableNames(options.table ?? "tidemark_events");
    this.where = typeof connection === "string" ? server(connection) : "the pool's server";
  }

  private get table(): string {
    return this.names.table;
  }

  async *load(fromVersion: number): AsyncGenerator<readonly StoredRecord[]> {
    const pool = await this.ready();
    yield* loadRecords(
      (text, values, version) => this.run(pool, text, values, version),
      this.table,
      fromVersion,
    );
  }

  async append(
    records: readonly EventRecord[],
    expectedVersion?: number,
    registries: readonly RegistryRecord[] = [],
  ): Promise<AppendResult> {
    checkRecords(records);
    const batch = newRecords(records, () => undefined);
    if (this.options.readonly === true) {
      throw new StoreUnavailableError("read-only", `Table ${this.table} was opened read-only`);
    }
    return this.transaction(
      (client, begun) =>
        appendInTransaction(
          client,
          this.names,
          begun,
          records,
          batch,
          expectedVersion,
          registries,
          this,
          this.readModels,
        ),
      lockAndReadHead(this.names),
    );
  }

  [KEEP_READ_MODELS](models: readonly SliceModel[], read: StoredEventReader): void {
    this.readModels = new PostgresReadModelWriter(this.readModelTables(), models, read);
  }

  private readModelTables() {
    return postgresReadModelTables(this.options.table ?? "tidemark_events");
  }

  async [OPEN_READ_MODEL](): Promise<ReadModelConnection> {
    const reader = new PostgresStore(this.connection, { ...this.options, readonly: true });
    return connectReadModels(reader, async () =>
      postgresReadModelSource(await reader.ready(), this.readModelTables()),
    );
  }

  async [REINDEX](
    models: readonly SliceModel[],
    progress: (done: number, total: number) => void,
    read: StoredEventReader,
  ): Promise<number> {
    if (this.options.readonly === true) {
      throw new StoreUnavailableError("read-only", `Table ${this.table} was opened read-only`);
    }
    const writer = new PostgresReadModelWriter(this.readModelTables(), models, read);
    return this.transaction(async (client, begun) => {
      const total = Number((begun.rows[0] as { head: string }).head);
      await writer.clear(client);
      let done = 0;
      for (;;) {
        const { rows } = lastResult(
          await client.query(
            // Ordered by the column, not by its text (which puts 10 before 2).
            `SELECT version::text AS v, content FROM ${this.table} WHERE version > $1 ORDER BY version LIMIT ${REINDEX_CHUNK}`,
            [done],
          ),
        );
        if (rows.length === 0) break;
        const chunk = (rows as { v: string; content: string }[]).map((row) => ({
          version: Number(row.v),
          content: row.content,
        }));
        const head = (chunk[chunk.length - 1] as { version: number }).version;
        await writer.apply(client, chunk, done, head);
        done = head;
        progress(done, total);
      }
      return done;
    }, lockAndReadHead(this.names));
  }

  async registries(): Promise<readonly RegistryRecord[]> {
    const pool = await this.ready();
    const found = await this.run(
      pool,
      "SELECT to_regclass($1) IS NOT NULL AS exists",
      [this.names.registries],
      undefined,
    );
    if (!(found.rows[0] as { exists: boolean }).exists) return [];
    const { rows } = await this.run(
      pool,
      readRegistriesSql(this.names),
      [this.names.key],
      undefined,
    );
    return rows as RegistryRecord[];
  }

  async timeZone(): Promise<string | undefined> {
    const pool = await this.ready();
    const found = await this.run(
      pool,
      "SELECT to_regclass($1) IS NOT NULL AS exists",
      [this.names.settings],
      undefined,
    );
    if (!(found.rows[0] as { exists: boolean }).exists) return undefined;
    const { rows } = await this.run(
      pool,
      `SELECT time_zone FROM ${this.names.settings} WHERE name = $1`,
      [this.names.key],
      undefined,
    );
    return (rows[0] as { time_zone: string } | undefined)?.time_zone;
  }

  async setTimeZone(zone: string): Promise<string> {
    if (typeof zone !== "string" || zone === "") {
      throw new TypeError("setTimeZone: expected the name of a time zone");
    }
    if (this.options.readonly === true) {
      throw new StoreUnavailableError("read-only", `Table ${this.table} was opened read-only`);
    }
    return this.transaction((client) => recordZone(client, this.names, zone));
  }

  /**
   * Runs `work` in a transaction on a client of its own: committed when it resolves, rolled
   * back when it throws (a client whose rollback fails is closed, not reused). `first`, sent
   * in one round trip with `BEGIN`, gives `work` its result.
   */
  private async transaction<T>(
    work: (client: PgClient, begun: PgResult) => Promise<T>,
    first?: string,
  ): Promise<T> {
    const pool = await this.ready();
    const client = await this.connect(pool);
    let broken = false;
    try {
      const begun = lastResult(
        await client.query(first === undefined ? "BEGIN" : `BEGIN; ${first}`),
      );
      const result = await work(client, begun);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      try {
        await client.query("ROLLBACK");
      } catch {
        broken = true;
      }
      if (isCorruption(error)) {
        throw new StoreCorruptionError(
          `Table ${this.table} is damaged: ${(error as Error).message}`,
          undefined,
          { cause: error },
        );
      }
      throw this.lost(error) ?? error;
    } finally {
      client.release(broken);
    }
  }

  /** A client from the pool; a server that cannot be reached is a StoreUnavailableError. */
  private async connect(pool: PgPool): Promise<PgClient> {
    try {
      return await acquire(pool);
    } catch (error) {
      throw this.lost(error) ?? error;
    }
  }

  /** The error as a StoreUnavailableError when it says the server is gone, else `undefined`. */
  private lost(error: unknown): StoreUnavailableError | undefined {
    if (error instanceof StoreUnavailableError) return error;
    if (!isLost(error)) return undefined;
    return new StoreUnavailableError(
      "unreachable",
      `PostgreSQL at ${this.where} cannot be reached or went away (${(error as Error).message}); retry once it is back (events with ids that were stored after all are skipped)`,
      { cause: error },
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const stop of [...this.listeners]) await stop().catch(() => undefined);
    const opened = this.opened;
    if (opened === undefined || typeof this.connection !== "string") return;
    const pool = await opened.catch(() => undefined);
    await pool?.end();
  }

  async watch(
    onChange: () => void,
    onError?: (error: unknown) => void,
  ): Promise<() => Promise<void>> {
    const pool = await this.ready();
    const stopListening = await listen(
      { pool, channel: this.names.channel, lost: (error) => this.lost(error) ?? error },
      onChange,
      onError,
    );
    const stop = async () => {
      this.listeners.delete(stop);
      await stopListening();
    };
    this.listeners.add(stop);
    return stop;
  }

  private async run(
    pool: PgPool,
    text: string,
    values: unknown[],
    version: number | undefined,
  ): Promise<PgResult> {
    const client = await this.connect(pool);
    let broken = false;
    try {
      return lastResult(await client.query(text, values));
    } catch (error) {
      const lost = this.lost(error);
      if (lost !== undefined) {
        broken = true;
        throw lost;
      }
      if (!isCorruption(error)) throw error;
      const where = version === undefined ? "" : ` (reading version ${version} or later)`;
      throw new StoreCorruptionError(
        `Table ${this.table} is damaged${where}: ${(error as Error).message}`,
        version,
        { cause: error },
      );
    } finally {
      client.release(broken);
    }
  }

  private ready(): Promise<PgPool> {
    if (this.closed) return Promise.reject(new Error(`tidemark/postgres: ${this.table} is closed`));
    if (this.opened === undefined) {
      const opening = this.open();
      this.opened = opening;
      // A server that was down when first asked: the next call tries again.
      opening.catch(() => {
        if (this.opened === opening) this.opened = undefined;
      });
    }
    return this.opened;
  }

  private async open(): Promise<PgPool> {
    const pool =
      typeof this.connection === "string" ? await createPool(this.connection) : this.connection;
    try {
      await this.ensureTable(pool);
    } catch (error) {
      if (typeof this.connection === "string") await pool.end().catch(() => undefined);
      throw this.lost(error) ?? error;
    }
    return pool;
  }

  private async ensureTable(pool: PgPool): Promise<void> {
    const client = await this.connect(pool);
    let broken = false;
    try {
      const exists = lastResult(
        await client.query("SELECT to_regclass($1) IS NOT NULL AS exists", [this.table]),
      ).rows[0] as { exists: boolean };
      if (exists.exists) return;
      if (this.options.create === false || this.options.readonly === true) {
        throw new StoreUnavailableError(
          "missing",
          `tidemark/postgres: there is no table ${this.table} at ${this.where}`,
        );
      }
      // Several processes may open a new timeline at once: create the table under a lock.
      await client.query("BEGIN");
      try {
        await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [
          `tidemark:${this.table}`,
        ]);
        await client.query(createTableSql(this.table));
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {
          broken = true;
        });
        throw error;
      }
    } finally {
      client.release(broken);
    }
  }
}

/**
 * An event store in a PostgreSQL table, for {@link index!openTimeline | openTimeline}: one
 * timeline shared by
 * writers on many machines. Give a connection string (the store keeps a small pool, closed
 * by `close()`) or your own `pg.Pool` (left open).
 *
 * @example
 * import { openTimeline } from "tidemark";
 * import { postgresStore } from "tidemark/postgres";
 * const timeline = await openTimeline({
 *   store: postgresStore(process.env.DATABASE_URL, { table: "palmyra" }),
 * });
 */
export function postgresStore(
  connection: string | PgPool,
  options: PostgresStoreOptions = {},
): EventStore {
  if (
    typeof connection !== "string" &&
    (typeof connection !== "object" ||
      connection === null ||
      typeof connection.connect !== "function")
  ) {
    throw new TypeError("postgresStore: expected a connection string or a pg.Pool");
  }
  return new PostgresStore(connection, options);
}
