// Which area of one snapshot holds a point, and how much of a place's area each side holds.

import turfArea from "@turf/area";
import { bboxClip } from "@turf/bbox-clip";
import Flatbush from "flatbush";
import { diff, type Geometry, intersection } from "martinez-polygon-clipping";
import type { AreaGeometry, Position } from "../core/geometry.js";

/** The polygons of a Polygon or MultiPolygon, as martinez-polygon-clipping and @turf/area read them. */
export function polygonsOf(geometry: AreaGeometry): Position[][][] {
  return (
    geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates
  ) as Position[][][];
}

/** The geodesic area of polygons in km² (@turf/area: on a sphere of the WGS 84 mean radius). */
export function areaKm2(polygons: readonly Position[][][]): number {
  if (polygons.length === 0) return 0;
  return (
    turfArea({
      type: "MultiPolygon",
      coordinates: polygons as number[][][][],
    }) / 1e6
  );
}

type Box = [west: number, south: number, east: number, north: number];

/** The polygons of what martinez-polygon-clipping returns (a Polygon or a MultiPolygon). */
function polygonsOfResult(result: Geometry | null): Position[][][] {
  if (result === null || result.length === 0) return [];
  const first: unknown = (result as unknown[][][])[0]?.[0]?.[0];
  return (typeof first === "number" ? [result] : result) as Position[][][];
}

/** Polygons cut to a box (@turf/bbox-clip), so that clipping them further sees few edges. */
function cut(polygons: readonly Position[][][], box: Box): Position[][][] {
  const clipped = bboxClip(
    { type: "MultiPolygon", coordinates: polygons as number[][][][] },
    box,
  ).geometry;
  const out =
    clipped.type === "Polygon"
      ? [clipped.coordinates]
      : clipped.type === "MultiPolygon"
        ? clipped.coordinates
        : [];
  return out.filter((polygon) => (polygon[0]?.length ?? 0) >= 4);
}

/** The edges of one side's polygons, keyed so that their direction does not matter. */
export class EdgeSet {
  readonly keys = new Map<string, readonly [number, number, number, number]>();

  constructor(readonly polygons: readonly Position[][][]) {
    for (const polygon of polygons)
      for (const ring of polygon)
        for (let i = 0; i + 1 < ring.length; i++) {
          const [x1, y1] = ring[i] as [number, number];
          const [x2, y2] = ring[i + 1] as [number, number];
          const a = `${x1},${y1}`;
          const b = `${x2},${y2}`;
          this.keys.set(a < b ? `${a};${b}` : `${b};${a}`, [x1, y1, x2, y2]);
        }
  }
}

/**
 * Where two snapshots of the same sides differ: the boxes of the connected runs of edges that
 * one has and the other lacks. Each region that changed hands is enclosed by such a run (the
 * old line and the new one, meeting where they join the unchanged front), so a point outside
 * every box is where it was.
 */
export class ChangedBoxes {
  /** West, south, east, north of each run. */
  readonly boxes: [number, number, number, number][] = [];

  get empty(): boolean {
    return this.boxes.length === 0;
  }

  /** Adds the runs of edges that one of two sets has and the other lacks. */
  addDifference(now: EdgeSet | undefined, before: EdgeSet | undefined): this {
    const changed: (readonly [number, number, number, number])[] = [];
    for (const [from, other] of [
      [now, before],
      [before, now],
    ] as const)
      for (const [key, edge] of from?.keys ?? []) if (!other?.keys.has(key)) changed.push(edge);
    if (changed.length === 0) return this;
    // Union-find over the edges' ends: edges that share an end are one run.
    const parent = new Map<string, string>();
    const find = (key: string): string => {
      let root = key;
      for (let up = parent.get(root); up !== undefined && up !== root; up = parent.get(root))
        root = up;
      parent.set(key, root);
      return root;
    };
    const end = (x: number, y: number) => {
      const key = `${x},${y}`;
      if (!parent.has(key)) parent.set(key, key);
      return key;
    };
    for (const [x1, y1, x2, y2] of changed) {
      const a = find(end(x1, y1));
      const b = find(end(x2, y2));
      if (a !== b) parent.set(a, b);
    }
    const boxes = new Map<string, [number, number, number, number]>();
    for (const [x1, y1, x2, y2] of changed) {
      const root = find(`${x1},${y1}`);
      const box = boxes.get(root) ?? [
        Number.POSITIVE_INFINITY,
        Number.POSITIVE_INFINITY,
        Number.NEGATIVE_INFINITY,
        Number.NEGATIVE_INFINITY,
      ];
      box[0] = Math.min(box[0], x1, x2);
      box[1] = Math.min(box[1], y1, y2);
      box[2] = Math.max(box[2], x1, x2);
      box[3] = Math.max(box[3], y1, y2);
      boxes.set(root, box);
    }
    this.boxes.push(...boxes.values());
    return this;
  }

  /** True when a box meets `[west, south, east, north]`. */
  meets(west: number, south: number, east: number, north: number): boolean {
    for (const box of this.boxes)
      if (west <= box[2] && east >= box[0] && south <= box[3] && north >= box[1]) return true;
    return false;
  }

  /** One box around every run. */
  bounds(): [number, number, number, number] | undefined {
    if (this.boxes.length === 0) return undefined;
    return this.boxes.reduce((a, b) => [
      Math.min(a[0], b[0]),
      Math.min(a[1], b[1]),
      Math.max(a[2], b[2]),
      Math.max(a[3], b[3]),
    ]);
  }
}

/**
 * The km² of `now` outside `before` (the polygons of one side in two snapshots). A daily map
 * redraws a few stretches of a long front: the two differ only inside the box of the edges
 * that one has and the other lacks, so both are cut to that box before martinez clips them
 * (a whole front of thousands of vertices costs a second per pair to clip).
 */
export function gainedKm2(
  now: EdgeSet,
  before: EdgeSet | undefined,
  /** The bounds of the runs of edges that one has and the other lacks ({@link ChangedBoxes}). */
  box: readonly [number, number, number, number] | undefined,
): number {
  if (before === undefined) return areaKm2(now.polygons);
  if (box === undefined) return 0;
  // A margin, so that no changed edge lies on the cut itself.
  const margin = 1e-6;
  const around: Box = [box[0] - margin, box[1] - margin, box[2] + margin, box[3] + margin];
  const a = cut(now.polygons, around);
  const b = cut(before.polygons, around);
  if (a.length === 0) return 0;
  if (b.length === 0) return areaKm2(a);
  return areaKm2(polygonsOfResult(diff(a as Geometry, b as Geometry)));
}

/** Where a point or a place lies in a snapshot: an area's index, or one of these. */
export const OUTSIDE = -1;
/** In two areas of different controllers at once (overlapping layers): no side can be read. */
export const CONFLICT = -2;

/**
 * The areas of one snapshot, indexed by their edges.
 *
 * A point's area is found by counting the edges that a ray to its east crosses (even-odd, per
 * polygon, so holes count), with the edges in a Flatbush: a library point-in-polygon test
 * (@turf/boolean-point-in-polygon, d3-geo's geoContains) walks every vertex of the polygon for
 * each point, and one DeepState map holds a polygon of thousands of vertices; 30,000 places
 * against a year of daily maps would walk about 10^11 vertices. The index visits only the
 * edges whose latitude range spans the point. The tests check it against
 * @turf/boolean-point-in-polygon.
 */
export class SnapshotIndex {
  private readonly edges: Flatbush | undefined;
  /** Per edge: its polygon (an index into `polygonArea`) and its ends. */
  private readonly edgePolygon: Int32Array;
  private readonly ends: Float64Array;
  /** Per polygon: the area (an index into the snapshot's areas) it belongs to. */
  private readonly polygonArea: Int32Array;
  private readonly polygons: Position[][][] = [];
  private readonly parity: Uint8Array;
  private readonly touched: number[] = [];

  constructor(
    areas: readonly { readonly geometry: AreaGeometry }[],
    /** The side of each area: areas of one side never conflict with each other. */
    private readonly sideOf: (area: number) => string | null,
  ) {
    const areaOfPolygon: number[] = [];
    let count = 0;
    areas.forEach((area, index) => {
      for (const polygon of polygonsOf(area.geometry)) {
        this.polygons.push(polygon);
        areaOfPolygon.push(index);
        for (const ring of polygon) count += Math.max(0, ring.length - 1);
      }
    });
    this.polygonArea = Int32Array.from(areaOfPolygon);
    this.parity = new Uint8Array(this.polygons.length);
    this.edgePolygon = new Int32Array(count);
    this.ends = new Float64Array(count * 4);
    if (count === 0) return;
    const edges = new Flatbush(count);
    let edge = 0;
    this.polygons.forEach((polygon, p) => {
      for (const ring of polygon) {
        for (let i = 0; i + 1 < ring.length; i++) {
          const [x1, y1] = ring[i] as [number, number];
          const [x2, y2] = ring[i + 1] as [number, number];
          edges.add(Math.min(x1, x2), Math.min(y1, y2), Math.max(x1, x2), Math.max(y1, y2));
          this.edgePolygon[edge] = p;
          this.ends.set([x1, y1, x2, y2], edge * 4);
          edge++;
        }
      }
    });
    edges.finish();
    this.edges = edges;
  }

  /** The area holding `[lon, lat]`: its index, {@link OUTSIDE} or {@link CONFLICT}. */
  areaAt(lon: number, lat: number): number {
    let found = OUTSIDE;
    for (const p of this.polygonsAt(lon, lat)) {
      const area = this.polygonArea[p] as number;
      if (found === OUTSIDE) found = area;
      else if (found !== CONFLICT && this.sideOf(found) !== this.sideOf(area)) found = CONFLICT;
    }
    return found;
  }

  /**
   * The km² of a place's area that each area of the snapshot covers, by area index (areas not
   * listed cover none of it), and the place's own km². A place that no edge crosses lies wholly
   * inside or outside each area, so one of its vertices tells which, without clipping.
   */
  coverage(geometry: AreaGeometry): {
    readonly byArea: Map<number, number>;
    readonly total: number;
  } {
    const place = polygonsOf(geometry);
    const total = areaKm2(place);
    const byArea = new Map<number, number>();
    let west = Number.POSITIVE_INFINITY;
    let south = Number.POSITIVE_INFINITY;
    let east = Number.NEGATIVE_INFINITY;
    let north = Number.NEGATIVE_INFINITY;
    for (const polygon of place)
      for (const [x, y] of (polygon[0] ?? []) as [number, number][]) {
        west = Math.min(west, x);
        east = Math.max(east, x);
        south = Math.min(south, y);
        north = Math.max(north, y);
      }
    const crossing = new Set<number>();
    this.edges?.search(west, south, east, north, (edge) => {
      crossing.add(this.edgePolygon[edge] as number);
      return false;
    });
    if (crossing.size === 0) {
      const [lon, lat] = (place[0]?.[0]?.[0] ?? [0, 0]) as [number, number];
      const area = this.areaAt(lon, lat);
      if (area >= 0) byArea.set(area, total);
      return { byArea, total };
    }
    // Polygons whose edges miss the place's box may still hold all of it (the place sits in
    // their interior): those are found through a vertex, as above.
    const [lon, lat] = (place[0]?.[0]?.[0] ?? [0, 0]) as [number, number];
    const inside = this.polygonsAt(lon, lat);
    for (const p of new Set([...crossing, ...inside])) {
      let clipped = place;
      if (crossing.has(p)) {
        const near = cut([this.polygons[p] as Position[][]], [west, south, east, north]);
        clipped =
          near.length === 0
            ? []
            : polygonsOfResult(intersection(place as Geometry, near as Geometry));
      }
      const km2 = areaKm2(clipped);
      if (km2 === 0) continue;
      const area = this.polygonArea[p] as number;
      byArea.set(area, (byArea.get(area) ?? 0) + km2);
    }
    return { byArea, total };
  }

  /** Every polygon holding `[lon, lat]` (indexes into the snapshot's polygons). */
  private polygonsAt(lon: number, lat: number): number[] {
    const edges = this.edges;
    if (edges === undefined) return [];
    const { ends, edgePolygon, parity, touched } = this;
    edges.search(lon, lat, Number.POSITIVE_INFINITY, lat, (edge) => {
      const o = edge * 4;
      const y1 = ends[o + 1] as number;
      const y2 = ends[o + 3] as number;
      // Half-open in latitude, so that a ray through a vertex counts it once.
      if (y1 > lat === y2 > lat) return false;
      const x1 = ends[o] as number;
      const x2 = ends[o + 2] as number;
      if (lon < x1 + ((lat - y1) * (x2 - x1)) / (y2 - y1)) {
        const p = edgePolygon[edge] as number;
        // Bit 2 marks a polygon already listed in `touched`, bit 1 the parity.
        const bits = parity[p] as number;
        if (bits === 0) touched.push(p);
        parity[p] = (bits | 2) ^ 1;
      }
      return false;
    });
    const inside: number[] = [];
    for (const p of touched) {
      if (parity[p] === 3) inside.push(p);
      parity[p] = 0;
    }
    touched.length = 0;
    return inside;
  }
}
