// The error of an input that cannot be read at all, in a module of its own so that every
// command (and exit.ts) can name it without loading the readers of every format.

/** An input that cannot be read at all (missing file...): a usage error, exit code 2. */
export class InputError extends Error {
  override readonly name = "InputError";
}
