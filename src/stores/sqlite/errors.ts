/** How SQLite's and the file system's failures reach the caller of a SQLite store. */
import { StoreUnavailableError } from "../store.js";
import type { Kind } from "./schema.js";

/** Whether SQLite reports a damaged file. */
export function isCorruption(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    typeof code === "string" &&
    (code.startsWith("SQLITE_CORRUPT") ||
      code === "SQLITE_NOTADB" ||
      code === "SQLITE_IOERR_SHORT_READ")
  );
}

const errno = (error: unknown) =>
  String((error as { code?: unknown } | null)?.code ?? "") +
  String((error as { message?: unknown } | null)?.message ?? "");

/**
 * The driver's or the file system's report of a store that cannot be used, as a
 * StoreUnavailableError saying why; `undefined` for any other error.
 */
export function unavailable(path: string, error: unknown): StoreUnavailableError | undefined {
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

/** The error of a file that is not a tidemark store, which is left as it was. */
export function notAStore(path: string, kind: Kind): StoreUnavailableError {
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
