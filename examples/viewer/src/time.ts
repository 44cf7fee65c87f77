// Times on the page: printed by the library's `formatTime`, at their own precision and never
// finer ("December 2016", "Sat, 10 Dec 2016"), in one fixed zone and one locale, so that the
// page reads the same on every machine whatever its time zone and language. A time the data
// gives in words ("dawn", "since the 8th") is printed with its words, not a made-up hour.

import { formatTime, PRECISIONS, type Precision } from "tidemark";

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** The page's language for dates: English words, day before month. */
const LOCALE = "en-GB";

/** How to print times: a fixed offset east of UTC, and words for vague hours ("dawn"). */
export interface Clock {
  readonly offsetMinutes: number;
  /** Words for hour-precision instants that no event's own words cover, keyed by epoch ms. */
  readonly labels: ReadonlyMap<number, string>;
}

const two = (n: number) => String(n).padStart(2, "0");

/** The clock's offset as `formatTime` takes it: "+02:00", or "UTC". */
function zoneOf(clock: Clock): string {
  return clock.offsetMinutes === 0 ? "UTC" : formatOffset(clock.offsetMinutes).slice(3);
}

/**
 * An instant at its precision, by the library's `formatTime`: "December 2016",
 * "Sat, 10 Dec 2016", "Sun, 11 Dec 2016, 08:00 UTC+02:00". With words for its time (an
 * event's, or the clock's label of an hour), the words replace the hour ("Sat, 10 Dec 2016,
 * evening") or follow a date ("Thu, 8 Dec 2016 (since the 8th)").
 */
export function formatAt(
  at: number,
  precision: Precision,
  clock: Clock,
  words?: string | undefined,
): string {
  const options = { timeZone: zoneOf(clock), locale: LOCALE };
  const said = words ?? (precision === "hour" ? clock.labels.get(at) : undefined);
  if (said === undefined) return formatTime(at, precision, options);
  const dayOrCoarser = PRECISIONS.indexOf(precision) <= PRECISIONS.indexOf("day");
  return dayOrCoarser
    ? `${formatTime(at, precision, options)} (${said})`
    : `${formatTime(at, "day", options)}, ${said}`;
}

/** "UTC+02:00", "UTC-05:30", "UTC". */
export function formatOffset(offsetMinutes: number): string {
  if (offsetMinutes === 0) return "UTC";
  const sign = offsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(offsetMinutes);
  return `UTC${sign}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
}

/** ISO 8601 to the minute in the clock's offset, for links: "2016-12-11T08:00+02:00". */
export function isoMinute(at: number, offsetMinutes: number): string {
  const d = new Date(at + offsetMinutes * 60_000);
  const date = `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}`;
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
  if (offsetMinutes === 0) return `${date}T${time}Z`;
  return `${date}T${time}${formatOffset(offsetMinutes).slice(3)}`;
}

/** The offset written in an ISO date-time ("...+02:00" gives 120, "...Z" 0), if any. */
export function offsetOf(iso: string): number | undefined {
  const match = /T[\d:.]+(Z|([+-])(\d\d):?(\d\d))$/.exec(iso);
  if (match === null) return undefined;
  if (match[1] === "Z") return 0;
  const minutes = Number(match[3]) * 60 + Number(match[4]);
  return match[2] === "-" ? -minutes : minutes;
}

/** Start of the local day of `at`. */
export function startOfDay(at: number, clock: Clock): number {
  const shift = clock.offsetMinutes * 60_000;
  return Math.floor((at + shift) / DAY) * DAY - shift;
}
