/** Watching a PostgreSQL store: LISTEN on its channel, reconnecting when the server goes away. */
import { acquire, type PgClient, type PgPool } from "./pool.js";
import { quote } from "./schema.js";

/** What a watch needs of its store. */
export interface WatchContext {
  readonly pool: PgPool;
  readonly channel: string;
  /** The error as the store reports it (a lost server as a StoreUnavailableError). */
  lost(error: unknown): unknown;
}

/**
 * LISTENs on the table's channel on a connection of its own. When that connection is lost
 * (a restart, the network), `onError` hears it once, then the watch reconnects by itself,
 * waiting 100 ms, 200 ms... up to 5 s between attempts, and calls `onChange` once back (what
 * was appended meanwhile sent no notification to hear). Resolves to the function that stops.
 */
export async function listen(
  context: WatchContext,
  onChange: () => void,
  onError?: (error: unknown) => void,
): Promise<() => Promise<void>> {
  const { pool, channel } = context;
  let stopped = false;
  let current: PgClient | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const connect = async (): Promise<PgClient> => {
    // A connection of its own, closed (not returned to the pool) when the watch stops.
    let client: PgClient;
    try {
      client = await acquire(pool);
    } catch (error) {
      throw context.lost(error);
    }
    let down = false;
    const drop = (error: unknown) => {
      if (down || stopped) return;
      down = true;
      client.release(true);
      if (current === client) current = undefined;
      onError?.(context.lost(error));
      retry(100);
    };
    client.on("notification", (message) => {
      if (!stopped && message.channel === channel) onChange();
    });
    client.on("error", drop);
    client.on("end", () => drop(new Error("Connection terminated unexpectedly")));
    try {
      await client.query(`LISTEN ${quote(channel)}`);
    } catch (error) {
      down = true;
      client.release(true);
      throw context.lost(error);
    }
    return client;
  };
  const retry = (wait: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = undefined;
      connect().then(
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
  current = await connect();
  return async () => {
    if (stopped) return;
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
    current?.release(true);
    current = undefined;
  };
}
