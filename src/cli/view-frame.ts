// A frame of the map as the JSON API sends it (control entries, no geometry), and back.
// Browser-safe: no Node built-ins (the page bundles this file).

import type { Registry } from "../core/registry.js";
import type { ControlEntry } from "../core/slices.js";
import { toGeoJSON } from "../formats/geojson.js";
import type { CompactFrame, ViewFrame } from "./view-types.js";

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
