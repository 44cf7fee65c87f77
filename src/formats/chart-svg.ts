// The chart's SVG: layout, legend, axis and bands drawn as one string (no DOM, browser-safe).

import { formatSpan } from "../core/format-time.js";
import type { Precision } from "../core/time.js";
import type { ChartOptions } from "./chart.js";
import {
  chooseStep,
  DAY_MS,
  type Step,
  spanEnd,
  tickLabels,
  ticks,
  when,
  zoneName,
} from "./chart-axis.js";
import { type ChartData, MUTED, nameOf } from "./chart-data.js";
import { NOBODY_COLOR } from "./colors.js";

const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
const INK = "#1a1a1a";
const GRID = "#d9d9d9";
const TRACK = "#f1f1f1";
const LABEL_SIZE = 13;
const BAND_HEIGHT = 22;
const BAND_GAP = 8;
const RIGHT = 24;

const COARSE: ReadonlySet<Precision> = new Set(["year", "month", "week", "day"]);
const PRECISION_WORDS: readonly (readonly [Precision, string])[] = [
  ["day", "day"],
  ["week", "week"],
  ["month", "month"],
  ["year", "year"],
];

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

const num = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));

/** Rough width of a text in px at `size` (no DOM to measure with). */
function textWidth(text: string, size: number): number {
  let w = 0;
  for (const ch of text)
    w += /[A-Z0-9mwMW@]/.test(ch) ? 0.68 : /[ il.,:;'|!()[\]]/.test(ch) ? 0.3 : 0.55;
  return w * size;
}

interface LegendItem {
  readonly x: number;
  readonly y: number;
  readonly label: string;
  readonly swatch: string;
}

/** Where everything goes. */
interface Layout {
  readonly width: number;
  readonly height: number;
  readonly left: number;
  readonly plotWidth: number;
  readonly legend: readonly LegendItem[];
  readonly bandTop: number;
  readonly plotBottom: number;
  /** The x of an instant, clamped to the window. */
  readonly x: (t: number) => number;
  readonly step: Step;
}

/** The legend: actors shown, nobody, no report, then the fade-in and hatching when drawn. */
function legendEntries(
  data: ChartData,
  options: ChartOptions,
): { label: string; swatch: string }[] {
  const shown = new Set<string | null>();
  let anyContested = false;
  for (const band of data.bands) {
    for (const i of band.intervals) shown.add(i.controller);
    if (band.contested.length > 0) anyContested = true;
  }
  const legend: { label: string; swatch: string }[] = [];
  const actorsShown = [...shown]
    .filter((a): a is string => a !== null)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const actor of actorsShown) {
    legend.push({
      label: nameOf(options.actors, actor, options.lang),
      swatch: `fill="${data.colorOf(actor)}"`,
    });
  }
  if (shown.has(null)) legend.push({ label: "nobody", swatch: `fill="${NOBODY_COLOR}"` });
  legend.push({ label: "no report", swatch: `fill="${TRACK}" stroke="${GRID}"` });
  const fuzzy = new Set<Precision>();
  for (const band of data.bands)
    for (const i of band.intervals)
      if (COARSE.has(i.fromPrecision) && i.from >= data.from) fuzzy.add(i.fromPrecision);
  if (fuzzy.size > 0) {
    const which = PRECISION_WORDS.filter(([p]) => fuzzy.has(p)).map(([, w]) => w);
    legend.push({
      label: `fade-in: start known only to the ${which.join(" or ")}`,
      swatch: 'fill="url(#fade-legend)"',
    });
  }
  if (anyContested)
    legend.push({ label: "sources disagree", swatch: 'fill="url(#contested)" stroke="#888"' });
  return legend;
}

function layout(data: ChartData, options: ChartOptions): Layout {
  const width = Math.max(480, Math.round(options.width ?? 960));
  const labelWidth = Math.min(
    Math.max(60, ...data.bands.map((b) => textWidth(b.label, LABEL_SIZE))) + 16,
    Math.round(width * 0.3),
  );
  const left = 16 + labelWidth;
  const plotWidth = width - left - RIGHT;
  const { from, to } = data;
  const x = (t: number) =>
    left + ((Math.min(Math.max(t, from), to) - from) / (to - from)) * plotWidth;
  // Legend items flow left to right, wrapping.
  const legend: LegendItem[] = [];
  let lx = 16;
  let ly = 80;
  for (const item of legendEntries(data, options)) {
    const w = 22 + textWidth(item.label, 12) + 18;
    if (lx + w > width - RIGHT && lx > 16) {
      lx = 16;
      ly += 20;
    }
    legend.push({ x: lx, y: ly, ...item });
    lx += w;
  }
  const bandTop = ly + 30;
  const plotBottom = bandTop + data.bands.length * (BAND_HEIGHT + BAND_GAP) - BAND_GAP;
  const step = chooseStep(to - from, plotWidth);
  return { width, height: plotBottom + 58, left, plotWidth, legend, bandTop, plotBottom, x, step };
}

const bandY = (box: Layout, k: number) => box.bandTop + k * (BAND_HEIGHT + BAND_GAP);

/**
 * Each band's interval rectangles, with a tooltip each; a start known only to the day (week,
 * month, year) fades in over that span, with one gradient per colour.
 */
function intervalRects(
  data: ChartData,
  options: ChartOptions,
  box: Layout,
): { spans: string[][]; fades: [string, string][] } {
  const { zone, from, to } = data;
  const { x } = box;
  const fadeIds = new Map<string, string>();
  const fadeOf = (color: string) => {
    let id = fadeIds.get(color);
    if (id === undefined) {
      id = `fade-${fadeIds.size}`;
      fadeIds.set(color, id);
    }
    return id;
  };
  const spans = data.bands.map((band, k) => {
    const y = bandY(box, k);
    const out: string[] = [];
    for (const i of band.intervals) {
      const color = data.colorOf(i.controller);
      const x1 = x(i.from);
      const x2 = x(i.to ?? to);
      const who =
        i.controller === null ? "nobody" : nameOf(options.actors, i.controller, options.lang);
      // A start known only between two times shows as that span.
      const start =
        i.notBefore === undefined
          ? when(i.from, i.fromPrecision, zone)
          : `${formatSpan(i.notBefore, i.notBeforePrecision, i.from, i.fromPrecision, { timeZone: zone.name, locale: "en-GB" })}`;
      const tip = `${band.label}: ${who}, ${start} to ${i.to === null ? "now" : when(i.to, i.toPrecision, zone)} (${i.eventId})`;
      const attrs = `y="${y}" height="${BAND_HEIGHT}" data-controller="${xml(i.controller ?? "")}"`;
      const fuzzyStart = i.from >= from && COARSE.has(i.fromPrecision);
      const fadeEnd = fuzzyStart ? x(Math.min(spanEnd(i.from, i.fromPrecision), i.to ?? to)) : x1;
      if (fadeEnd > x1 + 0.5) {
        out.push(
          `<rect x="${num(x1)}" width="${num(fadeEnd - x1)}" ${attrs} fill="url(#${fadeOf(color)})"><title>${xml(tip)}</title></rect>`,
        );
      }
      if (x2 > fadeEnd + 0.5 || fadeEnd <= x1 + 0.5) {
        // Under the fade's last half pixel, so that no seam shows between the two.
        const solid = fadeEnd > x1 + 0.5 ? fadeEnd - 0.5 : x1;
        out.push(
          `<rect x="${num(solid)}" width="${num(Math.max(x2 - solid, 1))}" ${attrs} fill="${color}"><title>${xml(tip)}</title></rect>`,
        );
      }
    }
    return out;
  });
  return { spans, fades: [...fadeIds] };
}

function drawHead(box: Layout, title: string, fades: readonly [string, string][]): string[] {
  const { width, height } = box;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${xml(FONT)}" role="img" aria-labelledby="chart-title">`,
    `<title id="chart-title">${xml(title)}</title>`,
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
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
  ];
}

/** Title, and a subtitle naming the window, the zone, `asOf` and the sources. */
function drawTitles(data: ChartData, options: ChartOptions, title: string): string[] {
  const { zone, from, to, asOf } = data;
  const subtitle = [
    to - from > 90 * DAY_MS
      ? `${when(from, "month", zone)} to ${when(to, "month", zone)}`
      : `${when(from, "day", zone)} to ${when(to, "day", zone)}`,
    `times ${zoneName(zone)}`,
    asOf === undefined ? "all events" : `as known ${when(asOf, "minute", zone)}`,
    options.sources === undefined ? undefined : `sources: ${options.sources.join(", ")}`,
  ]
    .filter((s) => s !== undefined)
    .join(" · ");
  return [
    `<text x="16" y="30" font-size="19" font-weight="600" fill="${INK}">${xml(title)}</text>`,
    `<text x="16" y="50" font-size="12.5" fill="${MUTED}">${xml(subtitle)}</text>`,
  ];
}

function drawLegend(box: Layout): string[] {
  return box.legend.flatMap((item) => [
    `<g><rect x="${num(item.x)}" y="${item.y - 11}" width="16" height="14" rx="2" ${item.swatch}/>`,
    `<text x="${num(item.x + 22)}" y="${item.y}" font-size="12" fill="${INK}">${xml(item.label)}</text></g>`,
  ]);
}

/** Grid lines and tick labels, with a bold second line where a larger unit begins. */
function drawAxis(data: ChartData, box: Layout): string[] {
  const out = [`<g font-size="11" fill="${MUTED}">`];
  ticks(box.step, data.from, data.to, data.zone).forEach((t, k) => {
    const tx = num(box.x(t));
    const [main, second] = tickLabels(box.step, t, data.zone, k === 0);
    const major = second !== "";
    out.push(
      `<line x1="${tx}" y1="${box.bandTop - 6}" x2="${tx}" y2="${box.plotBottom + 6}" stroke="${major ? "#b3b3b3" : GRID}" stroke-width="1"/>`,
      `<text x="${tx}" y="${box.plotBottom + 22}" text-anchor="middle">${xml(main)}</text>`,
    );
    if (major) {
      out.push(
        `<text x="${tx}" y="${box.plotBottom + 38}" text-anchor="middle" font-weight="600" fill="${INK}">${xml(second)}</text>`,
      );
    }
  });
  out.push("</g>");
  return out;
}

function drawBands(data: ChartData, box: Layout, spans: readonly string[][]): string[] {
  const { x, left, plotWidth } = box;
  const out: string[] = [];
  data.bands.forEach((band, k) => {
    const y = bandY(box, k);
    out.push(
      `<g data-place="${xml(band.id)}">`,
      `<text x="${left - 10}" y="${y + BAND_HEIGHT / 2 + 4.5}" text-anchor="end" font-size="${LABEL_SIZE}" fill="${INK}">${xml(band.label)}</text>`,
      `<rect x="${left}" y="${y}" width="${num(plotWidth)}" height="${BAND_HEIGHT}" fill="${TRACK}"/>`,
      ...(spans[k] ?? []),
    );
    // A thin white line where control changes hands, so that neighbours stay apart.
    for (const i of band.intervals.slice(1)) {
      if (i.from <= data.from) continue;
      out.push(
        `<line x1="${num(x(i.from))}" y1="${y}" x2="${num(x(i.from))}" y2="${y + BAND_HEIGHT}" stroke="#ffffff" stroke-width="1.5"/>`,
      );
    }
    for (const s of band.contested) {
      const x1 = x(s.from);
      const x2 = x(Math.min(s.to, data.to));
      out.push(
        `<rect x="${num(x1)}" y="${y}" width="${num(Math.max(x2 - x1, 2))}" height="${BAND_HEIGHT}" fill="url(#contested)" class="contested"><title>${xml(`${band.label}, sources disagree: ${s.claims}`)}</title></rect>`,
      );
    }
    out.push("</g>");
  });
  return out;
}

/** What was known at `asOf` carries on unchanged to the right of it: say so. */
function drawAsOf(data: ChartData, box: Layout): string[] {
  const { asOf, from, to, zone } = data;
  if (asOf === undefined || asOf <= from || asOf >= to || data.bands.length === 0) return [];
  const { x, bandTop, plotBottom } = box;
  const ax = num(x(asOf));
  return [
    `<rect x="${ax}" y="${bandTop - 2}" width="${num(box.left + box.plotWidth - x(asOf))}" height="${plotBottom - bandTop + 4}" fill="#ffffff" fill-opacity="0.45"/>`,
    `<line x1="${ax}" y1="${bandTop - 12}" x2="${ax}" y2="${plotBottom + 4}" stroke="${INK}" stroke-width="1.25" stroke-dasharray="4 3"/>`,
    `<text x="${num(x(asOf) - 5)}" y="${bandTop - 5}" text-anchor="end" font-size="11" fill="${INK}">${xml(`as known ${when(asOf, "minute", zone)}`)}</text>`,
  ];
}

/** The chart as an SVG document. */
export function drawChart(data: ChartData, options: ChartOptions): string {
  const box = layout(data, options);
  const title = options.title ?? "Control over time";
  const { spans, fades } = intervalRects(data, options, box);
  const out = [
    ...drawHead(box, title, fades),
    ...drawTitles(data, options, title),
    ...drawLegend(box),
    ...drawAxis(data, box),
    ...drawBands(data, box, spans),
    ...drawAsOf(data, box),
  ];
  if (data.bands.length === 0) {
    out.push(
      `<text x="${box.left}" y="${box.bandTop + 14}" font-size="13" fill="${MUTED}">No control events in this window.</text>`,
    );
  }
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}
