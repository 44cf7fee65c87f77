import noIntersections from "shamos-hoey";
import { nearestAreas, outsideCount, ringInside } from "./containment.js";
import { type Ring, unwrapped } from "./unwrap.js";

/**
 * A position: `[longitude, latitude]` in degrees (WGS 84), as GeoJSON (RFC 7946) orders it; an
 * altitude after them is allowed and ignored.
 */
export type Position = readonly number[];

/** A GeoJSON Polygon (RFC 7946): an exterior ring, then holes; each ring closed, >= 4 positions. */
export interface PolygonGeometry {
  readonly type: "Polygon";
  readonly coordinates: readonly (readonly Position[])[];
}

/** A GeoJSON MultiPolygon (RFC 7946): polygons as in {@link PolygonGeometry}. */
export interface MultiPolygonGeometry {
  readonly type: "MultiPolygon";
  readonly coordinates: readonly (readonly (readonly Position[])[])[];
}

/**
 * The area of a place in a registry (`geometry`): a GeoJSON Polygon or MultiPolygon.
 *
 * @example
 * const area: AreaGeometry = {
 *   type: "Polygon",
 *   coordinates: [[[38.2, 34.5], [38.3, 34.5], [38.3, 34.6], [38.2, 34.6], [38.2, 34.5]]],
 * };
 */
export type AreaGeometry = PolygonGeometry | MultiPolygonGeometry;

/** A problem with one place's geometry: where (below the registry) and what. */
export interface GeometryIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

type Bounds = { west: number; east: number; south: number; north: number };

const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const inRange = ([lon, lat]: readonly [number, number]) =>
  lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90;
const inside = ([lon, lat]: readonly [number, number], b: Bounds) =>
  lon >= b.west && lon <= b.east && lat >= b.south && lat <= b.north;
const most = (count: number, of: number) => count * 2 > of;

/**
 * Checks every `geometry` of a registry: GeoJSON shape, closed rings of at least four positions,
 * `[lon, lat]` in range, rings that do not cross themselves, holes inside their shell, and each
 * area inside the area of its nearest ancestor that has one. Rings across the antimeridian are
 * checked as drawn, continuous over it. A geometry whose positions are mostly out of range, or mostly outside the
 * area that the registry's point coordinates span, while the swapped positions fit, is named as
 * written in `[lat, lon]` order: the usual slip, which a range check alone misses in much of the
 * world (Syria's `[34.5, 38.2]` is in range either way).
 */
export function geometryIssues(registry: Readonly<Record<string, unknown>>): GeometryIssue[] {
  const issues: GeometryIssue[] = [];
  const areas: [string, object, unknown][] = [];
  for (const [id, entry] of Object.entries(registry)) {
    if (typeof entry !== "object" || entry === null || !("geometry" in entry)) continue;
    const geometry = (entry as { geometry: unknown }).geometry;
    if (geometry !== undefined) areas.push([id, entry, geometry]);
  }
  // The bounds of the registry's points only matter to a registry with areas to check.
  if (areas.length === 0) return issues;
  const bounds = pointBounds(registry);
  const valid = new Map<string, { readonly name: string; readonly polygons: Ring[][] }>();
  for (const [id, entry, geometry] of areas) {
    const given: unknown = "name" in entry ? entry.name : undefined;
    const name = typeof given === "string" ? `"${given}" (${id})` : `"${id}"`;
    const problem = (path: (string | number)[], message: string) =>
      issues.push({ path: [id, "geometry", ...path], message: `the area of ${name}: ${message}` });
    const positions = shapeProblems(geometry, problem);
    if (positions === undefined || positions.length === 0) continue;
    const swapped = positions.map(([lon, lat]) => [lat, lon] as const);
    const outOfRange = positions.filter((p) => !inRange(p)).length;
    const count = positions.length;
    if (outOfRange > 0) {
      problem(
        ["coordinates"],
        most(outOfRange, count) && swapped.every(inRange)
          ? `positions are in [lat, lon] order (${outOfRange} of ${count} are out of range as [lon, lat]); GeoJSON gives [longitude, latitude]`
          : `${outOfRange} of ${count} positions are out of range (longitude -180..180, latitude -90..90)`,
      );
      continue;
    }
    const polygons = unwrapped(geometry as AreaGeometry);
    if (ringProblems(geometry as AreaGeometry, polygons, problem))
      valid.set(id, { name, polygons });
    if (bounds === undefined) continue;
    const outside = positions.filter((p) => !inside(p, bounds)).length;
    const swappedInside = swapped.filter((p) => inside(p, bounds)).length;
    if (most(outside, count) && most(swappedInside, count)) {
      problem(
        ["coordinates"],
        `positions are in [lat, lon] order (${outside} of ${count} lie outside the area of the registry's places, and fit it swapped); GeoJSON gives [longitude, latitude]`,
      );
    }
  }
  for (const [id, parent] of nearestAreas(registry, valid)) {
    const child = valid.get(id) as { name: string; polygons: Ring[][] };
    const area = valid.get(parent) as { name: string; polygons: Ring[][] };
    const out = outsideCount(child.polygons, area.polygons);
    if (out.outside > 0) {
      issues.push({
        path: [id, "geometry"],
        message: `the area of ${child.name} lies outside the area of its parent ${area.name}: ${out.outside} of ${out.count} positions are outside it; a place's area lies within its parent's`,
      });
    }
  }
  return issues;
}

/** The registry's point coordinates' bounding box, widened by half its size (at least 2°). */
function pointBounds(registry: Readonly<Record<string, unknown>>): Bounds | undefined {
  let b: Bounds | undefined;
  for (const entry of Object.values(registry)) {
    const c = (entry as { coordinates?: unknown } | null)?.coordinates;
    if (!Array.isArray(c) || !isNumber(c[0]) || !isNumber(c[1])) continue;
    const [lon, lat] = c as [number, number];
    b =
      b === undefined
        ? { west: lon, east: lon, south: lat, north: lat }
        : {
            west: Math.min(b.west, lon),
            east: Math.max(b.east, lon),
            south: Math.min(b.south, lat),
            north: Math.max(b.north, lat),
          };
  }
  if (b === undefined) return undefined;
  const padLon = Math.max((b.east - b.west) / 2, 2);
  const padLat = Math.max((b.north - b.south) / 2, 2);
  return {
    west: b.west - padLon,
    east: b.east + padLon,
    south: b.south - padLat,
    north: b.north + padLat,
  };
}

/**
 * Reports what is wrong with the shape of a geometry; returns its positions when the shape is
 * right (for the range checks), `undefined` otherwise.
 */
function shapeProblems(
  geometry: unknown,
  problem: (path: (string | number)[], message: string) => void,
): [number, number][] | undefined {
  if (typeof geometry !== "object" || geometry === null || Array.isArray(geometry)) {
    problem([], "expected a GeoJSON Polygon or MultiPolygon object");
    return undefined;
  }
  const { type, coordinates } = geometry as { type?: unknown; coordinates?: unknown };
  if (type !== "Polygon" && type !== "MultiPolygon") {
    problem(
      ["type"],
      `expected type "Polygon" or "MultiPolygon", got ${type === undefined ? "no type" : JSON.stringify(type)}`,
    );
    return undefined;
  }
  const polygons = type === "Polygon" ? [coordinates] : coordinates;
  if (!Array.isArray(polygons) || polygons.length === 0) {
    problem(["coordinates"], "expected a non-empty array");
    return undefined;
  }
  const positions: [number, number][] = [];
  let ok = true;
  polygons.forEach((rings: unknown, p) => {
    const at = (...rest: (string | number)[]) =>
      type === "Polygon" ? ["coordinates", ...rest] : ["coordinates", p, ...rest];
    if (!Array.isArray(rings) || rings.length === 0) {
      problem(at(), "expected a polygon: a non-empty array of rings");
      ok = false;
      return;
    }
    rings.forEach((ring: unknown, r) => {
      if (!Array.isArray(ring)) {
        problem(at(r), "expected a ring: an array of [lon, lat] positions");
        ok = false;
        return;
      }
      const bad = ring.findIndex(
        (q: unknown) => !Array.isArray(q) || q.length < 2 || q.length > 3 || !q.every(isNumber),
      );
      if (bad >= 0) {
        problem(at(r, bad), "expected a position: [longitude, latitude] numbers");
        ok = false;
        return;
      }
      const points = ring as [number, number][];
      if (points.length < 4) {
        problem(at(r), `a ring needs at least 4 positions, got ${points.length}`);
        ok = false;
        return;
      }
      const first = points[0] as [number, number];
      const last = points[points.length - 1] as [number, number];
      if (first[0] !== last[0] || first[1] !== last[1]) {
        problem(at(r), "the ring is not closed: its last position must repeat its first");
        ok = false;
        return;
      }
      for (const [lon, lat] of points.slice(1)) positions.push([lon, lat]);
    });
  });
  return ok ? positions : undefined;
}

/**
 * Rings that cross themselves (a bow-tie, which draws as two lobes or nothing, depending on the
 * renderer) and holes outside their shell: invalid under RFC 7946 and refused rather than drawn
 * wrong. The crossing test is a Shamos–Hoey sweep (the `shamos-hoey` package), O(n log n) in a
 * ring's vertices. Returns whether the geometry passed.
 */
function ringProblems(
  geometry: AreaGeometry,
  polygons: readonly Ring[][],
  problem: (path: (string | number)[], message: string) => void,
): boolean {
  let ok = true;
  polygons.forEach((rings, p) => {
    const at = (...rest: (string | number)[]) =>
      geometry.type === "Polygon" ? ["coordinates", ...rest] : ["coordinates", p, ...rest];
    rings.forEach((ring, r) => {
      if (!noIntersections({ type: "Polygon", coordinates: [ring] })) {
        problem(
          at(r),
          `${r === 0 ? "the exterior ring" : `hole ${r}`} crosses itself (a bow-tie); give it as separate polygons that do not cross`,
        );
        ok = false;
      } else if (r > 0 && !ringInside(ring, rings[0] as Ring)) {
        problem(at(r), `hole ${r} lies outside its polygon's exterior ring`);
        ok = false;
      }
    });
  });
  return ok;
}
