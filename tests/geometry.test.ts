import { describe, expect, it } from "vitest";
import { createTimeline, type Registry, TimelineValidationError } from "../src/index.js";
import { box } from "./helpers/geometry.js";

const palmyra = { name: "Palmyra", coordinates: [38.268, 34.556] } as const;

/** The validation error `createTimeline` throws for these places (fails the test if none). */
function problems(places: unknown): TimelineValidationError {
  try {
    createTimeline({ places: places as Registry });
  } catch (error) {
    if (error instanceof TimelineValidationError) return error;
    throw error;
  }
  throw new Error("expected a TimelineValidationError");
}

/** Tadmor district's outline, roughly, [lon, lat] counterclockwise. */
const tadmor = {
  type: "Polygon",
  coordinates: [
    [
      [37.6, 34.2],
      [39.4, 34.0],
      [40.1, 34.9],
      [38.6, 35.1],
      [37.6, 34.2],
    ],
  ],
} as const;
const swap = (ring: readonly (readonly number[])[]) => ring.map(([a, b]) => [b, a]);

describe("registry geometry", () => {
  it("accepts a Polygon and a MultiPolygon in [lon, lat] order", () => {
    const places = {
      palmyra,
      tadmor: { name: "Tadmor", geometry: tadmor },
      pair: {
        name: "Pair",
        geometry: {
          type: "MultiPolygon",
          coordinates: [box(36, 33, 37, 34).coordinates, box(37, 33, 38, 34).coordinates],
        },
      },
    } satisfies Registry;
    expect(() => createTimeline({ places })).not.toThrow();
  });

  it("names the place and the ring when a ring is not closed", () => {
    const open = {
      type: "Polygon",
      coordinates: [
        [
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 1],
        ],
      ],
    };
    const error = problems({ plot: { name: "Plot", geometry: open } });
    expect(error.issues[0]?.path).toEqual(["places", "plot", "geometry", "coordinates", 0]);
    expect(error.issues[0]?.message).toMatch(/"Plot" \(plot\).*not closed/);
  });

  it("refuses a ring of fewer than four positions", () => {
    const triangle = {
      type: "Polygon",
      coordinates: [
        [
          [0, 0],
          [1, 0],
          [0, 0],
        ],
      ],
    };
    expect(problems({ plot: { name: "Plot", geometry: triangle } }).message).toMatch(
      /at least 4 positions, got 3/,
    );
  });

  it("refuses what is not a GeoJSON Polygon or MultiPolygon", () => {
    const point = { type: "Point", coordinates: [38.2, 34.5] };
    expect(problems({ plot: { name: "Plot", geometry: point } }).message).toMatch(
      /"Plot" \(plot\): expected type "Polygon" or "MultiPolygon", got "Point"/,
    );
    expect(problems({ plot: { name: "Plot", geometry: "SY0405" } }).message).toMatch(
      /expected a GeoJSON Polygon/,
    );
  });

  it("refuses positions out of range, counting each ring's closing position once", () => {
    const far = {
      type: "Polygon",
      coordinates: [
        [
          [0, 0],
          [200, 0],
          [200, 1],
          [0, 0],
        ],
      ],
    };
    expect(problems({ plot: { name: "Plot", geometry: far } }).message).toMatch(
      /2 of 3 positions are out of range/,
    );
  });

  it("names a geometry in [lat, lon] order when swapping brings it in range", () => {
    // Near Raqqa at 39 E, 36 N the slip stays in range; at 120 E (Indonesia) it does not.
    const swapped = {
      type: "Polygon",
      coordinates: [swap(box(120, -5, 121, -4).coordinates[0] ?? [])],
    };
    expect(problems({ plot: { name: "Plot", geometry: swapped } }).message).toMatch(
      /\[lat, lon\] order/,
    );
  });

  it("names a geometry in [lat, lon] order that lies outside the registry's places and fits them swapped", () => {
    const swapped = { type: "Polygon", coordinates: [swap(tadmor.coordinates[0])] };
    const error = problems({ palmyra, tadmor: { name: "Tadmor", geometry: swapped } });
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]?.path).toEqual(["places", "tadmor", "geometry", "coordinates"]);
    expect(error.issues[0]?.message).toMatch(
      /"Tadmor" \(tadmor\): positions are in \[lat, lon\] order/,
    );
  });

  it("lets an area far from the other places be, when swapping would not bring it closer", () => {
    const places = {
      palmyra,
      lisbon: { name: "Lisbon", geometry: box(-9.3, 38.6, -9, 38.8) },
    } satisfies Registry;
    expect(() => createTimeline({ places })).not.toThrow();
  });
});
