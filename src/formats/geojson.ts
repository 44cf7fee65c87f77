import type { Registry } from "../core/registry.js";
import type { ControlEntry } from "../core/slices.js";

/** `properties` of each feature {@link toGeoJSON} writes. */
export interface PlaceProperties {
  /** The place id (the registry key). */
  readonly id: string;
  /** The registry's `name` of the place. */
  readonly name: string;
  /** Who holds it: an actor id, `null` when nobody does; absent when the state has no control of the place. */
  readonly controller?: string | null;
  /** `since` of the control entry (epoch ms); absent with `controller`. */
  readonly since?: number;
}

/** A GeoJSON Point feature (RFC 7946) for one place. */
export interface PlaceFeature {
  readonly type: "Feature";
  /** The place id, also in `properties.id` (MapLibre's `promoteId: "id"` can use either). */
  readonly id: string;
  readonly geometry: {
    readonly type: "Point";
    /** `[longitude, latitude]`, WGS 84, as RFC 7946 orders them. */
    readonly coordinates: readonly [number, number];
  };
  readonly properties: PlaceProperties;
}

/** A GeoJSON FeatureCollection (RFC 7946) of places. */
export interface PlaceFeatureCollection {
  readonly type: "FeatureCollection";
  readonly features: readonly PlaceFeature[];
}

/**
 * The places of a registry as a GeoJSON FeatureCollection (RFC 7946): one Point feature per
 * place that has `coordinates` (in registry order), with `properties: { id, name, controller,
 * since }` taken from `state.control`. A place the state has no control of has neither
 * `controller` nor `since`; one that nobody holds has `controller: null`. No `crs` member:
 * RFC 7946 coordinates are WGS 84 longitude, latitude. MapLibre and Leaflet draw it as is.
 *
 * @example
 * const geojson = toGeoJSON(timeline.stateAt("2016-12-11T08:00+02:00"), places);
 * map.addSource("control", { type: "geojson", data: geojson }); // MapLibre
 * L.geoJSON(geojson).addTo(map);                                // Leaflet
 */
export function toGeoJSON(
  state: { readonly control: Readonly<Record<string, ControlEntry>> },
  places: Registry,
): PlaceFeatureCollection {
  const control = state.control;
  const features: PlaceFeature[] = [];
  for (const [id, place] of Object.entries(places)) {
    const coordinates = place.coordinates;
    if (coordinates === undefined) continue;
    const [lon, lat] = coordinates;
    if (!Number.isFinite(lon) || !Number.isFinite(lat)) continue;
    const entry = Object.hasOwn(control, id) ? control[id] : undefined;
    const properties: PlaceProperties =
      entry === undefined
        ? { id, name: place.name }
        : { id, name: place.name, controller: entry.controller, since: entry.since };
    features.push({
      type: "Feature",
      id,
      geometry: { type: "Point", coordinates: [lon, lat] },
      properties,
    });
  }
  return { type: "FeatureCollection", features };
}
