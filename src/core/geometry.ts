import Flatbush from "flatbush";
import noIntersections from "shamos-hoey";

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

type Ring = [number, number][];

/**
 * A ring's positions with longitudes made continuous: a step of more than 180° is taken as the
 * shorter way across the antimeridian (RFC 7946 §3.1.9), so `[179, 0]` then `[-179, 0]` becomes
 * `[179, 0]` then `[181, 0]`. A ring that crosses no antimeridian is returned as it is given.
 */
export function unwrapRing(ring: readonly Position[]): Ring {
  const out: Ring = [];
  let shift = 0;
  let previous: number | undefined;
  for (const position of ring) {
    const lon = position[0] as number;
    if (previous !== undefined) {
      if (lon - previous > 180) shift -= 360;
      else if (previous - lon > 180) shift += 360;
    }
    previous = lon;
    out.push([lon + shift, position[1] as number]);
  }
  return out;
}

/**
 * A geometry's polygons with each ring unwrapped (see {@link unwrapRing}), each polygon's holes
 * moved by whole turns next to its exterior, and an exterior that reaches below -180° moved a
 * turn east: every polygon then lies within -180..540 and one that crosses the antimeridian
 * lies across 180°.
 */
export function unwrapped(geometry: AreaGeometry): Ring[][] {
  const polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
  return polygons.map((rings) => {
    const [exterior, ...holes] = rings.map(unwrapRing);
    if (exterior === undefined) return [];
    const turn = exterior.some((p) => p[0] < -180) ? 360 : 0;
    const centre = (ring: Ring) => ring.reduce((sum, p) => sum + p[0], 0) / ring.length;
    const middle = centre(exterior) + turn;
    const moved = (ring: Ring, by: number) =>
      by === 0 ? ring : ring.map(([lon, lat]) => [lon + by, lat] as [number, number]);
    return [
      moved(exterior, turn),
      ...holes.map((hole) => moved(hole, 360 * Math.round((middle - centre(hole)) / 360))),
    ];
  });
}

/**
 * Each place with an area, paired with its nearest ancestor that has one (both valid). Each
 * place's answer is kept, so that the walks up the tree are linear in all.
 */
function nearestAreas(
  registry: Readonly<Record<string, unknown>>,
  valid: ReadonlyMap<string, unknown>,
): [string, string][] {
  const parentOf = (id: string): string | undefined => {
    const parent = (registry[id] as { parent?: unknown } | null)?.parent;
    return typeof parent === "string" && Object.hasOwn(registry, parent) ? parent : undefined;
  };
  // For each place: its nearest strict ancestor with a valid area, or null for none.
  const nearest = new Map<string, string | null>();
  const pairs: [string, string][] = [];
  for (const id of valid.keys()) {
    const path: string[] = [];
    const seen = new Set<string>();
    let at = parentOf(id);
    let found: string | null = null;
    let below = id;
    while (at !== undefined && !seen.has(at)) {
      path.push(below);
      seen.add(at);
      if (valid.has(at)) {
        found = at;
        break;
      }
      const known = nearest.get(at);
      if (known !== undefined) {
        found = known;
        break;
      }
      below = at;
      at = parentOf(at);
    }
    for (const place of path) if (!nearest.has(place)) nearest.set(place, found);
    if (found !== null) pairs.push([id, found]);
  }
  return pairs;
}

/**
 * How many of a child's positions lie outside its parent's area by more than 1% of the child's
 * size (so that borders simplified apart, or a town drawn on its district's edge, pass). The
 * parent's edges are indexed (Flatbush), and each position is tested along its shortest way out
 * of the parent's bounding box, so the test is about linear in the vertices of both.
 */
function outsideCount(
  child: readonly Ring[][],
  parent: readonly Ring[][],
): { outside: number; count: number } {
  const edges: [number, number, number, number][] = [];
  for (const ring of parent.flat())
    for (let i = 0; i + 1 < ring.length; i++) {
      const [ax, ay] = ring[i] as [number, number];
      const [bx, by] = ring[i + 1] as [number, number];
      edges.push([ax, ay, bx, by]);
    }
  const index = new Flatbush(Math.max(edges.length, 1));
  for (const [ax, ay, bx, by] of edges)
    index.add(Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by));
  if (edges.length === 0) index.add(0, 0, 0, 0);
  index.finish();
  const { minX, minY, maxX, maxY } = index;
  const points = child.flatMap((rings) => rings.flatMap((ring) => ring.slice(1)));
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of points) {
    [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
  }
  const tolerance = Math.max(x1 - x0, y1 - y0) / 100;
  // A child east of -180 beside a parent across the antimeridian is the same ground a turn east.
  const turn = maxX > 180 && x1 < minX ? 360 : 0;
  let outside = 0;
  for (const [lon, y] of points) {
    const x = lon + turn;
    if (inArea(index, edges, x, y, { minX, minY, maxX, maxY })) continue;
    const near = index.search(x - tolerance, y - tolerance, x + tolerance, y + tolerance, (i) => {
      const [ax, ay, bx, by] = edges[i] as [number, number, number, number];
      return distanceToSegment(x, y, ax, ay, bx, by) <= tolerance;
    });
    if (near.length === 0) outside++;
  }
  return { outside, count: points.length };
}

/** Even-odd test along the shortest of the four ways from `(x, y)` out of the bounding box. */
function inArea(
  index: Flatbush,
  edges: readonly (readonly [number, number, number, number])[],
  x: number,
  y: number,
  box: { minX: number; minY: number; maxX: number; maxY: number },
): boolean {
  if (x < box.minX || x > box.maxX || y < box.minY || y > box.maxY) return false;
  const ways = [x - box.minX, box.maxX - x, y - box.minY, box.maxY - y];
  const way = ways.indexOf(Math.min(...ways));
  const horizontal = way < 2;
  const found =
    way === 0
      ? index.search(box.minX, y, x, y)
      : way === 1
        ? index.search(x, y, box.maxX, y)
        : way === 2
          ? index.search(x, box.minY, x, y)
          : index.search(x, y, x, box.maxY);
  let crossings = 0;
  for (const i of found) {
    const [ax, ay, bx, by] = edges[i] as [number, number, number, number];
    // Along x: edges straddling the line y (half-open, so a vertex on it counts once).
    const [a, b, c, d, u, v] = horizontal ? [ay, by, ax, bx, y, x] : [ax, bx, ay, by, x, y];
    if (a > u === b > u) continue;
    const cross = c + ((u - a) * (d - c)) / (b - a);
    if (way % 2 === 0 ? cross < v : cross > v) crossings++;
  }
  return crossings % 2 === 1;
}

/** The distance from `(x, y)` to the segment from `(ax, ay)` to `(bx, by)`. */
function distanceToSegment(
  x: number,
  y: number,
  ax: number,
  ay: number,
  bx: number,
  by: number,
): number {
  const [dx, dy] = [bx - ax, by - ay];
  const length = dx * dx + dy * dy;
  const t = length === 0 ? 0 : Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / length));
  return Math.hypot(x - (ax + t * dx), y - (ay + t * dy));
}

/** Whether most of `inner`'s vertices lie inside `outer` (a hole in its shell). */
function ringInside(inner: readonly Position[], outer: readonly Position[]): boolean {
  let count = 0;
  for (let i = 1; i < inner.length; i++) if (pointInRing(inner[i] as Position, outer)) count++;
  return count * 2 > inner.length - 1;
}

/** Even-odd ray casting. */
function pointInRing([x, y]: Position, ring: readonly Position[]): boolean {
  let isIn = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    if (yi > (y as number) !== yj > (y as number)) {
      if ((x as number) < ((xj - xi) * ((y as number) - yi)) / (yj - yi) + xi) isIn = !isIn;
    }
  }
  return isIn;
}
