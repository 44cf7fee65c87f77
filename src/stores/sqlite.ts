/**
 * `tidemark/sqlite`: an {@link index!EventStore | EventStore} in one SQLite file, on better-sqlite3 12 (an
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
 *
 * The code is in `sqlite/`: `schema.ts` (what makes a file a store), `append.ts` (the append
 * transaction), `load.ts` (reading back), `watch.ts`, `settings.ts`, `errors.ts`, and
 * `store.ts` (opening and closing).
 */
export { type SqliteStoreOptions, sqliteStore } from "./sqlite/index.js";
