// Prints a time only as precisely as it is known: "2016", "Dec 2016", "Sun 11 Dec",
// "Sun 11 Dec, 14h", "Sun 11 Dec, 08:00". The Palmyra example prints the report's own words
// ("dawn") instead of an hour; those words are kept in the events, not here.
// Example code, not part of the library: the library stores each time's precision
// (`event.precision`, `interval.fromPrecision`, `claim.precision`); printing it is up to you.

import type { Precision } from "../src/index.js";

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;
const MONTHS = [
  "Jan",
  "Feb",
  "Mar",
  "Apr",
  "May",
  "Jun",
  "Jul",
  "Aug",
  "Sep",
  "Oct",
  "Nov",
  "Dec",
] as const;

/** How to print times: a fixed UTC offset and a year to leave out. */
export interface TimeFormat {
  /** Minutes east of UTC of the local time zone (Syria in December 2016: +120). */
  readonly offsetMinutes: number;
  /** Days in this year are printed without it ("Sun 11 Dec" rather than "Sun 11 Dec 2016"). */
  readonly omitYear?: number;
}

const two = (n: number) => String(n).padStart(2, "0");

/**
 * Formats an instant at its precision, in the local time zone of `format`.
 *
 * @example
 * formatTime(parseTime("2016-03").at, "month", syria);                  // "Mar 2016"
 * formatTime(parseTime("2016-12-11T06:00+02:00").at, "hour", syria);   // "Sun 11 Dec, 06h"
 */
export function formatTime(at: number, precision: Precision, format: TimeFormat): string {
  // Shift by the offset and read UTC fields: the result does not depend on the machine's zone.
  const local = new Date(at + format.offsetMinutes * 60_000);
  const year = local.getUTCFullYear();
  const month = MONTHS[local.getUTCMonth()] ?? "?";
  const weekday = WEEKDAYS[local.getUTCDay()] ?? "?";
  const day = `${weekday} ${local.getUTCDate()} ${month}${year === format.omitYear ? "" : ` ${year}`}`;
  switch (precision) {
    case "year":
      return String(year);
    case "month":
      return `${month} ${year}`;
    case "week":
      return `week of ${day}`;
    case "day":
      return day;
    case "hour":
      return `${day}, ${two(local.getUTCHours())}h`;
    case "minute":
      return `${day}, ${two(local.getUTCHours())}:${two(local.getUTCMinutes())}`;
    default:
      return `${day}, ${two(local.getUTCHours())}:${two(local.getUTCMinutes())}:${two(local.getUTCSeconds())}`;
  }
}

/** Pads each column of a table to its widest cell; rows are joined by newlines. */
export function table(rows: readonly (readonly string[])[], indent = "  ", gap = "  "): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows
    .map((row) => (indent + row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(gap)).trimEnd())
    .join("\n");
}
