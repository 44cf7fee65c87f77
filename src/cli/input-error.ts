/** An input that cannot be read at all (missing file...): a usage error, exit code 2. */
export class InputError extends Error {
  override readonly name = "InputError";
}
