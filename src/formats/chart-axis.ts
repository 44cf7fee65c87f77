// The chart's time axis: tick instants aligned to local calendar boundaries in the chart's
// zone, their labels, and the zone's printed name.

import { formatTime } from "../core/format-time.js";
import type { Precision } from "../core/time.js";
import { fromLocal, type Zone } from "../core/zone.js";

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/** A tick step: `count` calendar units. */
export interface Step {
  readonly unit: "hour" | "day" | "month" | "year";
  readonly count: number;
  /** Approximate length, for choosing a step. */
  readonly ms: number;
}

const STEPS: readonly Step[] = [
  ...[1, 2, 3, 6, 12].map((count) => ({ unit: "hour" as const, count, ms: count * HOUR_MS })),
  ...[1, 2, 7, 14].map((count) => ({ unit: "day" as const, count, ms: count * DAY_MS })),
  ...[1, 2, 3, 6].map((count) => ({ unit: "month" as const, count, ms: count * 30.4 * DAY_MS })),
  ...[1, 2, 5, 10, 20, 50, 100].map((count) => ({
    unit: "year" as const,
    count,
    ms: count * 365.25 * DAY_MS,
  })),
];

/** End of the span a coarse time stands for ("2016-03" stands for all of March). */
export function spanEnd(t: number, precision: Precision): number {
  const d = new Date(t);
  switch (precision) {
    case "year":
      return Date.UTC(d.getUTCFullYear() + 1, 0, 1);
    case "month":
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    case "week":
      return t + 7 * DAY_MS;
    case "day":
      return t + DAY_MS;
    default:
      return t;
  }
}

/** Local calendar fields of an instant in the zone. */
function fields(t: number, zone: Zone) {
  const d = new Date(t + zone.offsetAt(t));
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth(),
    day: d.getUTCDate(),
    weekday: d.getUTCDay(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
  };
}

const local = (zone: Zone, y: number, mo: number, d = 1, h = 0) =>
  fromLocal(zone, Date.UTC(y, mo, d, h)).at;

/** Tick instants of a step in [from, to], aligned to local calendar boundaries. */
export function ticks(step: Step, from: number, to: number, zone: Zone): number[] {
  const out: number[] = [];
  const f = fields(from, zone);
  let t: number;
  switch (step.unit) {
    case "hour":
      t = local(zone, f.year, f.month, f.day, Math.floor(f.hour / step.count) * step.count);
      for (; t <= to; t += step.count * HOUR_MS) if (t >= from) out.push(t);
      return out;
    case "day": {
      t = local(zone, f.year, f.month, f.day);
      if (step.count === 7 || step.count === 14) t -= ((f.weekday + 6) % 7) * DAY_MS; // Mondays
      for (; t <= to; t += step.count * DAY_MS) if (t >= from) out.push(t);
      return out;
    }
    case "month": {
      let m = Math.floor(f.month / step.count) * step.count;
      let y = f.year;
      for (t = local(zone, y, m); t <= to; t = local(zone, y, m)) {
        if (t >= from) out.push(t);
        m += step.count;
        if (m >= 12) {
          y += Math.floor(m / 12);
          m %= 12;
        }
      }
      return out;
    }
    default: {
      let y = Math.floor(f.year / step.count) * step.count;
      for (t = local(zone, y, 0); t <= to; t = local(zone, y, 0)) {
        if (t >= from) out.push(t);
        y += step.count;
      }
      return out;
    }
  }
}

/** Labels of a tick: the main label, and a second line where a larger unit begins. */
export function tickLabels(step: Step, t: number, zone: Zone, first: boolean): [string, string] {
  const f = fields(t, zone);
  const date = `${WEEKDAYS[f.weekday]} ${f.day} ${MONTHS[f.month]}`;
  switch (step.unit) {
    case "hour":
      return [
        `${String(f.hour).padStart(2, "0")}:00`,
        f.hour < step.count || first ? `${date} ${f.year}` : "",
      ];
    case "day":
      return [
        step.count === 1 ? `${WEEKDAYS[f.weekday]} ${f.day}` : `${f.day} ${MONTHS[f.month]}`,
        step.count === 1
          ? f.day === 1 || first
            ? `${MONTHS[f.month]} ${f.year}`
            : ""
          : f.month === 0 && f.day <= step.count
            ? String(f.year)
            : first
              ? String(f.year)
              : "",
      ];
    case "month":
      return [MONTHS[f.month] as string, f.month < step.count || first ? String(f.year) : ""];
    default:
      return [String(f.year), ""];
  }
}

/** The step whose labels fit the plot's width, preferring whole larger units. */
export function chooseStep(span: number, plotWidth: number): Step {
  // Labels need about 64 px each.
  const room = Math.max(1, Math.floor(plotWidth / 64));
  const fits = (s: Step) => span / s.ms <= room;
  const step = STEPS.find(fits) ?? (STEPS[STEPS.length - 1] as Step);
  // Whole days, months, years read better than many hours, days, months: take the larger unit
  // once the span holds four of it.
  const larger =
    step.unit === "hour" && span >= 4 * DAY_MS
      ? "day"
      : step.unit === "day" && span >= 4 * 30.4 * DAY_MS
        ? "month"
        : step.unit === "month" && span >= 4 * 365.25 * DAY_MS
          ? "year"
          : undefined;
  return (larger && STEPS.find((s) => s.unit === larger && fits(s))) || step;
}

/** An instant at its precision and never finer, in the chart's time zone (`formatTime`). */
export function when(t: number, precision: Precision | null, zone: Zone): string {
  return formatTime(t, precision ?? "minute", { timeZone: zone.name, locale: "en-GB" });
}

/** "+02:00" for 120 minutes east of UTC. */
function offsetName(minutes: number): string {
  const abs = Math.abs(minutes);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${minutes < 0 ? "-" : "+"}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
}

/** The zone as the subtitle prints it: its IANA name, or "UTC" / "UTC+03:00". */
export function zoneName(zone: Zone): string {
  if (zone.fixed === undefined) return zone.name;
  return zone.fixed === 0 ? "UTC" : `UTC${offsetName(zone.fixed / 60_000)}`;
}
