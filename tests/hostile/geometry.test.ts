/** Areas that RFC 7946 calls invalid are refused, naming the place, rather than drawn wrong. */
import { describe, expect, it } from "vitest";
import { createTimeline, TimelineValidationError } from "../../src/index.js";

const square = (x: number, y: number, size: number): [number, number][] => [
  [x, y],
  [x + size, y],
  [x + size, y + size],
  [x, y + size],
  [x, y],
];

describe("invalid areas", () => {
  it("refuses a hole outside its shell, naming the place and the ring", () => {
    const places = {
      tadmur: {
        name: "Tadmur",
        geometry: {
          type: "Polygon" as const,
          coordinates: [square(38, 34, 1), square(40, 34, 0.5)],
        },
      },
    };
    let error: unknown;
    try {
      createTimeline({ places });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TimelineValidationError);
    expect((error as TimelineValidationError).issues).toEqual([
      expect.objectContaining({
        path: ["places", "tadmur", "geometry", "coordinates", 1],
        message: expect.stringContaining('"Tadmur" (tadmur): hole 1 lies outside'),
      }),
    ]);
  });

  it("keeps a hole inside its shell", () => {
    const places = {
      tadmur: {
        name: "Tadmur",
        geometry: {
          type: "Polygon" as const,
          coordinates: [square(38, 34, 1), square(38.25, 34.25, 0.5)],
        },
      },
    };
    expect(() => createTimeline({ places })).not.toThrow();
  });
});
