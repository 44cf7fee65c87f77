// Dated maps of who holds which area (a daily map of the front) into events for a registry of
// places: what each snapshot shows of each place, and what changed between two snapshots.

import type { Captured, Held, InputOf } from "../core/events.js";
import type { AreaGeometry } from "../core/geometry.js";
import { Interned } from "../core/interned.js";
import type { Registry, RegistryEntry } from "../core/registry.js";
import { type Precision, readTime, type TimeInput } from "../core/time.js";
import { KEEP, locate, showings, UNCERTAIN } from "./snapshot-showings.js";

/** One area of a snapshot: who holds it, or `null` with why nobody can be said to. */
export interface SnapshotArea {
  /** The actor holding the area; `null` for an area of unknown or contested status. */
  readonly controller: string | null;
  /** Why `controller` is `null` (what the map calls the area). */
  readonly status?: "unknown" | "contested";
  readonly geometry: AreaGeometry;
}

/**
 * A dated map of who holds which area.
 *
 * @example
 * const snapshot: Snapshot = {
 *   at: "2024-10-01",
 *   source: "DeepState",
 *   areas: [{ controller: "russia", geometry: { type: "Polygon", coordinates: [[[37, 48], [38, 48], [38, 49], [37, 48]]] } }],
 * };
 */
export interface Snapshot {
  /** When the map shows the front; its precision is the events' (a date: day). */
  readonly at: TimeInput;
  /** The map's name, given as the source of every event made from it. */
  readonly source?: string;
  readonly areas: readonly SnapshotArea[];
}

/** Options of {@link fromSnapshots}. */
export interface SnapshotOptions {
  /**
   * Who holds what no area covers (`"ukraine"` for a map of occupied territory alone). Left
   * out or `null`: a place outside every area keeps the side it had.
   */
  readonly otherwise?: string | null;
  /**
   * A change undone within this many snapshots (A, then B, then A again) is reported in
   * `undone`, not emitted. Default 0: every change is an event.
   */
  readonly debounce?: number;
}

/** An event made from snapshots: `Held` from the first one that shows a place, then `Captured`. */
export type SnapshotEvent = InputOf<typeof Captured> | InputOf<typeof Held>;

/** A place that changed hands between two snapshots. */
export interface SnapshotChange {
  readonly place: string;
  /** The side it had in the last snapshot that showed one. */
  readonly from: string;
  readonly to: string;
}

/** The km² a side holds in a snapshot, and what it gained and lost since the one before. */
export interface SideArea {
  readonly km2: number;
  /** Of its area now, the km² it did not hold in the snapshot before (0 in the first). */
  readonly gained: number;
  /** Of its area in the snapshot before, the km² it no longer holds (0 in the first). */
  readonly lost: number;
}

/** What one snapshot showed, in `at` order. */
export interface SnapshotReport {
  /** The snapshot's time, epoch milliseconds (UTC), and the precision of its form. */
  readonly at: number;
  readonly precision: Precision;
  readonly source?: string;
  /** Places that changed hands (each is a `Captured` event). */
  readonly changed: readonly SnapshotChange[];
  /**
   * Places in an area whose controller is `null` (unknown, contested) or in areas of two sides
   * at once: they keep the side they had, and no event is made.
   */
  readonly uncertain: readonly string[];
  /** Changes undone within `debounce` snapshots: reported here, not emitted. */
  readonly undone: readonly SnapshotChange[];
  /** By controller (areas of `null` under `"null"`), the geodesic km² of their areas. */
  readonly areas: Readonly<Record<string, SideArea>>;
}

/** A snapshot or a place {@link fromSnapshots} could not use, and why. */
export interface SkippedSnapshotItem {
  /** The snapshot's position in the array given (0-based), when a snapshot was skipped. */
  readonly snapshot?: number;
  /** The place's id, when a place was skipped. */
  readonly place?: string;
  readonly reason: string;
}

/** What {@link fromSnapshots} returns. */
export interface SnapshotImport {
  readonly events: SnapshotEvent[];
  readonly skipped: SkippedSnapshotItem[];
  /** One entry per snapshot used, in `at` order. */
  readonly report: SnapshotReport[];
}

/** A report while it is made. */
export interface Building extends SnapshotReport {
  readonly changed: SnapshotChange[];
  readonly uncertain: string[];
  readonly undone: SnapshotChange[];
  areas: Record<string, SideArea>;
}

/** A snapshot with its time read. */
export interface Dated {
  readonly snapshot: Snapshot;
  readonly index: number;
  readonly at: number;
  readonly precision: Precision;
}

function isArea(value: unknown): value is SnapshotArea {
  if (typeof value !== "object" || value === null) return false;
  const { controller, geometry } = value as Record<string, unknown>;
  if (controller !== null && (typeof controller !== "string" || controller === "")) return false;
  if (typeof geometry !== "object" || geometry === null) return false;
  const { type, coordinates } = geometry as Record<string, unknown>;
  return (type === "Polygon" || type === "MultiPolygon") && Array.isArray(coordinates);
}

/** Snapshots by time; those that cannot be read, or repeat a time, are skipped. */
function dated(snapshots: readonly Snapshot[], skipped: SkippedSnapshotItem[]): Dated[] {
  const out: Dated[] = [];
  snapshots.forEach((snapshot, index) => {
    const time = readTime(snapshot?.at);
    if (typeof time === "string") {
      skipped.push({ snapshot: index, reason: `at: ${time}` });
      return;
    }
    if (!Array.isArray(snapshot.areas) || !snapshot.areas.every(isArea)) {
      skipped.push({
        snapshot: index,
        reason:
          "areas: expected an array of { controller: string | null, geometry: Polygon | MultiPolygon }",
      });
      return;
    }
    out.push({ snapshot, index, at: time.at, precision: time.precision });
  });
  out.sort((a, b) => a.at - b.at || a.index - b.index);
  return out.filter((entry, i) => {
    const before = out[i - 1];
    if (before === undefined || before.at !== entry.at) return true;
    skipped.push({
      snapshot: entry.index,
      reason: `another snapshot (${before.index}) has the same \`at\``,
    });
    return false;
  });
}

/**
 * Turns dated maps of who holds which area into events for a registry of places.
 *
 * - A place's side is the area holding its `coordinates`, or for a place with a `geometry`,
 *   the side holding most of its area (intersections measured on the sphere); what no area
 *   covers is `otherwise`'s.
 * - The first snapshot that shows a place's side gives a `Held` (a status, not a change). A
 *   later snapshot showing another side gives a `Captured` by it (`from` the side before), at
 *   that snapshot's `at`, with `notBefore` the last snapshot that still showed the old side;
 *   both at the snapshots' own precision (a date: day).
 * - A place in an area whose controller is `null` keeps its side: no event, and the report
 *   lists it as uncertain for that snapshot.
 * - Events carry no id: the timeline gives each a content id, so reading the same snapshots
 *   again adds nothing.
 *
 * @example
 * const { events, report } = fromSnapshots(
 *   [
 *     { at: "2024-10-01", source: "DeepState", areas: [{ controller: "russia", geometry: occupied1 }] },
 *     { at: "2024-10-02", source: "DeepState", areas: [{ controller: "russia", geometry: occupied2 }] },
 *   ],
 *   places,
 *   { otherwise: "ukraine" },
 * );
 * timeline.append(events);
 */
export function fromSnapshots(
  snapshots: readonly Snapshot[],
  places: Registry,
  options: SnapshotOptions = {},
): SnapshotImport {
  if (!Array.isArray(snapshots)) {
    throw new TypeError("fromSnapshots: the first argument must be an array of snapshots");
  }
  if (typeof places !== "object" || places === null || Array.isArray(places)) {
    throw new TypeError("fromSnapshots: the second argument must be a registry of places");
  }
  const debounce = options.debounce ?? 0;
  if (!Number.isInteger(debounce) || debounce < 0) {
    throw new TypeError(`fromSnapshots: debounce must be a whole number >= 0, got ${debounce}`);
  }
  const otherwise = options.otherwise ?? null;
  const skipped: SkippedSnapshotItem[] = [];
  const series = dated(snapshots, skipped);

  const ids: string[] = [];
  for (const [id, entry] of Object.entries(places)) {
    if (entry?.coordinates !== undefined || entry?.geometry !== undefined) ids.push(id);
    else skipped.push({ place: id, reason: "has neither `coordinates` nor `geometry`" });
  }
  const located = ids.map((id) => locate(places[id] as RegistryEntry));

  const sides = new Interned<string>();
  const otherwiseCode = otherwise === null ? KEEP : sides.of(otherwise);
  const report = series.map(
    ({ snapshot, at, precision }): Building => ({
      at,
      precision,
      ...(snapshot.source === undefined ? {} : { source: snapshot.source }),
      changed: [],
      uncertain: [],
      undone: [],
      areas: {},
    }),
  );
  const shown = showings(series, located, report, sides, otherwiseCode);
  const events = placeEvents(ids, series, shown, sides.values, report, debounce);
  return { events, skipped, report };
}

/**
 * Each place's events from what the snapshots show of it: a `Held` at the first side shown, a
 * `Captured` at each change that is not undone within `debounce` snapshots; snapshot by
 * snapshot, places in the registry's order within each.
 */
function placeEvents(
  ids: readonly string[],
  series: readonly Dated[],
  shown: readonly Int32Array[],
  sides: readonly string[],
  report: readonly Building[],
  debounce: number,
): SnapshotEvent[] {
  const events: SnapshotEvent[] = [];
  const made: { event: SnapshotEvent; snapshot: number }[] = [];

  ids.forEach((place, i) => {
    let side = KEEP;
    let lastShown = -1;
    for (let k = 0; k < series.length; k++) {
      const now = (shown[k] as Int32Array)[i] as number;
      if (now === KEEP) continue;
      if (now === UNCERTAIN) {
        report[k]?.uncertain.push(place);
        continue;
      }
      if (now === side) {
        lastShown = k;
        continue;
      }
      const at = series[k] as Dated;
      if (side === KEEP) {
        made.push({
          snapshot: k,
          event: {
            type: "Held",
            at: at.snapshot.at,
            ...sources(at.snapshot),
            data: { place, by: sides[now] as string },
          },
        });
        side = now;
        lastShown = k;
        continue;
      }
      const change = { place, from: sides[side] as string, to: sides[now] as string };
      if (undoneWithin(shown, i, k, debounce, side)) {
        report[k]?.undone.push(change);
        continue;
      }
      report[k]?.changed.push(change);
      const before = series[lastShown] as Dated;
      made.push({
        snapshot: k,
        event: {
          type: "Captured",
          at: at.snapshot.at,
          notBefore: before.snapshot.at,
          ...sources(at.snapshot),
          data: { place, by: change.to, from: change.from },
        },
      });
      side = now;
      lastShown = k;
    }
  });
  made.sort((a, b) => a.snapshot - b.snapshot);
  for (const { event } of made) events.push(event);
  return events;
}

function sources(snapshot: Snapshot): { sources?: { name: string }[] } {
  return snapshot.source === undefined ? {} : { sources: [{ name: snapshot.source }] };
}

/** True when the place shows `side` again within `debounce` snapshots after snapshot `k`. */
function undoneWithin(
  shown: readonly Int32Array[],
  place: number,
  k: number,
  debounce: number,
  side: number,
): boolean {
  for (let j = k + 1; j <= k + debounce && j < shown.length; j++) {
    if ((shown[j] as Int32Array)[place] === side) return true;
  }
  return false;
}
