// Whether one area lies within another: a child within its parent (with a tolerance for
// borders simplified apart), a hole within its shell.

import Flatbush from "flatbush";
import type { Position } from "./geometry.js";
import type { Ring } from "./unwrap.js";

/**
 * Each place with an area, paired with its nearest ancestor that has one (both valid). Each
 * place's answer is kept, so that the walks up the tree are linear in all.
 */
export function nearestAreas(
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
export function outsideCount(
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
export function ringInside(inner: readonly Position[], outer: readonly Position[]): boolean {
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
