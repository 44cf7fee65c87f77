// A frame of the map as the JSON API sends it (control entries, no geometry), and back.
// Browser-safe: no Node built-ins (the page bundles this file).

import type { Registry } from "../core/registry.js";
import type { ControlEntry } from "../core/slices.js";
import { toGeoJSON } from "../formats/geojson.js";
import type { CompactFrame, SourceClaim, ViewFrame } from "./view-types.js";

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

/** Contested places and their claims as a {@link CompactFrame} lists them: each pair once. */
export function compactContested(
  contested: Iterable<readonly [string, readonly SourceClaim[]]>,
): Pick<CompactFrame, "claims" | "contested"> {
  const claims: [string, string | null][] = [];
  const index = new Map<string, number>();
  const places: [string, number[]][] = [];
  // Places that share one list of claims (a store's rows in memory do) share its indexes.
  const done = new Map<readonly SourceClaim[], number[]>();
  for (const [place, list] of contested) {
    let indexes = done.get(list);
    if (indexes === undefined) {
      indexes = list.map(({ source, controller }) => {
        // NUL-separated (no name or id holds one); a null controller leaves its part out.
        const key = controller === null ? `${source}\u0000` : `${source}\u0000${controller}\u0000`;
        let i = index.get(key);
        if (i === undefined) {
          i = claims.length;
          claims.push([source, controller]);
          index.set(key, i);
        }
        return i;
      });
      done.set(list, indexes);
    }
    places.push([place, indexes]);
  }
  return { claims, contested: places };
}

/** The {@link ViewFrame} of a {@link CompactFrame}: `toGeoJSON` of its control over `places`. */
export function expandFrame(frame: CompactFrame, places: Registry): ViewFrame {
  const { control, claims, contested, ...rest } = frame;
  const pairs = claims.map(([source, controller]) => ({ source, controller }));
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
  return {
    ...rest,
    contested: contested.map(([place, list]) => [place, list.map((i) => pairs[i] as SourceClaim)]),
    geojson: toGeoJSON({ control: entries }, places),
  };
}
