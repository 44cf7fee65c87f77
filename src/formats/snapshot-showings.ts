// What each snapshot shows of each place: a side code per place and snapshot, found only where
// the map changed since the snapshot before; and each side's km² in each snapshot.

import type { AreaGeometry, Position } from "../core/geometry.js";
import type { Interned } from "../core/interned.js";
import type { RegistryEntry } from "../core/registry.js";
import {
  areaKm2,
  ChangedBoxes,
  CONFLICT,
  EdgeSet,
  gainedKm2,
  OUTSIDE,
  polygonsOf,
  SnapshotIndex,
} from "./snapshot-index.js";
import type { Building, Dated, SideArea, SnapshotArea } from "./snapshots.js";

/** A side code: an index into the list of sides, or one of these. */
export const KEEP = -1;
export const UNCERTAIN = -2;
const NULL_SIDE = "null";

/**
 * What each snapshot shows of each located place (a side code, KEEP or UNCERTAIN), and each
 * side's areas into `report`.
 */
export function showings(
  series: readonly Dated[],
  located: readonly Located[],
  report: readonly Building[],
  sides: Interned<string>,
  otherwiseCode: number,
): Int32Array[] {
  // The edges of each side's areas in this snapshot and the one before: what changed between
  // them lies in the boxes of the runs of edges that one has and the other lacks, and a place
  // outside those boxes shows what it showed before (a daily map redraws a few stretches).
  let then = new Map<string, EdgeSet>();
  let totals = new Map<string, number>();
  // What each snapshot shows of each place: a side code, KEEP (no area and no `otherwise`) or
  // UNCERTAIN (a null area, or areas of two sides).
  const shown: Int32Array[] = [];
  series.forEach(({ snapshot }, k) => {
    const now = edgesBySide(snapshot.areas);
    const changed = new ChangedBoxes();
    const areas: Record<string, SideArea> = {};
    const nowTotals = new Map<string, number>();
    for (const side of new Set([...now.keys(), ...then.keys()])) {
      const set = now.get(side);
      const km2 = set === undefined ? 0 : areaKm2(set.polygons);
      nowTotals.set(side, km2);
      if (k === 0) {
        areas[side] = { km2, gained: 0, lost: 0 };
        continue;
      }
      const runs = new ChangedBoxes().addDifference(set, then.get(side));
      changed.boxes.push(...runs.boxes);
      const gained = set === undefined ? 0 : gainedKm2(set, then.get(side), runs.bounds());
      const lost = Math.max(0, gained - (km2 - (totals.get(side) ?? 0)));
      areas[side] = { km2, gained, lost };
    }
    (report[k] as Building).areas = areas;
    then = now;
    totals = nowTotals;
    const before = shown[k - 1];
    if (before !== undefined && changed.empty) {
      shown.push(before);
      return;
    }
    const areaCodes = snapshot.areas.map((area) =>
      area.controller === null ? UNCERTAIN : sides.of(area.controller),
    );
    const index = new SnapshotIndex(
      snapshot.areas,
      (area) => snapshot.areas[area]?.controller ?? null,
    );
    const row = new Int32Array(located.length);
    located.forEach((place, i) => {
      const [west, south, east, north] = place.box;
      if (before !== undefined && !changed.meets(west, south, east, north)) {
        row[i] = before[i] as number;
      } else if (place.geometry !== undefined) {
        row[i] = mostOf(index.coverage(place.geometry), areaCodes, otherwiseCode);
      } else {
        const area = index.areaAt(west, south);
        row[i] =
          area === OUTSIDE
            ? otherwiseCode
            : area === CONFLICT
              ? UNCERTAIN
              : (areaCodes[area] as number);
      }
    });
    shown.push(row);
  });
  return shown;
}

/** The side holding most of a place's area (what no area covers counts as `otherwise`'s). */
function mostOf(
  coverage: { readonly byArea: Map<number, number>; readonly total: number },
  areaCodes: readonly number[],
  otherwiseCode: number,
): number {
  const bySide = new Map<number, number>();
  let covered = 0;
  for (const [area, km2] of coverage.byArea) {
    const side = areaCodes[area] as number;
    bySide.set(side, (bySide.get(side) ?? 0) + km2);
    covered += km2;
  }
  const rest = coverage.total - covered;
  if (rest > 0) bySide.set(otherwiseCode, (bySide.get(otherwiseCode) ?? 0) + rest);
  let best = KEEP;
  let most = 0;
  for (const [side, km2] of bySide) {
    if (km2 > most) {
      best = side;
      most = km2;
    }
  }
  return best;
}

/** A place's point or area, and its box (a point's box is the point). */
export interface Located {
  readonly box: readonly [west: number, south: number, east: number, north: number];
  readonly geometry?: AreaGeometry;
}

export function locate(entry: RegistryEntry): Located {
  const geometry = entry.geometry;
  if (geometry === undefined) {
    const [lon, lat] = entry.coordinates ?? [0, 0];
    return { box: [lon, lat, lon, lat] };
  }
  const box: [number, number, number, number] = [
    Number.POSITIVE_INFINITY,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
  ];
  for (const polygon of polygonsOf(geometry))
    for (const [x, y] of (polygon[0] ?? []) as [number, number][]) {
      box[0] = Math.min(box[0], x);
      box[1] = Math.min(box[1], y);
      box[2] = Math.max(box[2], x);
      box[3] = Math.max(box[3], y);
    }
  return { box, geometry };
}

/** The edges of each controller's areas (those of `null` under `"null"`). */
function edgesBySide(areas: readonly SnapshotArea[]): Map<string, EdgeSet> {
  const polygons = new Map<string, Position[][][]>();
  for (const area of areas) {
    const side = area.controller ?? NULL_SIDE;
    const list = polygons.get(side) ?? [];
    list.push(...polygonsOf(area.geometry));
    polygons.set(side, list);
  }
  return new Map([...polygons].map(([side, list]) => [side, new EdgeSet(list)]));
}
