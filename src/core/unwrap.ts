// Rings with continuous longitudes: an area across the antimeridian (RFC 7946 §3.1.9) is
// checked and split as one shape.

import type { AreaGeometry, Position } from "./geometry.js";

/** A ring as `[longitude, latitude]` pairs. */
export type Ring = [number, number][];

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
