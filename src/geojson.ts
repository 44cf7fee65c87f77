/**
 * `tidemark/geojson`: states and timelines as GeoJSON (RFC 7946) for maps: places with their
 * controller, the territory of each side, and every interval of control. The same functions
 * as the package root's.
 *
 * @example
 * import { controlAreas, toGeoJSON } from "tidemark/geojson";
 * const points = toGeoJSON(timeline.stateAt("2016-12-11"), places);
 *
 * @module
 */
export type { AreaFeature, AreaFeatureCollection, AreaProperties } from "./formats/areas.js";
export { controlAreas } from "./formats/areas.js";
export type {
  GeoJSONOptions,
  PlaceFeature,
  PlaceFeatureCollection,
  PlaceProperties,
  PointGeometry,
} from "./formats/geojson.js";
export { toGeoJSON } from "./formats/geojson.js";
export type {
  HistoryOptions,
  IntervalFeature,
  IntervalFeatureCollection,
  IntervalProperties,
} from "./formats/geojson-history.js";
export { toGeoJSONHistory } from "./formats/geojson-history.js";
