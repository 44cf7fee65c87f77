// The map's context, bundled with the page so that it works offline, with no tile server:
// Syria's governorates and districts (OCHA, Syria COD-AB; English and Arabic names) and the
// neighbouring countries from Natural Earth (the world-atlas package, TopoJSON read with
// topojson-client).

import type { Feature, FeatureCollection, MultiPolygon, Polygon } from "geojson";
import L from "leaflet";
import { feature } from "topojson-client";
import type { GeometryCollection, Topology } from "topojson-specification";
import countries from "world-atlas/countries-50m.json?raw";
import governorates from "../data/admin1-governorates.geojson?raw";
import districts from "../data/admin2-districts.geojson?raw";

/** Properties of the OCHA boundaries as the copies in ../data give them. */
interface Boundary {
  readonly name: string;
  readonly name_ar: string;
  readonly pcode: string;
}

type Boundaries = FeatureCollection<Polygon | MultiPolygon, Boundary>;

/** Where the basemap has shapes: Syria and its neighbours, with a margin. */
export const BASEMAP_BOUNDS = L.latLngBounds([28, 30], [40, 46]);
/** Syria's extent, for the first view when the places lie in it. */
export const SYRIA_BOUNDS = L.latLngBounds([32.3, 35.6], [37.35, 42.4]);
/** Credit for the shapes, shown on the map and under it. */
export const CREDIT =
  "Boundaries: OCHA, Syria COD-AB · neighbouring countries: Natural Earth (world-atlas)";

/** ISO 3166 numeric code of Syria in world-atlas: drawn from OCHA's shapes instead. */
const SYRIA = "760";

/** The names of a boundary, English then Arabic. */
const names = (p: Boundary) =>
  `<span class="en">${p.name}</span> <span class="ar" lang="ar" dir="rtl">${p.name_ar}</span>`;

/** Adds the basemap to `map`, in its own pane below the areas and places. */
export function addBasemap(map: L.Map): void {
  const pane = map.createPane("basemap");
  pane.style.zIndex = "250";
  const world = JSON.parse(countries) as Topology<{ countries: GeometryCollection }>;
  const all = feature(world, world.objects.countries) as FeatureCollection;
  const near = all.features.filter(
    (f) => f.id !== SYRIA && L.geoJSON(f).getBounds().intersects(BASEMAP_BOUNDS),
  );
  L.geoJSON({ type: "FeatureCollection", features: near } as FeatureCollection, {
    pane: "basemap",
    interactive: false,
    style: {
      className: "country",
      color: "#b3aa98",
      weight: 1,
      fillColor: "#ebe6dc",
      fillOpacity: 1,
    },
  }).addTo(map);

  L.geoJSON(JSON.parse(governorates) as Boundaries, {
    pane: "basemap",
    interactive: false,
    style: {
      className: "governorate",
      color: "#8a7f6a",
      weight: 1.6,
      fillColor: "#fbf8f1",
      fillOpacity: 1,
    },
    onEachFeature: (f: Feature<Polygon | MultiPolygon, Boundary>, layer) => {
      layer.bindTooltip(names(f.properties), {
        permanent: true,
        direction: "center",
        className: "governorate-label",
      });
    },
  }).addTo(map);

  L.geoJSON(JSON.parse(districts) as Boundaries, {
    pane: "basemap",
    style: { className: "district", color: "#b9ae97", weight: 0.8, fill: true, fillOpacity: 0 },
    onEachFeature: (f: Feature<Polygon | MultiPolygon, Boundary>, layer) => {
      layer.bindTooltip(`${names(f.properties)}<br><span class="muted">district</span>`, {
        sticky: true,
        className: "district-label",
      });
    },
  }).addTo(map);
}
