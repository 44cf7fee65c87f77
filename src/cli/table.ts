// How answers print: tables padded to their widest cell, JSON, and times at their precision,
// with every piece of text from the data made safe for a terminal.

import type { TimelineEvent } from "../core/events.js";
import { formatSpan, formatTime } from "../core/format-time.js";
import type { Precision } from "../core/time.js";
import type { Zone } from "../core/zone.js";
import { clipCell, escapeControls, escapeJson } from "./escape.js";

/**
 * Columns padded to their widest cell, control characters from the data escaped, each cell cut
 * to at most `MAX_CELL` characters (a 1 MiB id would pad every row to its width).
 */
export function table(data: readonly (readonly string[])[]): string {
  const rows = data.map((row) => row.map((cell) => clipCell(escapeControls(cell))));
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

/**
 * An event's time as tables print it: from its `notBefore` to its `at` where it has one
 * (`formatSpan`: "2016-12-08/2016-12-11"), else `at` at its precision.
 */
export function spanAt(
  notBefore: { notBefore?: number; notBeforePrecision?: Precision } | undefined,
  at: number,
  precision: Precision,
  zone: Zone,
): string {
  return formatSpan(notBefore?.notBefore, notBefore?.notBeforePrecision, at, precision, {
    timeZone: zone.name,
  });
}

/** `notBefore` as --json prints times (epoch ms, precision, ISO 8601), where the event has one. */
export function notBeforeJson(event: TimelineEvent | undefined, zone: Zone): object {
  if (event?.notBefore === undefined) return {};
  const precision = event.notBeforePrecision ?? event.precision;
  return {
    notBefore: event.notBefore,
    notBeforePrecision: precision,
    notBeforeIso: isoAt(event.notBefore, precision, zone),
  };
}
