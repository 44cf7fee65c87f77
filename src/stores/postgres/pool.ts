/** The part of pg the store uses, and clients that cannot crash the process. */

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

/** Keeps a connection-string pool from crashing the process when an idle client errs. */
const ignore = () => undefined;

/** Clients given an 'error' listener already (a pool hands the same client out again). */
const heard = new WeakSet<object>();

/**
 * A client from the pool that cannot crash the process: a connection that dies while the
 * client is checked out emits 'error', which without a listener is an uncaught exception.
 * The failure itself reaches the caller as the rejection of its pending query.
 */
export async function acquire(pool: PgPool): Promise<PgClient> {
  const client = await pool.connect();
  if (!heard.has(client)) {
    heard.add(client);
    client.on("error", ignore);
  }
  return client;
}

/** The result of the last statement of a query (pg gives an array for several). */
export function lastResult(result: PgResult | PgResult[]): PgResult {
  return Array.isArray(result) ? (result[result.length - 1] as PgResult) : result;
}

/** A small pool on a connection string, on pg loaded when first needed. */
export async function createPool(connectionString: string): Promise<PgPool> {
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
    connectionString,
    max: 4,
    idleTimeoutMillis: 5_000,
    // A server that does not answer is an error in time, not a call that hangs.
    connectionTimeoutMillis: 10_000,
  });
  own.on("error", ignore);
  return own;
}
