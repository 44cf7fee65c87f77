// The areas on the map: the territory of each side (`controlAreas`) and the areas of places
// (`toGeoJSON` features with a geometry), each outlined and, when contested, hatched.

import type { Feature, FeatureCollection } from "geojson";
import L from "leaflet";
import type { SourceClaim } from "../../../src/cli/view-model.js";
import type { MapModel } from "./map.js";

/** A GeoJSON feature's properties, as the layer that drew it holds them. */
export const propertiesOf = <T>(feature: Feature | undefined): T =>
  (feature?.properties ?? {}) as T;

/** Draws the territory of each side at the selected instant. */
export function drawTerritory(layer: L.GeoJSON, model: MapModel): void {
  layer.clearLayers();
  layer.addData(model.areas as unknown as FeatureCollection);
  layer.eachLayer((layer) => {
    const { controller } = propertiesOf<{ controller: string | null }>(
      (layer as L.Polygon).feature,
    );
    (layer as L.Path).getElement()?.setAttribute("data-controller", controller ?? "nobody");
  });
}

/**
 * Draws the areas of places at the selected instant, each with its name; `fillOf` is the fill
 * of a contested one.
 */
export function drawPlaceAreas(
  layer: L.GeoJSON,
  labels: L.LayerGroup,
  model: MapModel,
  fillOf: (claims: readonly SourceClaim[]) => string,
): void {
  layer.clearLayers();
  labels.clearLayers();
  layer.addData(model.areaPlaces as unknown as FeatureCollection);
  layer.eachLayer((layer) => {
    const path = layer as L.Polygon;
    const { id, controller } = propertiesOf<{ id: string; controller?: string | null }>(
      path.feature,
    );
    const claims = model.contested.get(id);
    const state =
      claims !== undefined
        ? "contested"
        : controller === undefined
          ? "unknown"
          : controller === null
            ? "nobody"
            : "held";
    path.setStyle({
      color: state === "unknown" ? "#3e4c59" : "#1f2933",
      weight: model.selected === id ? 3.5 : 2,
      dashArray: state === "unknown" ? "7 5" : "",
      fillColor: claims === undefined ? "#000" : fillOf(claims),
      fillOpacity: claims === undefined ? 0 : 0.8,
    });
    // The name low and right in the area's box: its sites tend to crowd round its seat, near
    // the middle, where their own labels already are.
    const name = propertiesOf<{ name: string }>(path.feature).name;
    const label = document.createElement("span");
    label.textContent = name;
    const box = path.getBounds();
    const at = L.latLng(
      box.getSouth() + 0.1 * (box.getNorth() - box.getSouth()),
      box.getWest() + 0.75 * (box.getEast() - box.getWest()),
    );
    L.marker(at, {
      icon: L.divIcon({ className: "area-label", html: label, iconSize: [0, 0] }),
      interactive: false,
      keyboard: false,
    }).addTo(labels);
    const element = path.getElement();
    element?.setAttribute("data-area", id);
    element?.setAttribute("data-state", state);
    element?.setAttribute(
      "data-controller",
      controller === undefined ? "" : (controller ?? "nobody"),
    );
  });
}
