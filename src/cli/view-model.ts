// The viewer's questions and their answers, as plain JSON: what the map shows at an instant
// (control, areas, contested places, air strikes), one place's story, the events around an
// instant, the sliders' ticks, the changes of hand, and each side's territory over time.
//
// The page asks them of a timeline in the browser (a file opened or dropped, the example),
// and `tidemark view` answers the same questions over HTTP from a file or a store (view.ts,
// through view-data.ts), with this same code: so the page shows the same thing either way, and
// a store of 10^6 events is queried where it lies instead of being sent to the page.
// Browser-safe: no Node built-ins (the page bundles this file).

import { controlAreas } from "../formats/areas.js";
import { type IntervalFeatureCollection, toGeoJSONHistory } from "../formats/geojson-history.js";
import { compactContested, compactControl, expandFrame } from "./view-frame.js";
import { viewMeta } from "./view-meta.js";
import { keyOf, optionsOf, own } from "./view-query.js";
import { territorySeries } from "./view-territory.js";
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
  ViewTimeline,
  Window,
} from "./view-types.js";

// The page (examples/viewer) reads the viewer's vocabulary from this one module.
export { expandFrame } from "./view-frame.js";
export type {
  CompactFrame,
  EventsAround,
  PlaceStory,
  SkippedReport,
  SourceClaim,
  TerritorySeries,
  Ticks,
  ViewFrame,
  ViewMeta,
  ViewQuery,
  ViewTimeline,
  Window,
} from "./view-types.js";

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
    this.cachedMeta ??= viewMeta(this.timeline, this.info);
    return this.cachedMeta;
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
      ...compactContested(this.timeline.contested(q.at, opts).map((c) => [c.place, c.claims])),
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

  /** Each side's territory over `w` ({@link territorySeries}), kept for the last views. */
  territory(q: Omit<ViewQuery, "at">, w: Window): TerritorySeries {
    return this.remember(`territory ${keyOf(q)} ${w.start} ${w.end}`, () =>
      territorySeries(this.timeline, this.info.places, this.meta().hasAreas, q, w),
    );
  }
}
