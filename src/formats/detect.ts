// Telling an event file's format from its first characters.

import { BOM, type FileFormat } from "./parsed-file.js";

/**
 * The format of an event file from its text: `[` or a `{ version, events }` object is JSON,
 * other text starting with `{` is NDJSON, anything else is CSV.
 */
export function detectFormat(text: string): FileFormat {
  const start = text.startsWith(BOM) ? text.slice(1).trimStart() : text.trimStart();
  if (start.startsWith("[")) return "json";
  if (!start.startsWith("{")) return start === "" ? "ndjson" : "csv";
  // One object over several lines is JSON; one object per line is NDJSON.
  const end = start.search(/[\r\n]/);
  const first = end === -1 ? start : start.slice(0, end);
  let value: unknown;
  try {
    value = JSON.parse(first);
  } catch {
    return "json";
  }
  return typeof value === "object" && value !== null && "version" in value && "events" in value
    ? "json"
    : "ndjson";
}
