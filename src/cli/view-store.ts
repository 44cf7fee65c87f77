// The viewer's questions (view-model.ts) answered from a store through its read models: a
// reader (`openReader`) for the state, claims and history at an instant, and the reads of
// `tidemark view` (src/stores/view-reads.ts) for what no timeline query answers at the size of
// its answer: the overview, the sliders' ticks, the events around an instant, the changes of
// hand and the places each side holds over time. Nothing here folds or holds the store's
// history: a store of 10^6 events opens in about the time of its overview's SQL.

import turfArea from "@turf/area";
import type { Claim } from "../core/claims.js";
import type { ControlEntry, ControlInterval } from "../core/slices.js";
import type { Precision } from "../core/time.js";
import { controlAreas } from "../formats/areas.js";
import { type IntervalFeatureCollection, toGeoJSONHistory } from "../formats/geojson-history.js";
import type { Reader } from "../stores/reader.js";
import type { StoredEvent, Visibility } from "../stores/reader-source.js";
import type { MapEntry, ViewReads } from "../stores/view-reads.js";
import { compactContested, compactControl, expandFrame } from "./view-frame.js";
import { MapRows } from "./view-map-rows.js";
import { DAY, HOUR, keyOf, onMap, optionsOf, own, SAMPLES, startOfDay } from "./view-query.js";
import type {
  CompactFrame,
  EventsAround,
  PlaceStory,
  TerritorySeries,
  Ticks,
  ViewEvent,
  ViewFrame,
  ViewInfo,
  ViewMeta,
  ViewQuery,
  ViewState,
  Window,
} from "./view-types.js";

type Query = Omit<ViewQuery, "at">;

const parse = (rows: readonly StoredEvent[]): ViewEvent[] =>
  rows.map((row) => JSON.parse(row.content) as ViewEvent);

/**
 * Answers the viewer's questions about a store, as {@link ViewModel} answers them about a
 * timeline in memory, and with the same values (tests/view-store.test.ts), except where a
 * question is asked of the whole store: `meta().named` lists the keys of the built-in slices
 * (the places an event reaches, descendants of a region included), and `changes` the instants
 * at which any place changes hands. Views by source are answered by the reader, which folds
 * the events citing those sources: the territory series then is not drawn (`note`).
 */
export class StoreViewModel {
  private cachedMeta: Promise<ViewMeta> | undefined;
  private readonly memo = new Map<string, Promise<unknown>>();

  constructor(
    private readonly reader: Reader<never, ViewState>,
    private readonly reads: ViewReads,
    private readonly info: ViewInfo,
  ) {
    this.hasAreas = Object.values(info.places).some((p) => p.geometry !== undefined);
  }

  private remember<T>(key: string, make: () => Promise<T>): Promise<T> {
    const kept = this.memo.get(key);
    if (kept !== undefined) return kept as Promise<T>;
    const value = make();
    this.memo.set(key, value);
    // A failed answer is asked again next time.
    value.catch(() => this.memo.delete(key));
    if (this.memo.size > 24) this.memo.delete(this.memo.keys().next().value as string);
    return value;
  }

  /**
   * The rows of control and air strikes in memory, read in the background after the first map
   * (answered by SQL); later maps are answered from them.
   */
  private rows: MapRows | undefined;
  private loading: Promise<MapRows | undefined> | undefined;

  /** Whether the map's rows are in memory (later maps are answered without SQL). */
  mapInMemory(): boolean {
    return this.rows !== undefined;
  }

  /** Reads the rows of the map into memory, once, in the background. */
  loadRows(): Promise<MapRows | undefined> {
    this.loading ??= MapRows.load(this.reads).then(
      (rows) => {
        this.rows = rows;
        return rows;
      },
      // Without them, every map is asked of the store (as before they are in).
      () => undefined,
    );
    return this.loading;
  }

  private readonly states = new Map<string, Promise<ViewState>>();
  /** Whether some place has an area (else `controlAreas` has nothing to draw). */
  private readonly hasAreas: boolean;

  /** The state at `q.at`, kept for the last few instants: a frame and a story share it. */
  private stateAt(q: ViewQuery): Promise<ViewState> {
    const key = `${q.at} ${keyOf(q)}`;
    let state = this.states.get(key);
    if (state === undefined) {
      state = this.reader.stateAt(q.at, optionsOf(q));
      this.states.set(key, state);
      state.catch(() => this.states.delete(key));
      if (this.states.size > 4) this.states.delete(this.states.keys().next().value as string);
    }
    return state;
  }

  private visibility(q: Query): Visibility {
    return { version: this.reader.version, asOf: q.asOf };
  }

  /** What the store holds: registries, sources, actors, time range, skipped rows. */
  meta(): Promise<ViewMeta> {
    this.cachedMeta ??= this.makeMeta();
    return this.cachedMeta;
  }

  private async makeMeta(): Promise<ViewMeta> {
    const { places, actors } = this.info;
    const offsetMinutes = this.info.offsetMinutes ?? 0;
    const o = await this.reads.overview(this.reader.version, (last) => last - 7 * DAY);
    const controlled = new Set(o.places.filter((p) => p.controlled).map((p) => p.id));
    const named = o.places.map((p) => p.id);
    const isNamed = new Set(named);
    const parentOf = (id: string) => own(places, id)?.parent;
    const touched = (id: string) => {
      for (let p: string | undefined = id, n = 0; p !== undefined && n < 64; p = parentOf(p), n++) {
        if (controlled.has(p)) return true;
      }
      return false;
    };
    const ranked = [...o.places].sort((a, b) => b.events - a.events).map((p) => p.id);
    const windows = this.windows(o.first, o.recentFirst, o.known, offsetMinutes);
    return {
      title: this.info.title,
      subtitle: this.info.subtitle,
      places,
      actors,
      sources: o.sources,
      unsourced: o.unsourced,
      actorIds: [...new Set([...Object.keys(actors), ...o.controllers])].sort(),
      controllers: [...o.controllers],
      named,
      uncontrolled: [...named, ...Object.keys(places).filter((id) => !isNamed.has(id))]
        .filter((id) => own(places, id)?.geometry !== undefined && !touched(id))
        .slice(0, 500),
      busiest: ranked.find((id) => onMap(places, id)) ?? ranked[0] ?? null,
      lastAt: o.last,
      ...windows,
      hasAreas: Object.values(places).some((p) => p.geometry !== undefined),
      events: this.reader.version,
      offsetMinutes,
      labels: this.info.labels ?? [],
      skipped: this.info.skipped ?? null,
    };
  }

  /** Slider ranges, as {@link ViewModel} makes them. */
  private windows(
    first: number | null,
    recentFirst: number | null,
    known: number | null,
    offsetMinutes: number,
  ): { full: Window; recent: Window } {
    if (first === null || known === null) {
      const now = startOfDay(Date.now(), offsetMinutes);
      const w = { start: now, end: now + DAY, step: HOUR };
      return { full: w, recent: w };
    }
    const window = (from: number): Window => {
      const start = startOfDay(from, offsetMinutes);
      const end = startOfDay(Math.max(from, known), offsetMinutes) + DAY;
      return { start, end, step: end - start <= 60 * DAY ? HOUR : DAY };
    };
    return { full: window(first), recent: window(recentFirst ?? first) };
  }

  /** The map at `q.at`. */
  async frame(q: ViewQuery): Promise<ViewFrame> {
    return expandFrame(await this.state(q), this.info.places);
  }

  /** The map at `q.at`, as the JSON API sends it. */
  async state(q: ViewQuery): Promise<CompactFrame> {
    if (q.sources === undefined) return this.mapAt(q);
    const opts = optionsOf(q);
    const state = await this.stateAt(q);
    // Each control entry says whether its place is contested in the view: only those places'
    // claims are read (a few keys), not every place's.
    const contested: { place: string; claims: readonly Claim[] }[] = [];
    for (const [place, entry] of Object.entries(state.control)) {
      if (entry.contested === true) {
        contested.push({ place, claims: await this.reader.claims(place, q.at, opts) });
      }
    }
    const { places } = this.info;
    let held = 0;
    for (const entry of Object.values(state.control)) if (entry.controller !== null) held++;
    return {
      control: compactControl(state.control),
      areas: controlAreas(state, places),
      ...compactContested(contested.map((c) => [c.place, c.claims])),
      airstrikes: Object.entries(state.airstrikes).map(([p, a]) => [p, a.count] as const),
      held,
    };
  }

  /**
   * The map at `q.at` with every source: a slider step. Two queries take from the read models
   * only what the map shows (a reader's `stateAt` would parse every entry whole, claims and
   * all, and `claims` would read each contested place's rows again).
   */
  private async mapAt(q: ViewQuery): Promise<CompactFrame> {
    const view = this.visibility(q);
    const { control, airstrikes } =
      this.rows === undefined ? await this.reads.mapAt(q.at, view) : this.rows.mapAt(q.at, view);
    void this.loadRows();
    const entries: Record<string, ControlEntry> = {};
    const compact: CompactFrame["control"][number][] = [];
    const contested: [string, MapEntry["claims"]][] = [];
    let held = 0;
    for (const e of control) {
      const precision = e.precision as Precision;
      compact.push(
        e.contested === undefined
          ? [e.key, e.controller, e.since, precision]
          : [e.key, e.controller, e.since, precision, e.contested],
      );
      if (e.contested === true) contested.push([e.key, e.claims]);
      if (e.controller !== null) held++;
      // controlAreas reads the controller of each place; the event id is not sent.
      if (this.hasAreas) {
        Object.defineProperty(entries, e.key, {
          value: { controller: e.controller, since: e.since, precision, eventId: "" },
          enumerable: true,
        });
      }
    }
    return {
      control: compact,
      areas: this.hasAreas
        ? controlAreas({ control: entries }, this.info.places)
        : { type: "FeatureCollection", features: [] },
      ...compactContested(contested),
      airstrikes,
      held,
    };
  }

  /** One place at `q.at`: control, each source's claim, history, activity, the events cited. */
  async place(id: string, q: ViewQuery): Promise<PlaceStory> {
    const opts = optionsOf(q);
    const [state, claims, history] = await Promise.all([
      this.stateAt(q),
      this.reader.claims(id, q.at, opts),
      this.reader.history(id, opts),
    ]);
    const control = own(state.control, id) ?? null;
    const cited = new Set([
      ...claims.map((c) => c.eventId),
      ...history.map((i) => i.eventId),
      ...(control === null ? [] : [control.eventId]),
    ]);
    const events = parse(await this.reads.placeEvents(id, this.visibility(q), q.sources)).filter(
      (e) => cited.has(e.id),
    );
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

  /** Up to 250 events by `q.at` and 50 after it, in timeline order. */
  async eventsAround(q: ViewQuery): Promise<EventsAround> {
    const view = this.visibility(q);
    const [total, before, after] = await Promise.all([
      // The same for every instant of a view: counted once.
      this.remember(`count ${keyOf(q)}`, () => this.reads.count(view, q.sources)),
      this.reads.around(q.at, "before", 250, view, q.sources),
      this.reads.around(q.at, "after", 50, view, q.sources),
    ]);
    return { total, events: [...parse(before).reverse(), ...parse(after)] };
  }

  /** Ticks of both sliders over `w`: one per distinct position (a tenth of a per cent). */
  ticks(q: Query, w: Window): Promise<Ticks> {
    return this.remember(`ticks ${keyOf(q)} ${w.start} ${w.end}`, async () => {
      const [at, known] = await Promise.all([
        this.reads.atTicks(this.visibility(q), q.sources, w.start, w.end),
        this.reads.knownTicks(this.reader.version, q.sources, w.start, w.end),
      ]);
      return {
        at: at.map(([left, control]) => [left, control ? "control" : ""] as const),
        asOf: known.map(([left, retraction]) => [left, retraction ? "Retracted" : ""] as const),
      };
    });
  }

  /** `toGeoJSONHistory(reader, places, options)`: each place's intervals of control. */
  timed(q: Query): Promise<IntervalFeatureCollection> {
    return this.remember(`timed ${keyOf(q)}`, async () => {
      const { places } = this.info;
      const opts = optionsOf(q);
      const histories = new Map<string, readonly ControlInterval[]>();
      for (const id of Object.keys(places)) {
        if (onMap(places, id)) histories.set(id, await this.reader.history(id, opts));
      }
      return toGeoJSONHistory({ history: (id) => histories.get(id) ?? [] }, places, opts);
    });
  }

  /** The instants in `w` at which a place changes hands. */
  changes(q: Query, w: Window): Promise<readonly number[]> {
    return this.remember(`changes ${keyOf(q)} ${w.start} ${w.end}`, async () => {
      if (q.sources !== undefined) {
        const times = new Set<number>();
        for (const { properties: p } of (await this.timed(q)).features) {
          times.add(Date.parse(p.start));
          if (p.end !== undefined) times.add(Date.parse(p.end));
        }
        return [...times].filter((t) => t >= w.start && t <= w.end).sort((a, b) => a - b);
      }
      return this.reads.changes(this.visibility(q), w.start, w.end);
    });
  }

  /**
   * Each side's territory at {@link SAMPLES} instants over `w`: km² of `controlAreas` where
   * places have areas (a state read at each instant), else the number of places held (one
   * query over the read model of control).
   */
  territory(q: Query, w: Window): Promise<TerritorySeries> {
    return this.remember(`territory ${keyOf(q)} ${w.start} ${w.end}`, async () => {
      const times: number[] = [];
      for (let i = 0; i < SAMPLES; i++) {
        times.push(Math.round(w.start + ((w.end - w.start) * i) / (SAMPLES - 1)));
      }
      if (q.sources !== undefined) {
        return {
          unit: "places",
          times,
          sides: [],
          note: "Not drawn for a store viewed by source: tick every source to see it.",
        };
      }
      const sort = (sides: { controller: string | null; values: number[] }[]) =>
        sides.sort((a, b) => (a.controller ?? "\uffff").localeCompare(b.controller ?? "\uffff"));
      if ((await this.meta()).hasAreas) {
        const { places } = this.info;
        const values = new Map<string | null, number[]>();
        for (const [i, t] of times.entries()) {
          const state = await this.reader.stateAt(t, optionsOf(q));
          for (const f of controlAreas(state, places).features) {
            const c = f.properties.controller;
            if (!values.has(c)) values.set(c, new Array(SAMPLES).fill(0));
            (values.get(c) as number[])[i] = turfArea(f) / 1e6;
          }
        }
        const sides = [...values].map(([controller, list]) => ({ controller, values: list }));
        // Areas that nobody's control ever covers say nothing: count places instead.
        if (sides.some((side) => side.values.some((v) => v > 0))) {
          return { unit: "km²", times, sides: sort(sides) };
        }
      }
      const counts = await this.reads.placeCounts(this.visibility(q), w.start, w.end, SAMPLES);
      const sides = counts.map(({ controller, deltas }) => {
        const values = new Array<number>(SAMPLES).fill(0);
        for (const [i, d] of deltas) values[i] = (values[i] as number) + d;
        for (let i = 1; i < SAMPLES; i++)
          values[i] = (values[i] as number) + (values[i - 1] as number);
        return { controller, values };
      });
      // A side that held places only between two samples is not on the chart.
      const shown = sides.filter((side) => side.values.some((v) => v !== 0));
      return { unit: "places", times, sides: sort(shown) };
    });
  }
}
