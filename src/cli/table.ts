// How answers print: tables padded to their widest cell, JSON, and times at their precision,
// with every piece of text from the data made safe for a terminal.

import { formatTime } from "../core/format-time.js";
import type { Precision } from "../core/time.js";
import type { Zone } from "../core/zone.js";
import { escapeControls, escapeJson } from "./escape.js";

/** Columns padded to their widest cell, control characters from the data escaped. */
export function table(data: readonly (readonly string[])[]): string {
  const rows = data.map((row) => row.map(escapeControls));
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** A value as the --json output prints it: indented, harmless on a terminal. */
export const json = (value: unknown): string => `${escapeJson(JSON.stringify(value, null, 2))}\n`;

/**
 * An instant at its precision, never finer, as ISO 8601 in `zone` (`formatTime`): "2016",
 * "2016-12", "2016-W49", "2016-12-10", "2016-12-10T18+02:00"... Every form reads back with
 * `parseTime` in that zone.
 */
export function isoAt(at: number, precision: Precision | null | undefined, zone: Zone): string {
  return formatTime(at, precision ?? "millisecond", { timeZone: zone.name });
}
