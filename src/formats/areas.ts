import { merge, mergeArcs } from "topojson-client";
import { topology as buildTopology } from "topojson-server";
import type * as TopoJSON from "topojson-specification";
import { TimelineValidationError } from "../core/errors.js";
import { geometryIssues } from "../core/geometry.js";
import type { Registry } from "../core/registry.js";
import type { ControlEntry } from "../core/slices.js";
import { splitAntimeridian } from "./antimeridian.js";
import { shareVertices } from "./shared-vertices.js";

/** `properties` of each feature {@link controlAreas} writes. */
export interface AreaProperties {
  /** The actor holding this territory, `null` for ground that nobody holds. */
  readonly controller: string | null;
  /** Ids of the places with an area that this controller holds, sorted. */
  readonly places: readonly string[];
}

/** The territory of one controller: a GeoJSON MultiPolygon feature (RFC 7946). */
export interface AreaFeature {
  readonly type: "Feature";
  readonly geometry: {
    readonly type: "MultiPolygon";
    /** Polygons of `[longitude, latitude]` rings; exteriors counterclockwise, holes clockwise. */
    readonly coordinates: [number, number][][][];
  };
  readonly properties: AreaProperties;
}

/**
 * A GeoJSON FeatureCollection (RFC 7946) of territories, one feature per controller. A fresh
 * object on every call, so its arrays are plain (mutable) ones: it passes where map libraries'
 * GeoJSON types are expected.
 */
export interface AreaFeatureCollection {
  readonly type: "FeatureCollection";
  readonly features: AreaFeature[];
}

type Ring = [number, number][];
type ArcPolygon = number[][];

/** What is built once per registry: its topology and the piece of ground each place owns. */
interface Prepared {
  readonly topology: TopoJSON.Topology;
  /**
   * Per place with an area, its own ground: its area minus the areas of its nearest descendants
   * that have one (arc rings, one polygon), and the place then its ancestors, nearest first: the
   * first of them that the state controls decides who holds that ground.
   */
  readonly faces: readonly { readonly id: string; readonly face: ArcPolygon | undefined }[];
  readonly chains: ReadonlyMap<string, readonly string[]>;
}

const prepared = new WeakMap<Registry, Prepared>();

/**
 * The territory each side holds, as the field draws it: one GeoJSON feature per controller (an
 * actor id, or `null` for ground nobody holds), whose MultiPolygon is the union of the areas
 * (`geometry`) of the places it controls, with the area of any descendant that another
 * controller holds cut out. `properties: { controller, places }` (place ids, sorted). Places
 * without a geometry, and places absent from the state (unless an ancestor is in it), are left
 * out. Valid RFC 7946: right-hand winding, no shared borders left inside a territory.
 *
 * Areas are expected to tile or nest as administrative boundaries do: a child inside its parent,
 * neighbours sharing the same vertices along a common border. A parent whose children cover it
 * (up to slivers under half a percent of its area, as with boundaries simplified apart) is
 * exactly the union of its children.
 *
 * The topology of the places' areas is built once per `places` object (cached), so that a map
 * can call this on every move of a time slider.
 *
 * @throws {TimelineValidationError} when a place's geometry is invalid (see `createTimeline`).
 * @example
 * const territory = controlAreas(timeline.stateAt("2016-12-11T08:00+02:00"), places);
 * L.geoJSON(territory, { style: (f) => ({ fillColor: colors[f?.properties.controller] }) });
 */
export function controlAreas(
  state: { readonly control: Readonly<Record<string, ControlEntry>> },
  places: Registry,
): AreaFeatureCollection {
  const { topology, faces, chains } = prepare(places);
  const control = state.control;
  const byController = new Map<string | null, { faces: ArcPolygon[]; places: string[] }>();
  const side = (controller: string | null) => {
    let entry = byController.get(controller);
    if (entry === undefined) {
      entry = { faces: [], places: [] };
      byController.set(controller, entry);
    }
    return entry;
  };
  for (const { id, face } of faces) {
    const own = Object.hasOwn(control, id) ? control[id] : undefined;
    if (own !== undefined) side(own.controller).places.push(id);
    if (face === undefined) continue;
    const decider = (chains.get(id) ?? []).find((p) => Object.hasOwn(control, p));
    if (decider === undefined) continue;
    side((control[decider] as ControlEntry).controller).faces.push(face);
  }
  const features: AreaFeature[] = [];
  for (const [controller, { faces: ground, places: ids }] of byController) {
    const coordinates =
      ground.length === 0
        ? []
        : polygons(
            merge(
              topology,
              ground.map((arcs) => ({ type: "Polygon", arcs }) as TopoJSON.Polygon),
            ).coordinates as Ring[][],
          );
    if (coordinates.length === 0) continue;
    features.push({
      type: "Feature",
      geometry: { type: "MultiPolygon", coordinates },
      properties: { controller, places: ids.sort() },
    });
  }
  features.sort((a, b) => order(a.properties.controller, b.properties.controller));
  return { type: "FeatureCollection", features };
}

/** Actors by id, then `null` (nobody) last: a stable order for maps and diffs. */
const order = (a: string | null, b: string | null) =>
  a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1;

function prepare(places: Registry): Prepared {
  const cached = prepared.get(places);
  if (cached !== undefined) return cached;
  const issues = geometryIssues(places);
  if (issues.length > 0) {
    throw new TimelineValidationError(
      issues.map((i) => ({ index: 0, path: ["places", ...i.path], message: i.message })),
    );
  }
  const withArea = Object.entries(places).filter(([, p]) => p.geometry !== undefined);
  const shapes = shareVertices(withArea.map(([, p]) => normalise(p.geometry)));
  const features = withArea.map(([id], i) => ({
    type: "Feature" as const,
    id,
    properties: {},
    geometry: { type: "MultiPolygon" as const, coordinates: shapes[i] ?? [] },
  }));
  const collection: GeoJSON.FeatureCollection = { type: "FeatureCollection", features };
  const topology = buildTopology({ areas: collection });
  const objects = (topology.objects.areas as TopoJSON.GeometryCollection).geometries;
  const arcsOf = new Map<string, ArcPolygon[]>();
  withArea.forEach(([id], i) => {
    const object = objects[i];
    arcsOf.set(id, object?.type === "MultiPolygon" ? object.arcs : []);
  });

  // Each place's ancestors, nearest first; and its nearest descendants that have an area.
  const chains = new Map<string, string[]>();
  const nearest = new Map<string, string[]>();
  for (const [id] of withArea) {
    const chain = [id];
    const seen = new Set(chain);
    let at = places[id]?.parent;
    let areaParent: string | undefined;
    while (at !== undefined && !seen.has(at) && Object.hasOwn(places, at)) {
      chain.push(at);
      seen.add(at);
      if (areaParent === undefined && arcsOf.has(at)) areaParent = at;
      at = places[at]?.parent;
    }
    chains.set(id, chain);
    if (areaParent !== undefined) nearest.set(areaParent, [...(nearest.get(areaParent) ?? []), id]);
  }

  const faces = withArea.map(([id]) => {
    const own = arcsOf.get(id) ?? [];
    const children = nearest.get(id);
    if (children === undefined) return { id, face: own.flat() };
    return {
      id,
      face: remainder(
        topology,
        own,
        children.flatMap((c) => arcsOf.get(c) ?? []),
      ),
    };
  });
  const result = { topology, faces, chains };
  prepared.set(places, result);
  return result;
}

/**
 * A parent's own ground: its area minus its children's, from the topology alone. The parent's
 * rings and the children's rings reversed, as one polygon, share each common border twice, so
 * `mergeArcs` drops it and stitches what is left: the parent's remaining border and the
 * children's inner borders, turned to face the remainder. `undefined` when nothing is left.
 */
function remainder(
  topology: TopoJSON.Topology,
  parent: readonly ArcPolygon[],
  children: readonly ArcPolygon[],
): ArcPolygon | undefined {
  const reversed = children.flatMap((polygon) =>
    polygon.map((ring) => ring.map((arc) => ~arc).reverse()),
  );
  const joined: TopoJSON.Polygon = { type: "Polygon", arcs: [...parent.flat(), ...reversed] };
  const rings = mergeArcs(topology, [joined]).arcs.flat();
  const whole = Math.abs(area(topology, parent.flat()));
  const left = area(topology, rings);
  // Rings that do not close, or next to nothing left: the children cover the parent, and what
  // differs is how the two were drawn (simplified apart), not ground of the parent's own.
  const closed = rings.every((ring) => {
    const points = ringOf(topology, ring);
    const [first, last] = [points[0], points.at(-1)];
    return (
      first !== undefined && last !== undefined && first[0] === last[0] && first[1] === last[1]
    );
  });
  return rings.length > 0 && closed && left > whole * 0.005 ? rings : undefined;
}

/** Signed area (counterclockwise positive) of arc rings, in square degrees. */
function area(topology: TopoJSON.Topology, rings: readonly number[][]): number {
  let sum = 0;
  for (const ring of rings) sum += signedArea(ringOf(topology, ring));
  return sum;
}

/** The coordinates of one arc ring, in the order its arcs give (reversed arcs backwards). */
function ringOf(topology: TopoJSON.Topology, ring: readonly number[]): Ring {
  const out: Ring = [];
  for (const index of ring) {
    const arc = topology.arcs[index < 0 ? ~index : index] as [number, number][];
    const points = index < 0 ? [...arc].reverse() : arc;
    for (const [i, p] of points.entries()) if (i > 0 || out.length === 0) out.push([p[0], p[1]]);
  }
  return out;
}

/** Shoelace formula: positive for a counterclockwise ring. */
function signedArea(ring: readonly (readonly number[])[]): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[j] as readonly number[];
    const b = ring[i] as readonly number[];
    sum += (a[0] as number) * (b[1] as number) - (b[0] as number) * (a[1] as number);
  }
  return sum / 2;
}

/**
 * A place's geometry as MultiPolygon coordinates, [lon, lat] only, in RFC 7946 winding, split
 * at the antimeridian.
 */
function normalise(given: Registry[string]["geometry"]): Ring[][] {
  if (given === undefined) return [];
  const geometry = splitAntimeridian(given);
  const polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
  return polygons.map((rings) =>
    rings.map((ring, i) => {
      const points: Ring = ring.map((p) => [p[0] as number, p[1] as number]);
      const counterclockwise = signedArea(points) > 0;
      // The exterior counterclockwise, holes clockwise (RFC 7946, section 3.1.6).
      return counterclockwise === (i === 0) ? points : points.reverse();
    }),
  );
}

/**
 * Rings of a union to polygons: `merge` gives one exterior per connected group, but a group may
 * enclose several pieces (a parent cut in two by a child), so the rings are regrouped by their
 * winding: each counterclockwise ring is an exterior, each clockwise one a hole of the smallest
 * exterior around it.
 */
function polygons(merged: readonly Ring[][]): Ring[][] {
  const rings = merged.flat();
  const exteriors: { ring: Ring; area: number; holes: Ring[] }[] = [];
  const holes: Ring[] = [];
  for (const ring of rings) {
    const a = signedArea(ring);
    if (a > 0) exteriors.push({ ring, area: a, holes: [] });
    else if (a < 0) holes.push(ring);
  }
  exteriors.sort((x, y) => x.area - y.area);
  for (const hole of holes) {
    const owner =
      exteriors.length === 1
        ? exteriors[0]
        : exteriors.find((e) => e.area > -signedArea(hole) && contains(e.ring, hole));
    owner?.holes.push(hole);
  }
  return exteriors.map((e) => [e.ring, ...e.holes]);
}

/** Whether the ring `outer` holds `inner`: most of `inner`'s vertices fall inside it. */
function contains(outer: Ring, inner: Ring): boolean {
  let inside = 0;
  for (const p of inner) if (pointIn(outer, p)) inside++;
  return inside * 2 > inner.length;
}

/** Even-odd ray casting. */
function pointIn(ring: Ring, [x, y]: readonly [number, number]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
