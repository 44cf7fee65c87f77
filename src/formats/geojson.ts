import { formatTime } from "../core/format-time.js";
import type { AreaGeometry } from "../core/geometry.js";
import type { Registry, RegistryEntry } from "../core/registry.js";
import type { ControlEntry } from "../core/slices.js";
import { PRECISIONS, type Precision } from "../core/time.js";
import { splitAntimeridian } from "./antimeridian.js";

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
  /** Precision of `since` (that of the event that set it); absent with `controller`. */
  readonly precision?: Precision;
  /**
   * `since` as ISO 8601 cut to `precision` (`formatTime`, in the `timeZone` option), beside
   * the epoch ms, as the CLI's `--json` writes times; absent with `controller`.
   */
  readonly sinceIso?: string;
  /** Whether two standing claims give the place to different controllers; absent with `controller`. */
  readonly contested?: boolean;
}

/** Options of {@link toGeoJSON}. */
export interface GeoJSONOptions {
  /** The zone `sinceIso` is written in: an IANA name or a fixed offset. Default `"UTC"`. */
  readonly timeZone?: string;
}

/** A GeoJSON Point: a place's `coordinates`. */
export interface PointGeometry {
  readonly type: "Point";
  /** `[longitude, latitude]`, WGS 84, as RFC 7946 orders them. */
  readonly coordinates: readonly [number, number];
}

/** A GeoJSON feature (RFC 7946) for one place: its area when it has one, else its point. */
export interface PlaceFeature {
  readonly type: "Feature";
  /** The place id, also in `properties.id` (MapLibre's `promoteId: "id"` can use either). */
  readonly id: string;
  readonly geometry: PointGeometry | AreaGeometry;
  readonly properties: PlaceProperties;
}

/** A GeoJSON FeatureCollection (RFC 7946) of places. */
export interface PlaceFeatureCollection {
  readonly type: "FeatureCollection";
  readonly features: readonly PlaceFeature[];
}

/**
 * The places of a registry as a GeoJSON FeatureCollection (RFC 7946): one feature per place
 * (in registry order) that has a `geometry` (that Polygon or MultiPolygon, as given) or else
 * `coordinates` (a Point), with `properties: { id, name, controller, since, precision,
 * sinceIso, contested }` taken from `state.control` (`since` in epoch ms, `sinceIso` the same
 * instant as ISO 8601 at its precision). A place the state has no control of has neither `controller`, `since`
 * nor `precision`; one that nobody holds has `controller: null`. No `crs` member: RFC 7946
 * coordinates are WGS 84 longitude, latitude. MapLibre and Leaflet draw it as is. For the
 * territory of each side, with areas of places held by others cut out, see `controlAreas`.
 *
 * @example
 * const geojson = toGeoJSON(timeline.stateAt("2016-12-11T08:00+02:00"), places);
 * map.addSource("control", { type: "geojson", data: geojson }); // MapLibre
 * L.geoJSON(geojson).addTo(map);                                // Leaflet
 */
export function toGeoJSON(
  state: { readonly control: Readonly<Record<string, ControlEntry>> },
  places: Registry,
  options: GeoJSONOptions = {},
): PlaceFeatureCollection {
  const control = state.control;
  const features: PlaceFeature[] = [];
  for (const [id, place] of Object.entries(places)) {
    const geometry = placeGeometry(place);
    if (geometry === undefined) continue;
    const entry = Object.hasOwn(control, id) ? control[id] : undefined;
    const precision = entry === undefined ? undefined : precisionOf(entry);
    const properties: PlaceProperties =
      entry === undefined
        ? { id, name: place.name }
        : {
            id,
            name: place.name,
            controller: entry.controller,
            since: entry.since,
            ...(precision === undefined
              ? {}
              : {
                  precision,
                  sinceIso: formatTime(entry.since, precision, { timeZone: options.timeZone }),
                }),
            ...(typeof entry.contested === "boolean" ? { contested: entry.contested } : {}),
          };
    features.push({ type: "Feature", id, geometry, properties });
  }
  return { type: "FeatureCollection", features };
}

/**
 * What a map draws for a place: its area when it has one (split at the antimeridian when it
 * crosses it, RFC 7946 §3.1.9), else its point, else nothing.
 */
export function placeGeometry(place: RegistryEntry): PointGeometry | AreaGeometry | undefined {
  if (place.geometry !== undefined) return splitAntimeridian(place.geometry);
  if (place.coordinates === undefined) return undefined;
  const [lon, lat] = place.coordinates;
  return Number.isFinite(lon) && Number.isFinite(lat)
    ? { type: "Point", coordinates: [lon, lat] }
    : undefined;
}

/** The entry's `precision` (the state gives it for the event that set the entry). */
function precisionOf(entry: ControlEntry): Precision | undefined {
  const value: unknown = "precision" in entry ? entry.precision : undefined;
  return (PRECISIONS as readonly unknown[]).includes(value) ? (value as Precision) : undefined;
}
