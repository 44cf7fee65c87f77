// Standard error as the command writes to it: every message quotes the data (names, ids, file
// lines) or a store's location, so each line is escaped and passwords are hidden.

import { escapeLines, redactPasswords } from "./escape.js";

const RAW = Symbol("raw stream");

/** The stream under {@link messages}, for the progress line's own terminal codes. */
export function raw(stream: NodeJS.WriteStream): NodeJS.WriteStream {
  return (stream as { [RAW]?: NodeJS.WriteStream })[RAW] ?? stream;
}

/**
 * Standard error for messages, which quote the data (names, ids, file lines) and store
 * locations: each line's control characters escaped, every password replaced by `***`.
 */
export function messages(stream: NodeJS.WriteStream): NodeJS.WriteStream {
  return new Proxy(stream, {
    get(target, key) {
      if (key === RAW) return target;
      if (key === "write") {
        return (text: string | Uint8Array) =>
          target.write(escapeLines(redactPasswords(String(text))));
      }
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
