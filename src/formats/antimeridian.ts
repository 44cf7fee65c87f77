// Areas across the antimeridian, split in two as RFC 7946 §3.1.9 asks.

import { bboxClip } from "@turf/bbox-clip";
import type { AreaGeometry, MultiPolygonGeometry } from "../core/geometry.js";
import { unwrapped } from "../core/unwrap.js";

type Ring = [number, number][];

/**
 * A geometry whose rings cross the antimeridian (a step of more than 180° in longitude between
 * two positions, as a ring around Fiji or Chukotka is written), as a MultiPolygon split at 180°:
 * the part west of it, and the part east of it with longitudes from -180. Drawn unsplit, such a
 * ring is a band 358° wide around the world. Every other geometry is returned as it is.
 *
 * Each side is cut with @turf/bbox-clip; where a polygon crosses the antimeridian more than
 * twice, the pieces of one side are one polygon joined along the 180° meridian.
 */
export function splitAntimeridian(geometry: AreaGeometry): AreaGeometry {
  const polygons = unwrapped(geometry);
  if (!polygons.some((rings) => rings.some((ring) => ring.some(([lon]) => lon > 180))))
    return geometry;
  const out: Ring[][] = [];
  for (const rings of polygons) {
    if (!rings.some((ring) => ring.some(([lon]) => lon > 180))) {
      out.push(rings);
      continue;
    }
    out.push(...cut(rings, [-180, -90, 180, 90], 0), ...cut(rings, [180, -90, 540, 90], -360));
  }
  return { type: "MultiPolygon", coordinates: out } satisfies MultiPolygonGeometry;
}

/** The part of one polygon within `box`, moved `by` degrees of longitude. */
function cut(rings: readonly Ring[], box: [number, number, number, number], by: number): Ring[][] {
  const clipped = bboxClip({ type: "Polygon", coordinates: rings as Ring[] }, box).geometry;
  const kept = (clipped.coordinates as Ring[]).filter((ring) => ring.length >= 4);
  if (kept.length === 0) return [];
  return [kept.map((ring) => ring.map(([lon, lat]) => [lon + by, lat] as [number, number]))];
}
