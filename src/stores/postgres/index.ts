export { redactConnection } from "./errors.js";
export type { PgClient, PgPool, PgResult } from "./pool.js";
export { type PostgresStoreOptions, postgresStore } from "./store.js";
