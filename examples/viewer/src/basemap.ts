// The map's context, bundled with the page so that it works offline, with no tile server: the
// countries and coastlines of the whole world with their names (Natural Earth 1:50m, the
// world-atlas package, TopoJSON read with topojson-client), and Syria's governorates and
// districts (OCHA, Syria COD-AB; English and Arabic names), the only admin layers that ship.
// Places anywhere else still show on country outlines and coastlines, never on a blank sea.

import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from "geojson";
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

/** Where the admin layers that ship have shapes: Syria. */
export const ADMIN_BOUNDS = L.latLngBounds([32.3, 35.6], [37.35, 42.4]);
/** Syria's extent, for the first view when the places lie in it. */
export const SYRIA_BOUNDS = ADMIN_BOUNDS;
/** Credit for the shapes, shown on the map. */
export const CREDIT =
  "Countries: Natural Earth (world-atlas) · Syria’s admin areas: OCHA, Syria COD-AB";

/** ISO 3166 numeric code of Syria in world-atlas: drawn from OCHA's shapes instead. */
const SYRIA = "760";

/** The names of a boundary, English then Arabic. */
const names = (p: Boundary) =>
  `<span class="en">${p.name}</span> <span class="ar" lang="ar" dir="rtl">${p.name_ar}</span>`;

/** A ring of the world's land, in longitude and latitude, with its box. */
interface Ring {
  readonly points: readonly Position[];
  readonly west: number;
  readonly south: number;
  readonly east: number;
  readonly north: number;
}

/** The polygons' outer rings (holes are lakes and seas inside land: rare for labels). */
function ringsOf(features: readonly Feature[]): Ring[] {
  const rings: Ring[] = [];
  const add = (points: Position[]) => {
    let [west, south, east, north] = [180, 90, -180, -90];
    for (const [lon = 0, lat = 0] of points) {
      west = Math.min(west, lon);
      east = Math.max(east, lon);
      south = Math.min(south, lat);
      north = Math.max(north, lat);
    }
    rings.push({ points, west, south, east, north });
  };
  for (const f of features) {
    const g = f.geometry;
    if (g?.type === "Polygon" && g.coordinates[0] !== undefined) add(g.coordinates[0]);
    if (g?.type === "MultiPolygon") for (const p of g.coordinates) if (p[0]) add(p[0]);
  }
  return rings;
}

/** Where a point of the map's container is land: drawn on a canvas at each layout. */
export class LandMask {
  private alpha: Uint8ClampedArray | null = null;
  private width = 0;
  private height = 0;

  constructor(private readonly rings: readonly Ring[]) {}

  /** Draws the land in view of `map` (call after every move, before asking). */
  draw(map: L.Map): void {
    const size = map.getSize();
    const canvas = document.createElement("canvas");
    canvas.width = size.x;
    canvas.height = size.y;
    const context = canvas.getContext("2d", { willReadFrequently: true });
    if (context === null) return;
    const view = map.getBounds().pad(0.1);
    context.fillStyle = "#000";
    context.beginPath();
    for (const ring of this.rings) {
      if (
        ring.east < view.getWest() ||
        ring.west > view.getEast() ||
        ring.north < view.getSouth() ||
        ring.south > view.getNorth()
      ) {
        continue;
      }
      ring.points.forEach(([lon = 0, lat = 0], i) => {
        const p = map.latLngToContainerPoint([lat, lon]);
        if (i === 0) context.moveTo(p.x, p.y);
        else context.lineTo(p.x, p.y);
      });
      context.closePath();
    }
    context.fill();
    // Read once: a label's corners are looked up thousands of times per layout.
    this.alpha = size.x > 0 && size.y > 0 ? context.getImageData(0, 0, size.x, size.y).data : null;
    this.width = size.x;
    this.height = size.y;
  }

  /** Whether the container point (x, y) is at sea (outside every country). */
  atSea(x: number, y: number): boolean {
    const px = Math.round(x);
    const py = Math.round(y);
    if (this.alpha === null || px < 0 || py < 0 || px >= this.width || py >= this.height) {
      return false;
    }
    return this.alpha[(py * this.width + px) * 4 + 3] === 0;
  }
}

/** Adds the basemap to `map`, in its own pane below the areas and places; returns the land. */
export function addBasemap(map: L.Map): LandMask {
  const pane = map.createPane("basemap");
  pane.style.zIndex = "250";
  const labelPane = map.createPane("country-labels");
  labelPane.style.zIndex = "260";
  labelPane.style.pointerEvents = "none";
  const world = JSON.parse(countries) as Topology<{ countries: GeometryCollection }>;
  const all = (feature(world, world.objects.countries) as FeatureCollection).features;
  const others = all.filter((f) => f.id !== SYRIA);
  L.geoJSON({ type: "FeatureCollection", features: others } as FeatureCollection, {
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
  addCountryNames(map, all);

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
  return new LandMask(ringsOf(all));
}

/**
 * Country names at the middle of each country's largest ring, shown where the country is wide
 * enough on screen to hold its name (Syria's governorates name it when it is shown whole).
 */
function addCountryNames(map: L.Map, all: readonly Feature[]): void {
  const labels = L.layerGroup().addTo(map);
  const entries = all.flatMap((f) => {
    const name = (f.properties as { name?: string } | null)?.name;
    const rings = ringsOf([f]);
    const largest = rings.sort(
      (a, b) => (b.east - b.west) * (b.north - b.south) - (a.east - a.west) * (a.north - a.south),
    )[0];
    if (name === undefined || largest === undefined) return [];
    const box = L.latLngBounds([largest.south, largest.west], [largest.north, largest.east]);
    const text = document.createElement("span");
    text.textContent = name;
    const marker = L.marker(box.getCenter(), {
      pane: "country-labels",
      icon: L.divIcon({ className: "country-label", html: text, iconSize: [0, 0] }),
      interactive: false,
      keyboard: false,
    });
    return [{ id: String(f.id), name, box, marker }];
  });
  const place = () => {
    labels.clearLayers();
    const view = map.getBounds();
    const syriaWhole = map.getBounds().contains(ADMIN_BOUNDS);
    for (const { id, name, box, marker } of entries) {
      if (!view.intersects(box) || (id === SYRIA && syriaWhole)) continue;
      const west = map.latLngToContainerPoint(box.getSouthWest());
      const east = map.latLngToContainerPoint(box.getNorthEast());
      if (Math.abs(east.x - west.x) > name.length * 7 + 10) labels.addLayer(marker);
    }
  };
  map.on("zoomend moveend viewreset", place);
}
