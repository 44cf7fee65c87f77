/** Areas that RFC 7946 calls invalid are refused, naming the place, rather than drawn wrong. */
import { describe, expect, it } from "vitest";
import {
  controlAreas,
  createTimeline,
  TimelineValidationError,
  toGeoJSON,
} from "../../src/index.js";

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

/** A control entry: `controller` holds the place since the epoch. */
const held = (controller: string) => ({
  controller,
  since: 0,
  eventId: `held-by-${controller}`,
  precision: "day" as const,
  contested: false,
});

/** The issues of the error that `run` throws. */
const issuesOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(TimelineValidationError);
    return (error as TimelineValidationError).issues;
  }
  throw new Error("expected a TimelineValidationError");
};

/** A ring of `n` vertices whose edges zigzag along the bottom and top of a 75° strip. */
const zigzag = (n: number): [number, number][] => {
  const ring: [number, number][] = [];
  const half = n / 2;
  for (let i = 0; i < half; i++) ring.push([-40 + (75 * i) / half, 30 + (i % 2) * 0.001]);
  for (let i = half - 1; i >= 0; i--) ring.push([-40 + (75 * i) / half, 31 + (i % 2) * 0.001]);
  ring.push(ring[0] as [number, number]);
  return ring;
};

describe("self-intersecting rings", () => {
  it("refuses a bow-tie, naming the place and the ring", () => {
    const bowTie: [number, number][] = [
      [38, 34],
      [39, 35],
      [39, 34],
      [38, 35],
      [38, 34],
    ];
    const places = {
      tadmur: { name: "Tadmur", geometry: { type: "Polygon" as const, coordinates: [bowTie] } },
    };
    expect(issuesOf(() => createTimeline({ places }))).toEqual([
      expect.objectContaining({
        path: ["places", "tadmur", "geometry", "coordinates", 0],
        message: expect.stringContaining('"Tadmur" (tadmur): the exterior ring crosses itself'),
      }),
    ]);
  });

  it("refuses a crossing in the third polygon of a MultiPolygon, naming that ring", () => {
    const places = {
      homs: {
        name: "Homs",
        geometry: {
          type: "MultiPolygon" as const,
          coordinates: [
            [square(36, 34, 1)],
            [square(38, 34, 1)],
            [
              square(40, 34, 1),
              [
                [40.2, 34.2],
                [40.8, 34.8],
                [40.8, 34.2],
                [40.2, 34.8],
                [40.2, 34.2],
              ],
            ],
          ],
        },
      },
    };
    expect(issuesOf(() => createTimeline({ places }))).toEqual([
      expect.objectContaining({
        path: ["places", "homs", "geometry", "coordinates", 2, 1],
        message: expect.stringContaining("hole 1 crosses itself"),
      }),
    ]);
  });

  it("checks a 150,000-vertex zigzag in seconds, and finds the one crossing in it", () => {
    const ring = zigzag(150_000);
    const places = {
      strip: { name: "Strip", geometry: { type: "Polygon" as const, coordinates: [ring] } },
    };
    let start = performance.now();
    createTimeline({ places });
    controlAreas({ control: { strip: held("isis") } }, places);
    const fine = performance.now() - start;
    const crossed = ring.map(([lon, lat]) => [lon, lat] as [number, number]);
    crossed[70_001] = [crossed[70_001]?.[0] as number, 32];
    const bad = {
      strip: { name: "Strip", geometry: { type: "Polygon" as const, coordinates: [crossed] } },
    };
    start = performance.now();
    expect(issuesOf(() => createTimeline({ places: bad }))[0]?.message).toContain("crosses itself");
    const refused = performance.now() - start;
    // 71 s before (a quadratic vertex pass); a sweep line takes about 2 s here on a loaded machine.
    expect(fine).toBeLessThan(20_000);
    expect(refused).toBeLessThan(20_000);
  }, 60_000);
});

describe("children outside their parent", () => {
  const district = {
    name: "Tadmur District",
    geometry: { type: "Polygon" as const, coordinates: [square(38, 34, 1)] },
  };

  it("refuses a child straddling its parent, naming both", () => {
    const places = {
      district,
      town: {
        name: "Tadmur",
        parent: "district",
        geometry: { type: "Polygon" as const, coordinates: [square(38.8, 34.4, 0.4)] },
      },
    };
    expect(issuesOf(() => createTimeline({ places }))).toEqual([
      expect.objectContaining({
        path: ["places", "town", "geometry"],
        message:
          'the area of "Tadmur" (town) lies outside the area of its parent "Tadmur District" (district): 2 of 4 positions are outside it; a place\'s area lies within its parent\'s',
      }),
    ]);
  });

  it("refuses a child drawn wholly outside its grandparent when its parent has no area", () => {
    const places = {
      district,
      subdistrict: { name: "Sukhnah", parent: "district" },
      town: {
        name: "Arak",
        parent: "subdistrict",
        geometry: { type: "Polygon" as const, coordinates: [square(40, 34, 0.2)] },
      },
    };
    expect(issuesOf(() => createTimeline({ places }))[0]?.message).toContain(
      'its parent "Tadmur District" (district): 4 of 4 positions',
    );
  });

  it("keeps a child on its parent's edge, and one simplified a hair outside it", () => {
    const places = {
      district,
      onEdge: {
        name: "Edge town",
        parent: "district",
        geometry: { type: "Polygon" as const, coordinates: [square(38.6, 34, 0.4)] },
      },
      simplified: {
        name: "Simplified town",
        parent: "district",
        geometry: {
          type: "Polygon" as const,
          coordinates: [
            [
              [37.999, 34.5],
              [38.3, 34.5],
              [38.3, 34.9],
              [37.999, 34.9],
              [37.999, 34.5],
            ],
          ],
        },
      },
    };
    expect(() => createTimeline({ places })).not.toThrow();
  });
});

describe("areas across the antimeridian", () => {
  /** A Fiji-like island ring: from 177° E across 180° to 179° W. */
  const fiji: [number, number][] = [
    [177, -19],
    [-179, -19],
    [-179, -16],
    [177, -16],
    [177, -19],
  ];
  const places = {
    fiji: { name: "Fiji", geometry: { type: "Polygon" as const, coordinates: [fiji] } },
    lau: {
      name: "Lau",
      parent: "fiji",
      geometry: { type: "Polygon" as const, coordinates: [square(-179.9, -18.5, 0.5)] },
    },
  };
  const state = {
    control: {
      fiji: held("government"),
      lau: held("rebels"),
    },
  };
  const spans = (polygons: number[][][][]) =>
    polygons.map((rings) => {
      const lons = (rings[0] as number[][]).map((p) => p[0] as number);
      return [Math.min(...lons), Math.max(...lons)] as const;
    });

  it("is valid with a child east of 180°", () => {
    expect(() => createTimeline({ places })).not.toThrow();
  });

  it("splits into a MultiPolygon at 180° in toGeoJSON, not a band around the world", () => {
    const feature = toGeoJSON(state, places).features.find((f) => f.id === "fiji");
    expect(feature?.geometry.type).toBe("MultiPolygon");
    expect(spans(feature?.geometry.coordinates as number[][][][])).toEqual([
      [177, 180],
      [-180, -179],
    ]);
  });

  it("splits each side's territory at 180° in controlAreas", () => {
    const features = controlAreas(state, places).features;
    const government = features.find((f) => f.properties.controller === "government");
    const rebels = features.find((f) => f.properties.controller === "rebels");
    for (const feature of [government, rebels])
      for (const [west, east] of spans(feature?.geometry.coordinates as number[][][][]))
        expect(east - west).toBeLessThanOrEqual(3);
    expect(spans(rebels?.geometry.coordinates as number[][][][])).toEqual([[-179.9, -179.4]]);
  });
});
