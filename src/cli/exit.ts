// How the command ends: the errors that stand for its exit codes, and the one place that turns
// any error into a line on stderr and `process.exitCode` (0 ok, 1 invalid data, 2 bad usage or
// an unusable store, 70 a bug). Nothing here calls `process.exit`: output still flushes.

import { StoreCorruptionError, StoreUnavailableError } from "../stores/store.js";
import { safeMessage } from "./escape.js";
import { InputError } from "./input-error.js";

/** A mistake in how the command was called: exit code 2, the message on stderr. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** The input is invalid: exit code 1 (the problems are already printed). */
export class InvalidData extends Error {
  override readonly name = "InvalidData";
}

/** Writes what went wrong as one line on `stderr` and returns the exit code it stands for. */
export function failure(error: unknown, stderr: NodeJS.WritableStream): number {
  if (error instanceof InvalidData) return 1;
  if (error instanceof UsageError || error instanceof InputError) {
    stderr.write(`tidemark: ${safeMessage(error.message)}\n`);
    if (error instanceof UsageError && /no command given|unknown command/.test(error.message)) {
      stderr.write("Run `tidemark --help` for the commands.\n");
    }
    return 2;
  }
  if (error instanceof StoreUnavailableError) {
    // Not a tidemark store, missing, read-only, locked, a full disk, a server gone.
    stderr.write(`tidemark: ${safeMessage(error.message)}\n`);
    return 2;
  }
  if (error instanceof StoreCorruptionError) {
    stderr.write(`tidemark: ${safeMessage(error.message)}\n`);
    return 1;
  }
  // A bug, not the user's doing: one line to report; the stack with TIDEMARK_DEBUG=1.
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  stderr.write(`tidemark: internal error (please report it): ${safeMessage(message)}\n`);
  if (process.env.TIDEMARK_DEBUG === "1" && error instanceof Error) {
    stderr.write(`${error.stack ?? ""}\n`);
  }
  return 70;
}
