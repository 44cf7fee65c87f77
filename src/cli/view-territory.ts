// Each side's territory over a window, sampled at evenly spaced instants: the series of the
// viewer's chart.
// Browser-safe: no Node built-ins (the page bundles this file).

import turfArea from "@turf/area";
import type { Registry } from "../core/registry.js";
import { controlAreas } from "../formats/areas.js";
import { optionsOf, SAMPLES } from "./view-query.js";
import type { TerritorySeries, ViewQuery, ViewState, ViewTimeline, Window } from "./view-types.js";

/**
 * Each side's territory at {@link SAMPLES} instants over `w`: the geodesic area (km², by
 * @turf/area) of `controlAreas` where `hasAreas` (some place has an area), else the number of
 * places held.
 */
export function territorySeries(
  timeline: ViewTimeline,
  places: Registry,
  hasAreas: boolean,
  q: Omit<ViewQuery, "at">,
  w: Window,
): TerritorySeries {
  const opts = optionsOf(q);
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    times.push(Math.round(w.start + ((w.end - w.start) * i) / (SAMPLES - 1)));
  }
  const states = times.map((t) => timeline.stateAt(t, opts));
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
  if (hasAreas) {
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
}
