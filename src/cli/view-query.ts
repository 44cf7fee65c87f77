// What the viewer's answers share: time steps, the places an event names, and the query
// options (and cache key) of a view.
// Browser-safe: no Node built-ins (the page bundles this file).

import type { Registry } from "../core/registry.js";
import type { QueryOptions } from "../core/timeline.js";
import type { ViewEvent, ViewQuery } from "./view-types.js";

/** An hour and a day in milliseconds. */
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

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

/** The key of a view's query options, for the answers kept per view. */
export const keyOf = (q: Omit<ViewQuery, "at">) =>
  `${q.asOf ?? ""}|${q.sources === undefined ? "*" : JSON.stringify(q.sources)}`;

/** Start of the local day of `at`, for a fixed offset. */
export const startOfDay = (at: number, offsetMinutes: number) => {
  const shift = offsetMinutes * 60_000;
  return Math.floor((at + shift) / DAY) * DAY - shift;
};
