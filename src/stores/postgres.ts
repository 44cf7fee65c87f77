/**
 * `tidemark/postgres`: an {@link EventStore} in one PostgreSQL table, on pg 8 (an optional
 * peer dependency, loaded when the store is first used): one timeline shared by many
 * writers on many machines.
 *
 * A batch is one transaction that first takes the table's EXCLUSIVE lock (readers go on;
 * other writers wait for the commit), then reads the last version and numbers the batch
 * after it. A failed or rolled-back batch therefore leaves no gap (a sequence would), and
 * concurrent writers are serialised by the database. The commit notifies a channel, which
 * `watch` listens to.
 *
 * Each timeline's time zone is kept in a `tidemark_timelines` table in the events table's
 * schema (one row per events table), made by the first writer that records one.
 */
import { TimelineValidationError, type ValidationIssue } from "../core/errors.js";
import {
  type AppendResult,
  beforeCommit,
  ConcurrencyError,
  checksum,
  type EventRecord,
  type EventStore,
  StoreCorruptionError,
  type StoredRecord,
  StoreUnavailableError,
} from "./store.js";

/** A query result, as pg returns it. */
export interface PgResult {
  readonly rows: readonly unknown[];
}

/** The part of a `pg.PoolClient` the store uses (so that pg's types are not required). */
export interface PgClient {
  /** Runs one statement (or several, separated by `;`, without `values`). */
  query(text: string, values?: unknown[]): Promise<PgResult | PgResult[]>;
  /** Gives the client back to its pool; `destroy` closes its connection instead. */
  release(destroy?: boolean): void;
  /** A `NOTIFY` on a channel this client listens to (what `watch` waits for). */
  on(
    event: "notification",
    listener: (message: { channel: string; payload?: string }) => void,
  ): unknown;
  /** The connection failed: without a listener, pg would crash the process. */
  on(event: "error", listener: (error: Error) => void): unknown;
  /** The connection ended. */
  on(event: "end", listener: () => void): unknown;
}

/** The part of a `pg.Pool` the store uses: pass your own `new pg.Pool(...)`. */
export interface PgPool {
  /** A client of the pool, for one transaction or a `LISTEN`. */
  connect(): Promise<PgClient>;
  /** Closes every client of the pool. */
  end(): Promise<void>;
}

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

const NAME = /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/;
/** The table, in the events table's schema, that keeps the time zone of each timeline. */
const SETTINGS = "tidemark_timelines";
/** Rows per chunk of `load`. */
const CHUNK = 10_000;

/** Keeps a connection-string pool from crashing the process when an idle client errs. */
const ignore = () => undefined;

/** Clients given an 'error' listener already (a pool hands the same client out again). */
const heard = new WeakSet<object>();

/**
 * A client from the pool that cannot crash the process: a connection that dies while the
 * client is checked out emits 'error', which without a listener is an uncaught exception.
 * The failure itself reaches the caller as the rejection of its pending query.
 */
async function acquire(pool: PgPool): Promise<PgClient> {
  const client = await pool.connect();
  if (!heard.has(client)) {
    heard.add(client);
    client.on("error", ignore);
  }
  return client;
}

/** SQLSTATE classes and codes of a server that went away or cannot take connections. */
const LOST_STATES = /^(?:08|57P0[1-3]|53300)/;
/** Node's and pg's own words for a connection that could not be made or was lost. */
const LOST_WORDS =
  /ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN|Connection terminated|connection timeout|Client has encountered a connection error|not queryable|the database system is (?:starting up|shutting down|in recovery)/i;

/** Whether an error says that the server went away or refused the connection. */
function isLost(error: unknown): boolean {
  const code = String((error as { code?: unknown } | null)?.code ?? "");
  if (LOST_STATES.test(code)) return true;
  const message = (error as { message?: unknown } | null)?.message;
  return LOST_WORDS.test(`${code} ${typeof message === "string" ? message : ""}`);
}

/** A connection string with its password replaced by `***`, to name it in messages. */
export function redactConnection(connection: string): string {
  try {
    const url = new URL(connection);
    if (url.password !== "") url.password = "***";
    for (const key of [...url.searchParams.keys()]) {
      if (/pass/i.test(key)) url.searchParams.set(key, "***");
    }
    return url.toString();
  } catch {
    return connection
      .replace(/(:\/\/[^:/@]*:)[^@]*@/, "$1***@")
      .replace(/(password=)\S*/gi, "$1***");
  }
}

function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function lastResult(result: PgResult | PgResult[]): PgResult {
  return Array.isArray(result) ? (result[result.length - 1] as PgResult) : result;
}

/**
 * The records of a batch, each id once (a repeat with the same content is dropped; with other
 * content the batch is rejected), after checking their shape.
 */
function distinct(records: readonly EventRecord[]): EventRecord[] {
  if (!Array.isArray(records)) throw new TypeError("append: expected an array of records");
  const seen = new Map<string, string>();
  const out: EventRecord[] = [];
  const issues: ValidationIssue[] = [];
  records.forEach((r, index) => {
    if (
      typeof r?.id !== "string" ||
      typeof r.content !== "string" ||
      typeof r.checksum !== "string"
    ) {
      throw new TypeError("append: each record is { id, content, checksum }, all strings");
    }
    const earlier = seen.get(r.id);
    if (earlier === undefined) {
      seen.set(r.id, r.content);
      out.push(r);
    } else if (earlier !== r.content) {
      issues.push({
        index,
        path: ["id"],
        message: `id "${r.id}" is already used by an event with other content`,
      });
    }
  });
  if (issues.length > 0) throw new TimelineValidationError(issues);
  return out;
}

function isCorruption(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "XX001" || code === "XX002";
}

class PostgresStore implements EventStore {
  private readonly table: string;
  private readonly channel: string;
  private opened: Promise<PgPool> | undefined;
  private closed = false;
  private readonly listeners = new Set<() => Promise<void>>();
  /** The server as messages name it: host, port and database, never the password. */
  private readonly where: string;
  /** The table beside the events table that keeps each timeline's zone, by table name. */
  private readonly settings: string;
  /** The events table's name in {@link PostgresStore.settings}. */
  private readonly key: string;

  constructor(
    private readonly connection: string | PgPool,
    private readonly options: PostgresStoreOptions,
  ) {
    const name = options.table ?? "tidemark_events";
    const parts = typeof name === "string" ? name.split(".") : [];
    if (parts.length < 1 || parts.length > 2 || !parts.every((p) => NAME.test(p))) {
      throw new TypeError(
        `postgresStore: table must be a name like "tidemark_events" or "schema.table", got ${JSON.stringify(name)}`,
      );
    }
    if (parts[parts.length - 1] === SETTINGS) {
      throw new TypeError(`postgresStore: the table name "${SETTINGS}" is taken by tidemark`);
    }
    this.table = parts.map(quote).join(".");
    this.settings = [...parts.slice(0, -1), SETTINGS].map(quote).join(".");
    this.key = parts[parts.length - 1] as string;
    this.where = typeof connection === "string" ? server(connection) : "the pool's server";
    const plain = `tidemark_${parts.join("_")}`;
    this.channel = plain.length <= 63 ? plain : `tidemark_${checksum(name)}`;
  }

  async *load(fromVersion: number): AsyncGenerator<readonly StoredRecord[]> {
    const pool = await this.ready();
    const page = (after: number) =>
      this.run(
        pool,
        `SELECT version, id, content, checksum FROM ${this.table} WHERE version > $1 ORDER BY version LIMIT ${CHUNK}`,
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
      const { rows } = await this.run(
        pool,
        `SELECT coalesce(max(version), 0)::text AS head FROM ${this.table}`,
        [],
        undefined,
      );
      const head = Number((rows[0] as { head: string }).head);
      if (head < fromVersion) {
        throw new StoreCorruptionError(
          `Table ${this.table} holds ${head} events, fewer than the ${fromVersion} already read from it`,
          head + 1,
        );
      }
    }
  }

  async append(records: readonly EventRecord[], expectedVersion?: number): Promise<AppendResult> {
    const batch = distinct(records);
    if (this.options.readonly === true) {
      throw new StoreUnavailableError("read-only", `Table ${this.table} was opened read-only`);
    }
    const pool = await this.ready();
    const client = await this.connect(pool);
    let broken = false;
    try {
      // Round trip 1: begin, wait for other writers (the lock), read the last version.
      const begun = await client.query(
        `BEGIN; LOCK TABLE ${this.table} IN EXCLUSIVE MODE; SELECT coalesce(max(version), 0)::text AS head FROM ${this.table}`,
      );
      const current = Number((lastResult(begun).rows[0] as { head: string }).head);
      if (expectedVersion !== undefined && expectedVersion !== current) {
        throw new ConcurrencyError(expectedVersion, current);
      }
      // Round trip 2: write the batch unless one of its ids is stored, then notify.
      let fresh = batch;
      const found = await this.insert(client, batch, current, true);
      if (found.length > 0) {
        // A retry of stored events (the durable timeline never sends one): skip them.
        const stored = new Map(found);
        const issues: ValidationIssue[] = [];
        fresh = batch.filter((record) => {
          const known = stored.get(record.id);
          if (known !== undefined && known !== record.content) {
            issues.push({
              index: records.indexOf(record),
              path: ["id"],
              message: `id "${record.id}" is already used by an event with other content`,
            });
          }
          return known === undefined;
        });
        if (issues.length > 0) throw new TimelineValidationError(issues);
        await this.insert(client, fresh, current, false);
      }
      beforeCommit(this);
      // Round trip 3.
      await client.query("COMMIT");
      return { version: current + fresh.length, appended: fresh.length };
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

  async timeZone(): Promise<string | undefined> {
    const pool = await this.ready();
    const found = await this.run(
      pool,
      "SELECT to_regclass($1) IS NOT NULL AS exists",
      [this.settings],
      undefined,
    );
    if (!(found.rows[0] as { exists: boolean }).exists) return undefined;
    const { rows } = await this.run(
      pool,
      `SELECT time_zone FROM ${this.settings} WHERE name = $1`,
      [this.key],
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
    const pool = await this.ready();
    const client = await this.connect(pool);
    let broken = false;
    try {
      await client.query("BEGIN");
      // Made on first use, under a lock: concurrent CREATE TABLE IF NOT EXISTS can collide.
      await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [
        `tidemark:${this.settings}`,
      ]);
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${this.settings} (name text PRIMARY KEY, time_zone text NOT NULL)`,
      );
      // Appends wait meanwhile, so "the store holds events" cannot change under the check.
      await client.query(`LOCK TABLE ${this.table} IN EXCLUSIVE MODE`);
      const kept = (
        lastResult(
          await client.query(`SELECT time_zone FROM ${this.settings} WHERE name = $1`, [this.key]),
        ).rows[0] as { time_zone: string } | undefined
      )?.time_zone;
      const held = lastResult(
        await client.query(`SELECT EXISTS (SELECT 1 FROM ${this.table}) AS held`),
      ).rows[0] as { held: boolean };
      const result = kept !== undefined && (kept === zone || held.held) ? kept : zone;
      if (result !== kept) {
        await client.query(
          `INSERT INTO ${this.settings} (name, time_zone) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET time_zone = excluded.time_zone`,
          [this.key, zone],
        );
      }
      await client.query("COMMIT");
      return result;
    } catch (error) {
      try {
        await client.query("ROLLBACK");
      } catch {
        broken = true;
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

  /**
   * Inserts `records` as versions `after + 1, after + 2, ...` and notifies the channel; with
   * `check`, only if none of their ids is stored, returning those that are.
   */
  private async insert(
    client: PgClient,
    records: readonly EventRecord[],
    after: number,
    check: boolean,
  ): Promise<[id: string, content: string][]> {
    if (records.length === 0) return [];
    const result = await client.query(
      `WITH batch AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS b(id, content, checksum, n)
       ), stored AS (
         SELECT id, content FROM ${this.table} WHERE $6 AND id = ANY($1::text[])
       ), written AS (
         INSERT INTO ${this.table} (version, id, content, checksum)
         SELECT $4::bigint + n, id, content, checksum FROM batch
         WHERE NOT EXISTS (SELECT 1 FROM stored)
         RETURNING version
       )
       SELECT (SELECT coalesce(json_agg(json_build_array(id, content)), '[]') FROM stored) AS stored,
              CASE WHEN EXISTS (SELECT 1 FROM written) THEN pg_notify($5, ($4::bigint + $7::bigint)::text) END`,
      [
        records.map((r) => r.id),
        records.map((r) => r.content),
        records.map((r) => r.checksum),
        after,
        this.channel,
        check,
        records.length,
      ],
    );
    return (lastResult(result).rows[0] as { stored: [string, string][] }).stored;
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

  /**
   * LISTENs on the table's channel on a connection of its own. When that connection is lost
   * (a restart, the network), `onError` hears it once, then the watch reconnects by itself,
   * waiting 100 ms, 200 ms... up to 5 s between attempts, and calls `onChange` once back (what
   * was appended meanwhile sent no notification to hear).
   */
  async watch(
    onChange: () => void,
    onError?: (error: unknown) => void,
  ): Promise<() => Promise<void>> {
    const pool = await this.ready();
    let stopped = false;
    let current: PgClient | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const listen = async (): Promise<PgClient> => {
      // A connection of its own, closed (not returned to the pool) when the watch stops.
      const client = await this.connect(pool);
      let down = false;
      const drop = (error: unknown) => {
        if (down || stopped) return;
        down = true;
        client.release(true);
        if (current === client) current = undefined;
        onError?.(this.lost(error) ?? error);
        retry(100);
      };
      client.on("notification", (message) => {
        if (!stopped && message.channel === this.channel) onChange();
      });
      client.on("error", drop);
      client.on("end", () => drop(new Error("Connection terminated unexpectedly")));
      try {
        await client.query(`LISTEN ${quote(this.channel)}`);
      } catch (error) {
        down = true;
        client.release(true);
        throw this.lost(error) ?? error;
      }
      return client;
    };
    const retry = (wait: number) => {
      if (stopped) return;
      timer = setTimeout(() => {
        timer = undefined;
        listen().then(
          (client) => {
            if (stopped) {
              client.release(true);
              return;
            }
            current = client;
            onChange();
          },
          () => retry(Math.min(wait * 2, 5_000)),
        );
      }, wait);
      (timer as { unref?: () => void }).unref?.();
    };
    current = await listen();
    const stop = async () => {
      if (stopped) return;
      stopped = true;
      this.listeners.delete(stop);
      if (timer !== undefined) clearTimeout(timer);
      current?.release(true);
      current = undefined;
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
    let pool: PgPool;
    if (typeof this.connection === "string") {
      let pg: {
        Pool: new (config: object) => PgPool & { on(event: "error", f: () => void): unknown };
      };
      try {
        pg = (await import("pg")).default as unknown as typeof pg;
      } catch (error) {
        throw new Error("tidemark/postgres needs the pg package: npm install pg@8", {
          cause: error,
        });
      }
      const own = new pg.Pool({
        connectionString: this.connection,
        max: 4,
        idleTimeoutMillis: 5_000,
        // A server that does not answer is an error in time, not a call that hangs.
        connectionTimeoutMillis: 10_000,
      });
      own.on("error", ignore);
      pool = own;
    } else {
      pool = this.connection;
    }
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
        await client.query(
          `CREATE TABLE IF NOT EXISTS ${this.table} (
             version bigint PRIMARY KEY CHECK (version > 0),
             id text NOT NULL UNIQUE,
             content text NOT NULL,
             checksum text NOT NULL
           )`,
        );
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

/** Host, port and database of a connection string, for messages. */
function server(connection: string): string {
  try {
    const url = new URL(connection);
    return `${url.host}${url.pathname}`;
  } catch {
    return "the configured server";
  }
}

/**
 * An event store in a PostgreSQL table, for {@link index!openTimeline | openTimeline}: one timeline shared by
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
