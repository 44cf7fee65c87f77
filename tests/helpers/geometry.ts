/**
 * Plain planar checks of polygons for the tests, written independently of tidemark's code:
 * areas by the shoelace formula and a brute-force search for crossing edges.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { AreaGeometry, PolygonGeometry, Registry } from "../../src/index.js";

type Ring = readonly (readonly number[])[];

/** Signed area of a ring (counterclockwise positive), square degrees. */
export function ringArea(ring: Ring): number {
  let sum = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [x1, y1] = ring[i] as [number, number];
    const [x2, y2] = ring[i + 1] as [number, number];
    sum += x1 * y2 - x2 * y1;
  }
  return sum / 2;
}

/** Area of a polygon or multipolygon: exteriors minus holes, whatever their winding. */
export function geometryArea(geometry: AreaGeometry): number {
  const polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
  let sum = 0;
  for (const [exterior, ...holes] of polygons) {
    sum += Math.abs(ringArea(exterior ?? []));
    for (const hole of holes) sum -= Math.abs(ringArea(hole));
  }
  return sum;
}

/** Every pair of edges of the rings that properly cross (touching at a vertex is not crossing). */
export function crossings(rings: readonly Ring[]): number {
  const edges: [number, number, number, number][] = [];
  for (const ring of rings) {
    for (let i = 0; i + 1 < ring.length; i++) {
      const [x1, y1] = ring[i] as [number, number];
      const [x2, y2] = ring[i + 1] as [number, number];
      edges.push([x1, y1, x2, y2]);
    }
  }
  const orient = (ax: number, ay: number, bx: number, by: number, cx: number, cy: number) =>
    Math.sign((bx - ax) * (cy - ay) - (by - ay) * (cx - ax));
  let count = 0;
  for (let i = 0; i < edges.length; i++) {
    const [ax, ay, bx, by] = edges[i] as [number, number, number, number];
    for (let j = i + 1; j < edges.length; j++) {
      const [cx, cy, dx, dy] = edges[j] as [number, number, number, number];
      if (Math.max(ax, bx) < Math.min(cx, dx) || Math.max(cx, dx) < Math.min(ax, bx)) continue;
      if (Math.max(ay, by) < Math.min(cy, dy) || Math.max(cy, dy) < Math.min(ay, by)) continue;
      const o1 = orient(ax, ay, bx, by, cx, cy);
      const o2 = orient(ax, ay, bx, by, dx, dy);
      const o3 = orient(cx, cy, dx, dy, ax, ay);
      const o4 = orient(cx, cy, dx, dy, bx, by);
      if (o1 * o2 < 0 && o3 * o4 < 0) count++;
    }
  }
  return count;
}

/** A rectangle, counterclockwise. */
export function box(west: number, south: number, east: number, north: number): PolygonGeometry {
  return {
    type: "Polygon",
    coordinates: [
      [
        [west, south],
        [east, south],
        [east, north],
        [west, north],
        [west, south],
      ],
    ],
  };
}

/** The 62 districts of Syria (OCHA, Syria COD-AB), keyed by pcode, as a places registry. */
export function syriaDistricts(): Registry {
  const file = resolve(import.meta.dirname, "../../examples/viewer/data/admin2-districts.geojson");
  const text = readFileSync(file, "utf8");
  const collection = JSON.parse(text) as {
    features: {
      properties: { pcode: string; name: string; name_ar: string };
      geometry: AreaGeometry;
    }[];
  };
  const places: Record<string, Registry[string]> = {};
  for (const { properties, geometry } of collection.features) {
    places[properties.pcode] = {
      name: properties.name,
      names: { ar: properties.name_ar },
      geometry,
    };
  }
  return places;
}
