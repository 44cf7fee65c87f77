// What the chart shows, before any drawing: its zone and window, one band per place with its
// control intervals and the spans where sources disagree, and a colour per actor.

import { TimelineValidationError } from "../core/errors.js";
import type { Registry } from "../core/registry.js";
import type { ControlInterval } from "../core/slices.js";
import { queryTime, type TimeInput } from "../core/time.js";
import { readZone, type Zone } from "../core/zone.js";
import type { ChartOptions, ChartSource } from "./chart.js";
import { DAY_MS, HOUR_MS } from "./chart-axis.js";
import { actorColors, NOBODY_COLOR } from "./colors.js";

/** A stretch of the time axis. */
export interface Span {
  readonly from: number;
  readonly to: number;
}

/** One place's row of the chart. */
export interface Band {
  readonly id: string;
  readonly label: string;
  readonly intervals: readonly ControlInterval[];
  readonly contested: readonly (Span & { readonly claims: string })[];
}

/** Everything the chart draws, in the chart's zone and window. */
export interface ChartData {
  readonly zone: Zone;
  readonly from: number;
  readonly to: number;
  /** `asOf` as an instant, when asked. */
  readonly asOf: number | undefined;
  readonly bands: readonly Band[];
  /** The colour of a controller (`null`: nobody). */
  readonly colorOf: (controller: string | null) => string;
}

type View = { asOf?: TimeInput; sources?: readonly string[] };

/** Grey for an actor the palette has no colour for. */
export const MUTED = "#5c5c5c";

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

/** A place's or actor's name in the language asked for, else its id. */
export function nameOf(
  registry: Registry | undefined,
  id: string,
  lang: string | undefined,
): string {
  const entry = registry !== undefined && Object.hasOwn(registry, id) ? registry[id] : undefined;
  if (entry === undefined) return id;
  return (lang !== undefined ? entry.names?.[lang] : undefined) ?? entry.name;
}

/** The zone of the chart: its option, else the timeline's, else UTC. */
function chartZone(timeline: ChartSource, options: ChartOptions): Zone {
  const zone = readZone(options.timeZone ?? timeline.timeZone ?? "UTC");
  if (typeof zone === "string") {
    throw new TimelineValidationError([{ index: 0, path: ["timeZone"], message: zone }]);
  }
  return zone;
}

/** Places: those asked for, else the registry's order, else the order control first reached them. */
function chartPlaces(timeline: ChartSource, options: ChartOptions, view: View): string[] {
  const controlled = Object.keys(timeline.latest(view).control);
  if (options.show !== undefined) return [...options.show];
  if (options.places === undefined) return controlled;
  const known = new Set(controlled);
  return Object.keys(options.places).filter((id) => known.has(id));
}

/** Sources cited by control events, Held reports included (only the accepted ones under a sources filter). */
function controlSources(timeline: ChartSource, options: ChartOptions, view: View): string[] {
  const accepted = options.sources === undefined ? undefined : new Set(options.sources);
  const names: string[] = [];
  for (const event of timeline.events(view)) {
    if (event.type !== "Captured" && event.type !== "Withdrew" && event.type !== "Held") continue;
    for (const { name } of event.sources) {
      if (!names.includes(name) && (accepted === undefined || accepted.has(name))) names.push(name);
    }
  }
  return names;
}

/** Each place's intervals per source, built source by source so that each source's view is built once. */
function perSourceHistories(
  timeline: ChartSource,
  ids: readonly string[],
  sources: readonly string[],
  view: View,
): Map<string, Map<string, readonly ControlInterval[]>> {
  const perSource = new Map<string, Map<string, readonly ControlInterval[]>>(
    ids.map((id) => [id, new Map()]),
  );
  if (sources.length < 2) return perSource;
  for (const source of sources) {
    const sourceView = { ...view, sources: [source] };
    for (const id of ids) {
      const intervals = timeline.history(id, sourceView);
      if (intervals.length > 0) perSource.get(id)?.set(source, intervals);
    }
  }
  return perSource;
}

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

/** The time window: the options', else the control shown (to `asOf` at least), a little widened. */
function timeWindow(
  histories: ReadonlyMap<string, readonly ControlInterval[]>,
  options: ChartOptions,
  zone: Zone,
): { from: number; to: number; asOf: number | undefined } {
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
    last = DAY_MS;
  }
  let from = options.from === undefined ? first : queryTime(options.from, "from", zone);
  // What was known at asOf holds until asOf at least: show the chart up to it.
  const asOf = options.asOf === undefined ? undefined : queryTime(options.asOf, "asOf", zone);
  const end = Math.max(last, asOf ?? last);
  let to =
    options.to === undefined
      ? end + Math.max((end - from) * 0.04, HOUR_MS)
      : queryTime(options.to, "to", zone);
  if (to <= from) {
    if (options.to === undefined) to = from + DAY_MS;
    else if (options.from === undefined) from = to - DAY_MS;
    else throw new RangeError("renderChart: `to` must be after `from`");
  }
  return { from, to, asOf };
}

/** Colours: stable for the registry's actors, or for every actor that held anything. */
function chartColors(
  histories: ReadonlyMap<string, readonly ControlInterval[]>,
  options: ChartOptions,
): (controller: string | null) => string {
  const everyActor = new Set<string>();
  for (const intervals of histories.values())
    for (const i of intervals) if (i.controller !== null) everyActor.add(i.controller);
  const actors = options.actors;
  const colors = {
    ...actorColors(
      actors !== undefined
        ? [...Object.keys(actors), ...[...everyActor].filter((a) => !Object.hasOwn(actors, a))]
        : [...everyActor],
    ),
    ...checkColors(options.colors),
  };
  return (controller) => (controller === null ? NOBODY_COLOR : (colors[controller] ?? MUTED));
}

/** Reads from the timeline everything the chart will draw. */
export function chartData(timeline: ChartSource, options: ChartOptions): ChartData {
  const view: View = {
    ...(options.asOf === undefined ? {} : { asOf: options.asOf }),
    ...(options.sources === undefined ? {} : { sources: options.sources }),
  };
  const zone = chartZone(timeline, options);
  const ids = chartPlaces(timeline, options, view);
  const histories = new Map(ids.map((id) => [id, timeline.history(id, view)]));
  const perSource = perSourceHistories(
    timeline,
    ids,
    controlSources(timeline, options, view),
    view,
  );
  const { from, to, asOf } = timeWindow(histories, options, zone);
  const bands: Band[] = [];
  for (const id of ids) {
    const intervals = (histories.get(id) ?? []).filter((i) => i.from < to && (i.to ?? to) > from);
    if (intervals.length === 0 && options.show === undefined) continue;
    const contested = contestedSpans(perSource.get(id) ?? new Map()).filter(
      (s) => s.from < to && s.to > from,
    );
    bands.push({ id, label: nameOf(options.places, id, options.lang), intervals, contested });
  }
  return { zone, from, to, asOf, bands, colorOf: chartColors(histories, options) };
}
