// The viewer's questions and their answers, as plain JSON: what the map shows at an instant
// (control, areas, contested places, air strikes), one place's story, the events around an
// instant, the sliders' ticks, the changes of hand, and each side's territory over time.
//
// The page asks them of a timeline in the browser (a file opened or dropped, the example),
// and `tidemark view` answers the same questions over HTTP from a file or a store (view.ts,
// through view-data.ts), with this same code: so the page shows the same thing either way, and
// a store of 10^6 events is queried where it lies instead of being sent to the page.
// Browser-safe: no Node built-ins (the page bundles this file).

import turfArea from "@turf/area";
import type { Registry } from "../core/registry.js";
import type {
  AirstrikeEntry,
  ArrestsEntry,
  ControlEntry,
  ControlInterval,
} from "../core/slices.js";
import type { Precision } from "../core/time.js";
import type { Claim, QueryOptions } from "../core/timeline.js";
import { type AreaFeatureCollection, controlAreas } from "../formats/areas.js";
import { type PlaceFeatureCollection, toGeoJSON } from "../formats/geojson.js";
import { type IntervalFeatureCollection, toGeoJSONHistory } from "../formats/geojson-history.js";

/** An hour and a day in milliseconds. */
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** A stored event as the page receives it (the types it knows are narrowed there). */
export interface ViewEvent {
  readonly id: string;
  readonly type: string;
  readonly at: number;
  readonly precision: Precision;
  readonly recordedAt: number;
  readonly sources: readonly { readonly name: string; readonly url?: string }[];
  readonly note?: string;
  readonly data: unknown;
}

/** The queries the viewer asks: an in-memory timeline and a store both answer them. */
export interface ViewTimeline {
  stateAt(at: number, options?: QueryOptions): ViewState;
  events(query?: QueryOptions & { from?: number; to?: number }): readonly ViewEvent[];
  history(place: string, options?: QueryOptions): readonly ControlInterval[];
  claims(place: string, at: number, options?: QueryOptions): readonly Claim[];
  contested(
    at: number,
    options?: QueryOptions,
  ): readonly { place: string; claims: readonly Claim[] }[];
  toJSON(): { readonly events: readonly ViewEvent[] };
}

/** The slices the viewer reads (UCDP GED's `fatalities` when the timeline keeps it). */
export interface ViewState {
  readonly control: Readonly<Record<string, ControlEntry>>;
  readonly airstrikes: Readonly<Record<string, AirstrikeEntry>>;
  readonly arrests: Readonly<Record<string, ArrestsEntry>>;
  readonly fatalities?: Readonly<Record<string, Deaths>>;
}

/** UCDP GED's deaths in a place, summed by the `fatalities` reducer. */
export interface Deaths {
  readonly best: number;
  readonly low: number;
  readonly high: number;
}

/** A range of instants (epoch ms), with the step of the sliders over it. */
export interface Window {
  readonly start: number;
  readonly end: number;
  readonly step: number;
}

/** Which instant, as known when, according to which sources. */
export interface ViewQuery {
  readonly at: number;
  readonly asOf?: number | undefined;
  readonly sources?: readonly string[] | undefined;
}

/** Rows of the input that are not on the map: one line to show, the full report under it. */
export interface SkippedReport {
  readonly summary: string;
  readonly lines: readonly string[];
}

/** What the viewer knows of its data before any instant is chosen. */
export interface ViewMeta {
  readonly title: string;
  readonly subtitle: string;
  readonly places: Registry;
  readonly actors: Registry;
  /** Source names in order of first citation, with the number of events citing each. */
  readonly sources: readonly { readonly name: string; readonly events: number }[];
  /** Events that cite no source (they count only when every source is ticked). */
  readonly unsourced: number;
  /** Actor ids that can appear on the map: the registry's and every controller named. */
  readonly actorIds: readonly string[];
  /** Actors that a control event makes controllers (the legend's colours). */
  readonly controllers: readonly string[];
  /** Places that events name: the map is framed on them. */
  readonly named: readonly string[];
  /** Places that events name but no control event touches (drawn as outlines only). */
  readonly uncontrolled: readonly string[];
  /** The place most events name (one on the map if any): the story's centre. */
  readonly busiest: string | null;
  /** `at` of the last event (not a retraction); null when there is none. */
  readonly lastAt: number | null;
  /** The whole timeline, and its busiest last days (the sliders' default range). */
  readonly full: Window;
  readonly recent: Window;
  /** Whether some place has an area: the chart then counts km², else places. */
  readonly hasAreas: boolean;
  /** Number of stored events, retractions included. */
  readonly events: number;
  /** How to print times: a fixed offset east of UTC, and words for some instants. */
  readonly offsetMinutes: number;
  readonly labels: readonly (readonly [number, string])[];
  readonly skipped: SkippedReport | null;
}

/** The map at one instant. */
export interface ViewFrame {
  /** `toGeoJSON(state, places)`. */
  readonly geojson: PlaceFeatureCollection;
  /** `controlAreas(state, places)`. */
  readonly areas: AreaFeatureCollection;
  readonly contested: readonly (readonly [string, readonly Claim[]])[];
  readonly airstrikes: readonly (readonly [string, number])[];
  /** Number of places held by someone. */
  readonly held: number;
}

/**
 * The map at one instant as the JSON API sends it: the control entries instead of their
 * GeoJSON, which the page makes from the places it already has ({@link expandFrame}), so that
 * a step of the slider sends no geometry.
 */
export interface CompactFrame extends Omit<ViewFrame, "geojson"> {
  /** Each place's control entry: id, controller, since, precision, contested (when known). */
  readonly control: readonly (readonly [
    id: string,
    controller: string | null,
    since: number,
    precision: Precision,
    contested?: boolean,
  ])[];
}

/** A state's control entries as a {@link CompactFrame} lists them. */
export function compactControl(
  control: Readonly<Record<string, ControlEntry>>,
): CompactFrame["control"] {
  return Object.entries(control).map(([id, e]) =>
    typeof e.contested === "boolean"
      ? ([id, e.controller, e.since, e.precision, e.contested] as const)
      : ([id, e.controller, e.since, e.precision] as const),
  );
}

/** The {@link ViewFrame} of a {@link CompactFrame}: `toGeoJSON` of its control over `places`. */
export function expandFrame(frame: CompactFrame, places: Registry): ViewFrame {
  const { control, ...rest } = frame;
  const entries: Record<string, ControlEntry> = {};
  for (const [id, controller, since, precision, contested] of control) {
    // toGeoJSON reads no event id: the frame leaves it out.
    const entry = {
      controller,
      since,
      precision,
      eventId: "",
      ...(contested === undefined ? {} : { contested }),
    };
    Object.defineProperty(entries, id, {
      value: entry,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return { ...rest, geojson: toGeoJSON({ control: entries }, places) };
}

/** One place at one instant, with its whole story. */
export interface PlaceStory {
  readonly id: string;
  readonly control: ControlEntry | null;
  readonly claims: readonly Claim[];
  readonly history: readonly ControlInterval[];
  readonly airstrikes: AirstrikeEntry | null;
  readonly arrests: ArrestsEntry | null;
  readonly deaths: Deaths | null;
  /** The events that the story cites, by id. */
  readonly events: readonly ViewEvent[];
}

/** The events around an instant: up to 250 before it and 50 after. */
export interface EventsAround {
  readonly total: number;
  readonly events: readonly ViewEvent[];
}

/** Positions on a slider (per cent of its range), each with the kind of its events. */
export interface Ticks {
  readonly at: readonly (readonly [number, string])[];
  readonly asOf: readonly (readonly [number, string])[];
}

/** Each side's territory over a window: km² of areas, or counts of places. */
export interface TerritorySeries {
  readonly unit: "km²" | "places";
  readonly times: readonly number[];
  readonly sides: readonly {
    readonly controller: string | null;
    readonly values: readonly number[];
  }[];
  /** Why the series is empty, when it is left out. */
  readonly note?: string;
}

/** Presentation of the data, given by whoever loaded it. */
export interface ViewInfo {
  readonly title: string;
  readonly subtitle: string;
  readonly places: Registry;
  readonly actors: Registry;
  readonly skipped?: SkippedReport | null;
  readonly offsetMinutes?: number;
  readonly labels?: readonly (readonly [number, string])[];
}

/** Events that make or keep a controller. */
export const CONTROL_TYPES = new Set(["Captured", "Withdrew", "Held"]);
/** Instants of the territory series. */
export const SAMPLES = 160;

/** The places an event names. */
export function placesOf(event: ViewEvent): string[] {
  const data = (event.data ?? {}) as { place?: unknown; places?: unknown; to?: unknown };
  const ids: string[] = [];
  if (Array.isArray(data.places))
    for (const p of data.places) if (typeof p === "string") ids.push(p);
  if (typeof data.place === "string") ids.push(data.place);
  if (event.type === "Withdrew" && typeof data.to === "string") ids.push(data.to);
  return ids;
}

/** A registry's or record's own entry (never an inherited one). */
export const own = <T>(record: Readonly<Record<string, T>>, key: string): T | undefined =>
  Object.hasOwn(record, key) ? record[key] : undefined;

/** Whether a place has coordinates or an area. */
export const onMap = (places: Registry, id: string) => {
  const entry = own(places, id);
  return entry?.coordinates !== undefined || entry?.geometry !== undefined;
};

/** The query options of a view. */
export const optionsOf = (q: Omit<ViewQuery, "at">): QueryOptions => ({
  ...(q.asOf === undefined ? {} : { asOf: q.asOf }),
  ...(q.sources === undefined ? {} : { sources: q.sources }),
});

const keyOf = (q: Omit<ViewQuery, "at">) =>
  `${q.asOf ?? ""}|${q.sources === undefined ? "*" : JSON.stringify(q.sources)}`;

/** Start of the local day of `at`, for a fixed offset. */
export const startOfDay = (at: number, offsetMinutes: number) => {
  const shift = offsetMinutes * 60_000;
  return Math.floor((at + shift) / DAY) * DAY - shift;
};

/**
 * Answers the viewer's questions about one timeline. Answers that cost a pass over every event
 * (the events under a view, the ticks, the changes of hand, the territory series) are kept for
 * the last few views asked, so that moving the time slider costs one `stateAt`.
 */
export class ViewModel {
  private readonly info: ViewInfo;
  private cachedMeta: ViewMeta | undefined;
  private readonly memo = new Map<string, unknown>();

  constructor(
    private readonly timeline: ViewTimeline,
    info: ViewInfo,
  ) {
    this.info = info;
  }

  private remember<T>(key: string, make: () => T): T {
    if (this.memo.has(key)) return this.memo.get(key) as T;
    const value = make();
    this.memo.set(key, value);
    // A handful of views at a time: the oldest answer goes first.
    if (this.memo.size > 24) this.memo.delete(this.memo.keys().next().value as string);
    return value;
  }

  /** What the data holds: registries, sources, actors, time range, skipped rows. */
  meta(): ViewMeta {
    if (this.cachedMeta !== undefined) return this.cachedMeta;
    const { places, actors } = this.info;
    const offsetMinutes = this.info.offsetMinutes ?? 0;
    const stored = this.timeline.toJSON().events;
    // In timeline order, so that sources are listed in order of first citation.
    const ordered = [...stored].sort((a, b) => a.at - b.at);
    const counts = new Map<string, number>();
    const named = new Map<string, number>();
    const controlled = new Set<string>();
    const controllers = new Set<string>();
    const actorIds = new Set(Object.keys(actors));
    let unsourced = 0;
    let first = Number.POSITIVE_INFINITY;
    let last = Number.NEGATIVE_INFINITY;
    for (const event of ordered) {
      if (event.type === "Retracted") continue;
      if (event.at < first) first = event.at;
      if (event.at > last) last = event.at;
      if (event.sources.length === 0) unsourced++;
      for (const name of new Set(event.sources.map((s) => s.name))) {
        counts.set(name, (counts.get(name) ?? 0) + 1);
      }
      const ids = placesOf(event);
      for (const id of ids) named.set(id, (named.get(id) ?? 0) + 1);
      if (CONTROL_TYPES.has(event.type)) {
        const data = event.data as { place: string; by?: string; handedTo?: string };
        controlled.add(data.place);
        // A control event names the place, which also stands for its descendants.
        if (event.type !== "Withdrew" && data.by !== undefined) controllers.add(data.by);
        if (data.handedTo !== undefined) controllers.add(data.handedTo);
      }
    }
    for (const c of controllers) actorIds.add(c);
    // Descendants of a controlled place are controlled with it.
    const parentOf = (id: string) => own(places, id)?.parent;
    const touched = (id: string) => {
      for (let p: string | undefined = id, n = 0; p !== undefined && n < 64; p = parentOf(p), n++) {
        if (controlled.has(p)) return true;
      }
      return false;
    };
    const sources = [...counts].map(([name, events]) => ({ name, events }));
    const ranked = [...named].sort((a, b) => b[1] - a[1]).map(([id]) => id);
    const windows = this.windows(stored, offsetMinutes, first, last);
    this.cachedMeta = {
      title: this.info.title,
      subtitle: this.info.subtitle,
      places,
      actors,
      sources,
      unsourced,
      actorIds: [...actorIds].sort(),
      controllers: [...controllers].sort(),
      named: [...named.keys()],
      uncontrolled: [...named.keys(), ...Object.keys(places).filter((id) => !named.has(id))]
        .filter((id) => own(places, id)?.geometry !== undefined && !touched(id))
        .slice(0, 500),
      busiest: ranked.find((id) => onMap(places, id)) ?? ranked[0] ?? null,
      lastAt: Number.isFinite(last) ? last : null,
      ...windows,
      hasAreas: Object.values(places).some((p) => p.geometry !== undefined),
      events: stored.length,
      offsetMinutes,
      labels: this.info.labels ?? [],
      skipped: this.info.skipped ?? null,
    };
    return this.cachedMeta;
  }

  /** Slider ranges: the whole timeline, and the last week that has events. */
  private windows(
    stored: readonly ViewEvent[],
    offsetMinutes: number,
    first: number,
    last: number,
  ): { full: Window; recent: Window } {
    if (!Number.isFinite(first)) {
      const now = startOfDay(Date.now(), offsetMinutes);
      const w = { start: now, end: now + DAY, step: HOUR };
      return { full: w, recent: w };
    }
    let recentFirst = last;
    for (const e of stored) if (e.at >= last - 7 * DAY && e.at < recentFirst) recentFirst = e.at;
    const window = (from: number): Window => {
      let known = from;
      for (const e of stored) {
        const k = Math.max(e.at, e.recordedAt);
        if (k >= from && k > known) known = k;
      }
      const start = startOfDay(from, offsetMinutes);
      const end = startOfDay(known, offsetMinutes) + DAY;
      return { start, end, step: end - start <= 60 * DAY ? HOUR : DAY };
    };
    return { full: window(first), recent: window(recentFirst) };
  }

  /** The map at `q.at`. */
  frame(q: ViewQuery): ViewFrame {
    return expandFrame(this.state(q), this.info.places);
  }

  /** The map at `q.at`, as the JSON API sends it. */
  state(q: ViewQuery): CompactFrame {
    const opts = optionsOf(q);
    const state = this.timeline.stateAt(q.at, opts);
    const { places } = this.info;
    let held = 0;
    for (const entry of Object.values(state.control)) if (entry.controller !== null) held++;
    return {
      control: compactControl(state.control),
      areas: controlAreas(state, places),
      contested: this.timeline.contested(q.at, opts).map((c) => [c.place, c.claims] as const),
      airstrikes: Object.entries(state.airstrikes).map(([p, a]) => [p, a.count] as const),
      held,
    };
  }

  /** One place at `q.at`: control, each source's claim, history, activity, the events cited. */
  place(id: string, q: ViewQuery): PlaceStory {
    const opts = optionsOf(q);
    const state = this.timeline.stateAt(q.at, opts);
    const claims = this.timeline.claims(id, q.at, opts);
    const history = this.timeline.history(id, opts);
    const control = own(state.control, id) ?? null;
    const cited = new Set([
      ...claims.map((c) => c.eventId),
      ...history.map((i) => i.eventId),
      ...(control === null ? [] : [control.eventId]),
    ]);
    // As known in the view: a retraction not yet known leaves its target cited, and shown.
    const events = this.allEvents(q).filter((e) => cited.has(e.id));
    return {
      id,
      control,
      claims,
      history,
      airstrikes: own(state.airstrikes, id) ?? null,
      arrests: own(state.arrests, id) ?? null,
      deaths: state.fatalities === undefined ? null : (own(state.fatalities, id) ?? null),
      events,
    };
  }

  /** The events that count under the view, in timeline order (kept for the last views). */
  private allEvents(q: Omit<ViewQuery, "at">): readonly ViewEvent[] {
    return this.remember(`events ${keyOf(q)}`, () => this.timeline.events(optionsOf(q)));
  }

  /** Up to 250 events by `q.at` and 50 after it. */
  eventsAround(q: ViewQuery): EventsAround {
    const all = this.allEvents(q);
    // First event after q.at, by bisection: the list is in timeline order (`at`).
    let lo = 0;
    let hi = all.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((all[mid] as ViewEvent).at <= q.at) lo = mid + 1;
      else hi = mid;
    }
    return { total: all.length, events: all.slice(Math.max(0, lo - 250), lo + 50) };
  }

  /** Ticks of both sliders over `w`: one per distinct position (a tenth of a per cent). */
  ticks(q: Omit<ViewQuery, "at">, w: Window): Ticks {
    return this.remember(`ticks ${keyOf(q)} ${w.start} ${w.end}`, () => {
      const place = (items: Iterable<readonly [number, string]>) => {
        const seen = new Map<number, string>();
        for (const [t, kind] of items) {
          if (t < w.start || t > w.end) continue;
          const left = Math.round(((t - w.start) / (w.end - w.start)) * 1000) / 10;
          if (seen.get(left) !== "control") seen.set(left, kind);
        }
        return [...seen];
      };
      const kindOf = (type: string) =>
        type === "Captured" || type === "Withdrew" ? "control" : "";
      const at = place(this.allEvents(q).map((e) => [e.at, kindOf(e.type)] as const));
      const known = this.allEvents(q.sources === undefined ? {} : { sources: q.sources });
      const retractions = this.timeline
        .toJSON()
        .events.filter((e) => e.type === "Retracted")
        .map((e) => [e.recordedAt, "Retracted"] as const);
      const asOf = place([...known.map((e) => [e.recordedAt, ""] as const), ...retractions]);
      return { at, asOf };
    });
  }

  /** `toGeoJSONHistory(timeline, places, options)`: each place's intervals of control. */
  timed(q: Omit<ViewQuery, "at">): IntervalFeatureCollection {
    return this.remember(`timed ${keyOf(q)}`, () =>
      toGeoJSONHistory(this.timeline, this.info.places, optionsOf(q)),
    );
  }

  /** The instants in `w` at which a place on the map changes hands. */
  changes(q: Omit<ViewQuery, "at">, w: Window): number[] {
    const times = new Set<number>();
    for (const { properties: p } of this.timed(q).features) {
      times.add(Date.parse(p.start));
      if (p.end !== undefined) times.add(Date.parse(p.end));
    }
    return [...times].filter((t) => t >= w.start && t <= w.end).sort((a, b) => a - b);
  }

  /**
   * Each side's territory at {@link SAMPLES} instants over `w`: the geodesic area (km², by
   * @turf/area) of `controlAreas` where places have areas, else the number of places held.
   */
  territory(q: Omit<ViewQuery, "at">, w: Window): TerritorySeries {
    return this.remember(`territory ${keyOf(q)} ${w.start} ${w.end}`, () => {
      const opts = optionsOf(q);
      const { places } = this.info;
      const times: number[] = [];
      for (let i = 0; i < SAMPLES; i++) {
        times.push(Math.round(w.start + ((w.end - w.start) * i) / (SAMPLES - 1)));
      }
      const states = times.map((t) => this.timeline.stateAt(t, opts));
      const series = (measure: (state: ViewState) => Map<string | null, number>) => {
        const values = new Map<string | null, number[]>();
        states.forEach((state, i) => {
          const here = measure(state);
          for (const c of here.keys()) if (!values.has(c)) values.set(c, new Array(i).fill(0));
          for (const [c, list] of values) list.push(here.get(c) ?? 0);
        });
        return [...values]
          .map(([controller, list]) => ({ controller, values: list }))
          .sort((a, b) => (a.controller ?? "\uffff").localeCompare(b.controller ?? "\uffff"));
      };
      if (this.meta().hasAreas) {
        const km2 = series((state) => {
          const here = new Map<string | null, number>();
          for (const f of controlAreas(state, places).features) {
            here.set(f.properties.controller, turfArea(f) / 1e6);
          }
          return here;
        });
        // Areas that nobody's control ever covers say nothing: count places instead.
        if (km2.some((side) => side.values.some((v) => v > 0))) {
          return { unit: "km²", times, sides: km2 };
        }
      }
      const counts = series((state) => {
        const here = new Map<string | null, number>();
        for (const entry of Object.values(state.control)) {
          here.set(entry.controller, (here.get(entry.controller) ?? 0) + 1);
        }
        return here;
      });
      return { unit: "places", times, sides: counts };
    });
  }
}
