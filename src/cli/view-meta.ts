// What the viewer knows of a timeline before any instant is chosen: its sources, actors,
// places and time range, found in one pass over its events.
// Browser-safe: no Node built-ins (the page bundles this file).

import { CONTROL_TYPES, DAY, HOUR, onMap, own, placesOf, startOfDay } from "./view-query.js";
import type { ViewEvent, ViewInfo, ViewMeta, ViewTimeline, Window } from "./view-types.js";

/** What the data holds: registries, sources, actors, time range, skipped rows. */
export function viewMeta(timeline: ViewTimeline, info: ViewInfo): ViewMeta {
  const { places, actors } = info;
  const offsetMinutes = info.offsetMinutes ?? 0;
  const stored = timeline.toJSON().events;
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
  return {
    title: info.title,
    subtitle: info.subtitle,
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
    ...windows(stored, offsetMinutes, first, last),
    hasAreas: Object.values(places).some((p) => p.geometry !== undefined),
    events: stored.length,
    offsetMinutes,
    labels: info.labels ?? [],
    skipped: info.skipped ?? null,
  };
}

/** Slider ranges: the whole timeline, and the last week that has events. */
function windows(
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
