import { TimelineValidationError } from "./errors.js";
import { DAY_MS, fromLocal, readOffset, readZone, UTC, type Zone } from "./zone.js";

/**
 * An instant as users give it: a `Date`, epoch milliseconds (UTC), or an ISO 8601 string
 * (`"2016-12-11"`, `"2016-12"`, `"2016"`, `"2016-W49"`, `"2016-12-11T06:00+02:00"`).
 */
export type TimeInput = Date | number | string;

/** How precise a time is, from the form it was given in (coarsest first). */
export type Precision =
  | "year"
  | "month"
  | "week"
  | "day"
  | "hour"
  | "minute"
  | "second"
  | "millisecond";

/** Every precision, coarsest first. */
export const PRECISIONS: readonly Precision[] = Object.freeze([
  "year",
  "month",
  "week",
  "day",
  "hour",
  "minute",
  "second",
  "millisecond",
]);

const RANK: Readonly<Record<Precision, number>> = {
  year: 0,
  month: 1,
  week: 2,
  day: 3,
  hour: 4,
  minute: 5,
  second: 6,
  millisecond: 7,
};

/** An instant in epoch milliseconds with the precision it was given at. */
export interface ParsedTime {
  readonly at: number;
  readonly precision: Precision;
}

/** True when `a` is strictly coarser than `b` (`"day"` is coarser than `"hour"`). */
export function isCoarser(a: Precision, b: Precision): boolean {
  return RANK[a] < RANK[b];
}

/** True when `value` names a precision. */
export function isPrecision(value: unknown): value is Precision {
  return typeof value === "string" && Object.hasOwn(RANK, value);
}

// The largest span a Date can hold (ECMAScript: ±8.64e15 ms around the epoch).
const MAX_EPOCH_MS = 8.64e15;

// A year is four digits, or ISO 8601's expanded form: a sign and six digits (`+010000`, as
// `toISOString()` and `formatTime` write years past 9999 or before 0).
const YEAR_FORM = /^(\d{4}|[+-]\d{6})$/;
const MONTH_FORM = /^(\d{4}|[+-]\d{6})-(\d{2})$/;
const WEEK_FORM = /^(\d{4}|[+-]\d{6})-?W(\d{2})(?:-?([1-7]))?$/;
const DATE_FORM = /^(\d{4}|[+-]\d{6})-(\d{2})-(\d{2})$/;
const DATE_TIME_FORM =
  /^(\d{4}|[+-]\d{6})-(\d{2})-(\d{2})[T ](\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

// Plain arithmetic rather than Date objects: parsing is on the path of every appended event.
function utc(year: number, monthIndex: number, day: number): number {
  return daysFromCivil(year, monthIndex + 1, day) * DAY_MS;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeap(year) ? 29 : (DAYS_IN_MONTH[month - 1] as number);
}

function isoWeeksInYear(year: number): number {
  const jan1 = new Date(utc(year, 0, 1)).getUTCDay();
  const leap = isLeap(year);
  return jan1 === 4 || (leap && jan1 === 3) ? 53 : 52;
}

/**
 * The instant of a local date and time (`wall`, epoch ms as if the zone were UTC). A time of
 * day that the zone's clocks skip is an error; a date whose midnight they skip starts at the
 * first instant that exists.
 */
function inZone(wall: number, zone: Zone, timeOfDay: boolean, text: string): number | string {
  if (zone.fixed !== undefined) return wall - zone.fixed;
  const { at, gap } = fromLocal(zone, wall);
  if (gap && timeOfDay) {
    return `"${text}" does not exist in ${zone.name} (its clocks skipped that time); give an offset`;
  }
  return at;
}

function parseDateTime(m: RegExpExecArray, zone: Zone): ParsedTime | string {
  const [year, month, day, hour] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])];
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const millis = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  if (month < 1 || month > 12) return `month ${m[2]} does not exist`;
  if (day < 1 || day > daysInMonth(year, month))
    return `day ${m[3]} does not exist in ${m[1]}-${m[2]}`;
  if (hour > 23) return `hour ${m[4]} is out of range`;
  if (minute > 59) return `minute ${m[5]} is out of range`;
  if (second > 59) return `second ${m[6]} is out of range`;
  const precision: Precision =
    m[7] !== undefined
      ? "millisecond"
      : m[6] !== undefined
        ? "second"
        : m[5] !== undefined
          ? "minute"
          : "hour";
  const wall = utc(year, month - 1, day) + ((hour * 60 + minute) * 60 + second) * 1000 + millis;
  if (m[8] === undefined) {
    const at = inZone(wall, zone, true, m[0]);
    return typeof at === "string" ? at : { at, precision };
  }
  const offset = readOffset(m[8]);
  if (typeof offset === "string") return offset;
  return { at: wall - offset, precision };
}

const ZERO = 48;

function digits(text: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const d = text.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/**
 * The form feeds and `toISOString()` write, `YYYY-MM-DDTHH:MM:SS[.sss]Z`, read without a
 * regular expression: time parsing is on the path of every appended event.
 */
function parseCanonical(text: string): ParsedTime | undefined {
  const n = text.length;
  if ((n !== 20 && n !== 24) || text.charCodeAt(n - 1) !== 90 /* Z */) return undefined;
  if (
    text[4] !== "-" ||
    text[7] !== "-" ||
    text[10] !== "T" ||
    text[13] !== ":" ||
    text[16] !== ":"
  ) {
    return undefined;
  }
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  const millis = n === 24 ? (text[19] === "." ? digits(text, 20, 3) : -1) : 0;
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23) return undefined;
  if (minute < 0 || minute > 59 || second < 0 || second > 59 || millis < 0) return undefined;
  if (day > daysInMonth(year, month)) return undefined;
  return {
    at: utc(year, month - 1, day) + ((hour * 60 + minute) * 60 + second) * 1000 + millis,
    precision: n === 24 ? "millisecond" : "second",
  };
}

function parseString(text: string, zone: Zone): ParsedTime | string {
  // ISO 8601 has no year minus zero.
  if (text.startsWith("-000000")) return `"${text}": year -000000 is written +000000 or 0000`;
  const canonical = parseCanonical(text);
  if (canonical !== undefined) return canonical;
  // Other date-times next, then the coarser forms.
  const m = text.length > 12 ? DATE_TIME_FORM.exec(text) : null;
  if (m) return parseDateTime(m, zone);
  const dated = parseDate(text);
  if (typeof dated === "string") return dated;
  const at = inZone(dated.at, zone, false, text);
  return typeof at === "string" ? at : { at, precision: dated.precision };
}

/** A date without a time of day, as its local midnight written as if the zone were UTC. */
function parseDate(text: string): ParsedTime | string {
  let m = YEAR_FORM.exec(text);
  if (m) return { at: utc(Number(m[1]), 0, 1), precision: "year" };

  m = MONTH_FORM.exec(text);
  if (m) {
    const month = Number(m[2]);
    if (month < 1 || month > 12) return `month ${m[2]} does not exist`;
    return { at: utc(Number(m[1]), month - 1, 1), precision: "month" };
  }

  m = WEEK_FORM.exec(text);
  if (m) {
    const year = Number(m[1]);
    const week = Number(m[2]);
    if (week < 1 || week > isoWeeksInYear(year)) return `week ${m[2]} does not exist in ${year}`;
    // ISO 8601: week 1 is the week that holds 4 January; weeks start on Monday.
    const jan4 = utc(year, 0, 4);
    const mondayOfWeek1 = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY_MS;
    const weekday = m[3] === undefined ? 1 : Number(m[3]);
    return {
      at: mondayOfWeek1 + ((week - 1) * 7 + weekday - 1) * DAY_MS,
      precision: m[3] === undefined ? "week" : "day",
    };
  }

  m = DATE_FORM.exec(text);
  if (m) {
    const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (month < 1 || month > 12) return `month ${m[2]} does not exist`;
    if (day < 1 || day > daysInMonth(year, month))
      return `day ${m[3]} does not exist in ${m[1]}-${m[2]}`;
    return { at: utc(year, month - 1, day), precision: "day" };
  }

  return `"${text}" is not an ISO 8601 date or time (e.g. "2016-12-11", "2016-12-11T06:00+02:00")`;
}

/**
 * Reads a time without throwing: the parsed instant, or a message saying what is wrong.
 * Dates and date-times without an offset are read in `zone`.
 * Internal: the public entry points wrap it in a `TimelineValidationError`.
 */
export function readTime(input: unknown, zone: Zone = UTC): ParsedTime | string {
  if (input instanceof Date) {
    const at = input.getTime();
    return Number.isNaN(at) ? "the Date is invalid" : { at, precision: "millisecond" };
  }
  if (typeof input === "number") {
    if (!Number.isFinite(input)) return `${input} is not a finite number of epoch milliseconds`;
    if (!Number.isInteger(input)) return `${input} is not a whole number of epoch milliseconds`;
    if (Math.abs(input) > MAX_EPOCH_MS) return `${input} is outside the range of dates`;
    return { at: input, precision: "millisecond" };
  }
  if (typeof input === "string") {
    const parsed = parseString(input.trim(), zone);
    if (typeof parsed !== "string" && Math.abs(parsed.at) > MAX_EPOCH_MS) {
      return `"${input}" is outside the range of dates`;
    }
    return parsed;
  }
  return `expected a Date, epoch milliseconds or an ISO 8601 string, got ${input === null ? "null" : typeof input}`;
}

/** Options of {@link parseTime}. */
export interface ParseTimeOptions {
  /**
   * The zone that dates and date-times without an offset are read in: an IANA name
   * (`"Asia/Damascus"`) or a fixed offset (`"+02:00"`). Default `"UTC"`.
   */
  readonly timeZone?: string;
}

/**
 * Parses a {@link TimeInput} into epoch milliseconds and the precision of its form.
 * Date-only and coarser strings mean 00:00 of their first day, and a date-time without an
 * offset is a local time, both in `options.timeZone` (default UTC, so results never depend
 * on the machine's time zone). An offset in the string always wins; numbers and `Date`s are
 * instants. A time of day that the zone skips (daylight saving time starts) is an error; a
 * time it repeats is the earlier instant; a day whose midnight it skips starts when its
 * clocks jump.
 *
 * @throws {TimelineValidationError} for anything that is not a valid instant, or a zone
 *   that does not exist.
 * @example
 * parseTime("2016-12-11");            // { at: 1481414400000, precision: "day" }
 * parseTime("2016-12-11T06:00+02:00"); // { at: 1481428800000, precision: "minute" }
 * parseTime("2016-12-11", { timeZone: "Asia/Damascus" }); // 00:00 in Damascus (22:00 UTC the day before)
 */
export function parseTime(input: TimeInput, options: ParseTimeOptions = {}): ParsedTime {
  const zone = options.timeZone === undefined ? UTC : readZone(options.timeZone);
  if (typeof zone === "string") {
    throw new TimelineValidationError([{ index: 0, path: ["timeZone"], message: zone }]);
  }
  const parsed = readTime(input, zone);
  if (typeof parsed === "string")
    throw new TimelineValidationError([{ index: 0, path: [], message: parsed }]);
  return parsed;
}

/** Reads an instant given to a query without throwing: epoch ms, or what is wrong. */
export function readQueryTime(input: unknown, zone: Zone = UTC): number | string {
  // An instant to compare against may fall between two milliseconds (a computed midpoint,
  // `first + Math.random() * span`): only stored events need whole milliseconds.
  if (typeof input === "number" && Number.isFinite(input) && Math.abs(input) <= MAX_EPOCH_MS) {
    return input;
  }
  const parsed = readTime(input, zone);
  return typeof parsed === "string" ? parsed : parsed.at;
}

/** Reads a query's time argument, naming the argument in the error. */
export function queryTime(input: unknown, name: string, zone: Zone = UTC): number {
  const at = readQueryTime(input, zone);
  if (typeof at === "string") {
    throw new TimelineValidationError([{ index: 0, path: [name], message: at }]);
  }
  return at;
}
