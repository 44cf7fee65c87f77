// An SVG chart of control over time: one band per place, one colour per actor, contested
// spans hatched, a legend and a dated time axis. Browser-safe: builds a string, no DOM.

import { TimelineValidationError } from "../core/errors.js";
import type { TimelineEvent } from "../core/events.js";
import { formatTime } from "../core/format-time.js";
import type { Registry } from "../core/registry.js";
import type { ControlEntry, ControlInterval } from "../core/slices.js";
import { type Precision, queryTime, type TimeInput } from "../core/time.js";
import { fromLocal, readZone, type Zone } from "../core/zone.js";
import { actorColors, NOBODY_COLOR } from "./colors.js";

/** What {@link renderChart} needs of a timeline (any `Timeline` has it). */
export interface ChartSource {
  /** The control intervals of one place: its band (and, per source, the hatching). */
  history(
    place: string,
    options?: { asOf?: TimeInput; sources?: readonly string[] },
  ): readonly ControlInterval[];
  /** The stored events: the sources that report control, whose disagreements are hatched. */
  events(query?: { asOf?: TimeInput; sources?: readonly string[] }): readonly TimelineEvent[];
  /** The last state: the places control ever reached, the chart's rows. */
  latest(options?: { asOf?: TimeInput; sources?: readonly string[] }): {
    readonly control: Readonly<Record<string, ControlEntry>>;
  };
  /** The timeline's zone: the chart's default. */
  readonly timeZone?: string;
}

/** Options of {@link renderChart}. */
export interface ChartOptions {
  /** Start of the time axis; default: the first control event shown. */
  readonly from?: TimeInput;
  /** End of the time axis; default: a little after the last control event. */
  readonly to?: TimeInput;
  /** Chart what was known at this time (as the `asOf` query option). */
  readonly asOf?: TimeInput;
  /** Chart only events citing these sources (as the `sources` query option). */
  readonly sources?: readonly string[];
  /** Place registry: names for the bands, and their order (registry order). */
  readonly places?: Registry;
  /** Actor registry: names for the legend; its ids fix the colours (see `actorColors`). */
  readonly actors?: Registry;
  /** Place ids to show, in this order; default: every place with control in the window. */
  readonly show?: readonly string[];
  /** Language of the names to print, from the registries' `names` (default: `name`). */
  readonly lang?: string;
  /** Title above the chart; default "Control over time". */
  readonly title?: string;
  /** Width in pixels (default 960). */
  readonly width?: number;
  /**
   * Time zone of the axis, the tooltips and `from`/`to`/`asOf` written without an offset:
   * an IANA name or a fixed offset (default: the timeline's `timeZone`, else UTC).
   */
  readonly timeZone?: string;
  /**
   * Colours by actor id, overriding the palette's: CSS colour syntax only (`#a1b2c3`, `#abc`,
   * `rgb(...)`, `hsl(...)`, a colour name); anything else is a `TypeError`.
   */
  readonly colors?: Readonly<Record<string, string>>;
}

interface Span {
  readonly from: number;
  readonly to: number;
}

interface Band {
  readonly id: string;
  readonly label: string;
  readonly intervals: readonly ControlInterval[];
  readonly contested: readonly (Span & { readonly claims: string })[];
}

const DAY = 86_400_000;
const COARSE: ReadonlySet<Precision> = new Set(["year", "month", "week", "day"]);
const PRECISION_WORDS: readonly (readonly [Precision, string])[] = [
  ["day", "day"],
  ["week", "week"],
  ["month", "month"],
  ["year", "year"],
];

/** End of the span a coarse time stands for ("2016-03" stands for all of March). */
function spanEnd(t: number, precision: Precision): number {
  const d = new Date(t);
  switch (precision) {
    case "year":
      return Date.UTC(d.getUTCFullYear() + 1, 0, 1);
    case "month":
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    case "week":
      return t + 7 * DAY;
    case "day":
      return t + DAY;
    default:
      return t;
  }
}
const HOUR = 3_600_000;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
const INK = "#1a1a1a";
const MUTED = "#5c5c5c";
const GRID = "#d9d9d9";
const TRACK = "#f1f1f1";

/** Escapes text for XML content and attribute values. */
/**
 * Text for XML content or attributes: markup escaped, and the characters XML 1.0 does not
 * allow at all (C0 controls but tab and line breaks, lone surrogates, U+FFFE/U+FFFF) written
 * as visible `\xHH` / `\uHHHH` text, so that any name gives a well-formed document.
 */
function xml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(NOT_XML, (c) => {
      const code = c.charCodeAt(0);
      return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16)}`;
    });
}

const NOT_XML =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters to replace
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** CSS colour syntax: hex, rgb()/rgba()/hsl()/hsla() of numbers, or a colour name. */
const CSS_COLOR =
  /^(?:#(?:[0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})|(?:rgba?|hsla?)\(\s*[-+0-9.%,\s/a-z]*\)|[a-z]{3,30})$/i;

/** The caller's colours, each checked: a colour is written into attributes of the SVG. */
function checkColors(colors: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [actor, color] of Object.entries(colors ?? {})) {
    if (typeof color !== "string" || !CSS_COLOR.test(color) || /[<>"&]/.test(color)) {
      throw new TypeError(
        `renderChart: colors[${JSON.stringify(actor)}] is not a CSS colour (#a1b2c3, rgb(...), hsl(...) or a name): ${JSON.stringify(color)}`,
      );
    }
    out[actor] = color;
  }
  return out;
}

const num = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));

/** Rough width of a text in px at `size` (no DOM to measure with). */
function textWidth(text: string, size: number): number {
  let w = 0;
  for (const ch of text)
    w += /[A-Z0-9mwMW@]/.test(ch) ? 0.68 : /[ il.,:;'|!()[\]]/.test(ch) ? 0.3 : 0.55;
  return w * size;
}

function nameOf(registry: Registry | undefined, id: string, lang: string | undefined): string {
  const entry = registry !== undefined && Object.hasOwn(registry, id) ? registry[id] : undefined;
  if (entry === undefined) return id;
  return (lang !== undefined ? entry.names?.[lang] : undefined) ?? entry.name;
}

// ---------------------------------------------------------------------------- time axis

interface Step {
  readonly unit: "hour" | "day" | "month" | "year";
  readonly count: number;
  /** Approximate length, for choosing a step. */
  readonly ms: number;
}

const STEPS: readonly Step[] = [
  ...[1, 2, 3, 6, 12].map((count) => ({ unit: "hour" as const, count, ms: count * HOUR })),
  ...[1, 2, 7, 14].map((count) => ({ unit: "day" as const, count, ms: count * DAY })),
  ...[1, 2, 3, 6].map((count) => ({ unit: "month" as const, count, ms: count * 30.4 * DAY })),
  ...[1, 2, 5, 10, 20, 50, 100].map((count) => ({
    unit: "year" as const,
    count,
    ms: count * 365.25 * DAY,
  })),
];

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
function ticks(step: Step, from: number, to: number, zone: Zone): number[] {
  const out: number[] = [];
  const f = fields(from, zone);
  let t: number;
  switch (step.unit) {
    case "hour":
      t = local(zone, f.year, f.month, f.day, Math.floor(f.hour / step.count) * step.count);
      for (; t <= to; t += step.count * HOUR) if (t >= from) out.push(t);
      return out;
    case "day": {
      t = local(zone, f.year, f.month, f.day);
      if (step.count === 7 || step.count === 14) t -= ((f.weekday + 6) % 7) * DAY; // Mondays
      for (; t <= to; t += step.count * DAY) if (t >= from) out.push(t);
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
function tickLabels(step: Step, t: number, zone: Zone, first: boolean): [string, string] {
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

function chooseStep(span: number, plotWidth: number): Step {
  // Labels need about 64 px each.
  const room = Math.max(1, Math.floor(plotWidth / 64));
  const fits = (s: Step) => span / s.ms <= room;
  const step = STEPS.find(fits) ?? (STEPS[STEPS.length - 1] as Step);
  // Whole days, months, years read better than many hours, days, months: take the larger unit
  // once the span holds four of it.
  const larger =
    step.unit === "hour" && span >= 4 * DAY
      ? "day"
      : step.unit === "day" && span >= 4 * 30.4 * DAY
        ? "month"
        : step.unit === "month" && span >= 4 * 365.25 * DAY
          ? "year"
          : undefined;
  return (larger && STEPS.find((s) => s.unit === larger && fits(s))) || step;
}

/** An instant at its precision and never finer, in the chart's time zone (`formatTime`). */
function when(t: number, precision: Precision | null, zone: Zone): string {
  return formatTime(t, precision ?? "minute", { timeZone: zone.name, locale: "en-GB" });
}

/** "+02:00" for 120 minutes east of UTC. */
function offsetName(minutes: number): string {
  const abs = Math.abs(minutes);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${minutes < 0 ? "-" : "+"}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
}

function zoneName(zone: Zone): string {
  if (zone.fixed === undefined) return zone.name;
  return zone.fixed === 0 ? "UTC" : `UTC${offsetName(zone.fixed / 60_000)}`;
}

/** The zone of the chart: its option, else the timeline's, else UTC. */
function chartZone(timeline: ChartSource, options: ChartOptions): Zone {
  const zone = readZone(options.timeZone ?? timeline.timeZone ?? "UTC");
  if (typeof zone === "string") {
    throw new TimelineValidationError([{ index: 0, path: ["timeZone"], message: zone }]);
  }
  return zone;
}

// ---------------------------------------------------------------------------- data

/** Spans of a place where sources that speak of it name different controllers. */
function contestedSpans(
  perSource: ReadonlyMap<string, readonly ControlInterval[]>,
): (Span & { claims: string })[] {
  const cuts = new Set<number>();
  for (const intervals of perSource.values()) {
    for (const i of intervals) {
      cuts.add(i.from);
      if (i.to !== null) cuts.add(i.to);
    }
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  const out: (Span & { claims: string })[] = [];
  for (let k = 0; k < sorted.length; k++) {
    const from = sorted[k] as number;
    const to = sorted[k + 1] ?? Number.POSITIVE_INFINITY;
    const claims: string[] = [];
    const controllers = new Set<string | null>();
    for (const [source, intervals] of perSource) {
      const i = intervals.find((x) => x.from <= from && (x.to === null || x.to > from));
      if (i === undefined) continue;
      controllers.add(i.controller);
      claims.push(`${source}: ${i.controller ?? "nobody"}`);
    }
    if (controllers.size < 2) continue;
    const text = claims.join(", ");
    const last = out[out.length - 1];
    if (last !== undefined && last.to === from && last.claims === text)
      out[out.length - 1] = { ...last, to };
    else out.push({ from, to, claims: text });
  }
  return out;
}

/**
 * An SVG chart of control over time: one band per place, coloured by who held it (one
 * colour-blind-safe colour per actor, stable across charts: see `actorColors`; grey where
 * nobody held it, a pale track where nothing is known), hatched where the sources that speak
 * of the place disagree, with a legend and a dated time axis. Each span has a tooltip
 * (`<title>`) with its controller, times (at their precision) and event id.
 *
 * @example
 * const svg = renderChart(timeline, {
 *   places, actors, from: "2016-12-07", to: "2016-12-13", timeZone: "Asia/Damascus",
 *   title: "Palmyra, December 2016",
 * });
 * await writeFile("palmyra.svg", svg);
 */
export function renderChart(timeline: ChartSource, options: ChartOptions = {}): string {
  const view = {
    ...(options.asOf === undefined ? {} : { asOf: options.asOf }),
    ...(options.sources === undefined ? {} : { sources: options.sources }),
  };
  const zone = chartZone(timeline, options);
  const lang = options.lang;
  const width = Math.max(480, Math.round(options.width ?? 960));

  // Places: those asked for, else the registry's order, else the order control first reached them.
  const controlled = Object.keys(timeline.latest(view).control);
  let ids: string[];
  if (options.show !== undefined) ids = [...options.show];
  else if (options.places !== undefined) {
    const known = new Set(controlled);
    ids = Object.keys(options.places).filter((id) => known.has(id));
  } else ids = controlled;

  const histories = new Map(ids.map((id) => [id, timeline.history(id, view)]));

  // Sources cited by control events, Held reports included (only the accepted ones under a sources filter).
  const accepted = options.sources === undefined ? undefined : new Set(options.sources);
  const sourceNames: string[] = [];
  for (const event of timeline.events(view)) {
    if (event.type !== "Captured" && event.type !== "Withdrew" && event.type !== "Held") continue;
    for (const { name } of event.sources) {
      if (!sourceNames.includes(name) && (accepted === undefined || accepted.has(name)))
        sourceNames.push(name);
    }
  }
  // Source by source, so that each source's view is built once.
  const perSource = new Map<string, Map<string, readonly ControlInterval[]>>(
    ids.map((id) => [id, new Map()]),
  );
  if (sourceNames.length > 1) {
    for (const source of sourceNames) {
      const sourceView = { ...view, sources: [source] };
      for (const id of ids) {
        const intervals = timeline.history(id, sourceView);
        if (intervals.length > 0) perSource.get(id)?.set(source, intervals);
      }
    }
  }

  // The time window.
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const intervals of histories.values()) {
    for (const i of intervals) {
      first = Math.min(first, i.from);
      last = Math.max(last, i.to ?? i.from, i.from);
    }
  }
  if (!Number.isFinite(first)) {
    first = 0;
    last = DAY;
  }
  let from = options.from === undefined ? first : queryTime(options.from, "from", zone);
  // What was known at asOf holds until asOf at least: show the chart up to it.
  const asOfAt = options.asOf === undefined ? undefined : queryTime(options.asOf, "asOf", zone);
  const end = Math.max(last, asOfAt ?? last);
  let to =
    options.to === undefined
      ? end + Math.max((end - from) * 0.04, HOUR)
      : queryTime(options.to, "to", zone);
  if (to <= from) {
    if (options.to === undefined) to = from + DAY;
    else if (options.from === undefined) from = to - DAY;
    else throw new RangeError("renderChart: `to` must be after `from`");
  }

  const bands: Band[] = [];
  for (const id of ids) {
    const intervals = (histories.get(id) ?? []).filter((i) => i.from < to && (i.to ?? to) > from);
    if (intervals.length === 0 && options.show === undefined) continue;
    const contested = contestedSpans(perSource.get(id) ?? new Map()).filter(
      (s) => s.from < to && s.to > from,
    );
    bands.push({ id, label: nameOf(options.places, id, lang), intervals, contested });
  }

  // Colours: stable for the registry's actors, or for every actor that held anything.
  const everyActor = new Set<string>();
  for (const intervals of histories.values())
    for (const i of intervals) if (i.controller !== null) everyActor.add(i.controller);
  const colors = {
    ...actorColors(
      options.actors !== undefined
        ? [
            ...Object.keys(options.actors),
            ...[...everyActor].filter((a) => !Object.hasOwn(options.actors ?? {}, a)),
          ]
        : [...everyActor],
    ),
    ...checkColors(options.colors),
  };
  const colorOf = (controller: string | null) =>
    controller === null ? NOBODY_COLOR : (colors[controller] ?? MUTED);

  // Layout.
  const title = options.title ?? "Control over time";
  const labelSize = 13;
  const labelWidth = Math.min(
    Math.max(60, ...bands.map((b) => textWidth(b.label, labelSize))) + 16,
    Math.round(width * 0.3),
  );
  const left = 16 + labelWidth;
  const right = 24;
  const plotWidth = width - left - right;
  const x = (t: number) =>
    left + ((Math.min(Math.max(t, from), to) - from) / (to - from)) * plotWidth;

  const shown = new Set<string | null>();
  let anyContested = false;
  for (const band of bands) {
    for (const i of band.intervals) shown.add(i.controller);
    if (band.contested.length > 0) anyContested = true;
  }
  const legend: { label: string; swatch: string }[] = [];
  const actorsShown = [...shown]
    .filter((a): a is string => a !== null)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const actor of actorsShown) {
    legend.push({
      label: nameOf(options.actors, actor, lang),
      swatch: `fill="${colorOf(actor)}"`,
    });
  }
  if (shown.has(null)) legend.push({ label: "nobody", swatch: `fill="${NOBODY_COLOR}"` });
  legend.push({ label: "no report", swatch: `fill="${TRACK}" stroke="${GRID}"` });
  const fuzzy = new Set<Precision>();
  for (const band of bands)
    for (const i of band.intervals)
      if (COARSE.has(i.fromPrecision) && i.from >= from) fuzzy.add(i.fromPrecision);
  if (fuzzy.size > 0) {
    const which = PRECISION_WORDS.filter(([p]) => fuzzy.has(p)).map(([, w]) => w);
    legend.push({
      label: `fade-in: start known only to the ${which.join(" or ")}`,
      swatch: 'fill="url(#fade-legend)"',
    });
  }
  if (anyContested)
    legend.push({ label: "sources disagree", swatch: 'fill="url(#contested)" stroke="#888"' });

  // Legend items flow left to right, wrapping.
  const legendTop = 80;
  const legendItems: { x: number; y: number; label: string; swatch: string }[] = [];
  let lx = 16;
  let ly = legendTop;
  for (const item of legend) {
    const w = 22 + textWidth(item.label, 12) + 18;
    if (lx + w > width - right && lx > 16) {
      lx = 16;
      ly += 20;
    }
    legendItems.push({ x: lx, y: ly, ...item });
    lx += w;
  }
  const bandTop = ly + 30;
  const bandHeight = 22;
  const bandGap = 8;
  const plotBottom = bandTop + bands.length * (bandHeight + bandGap) - bandGap;
  const height = plotBottom + 58;

  const step = chooseStep(to - from, plotWidth);
  const tickTimes = ticks(step, from, to, zone);

  // One fade-in gradient per colour that starts a coarse interval.
  const fadeIds = new Map<string, string>();
  const fadeOf = (color: string) => {
    let id = fadeIds.get(color);
    if (id === undefined) {
      id = `fade-${fadeIds.size}`;
      fadeIds.set(color, id);
    }
    return id;
  };
  const bandSpans: string[][] = bands.map((band, k) => {
    const y = bandTop + k * (bandHeight + bandGap);
    const spans: string[] = [];
    for (const i of band.intervals) {
      const color = colorOf(i.controller);
      const x1 = x(i.from);
      const x2 = x(i.to ?? to);
      const who = i.controller === null ? "nobody" : nameOf(options.actors, i.controller, lang);
      const tip = `${band.label}: ${who}, ${when(i.from, i.fromPrecision, zone)} to ${i.to === null ? "now" : when(i.to, i.toPrecision, zone)} (${i.eventId})`;
      const attrs = `y="${y}" height="${bandHeight}" data-controller="${xml(i.controller ?? "")}"`;
      // A start known only to the day (week, month, year) fades in over that day.
      const fuzzyStart = i.from >= from && COARSE.has(i.fromPrecision);
      const fadeEnd = fuzzyStart ? x(Math.min(spanEnd(i.from, i.fromPrecision), i.to ?? to)) : x1;
      if (fadeEnd > x1 + 0.5) {
        spans.push(
          `<rect x="${num(x1)}" width="${num(fadeEnd - x1)}" ${attrs} fill="url(#${fadeOf(color)})"><title>${xml(tip)}</title></rect>`,
        );
      }
      if (x2 > fadeEnd + 0.5 || fadeEnd <= x1 + 0.5) {
        // Under the fade's last half pixel, so that no seam shows between the two.
        const solid = fadeEnd > x1 + 0.5 ? fadeEnd - 0.5 : x1;
        spans.push(
          `<rect x="${num(solid)}" width="${num(Math.max(x2 - solid, 1))}" ${attrs} fill="${color}"><title>${xml(tip)}</title></rect>`,
        );
      }
    }
    return spans;
  });
  const fades = [...fadeIds];

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${xml(FONT)}" role="img" aria-labelledby="chart-title">`,
  );
  out.push(`<title id="chart-title">${xml(title)}</title>`);
  out.push(
    "<defs>",
    '<pattern id="contested" width="7" height="7" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">',
    '<rect width="7" height="7" fill="#ffffff" fill-opacity="0.18"/>',
    '<line x1="0" y1="0" x2="0" y2="7" stroke="#000000" stroke-opacity="0.62" stroke-width="3"/>',
    "</pattern>",
    ...fades.map(
      ([color, id]) =>
        `<linearGradient id="${id}"><stop offset="0" stop-color="${color}" stop-opacity="0.12"/><stop offset="1" stop-color="${color}" stop-opacity="1"/></linearGradient>`,
    ),
    `<linearGradient id="fade-legend"><stop offset="0" stop-color="${MUTED}" stop-opacity="0.12"/><stop offset="1" stop-color="${MUTED}" stop-opacity="1"/></linearGradient>`,
    "</defs>",
  );
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);

  // Title and subtitle.
  const subtitle = [
    to - from > 90 * DAY
      ? `${when(from, "month", zone)} to ${when(to, "month", zone)}`
      : `${when(from, "day", zone)} to ${when(to, "day", zone)}`,
    `times ${zoneName(zone)}`,
    options.asOf === undefined
      ? "all events"
      : `as known ${when(queryTime(options.asOf, "asOf", zone), "minute", zone)}`,
    options.sources === undefined ? undefined : `sources: ${options.sources.join(", ")}`,
  ]
    .filter((s) => s !== undefined)
    .join(" · ");
  out.push(
    `<text x="16" y="30" font-size="19" font-weight="600" fill="${INK}">${xml(title)}</text>`,
    `<text x="16" y="50" font-size="12.5" fill="${MUTED}">${xml(subtitle)}</text>`,
  );

  // Legend.
  for (const item of legendItems) {
    out.push(
      `<g><rect x="${num(item.x)}" y="${item.y - 11}" width="16" height="14" rx="2" ${item.swatch}/>`,
      `<text x="${num(item.x + 22)}" y="${item.y}" font-size="12" fill="${INK}">${xml(item.label)}</text></g>`,
    );
  }

  // Grid and axis.
  out.push(`<g font-size="11" fill="${MUTED}">`);
  tickTimes.forEach((t, k) => {
    const tx = num(x(t));
    const [main, second] = tickLabels(step, t, zone, k === 0);
    const major = second !== "";
    out.push(
      `<line x1="${tx}" y1="${bandTop - 6}" x2="${tx}" y2="${plotBottom + 6}" stroke="${major ? "#b3b3b3" : GRID}" stroke-width="1"/>`,
      `<text x="${tx}" y="${plotBottom + 22}" text-anchor="middle">${xml(main)}</text>`,
    );
    if (major) {
      out.push(
        `<text x="${tx}" y="${plotBottom + 38}" text-anchor="middle" font-weight="600" fill="${INK}">${xml(second)}</text>`,
      );
    }
  });
  out.push("</g>");

  // Bands.
  bands.forEach((band, k) => {
    const y = bandTop + k * (bandHeight + bandGap);
    out.push(`<g data-place="${xml(band.id)}">`);
    out.push(
      `<text x="${left - 10}" y="${y + bandHeight / 2 + 4.5}" text-anchor="end" font-size="${labelSize}" fill="${INK}">${xml(band.label)}</text>`,
      `<rect x="${left}" y="${y}" width="${num(plotWidth)}" height="${bandHeight}" fill="${TRACK}"/>`,
    );
    for (const span of bandSpans[k] ?? []) out.push(span);
    // A thin white line where control changes hands, so that neighbours stay apart.
    for (const i of band.intervals.slice(1)) {
      if (i.from <= from) continue;
      out.push(
        `<line x1="${num(x(i.from))}" y1="${y}" x2="${num(x(i.from))}" y2="${y + bandHeight}" stroke="#ffffff" stroke-width="1.5"/>`,
      );
    }
    for (const s of band.contested) {
      const x1 = x(s.from);
      const x2 = x(Math.min(s.to, to));
      out.push(
        `<rect x="${num(x1)}" y="${y}" width="${num(Math.max(x2 - x1, 2))}" height="${bandHeight}" fill="url(#contested)" class="contested"><title>${xml(`${band.label}, sources disagree: ${s.claims}`)}</title></rect>`,
      );
    }
    out.push("</g>");
  });
  // What was known at `asOf` carries on unchanged to the right of it: say so.
  const asOf = asOfAt;
  if (asOf !== undefined && asOf > from && asOf < to && bands.length > 0) {
    const ax = num(x(asOf));
    out.push(
      `<rect x="${ax}" y="${bandTop - 2}" width="${num(left + plotWidth - x(asOf))}" height="${plotBottom - bandTop + 4}" fill="#ffffff" fill-opacity="0.45"/>`,
      `<line x1="${ax}" y1="${bandTop - 12}" x2="${ax}" y2="${plotBottom + 4}" stroke="${INK}" stroke-width="1.25" stroke-dasharray="4 3"/>`,
      `<text x="${num(x(asOf) - 5)}" y="${bandTop - 5}" text-anchor="end" font-size="11" fill="${INK}">${xml(`as known ${when(asOf, "minute", zone)}`)}</text>`,
    );
  }
  if (bands.length === 0) {
    out.push(
      `<text x="${left}" y="${bandTop + 14}" font-size="13" fill="${MUTED}">No control events in this window.</text>`,
    );
  }
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}
