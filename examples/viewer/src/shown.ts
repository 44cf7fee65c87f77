// The map at an instant as the page draws it, from the answer that `tidemark view` sends and
// that a timeline in the browser gives alike (a CompactFrame): each place's control entry by
// id for the markers and clusters, `toGeoJSON` of the places that have an area (their outlines
// and names), `controlAreas`, the contested places with their claims, and the air strikes.
// Markers need no GeoJSON: a slider step over thousands of places makes none for them.

import {
  type ControlEntry,
  type PlaceFeatureCollection,
  type Precision,
  type Registry,
  toGeoJSON,
} from "tidemark";
import type { CompactFrame, SourceClaim, ViewFrame } from "../../../src/cli/view-model.js";

/** A place's control at the instant, as the markers, clusters and tooltip read it. */
export interface Held {
  /** An actor id; null: nobody holds it. */
  readonly controller: string | null;
  readonly since: number;
  readonly precision: Precision;
  readonly contested?: boolean;
}

/** What the map and the panels show at the selected instant. */
export interface Shown {
  /** Each place's control entry; a place without one has no report yet. */
  readonly control: ReadonlyMap<string, Held>;
  /** `toGeoJSON(state, places)` of the places that have an area. */
  readonly areaPlaces: PlaceFeatureCollection;
  readonly areas: ViewFrame["areas"];
  /** Places whose sources disagree, with each source's claim. */
  readonly contested: ReadonlyMap<string, readonly SourceClaim[]>;
  /** Places struck from the air by then, with the number of strikes reported. */
  readonly airstrikes: ReadonlyMap<string, number>;
  /** Number of places held by someone. */
  readonly held: number;
}

/** The places of a registry that have an area, kept per registry. */
const withArea = new WeakMap<Registry, Registry>();

function areaRegistry(places: Registry): Registry {
  let kept = withArea.get(places);
  if (kept === undefined) {
    kept = Object.fromEntries(Object.entries(places).filter(([, p]) => p.geometry !== undefined));
    withArea.set(places, kept);
  }
  return kept;
}

/** The {@link Shown} of an answer, over the registry of places the page has. */
export function shownOf(frame: CompactFrame, places: Registry): Shown {
  const control = new Map<string, Held>();
  for (const [id, controller, since, precision, contested] of frame.control) {
    control.set(
      id,
      contested === undefined
        ? { controller, since, precision }
        : { controller, since, precision, contested },
    );
  }
  const areas = areaRegistry(places);
  const entries: Record<string, ControlEntry> = {};
  for (const id of Object.keys(areas)) {
    const held = control.get(id);
    if (held !== undefined) {
      // toGeoJSON reads no event id: the answer leaves it out.
      Object.defineProperty(entries, id, {
        value: { ...held, eventId: "" },
        enumerable: true,
      });
    }
  }
  const pairs = frame.claims.map(([source, controller]) => ({ source, controller }));
  return {
    control,
    areaPlaces: toGeoJSON({ control: entries }, areas),
    areas: frame.areas,
    contested: new Map(
      frame.contested.map(([place, list]) => [place, list.map((i) => pairs[i] as SourceClaim)]),
    ),
    airstrikes: new Map(frame.airstrikes),
    held: frame.held,
  };
}
