// Times on the page: printed at their own precision ("Mar 2016", "Sat 10 Dec 2016",
// "Sun 11 Dec 2016, dawn"), in one fixed UTC offset, so that the page reads the same on every
// machine whatever its time zone.

import type { Precision } from "tidemark";

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

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** How to print times: a fixed offset east of UTC, and words for vague hours ("dawn"). */
export interface Clock {
  readonly offsetMinutes: number;
  /** Labels of hour-precision instants, keyed by epoch ms. */
  readonly labels: ReadonlyMap<number, string>;
}

const two = (n: number) => String(n).padStart(2, "0");

/** The fields of `at` in the clock's local time (read with getUTC*). */
const local = (at: number, clock: Clock) => new Date(at + clock.offsetMinutes * 60_000);

/** An instant at its precision: "2016", "Mar 2016", "Sun 11 Dec 2016, dawn", "..., 08:00". */
export function formatTime(at: number, precision: Precision, clock: Clock): string {
  const d = local(at, clock);
  const year = d.getUTCFullYear();
  const month = MONTHS[d.getUTCMonth()] ?? "?";
  const day = `${WEEKDAYS[d.getUTCDay()] ?? "?"} ${d.getUTCDate()} ${month} ${year}`;
  const hm = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
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
      return `${day}, ${clock.labels.get(at) ?? `${two(d.getUTCHours())}h`}`;
    case "minute":
      return `${day}, ${hm}`;
    case "second":
      return `${day}, ${hm}:${two(d.getUTCSeconds())}`;
    default:
      return `${day}, ${hm}:${two(d.getUTCSeconds())}.${String(d.getUTCMilliseconds()).padStart(3, "0")}`;
  }
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
