// Printing an instant at its own precision, never finer: a time known to the day must not
// read as midnight, nor one known to the evening as 18:00 sharp.

import { TimelineValidationError } from "./errors.js";
import { isCoarser, isPrecision, type Precision } from "./time.js";
import { DAY_MS, readZone, type Zone } from "./zone.js";

/** The ends of the `Date` range, in epoch milliseconds. */
const LIMIT = 8.64e15;
/** 400 Gregorian years: the calendar repeats after them, weekdays included. */
const CYCLE = 146_097 * DAY_MS;
/** UTC, for instants that a zone's offset would push out of the `Date` range. */
const UTC = readZone("UTC") as Zone;

/** Options of {@link formatTime}. */
export interface FormatTimeOptions {
  /**
   * The zone to print in: an IANA name (`"Asia/Damascus"`) or a fixed offset (`"+02:00"`).
   * Default `"UTC"`. Use the timeline's own (`timeline.timeZone`) to print days as its
   * events wrote them.
   */
  readonly timeZone?: string;
  /**
   * A BCP 47 locale (`"en-GB"`, `"ar-SY"`): words from the platform's `Intl` instead of
   * ISO 8601. Without it the result is ISO 8601, which `parseTime` reads back.
   */
  readonly locale?: string | readonly string[];
}

const two = (n: number) => String(n).padStart(2, "0");

function yearText(year: number): string {
  if (year >= 0 && year <= 9999) return String(year).padStart(4, "0");
  return `${year < 0 ? "-" : "+"}${String(Math.abs(year)).padStart(6, "0")}`;
}

function offsetText(offset: number): string {
  if (offset === 0) return "Z";
  const minutes = Math.round(Math.abs(offset) / 60_000);
  return `${offset < 0 ? "-" : "+"}${two(Math.floor(minutes / 60))}:${two(minutes % 60)}`;
}

/** The ISO week-numbering year and week of a local date (`wall`: its midnight as if UTC). */
function isoWeek(given: number): { year: number; week: number } {
  // Worked out whole cycles nearer 1970, where 1 January of the Thursday's year is a Date
  // even when the given year is at the ends of the range.
  const cycles = Math.trunc(given / CYCLE);
  const wall = given - cycles * CYCLE;
  const weekday = (new Date(wall).getUTCDay() + 6) % 7; // Monday 0
  // The ISO week is the one of its Thursday, and its year is the Thursday's year.
  const thursday = new Date(wall + (3 - weekday) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / DAY_MS / 7) + 1;
  return { year: year + 400 * cycles, week };
}

const HOUR = 3_600_000;

/**
 * The offset an hour is printed in: the zone's at `at`, unless `at` starts an hour only in the
 * offset beside it. Where the clocks move by half an hour (Lord Howe), the hour that starts at
 * 01:00+10:30 is 01:30 in the +11:00 in force then, and "01+11:00" would read back as another
 * instant; "01+10:30" reads back as itself.
 */
function hourOffset(at: number, zone: Zone, offset: number): number {
  const onHour = (o: number) => (((at + o) % HOUR) + HOUR) % HOUR === 0;
  if (onHour(offset)) return offset;
  for (const near of [zone.offsetAt(at + HOUR), zone.offsetAt(at - HOUR)]) {
    if (onHour(near)) return near;
  }
  return offset;
}

function isoText(at: number, precision: Precision, zone: Zone): string {
  // ISO 8601 offsets have whole minutes; local mean times before about 1920 do not, so a
  // time of day is printed at the nearest whole-minute offset (and reads back exactly).
  const exact = zone.offsetAt(at);
  let offset = isCoarser(precision, "hour") ? exact : Math.round(exact / 60_000) * 60_000;
  if (precision === "hour") offset = hourOffset(at, zone, offset);
  const local = new Date(at + offset);
  const year = yearText(local.getUTCFullYear());
  const date = `${year}-${two(local.getUTCMonth() + 1)}-${two(local.getUTCDate())}`;
  const hh = two(local.getUTCHours());
  const mm = two(local.getUTCMinutes());
  const ss = two(local.getUTCSeconds());
  switch (precision) {
    case "year":
      return year;
    case "month":
      return date.slice(0, -3);
    case "week": {
      const { year: weekYear, week } = isoWeek(Math.floor((at + offset) / DAY_MS) * DAY_MS);
      return `${yearText(weekYear)}-W${two(week)}`;
    }
    case "day":
      return date;
    case "hour":
      return `${date}T${hh}${offsetText(offset)}`;
    case "minute":
      return `${date}T${hh}:${mm}${offsetText(offset)}`;
    case "second":
      return `${date}T${hh}:${mm}:${ss}${offsetText(offset)}`;
    default:
      return `${date}T${hh}:${mm}:${ss}.${String(local.getUTCMilliseconds()).padStart(3, "0")}${offsetText(offset)}`;
  }
}

// Each precision from the day down adds one field to the one above it.
const DAY_FIELDS: Intl.DateTimeFormatOptions = {
  weekday: "short",
  year: "numeric",
  month: "short",
  day: "numeric",
};
const HOUR_FIELDS: Intl.DateTimeFormatOptions = { ...DAY_FIELDS, hour: "numeric" };
const MINUTE_FIELDS: Intl.DateTimeFormatOptions = { ...HOUR_FIELDS, minute: "2-digit" };
const SECOND_FIELDS: Intl.DateTimeFormatOptions = { ...MINUTE_FIELDS, second: "2-digit" };

const FIELDS: Readonly<Record<Precision, Intl.DateTimeFormatOptions>> = {
  year: { year: "numeric" },
  month: { year: "numeric", month: "long" },
  week: { year: "numeric", month: "short", day: "numeric" },
  day: DAY_FIELDS,
  hour: HOUR_FIELDS,
  minute: MINUTE_FIELDS,
  second: SECOND_FIELDS,
  millisecond: { ...SECOND_FIELDS, fractionalSecondDigits: 3 },
};

const formats = new Map<string, Intl.DateTimeFormat>();

/**
 * A formatter for a precision in a zone. Intl knows IANA zones but not every offset, so a
 * fixed offset formats the shifted instant as UTC and names its offset itself.
 */
function intlFormat(
  locale: string | readonly string[],
  precision: Precision,
  zone: Zone,
): Intl.DateTimeFormat {
  const key = JSON.stringify([locale, precision, zone.name]);
  let format = formats.get(key);
  if (format === undefined) {
    const timeOfDay = FIELDS[precision].hour !== undefined;
    format = new Intl.DateTimeFormat(locale as string | string[], {
      ...FIELDS[precision],
      timeZone: zone.fixed === undefined ? zone.name : "UTC",
      ...(timeOfDay && zone.fixed === undefined ? { timeZoneName: "short" } : {}),
    });
    formats.set(key, format);
  }
  return format;
}

function localeText(
  at: number,
  precision: Precision,
  zone: Zone,
  locale: string | readonly string[],
): string {
  const format = intlFormat(locale, precision, zone);
  const shift = zone.fixed ?? 0;
  if (precision === "week") {
    // A week is the span from its Monday to its Sunday, as the locale writes a range of days.
    const offset = zone.offsetAt(at);
    const wall = Math.floor((at + offset) / DAY_MS) * DAY_MS;
    const monday = wall - ((new Date(wall).getUTCDay() + 6) % 7) * DAY_MS;
    const mondayNoon = monday + DAY_MS / 2 - offset + shift;
    // The weeks at the ends of the range are cut at them: Intl refuses any instant beyond.
    const clamp = (t: number) => Math.min(Math.max(t, -LIMIT), LIMIT);
    return format.formatRange(clamp(mondayNoon), clamp(mondayNoon + 6 * DAY_MS));
  }
  const text = format.format(at + shift);
  const timeOfDay = FIELDS[precision].hour !== undefined;
  if (!timeOfDay || zone.fixed === undefined) return text;
  return `${text} ${zone.fixed === 0 ? "UTC" : `UTC${offsetText(zone.fixed)}`}`;
}

/**
 * Prints an instant at its precision and never finer: `"year"` shows the year alone,
 * `"month"` no day, `"week"` the ISO week, `"day"` no hour, `"hour"` no minutes.
 *
 * Without `locale`, ISO 8601 cut to the precision, in `timeZone` (default UTC), which
 * `parseTime(text, { timeZone })` reads back at the same precision: `"2016"`, `"2016-12"`,
 * `"2016-W49"`, `"2016-12-10"`, `"2016-12-10T18+02:00"`, `"2016-12-10T18:00+02:00"`,
 * `"2016-12-10T18:00:00+02:00"`, `"2016-12-10T18:00:00.000+02:00"` (`Z` where the offset is
 * zero). Dates (day and coarser) are those of the zone.
 *
 * With `locale`, the platform's `Intl` words for the same fields (here `"en-US"` in Damascus): `"December 2016"`,
 * `"Dec 5 – 11, 2016"` (the week's Monday to Sunday), `"Sat, Dec 10, 2016"`,
 * `"Sat, Dec 10, 2016, 6 PM GMT+2"`.
 *
 * @throws {TimelineValidationError} for an instant that is not a finite number or a valid
 *   `Date`, a precision that does not exist, or a zone that does not exist.
 * @example
 * formatTime(event.at, event.precision);                                // "2016-12-10"
 * formatTime(Date.parse("2016-12-10T16:00Z"), "hour", { timeZone: "Asia/Damascus" });
 * // "2016-12-10T18+02:00"
 * formatTime(Date.parse("2016-12-10T16:00Z"), "day", { locale: "en-GB" }); // "Sat, 10 Dec 2016"
 */
export function formatTime(
  at: number | Date,
  precision: Precision,
  options: FormatTimeOptions = {},
): string {
  const instant = at instanceof Date ? at.getTime() : at;
  const issues: { index: number; path: string[]; message: string }[] = [];
  if (typeof instant !== "number" || !Number.isFinite(instant) || Math.abs(instant) > LIMIT) {
    issues.push({ index: 0, path: ["at"], message: "expected epoch milliseconds or a valid Date" });
  }
  if (!isPrecision(precision)) {
    issues.push({
      index: 0,
      path: ["precision"],
      message: "expected one of year, month, week, day, hour, minute, second, millisecond",
    });
  }
  const zone = readZone(options.timeZone ?? "UTC");
  if (typeof zone === "string") issues.push({ index: 0, path: ["timeZone"], message: zone });
  if (issues.length > 0 || typeof zone === "string") throw new TimelineValidationError(issues);
  const whole = Math.floor(instant);
  // Within two days of the ends of the range, a zone's offset could push the local time out
  // of it (and Intl refuses to look such instants up): there, an instant a fixed offset
  // keeps in range prints in it, any other in UTC.
  const nearEnd = Math.abs(whole) > LIMIT - 2 * DAY_MS;
  const shown =
    nearEnd && (zone.fixed === undefined || Math.abs(whole + zone.fixed) > LIMIT) ? UTC : zone;
  return options.locale === undefined
    ? isoText(whole, precision, shown)
    : localeText(whole, precision, shown, options.locale);
}

/**
 * Prints the span in which an event happened: from its `notBefore` to its `at`, each at its
 * own precision and never finer. Without `notBefore` (or where both ends print the same), it
 * is {@link formatTime} of `at`, so the event's fields can be passed as they are.
 *
 * Without `locale`, an ISO 8601 interval that `parseTime` reads end by end:
 * `"2024-10-03/2024-10-10"`. With `locale`, the platform's `Intl` words for a range where
 * both ends have one precision (`"Thu, 3 Oct 2024 – Thu, 10 Oct 2024"` in `"en-GB"`), else
 * the two ends' words joined by an en dash.
 *
 * @throws {TimelineValidationError} as {@link formatTime} does, for either end.
 * @example
 * formatSpan(event.notBefore, event.notBeforePrecision, event.at, event.precision);
 * // "2024-10-03/2024-10-10"
 * formatSpan(Date.UTC(2024, 9, 3), "day", Date.UTC(2024, 9, 10), "day", { locale: "en-GB" });
 * // "Thu, 3 Oct 2024 – Thu, 10 Oct 2024"
 */
export function formatSpan(
  notBefore: number | Date | undefined,
  notBeforePrecision: Precision | undefined,
  at: number | Date,
  precision: Precision,
  options: FormatTimeOptions = {},
): string {
  const end = formatTime(at, precision, options);
  if (notBefore === undefined) return end;
  const startPrecision = notBeforePrecision ?? precision;
  const start = formatTime(notBefore, startPrecision, options);
  if (start === end) return end;
  const { locale } = options;
  if (locale === undefined) return `${start}/${end}`;
  const zone = readZone(options.timeZone ?? "UTC") as Zone;
  if (startPrecision === precision && precision !== "week" && zone.fixed === undefined) {
    const from = notBefore instanceof Date ? notBefore.getTime() : notBefore;
    const to = at instanceof Date ? at.getTime() : at;
    // Intl refuses instants beyond the Date range, which formatTime has printed in UTC.
    if (Math.abs(from) <= LIMIT - 2 * DAY_MS && Math.abs(to) <= LIMIT - 2 * DAY_MS) {
      return intlFormat(locale, precision, zone).formatRange(Math.floor(from), Math.floor(to));
    }
  }
  return `${start} – ${end}`;
}
