// The URL: the view it names when the page opens, kept up to date as the view changes.

import { parseTime } from "tidemark";
import type { ViewMeta } from "../../../src/cli/view-model.js";
import { clock, source, type View, view } from "./state.js";
import { isoMinute } from "./time.js";

export function readUrl(d: ViewMeta): View {
  const params = new URLSearchParams(location.search);
  const time = (name: string): number | undefined => {
    const value = params.get(name);
    if (value === null || value === "" || value === "latest") return undefined;
    try {
      return parseTime(value).at;
    } catch {
      return undefined;
    }
  };
  const at = time("at");
  const asOf = time("asOf");
  const sourcesParam = params.get("sources");
  const known = new Set(d.sources.map((s) => s.name));
  const sources =
    sourcesParam === null ? undefined : sourcesParam.split(",").filter((s) => known.has(s));
  const place = params.get("place") ?? undefined;
  const inRecent = (t: number | undefined) =>
    t === undefined || (t >= d.recent.start && t <= d.recent.end);
  const range =
    params.get("range") === "all" || !inRecent(at) || !inRecent(asOf) ? "all" : "recent";
  return {
    at: at ?? defaultAt(d),
    asOf,
    sources: sources !== undefined && sources.length === d.sources.length ? undefined : sources,
    place: place !== undefined && Object.hasOwn(d.places, place) ? place : (d.busiest ?? undefined),
    range,
  };
}

export function writeUrl(): void {
  if (!source.linkable) return; // a dropped file cannot be linked to
  const enc = (v: string) =>
    encodeURIComponent(v).replace(/%3A/g, ":").replace(/%2C/g, ",").replace(/%20/g, "+");
  const parts = [`at=${enc(isoMinute(view.at, clock.offsetMinutes))}`];
  if (view.asOf !== undefined) parts.push(`asOf=${enc(isoMinute(view.asOf, clock.offsetMinutes))}`);
  if (view.sources !== undefined) parts.push(`sources=${view.sources.map(enc).join(",")}`);
  if (view.place !== undefined) parts.push(`place=${enc(view.place)}`);
  if (view.range === "all") parts.push("range=all");
  // The file the URL names stays named.
  const given = new URLSearchParams(location.search);
  for (const name of ["actors", "places", "file"]) {
    const value = given.get(name);
    if (value !== null) parts.unshift(`${name}=${enc(value)}`);
  }
  history.replaceState(null, "", `?${parts.join("&")}`);
}

/** The last instant with an event, on the slider's grid. */
export function defaultAt(d: ViewMeta): number {
  const w = d.recent;
  const last = Math.max(d.lastAt ?? w.start, w.start);
  const snapped = w.start + Math.ceil((last - w.start) / w.step) * w.step;
  return Math.min(Math.max(snapped, w.start), w.end);
}
