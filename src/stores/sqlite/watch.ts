/** Watching a SQLite store for other processes' commits, by polling `PRAGMA data_version`. */
import type BetterSqlite3 from "better-sqlite3";

/**
 * Calls `onChange` when another connection commits, checking every `interval` ms; resolves
 * to the timer, for the store to clear when it closes.
 */
export function pollDataVersion(
  db: BetterSqlite3.Database,
  interval: number,
  onChange: () => void,
  onError?: (error: unknown) => void,
): ReturnType<typeof setInterval> {
  // data_version changes when another connection commits.
  const version = db.prepare("PRAGMA data_version").pluck();
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
  }, interval);
  (timer as { unref?: () => void }).unref?.();
  return timer;
}
