// fromSnapshots (DESIGN "Snapshots of the front", third edition): dated maps of who holds which
// area, read into events for a registry of places.

import booleanPointInPolygon from "@turf/boolean-point-in-polygon";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SnapshotIndex } from "../src/formats/snapshot-index.js";
import {
  createTimeline,
  fromSnapshots,
  type PolygonGeometry,
  type Registry,
  type Snapshot,
} from "../src/index.js";

/** A rectangle from west to east and south to north, counter-clockwise as RFC 7946 asks. */
function box(west: number, south: number, east: number, north: number): PolygonGeometry {
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

// Three towns on a line of latitude, west to east; the front moves west over them.
const places: Registry = {
  kupiansk: { name: "Kupiansk", coordinates: [37.6, 49.7] },
  borova: { name: "Borova", coordinates: [37.8, 49.7] },
  svatove: { name: "Svatove", coordinates: [38.2, 49.7] },
};

/** Russia holds everything east of `front` (between 49° and 50° N). */
function map(at: string, front: number, source = "DeepState"): Snapshot {
  return { at, source, areas: [{ controller: "russia", geometry: box(front, 49, 39, 50) }] };
}

describe("fromSnapshots", () => {
  it("gives a Held for each place the first snapshot shows, and nothing while nothing changes", () => {
    const { events } = fromSnapshots([map("2024-10-01", 38), map("2024-10-02", 38)], places, {
      otherwise: "ukraine",
    });
    expect(events).toEqual([
      {
        type: "Held",
        at: "2024-10-01",
        sources: [{ name: "DeepState" }],
        data: { place: "kupiansk", by: "ukraine" },
      },
      {
        type: "Held",
        at: "2024-10-01",
        sources: [{ name: "DeepState" }],
        data: { place: "borova", by: "ukraine" },
      },
      {
        type: "Held",
        at: "2024-10-01",
        sources: [{ name: "DeepState" }],
        data: { place: "svatove", by: "russia" },
      },
    ]);
  });

  it("turns a change into a Captured at the snapshot that first shows it, not before the one before", () => {
    const { events, report } = fromSnapshots(
      [map("2024-10-01", 38), map("2024-10-08", 37.7)],
      places,
      { otherwise: "ukraine" },
    );
    expect(events.filter((e) => e.type === "Captured")).toEqual([
      {
        type: "Captured",
        at: "2024-10-08",
        notBefore: "2024-10-01",
        sources: [{ name: "DeepState" }],
        data: { place: "borova", by: "russia", from: "ukraine" },
      },
    ]);
    expect(report[1]?.changed).toEqual([{ place: "borova", from: "ukraine", to: "russia" }]);
  });

  it("sees a change of hands where the lines stay the same and the side changes", () => {
    const swapped: Snapshot = {
      at: "2024-10-08",
      areas: [{ controller: "ukraine", geometry: box(38, 49, 39, 50) }],
    };
    const { report } = fromSnapshots([map("2024-10-01", 38), swapped], places);
    expect(report[1]?.changed).toEqual([{ place: "svatove", from: "russia", to: "ukraine" }]);
  });

  it("finds changes in two stretches of the front redrawn far apart", () => {
    const front = (north: number, south: number): Snapshot => ({
      at: north === 37.5 && south === 37.5 ? "2024-10-01" : "2024-10-08",
      areas: [
        { controller: "russia", geometry: box(north, 49.5, 39, 50) },
        { controller: "russia", geometry: box(south, 45, 39, 45.5) },
      ],
    });
    const towns: Registry = {
      north: { name: "North", coordinates: [37.2, 49.7] },
      south: { name: "South", coordinates: [37.2, 45.2] },
      middle: { name: "Middle", coordinates: [37.2, 47.5] },
    };
    const { report } = fromSnapshots([front(37.5, 37.5), front(37, 37)], towns, {
      otherwise: "ukraine",
    });
    expect(report[1]?.changed.map((c) => c.place)).toEqual(["north", "south"]);
  });

  it("reads snapshots in any order, sorted by `at`", () => {
    const sorted = fromSnapshots([map("2024-10-01", 38), map("2024-10-08", 37.7)], places, {
      otherwise: "ukraine",
    });
    const shuffled = fromSnapshots([map("2024-10-08", 37.7), map("2024-10-01", 38)], places, {
      otherwise: "ukraine",
    });
    expect(shuffled.events).toEqual(sorted.events);
  });

  it("leaves a place outside every area alone when nobody holds what no area covers", () => {
    const { events } = fromSnapshots([map("2024-10-01", 38)], places);
    expect(events.map((e) => e.data.place)).toEqual(["svatove"]);
  });

  it("keeps the side of a place in an area of unknown status, lists it as uncertain, and widens the span", () => {
    const grey: Snapshot = {
      at: "2024-10-05",
      areas: [
        { controller: "russia", geometry: box(38, 49, 39, 50) },
        { controller: null, status: "unknown", geometry: box(37.7, 49, 38, 50) },
      ],
    };
    const { events, report } = fromSnapshots(
      [map("2024-10-01", 38), grey, map("2024-10-08", 37.7)],
      places,
      { otherwise: "ukraine" },
    );
    expect(report[1]?.uncertain).toEqual(["borova"]);
    expect(report[1]?.changed).toEqual([]);
    const captured = events.filter((e) => e.type === "Captured");
    expect(captured).toHaveLength(1);
    expect(captured[0]).toMatchObject({ at: "2024-10-08", notBefore: "2024-10-01" });
  });

  it("reports a change undone within `debounce` snapshots instead of emitting it", () => {
    const days = [
      map("2024-10-01", 38),
      map("2024-10-02", 37.7),
      map("2024-10-03", 38),
      map("2024-10-04", 38),
    ];
    const flicker = fromSnapshots(days, places, { otherwise: "ukraine", debounce: 1 });
    expect(flicker.events.filter((e) => e.type === "Captured")).toEqual([]);
    expect(flicker.report[1]?.undone).toEqual([{ place: "borova", from: "ukraine", to: "russia" }]);
    const every = fromSnapshots(days, places, { otherwise: "ukraine" });
    expect(every.events.filter((e) => e.type === "Captured")).toHaveLength(2);
  });

  it("adds nothing when the same snapshots are read into a timeline again", () => {
    const days = [map("2024-10-01", 38), map("2024-10-08", 37.7), map("2024-10-15", 37.5)];
    const timeline = createTimeline({ places });
    timeline.append(...fromSnapshots(days, places, { otherwise: "ukraine" }).events);
    const size = timeline.size;
    timeline.append(...fromSnapshots(days, places, { otherwise: "ukraine" }).events);
    expect(timeline.size).toBe(size);
    expect(timeline.stateAt("2024-10-09").control.borova?.controller).toBe("russia");
    expect(timeline.stateAt("2024-10-09").control.kupiansk?.controller).toBe("ukraine");
    expect(timeline.stateAt("2024-10-16").control.kupiansk?.controller).toBe("russia");
  });

  it("gives a place with an area to the side holding most of it", () => {
    const district: Registry = {
      // 37.5-38.5: three quarters of it east of 37.75.
      district: { name: "District", geometry: box(37.5, 49.2, 38.5, 49.4) },
    };
    const { events } = fromSnapshots(
      [map("2024-10-01", 38.2), map("2024-10-08", 37.75)],
      district,
      { otherwise: "ukraine" },
    );
    expect(events.map((e) => [e.type, e.data.by])).toEqual([
      ["Held", "ukraine"],
      ["Captured", "russia"],
    ]);
  });

  it("gives a place with an area wholly inside one area to that side without clipping", () => {
    const district: Registry = {
      district: { name: "District", geometry: box(38.2, 49.2, 38.4, 49.4) },
    };
    const { events } = fromSnapshots([map("2024-10-01", 38)], district, { otherwise: "ukraine" });
    expect(events.map((e) => e.data.by)).toEqual(["russia"]);
  });

  it("reports the geodesic km² each side holds, gains and loses", () => {
    const { report } = fromSnapshots([map("2024-10-01", 38), map("2024-10-08", 37.5)], places);
    // One degree of longitude by one of latitude at 49.5° N: about 111.2 × 72.2 km.
    expect(report[0]?.areas.russia?.km2).toBeGreaterThan(7900);
    expect(report[0]?.areas.russia?.km2).toBeLessThan(8100);
    const second = report[1]?.areas.russia;
    expect(second?.gained).toBeCloseTo((second?.km2 ?? 0) - (report[0]?.areas.russia?.km2 ?? 0), 3);
    expect(second?.lost).toBeCloseTo(0, 3);
  });

  it("reports a side's loss where the front moves back", () => {
    const { report } = fromSnapshots([map("2024-10-01", 37.5), map("2024-10-08", 38)], places);
    const second = report[1]?.areas.russia;
    expect(second?.gained).toBeCloseTo(0, 3);
    expect(second?.lost).toBeGreaterThan(3900);
  });

  it("skips snapshots it cannot read and places it cannot locate, saying why", () => {
    const { skipped, report } = fromSnapshots(
      [
        map("2024-10-01", 38),
        { at: "2024-13-01", areas: [] },
        { at: "2024-10-02", areas: [{ controller: "russia", geometry: { type: "Point" } }] },
        map("2024-10-01", 37),
      ] as Snapshot[],
      { ...places, nowhere: { name: "Nowhere" } },
    );
    expect(report).toHaveLength(1);
    expect(skipped).toEqual([
      { snapshot: 1, reason: expect.stringContaining("month 13 does not exist") },
      { snapshot: 2, reason: expect.stringContaining("areas:") },
      { snapshot: 3, reason: "another snapshot (0) has the same `at`" },
      { place: "nowhere", reason: "has neither `coordinates` nor `geometry`" },
    ]);
  });

  it("refuses a debounce that is not a whole number", () => {
    expect(() => fromSnapshots([], places, { debounce: -1 })).toThrow(TypeError);
  });
});

describe("the snapshot index", () => {
  // A square with a square hole, and a second polygon that is a triangle.
  const areas = [
    {
      geometry: {
        type: "MultiPolygon" as const,
        coordinates: [
          [
            [
              [0, 0],
              [10, 0],
              [10, 10],
              [0, 10],
              [0, 0],
            ],
            [
              [3, 3],
              [3, 7],
              [7, 7],
              [7, 3],
              [3, 3],
            ],
          ],
          [
            [
              [20, 0],
              [30, 5],
              [20, 10],
              [20, 0],
            ],
          ],
        ],
      },
    },
  ];

  it("finds the area of a point as @turf/boolean-point-in-polygon does", () => {
    const index = new SnapshotIndex(areas, () => "russia");
    fc.assert(
      fc.property(
        fc.double({ min: -5, max: 35, noNaN: true }),
        fc.double({ min: -5, max: 15, noNaN: true }),
        (lon, lat) => {
          const turf = booleanPointInPolygon([lon, lat], areas[0]?.geometry as never, {
            ignoreBoundary: true,
          });
          const onBoundary =
            booleanPointInPolygon([lon, lat], areas[0]?.geometry as never) !== turf;
          if (onBoundary) return;
          expect(index.areaAt(lon, lat) === 0).toBe(turf);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
