/**
 * `tidemark/postgres`: an {@link index!EventStore | EventStore} in one PostgreSQL table, on pg 8 (an optional
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
 *
 * The code is in `postgres/`: `schema.ts` (names and tables), `append.ts` (the append
 * transaction), `load.ts`, `watch.ts`, `settings.ts`, `errors.ts`, `pool.ts`, and `store.ts`
 * (the pool, transactions, opening and closing).
 */
export {
  type PgClient,
  type PgPool,
  type PgResult,
  type PostgresStoreOptions,
  postgresStore,
  redactConnection,
} from "./postgres/index.js";
