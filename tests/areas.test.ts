import { check, getIssues } from "@placemarkio/check-geojson";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type AreaFeatureCollection,
  type ControlEntry,
  controlAreas,
  type Registry,
  TimelineValidationError,
} from "../src/index.js";
import { box, crossings, geometryArea, ringArea, syriaDistricts } from "./helpers/geometry.js";

/** A control state from `{ place: controller }` (times and event ids do not matter here). */
function state(held: Record<string, string | null>): { control: Record<string, ControlEntry> } {
  const control: Record<string, ControlEntry> = {};
  for (const [place, controller] of Object.entries(held)) {
    control[place] = {
      controller,
      since: 0,
      eventId: `e-${place}`,
      precision: "day",
      contested: false,
    };
  }
  return { control };
}

const areaOf = (areas: AreaFeatureCollection, controller: string | null) => {
  const feature = areas.features.find((f) => f.properties.controller === controller);
  return feature === undefined
    ? 0
    : geometryArea({ type: "MultiPolygon", coordinates: feature.geometry.coordinates });
};

const districts = syriaDistricts();
const ids = Object.keys(districts);
const SIDES = ["isis", "kurds", "rebels", "regime", null] as const;
/** The 62 districts split among five sides, in an order unrelated to their positions. */
const split = state(Object.fromEntries(ids.map((id, i) => [id, SIDES[(i * 7) % 5] ?? null])));

describe("controlAreas", () => {
  it("passes a GeoJSON validator (@placemarkio/check-geojson) for the 62 districts of Syria split among five sides", () => {
    const text = JSON.stringify(controlAreas(split, districts));
    expect(getIssues(text)).toEqual([]);
    expect(() => check(text)).not.toThrow();
  });

  it("gives one MultiPolygon feature per controller, with its place ids sorted, nobody (null) last", () => {
    const areas = controlAreas(split, districts);
    expect(areas.features.map((f) => f.properties.controller)).toEqual([...SIDES]);
    for (const feature of areas.features) {
      expect(feature.geometry.type).toBe("MultiPolygon");
      const expected = ids.filter(
        (id) => split.control[id]?.controller === feature.properties.controller,
      );
      expect(feature.properties.places).toEqual([...expected].sort());
    }
  });

  it("is exact: each side's area is the sum of its districts' areas", () => {
    const areas = controlAreas(split, districts);
    for (const side of SIDES) {
      const expected = ids
        .filter((id) => split.control[id]?.controller === side)
        .reduce((sum, id) => sum + geometryArea(districts[id]?.geometry ?? box(0, 0, 0, 0)), 0);
      expect(areaOf(areas, side)).toBeCloseTo(expected, 9);
    }
  });

  it("follows the right-hand rule: exteriors counterclockwise, holes clockwise", () => {
    for (const feature of controlAreas(split, districts).features) {
      for (const [exterior, ...holes] of feature.geometry.coordinates) {
        expect(ringArea(exterior ?? [])).toBeGreaterThan(0);
        for (const hole of holes) expect(ringArea(hole)).toBeLessThan(0);
      }
    }
  });

  it("draws no edge across another: no self-intersection in any territory", () => {
    for (const feature of controlAreas(split, districts).features) {
      expect(crossings(feature.geometry.coordinates.flat())).toBe(0);
    }
  });

  it("stays exact and valid for any split of the districts (random splits, some districts unknown)", () => {
    const controller = fc.option(fc.constantFrom("isis", "kurds", "rebels", "regime", null), {
      nil: undefined,
    });
    fc.assert(
      fc.property(
        fc.array(controller, { minLength: ids.length, maxLength: ids.length }),
        (picks) => {
          const held: Record<string, string | null> = {};
          ids.forEach((id, i) => {
            const pick = picks[i];
            if (pick !== undefined) held[id] = pick;
          });
          const areas = controlAreas(state(held), districts);
          expect(getIssues(JSON.stringify(areas))).toEqual([]);
          for (const feature of areas.features) {
            const mine = ids.filter(
              (id) => Object.hasOwn(held, id) && held[id] === feature.properties.controller,
            );
            const expected = mine.reduce(
              (sum, id) => sum + geometryArea(districts[id]?.geometry ?? box(0, 0, 0, 0)),
              0,
            );
            expect(areaOf(areas, feature.properties.controller)).toBeCloseTo(expected, 9);
            for (const [exterior, ...holes] of feature.geometry.coordinates) {
              expect(ringArea(exterior ?? [])).toBeGreaterThan(0);
              for (const hole of holes) expect(ringArea(hole)).toBeLessThan(0);
            }
          }
        },
      ),
      { numRuns: 8 },
    );
  });

  it("drops the borders between places of one side: two neighbours are one ring", () => {
    const places = {
      west: { name: "West", geometry: box(0, 0, 1, 1) },
      east: { name: "East", geometry: box(1, 0, 2, 1) },
    };
    const [feature] = controlAreas(state({ west: "isis", east: "isis" }), places).features;
    expect(feature?.geometry.coordinates).toHaveLength(1);
    expect(feature?.geometry.coordinates[0]).toHaveLength(1);
    expect(ringArea(feature?.geometry.coordinates[0]?.[0] ?? [])).toBeCloseTo(2, 12);
  });

  it("cuts a descendant held by another side out of its ancestor's area, as a hole", () => {
    const places = {
      district: { name: "District", geometry: box(0, 0, 4, 4) },
      town: { name: "Town", parent: "district", geometry: box(1, 1, 2, 2) },
    } satisfies Registry;
    const areas = controlAreas(state({ district: "isis", town: "regime" }), places);
    expect(areaOf(areas, "isis")).toBeCloseTo(15, 12);
    expect(areaOf(areas, "regime")).toBeCloseTo(1, 12);
    const isis = areas.features.find((f) => f.properties.controller === "isis");
    expect(isis?.geometry.coordinates[0]).toHaveLength(2);
    expect(getIssues(JSON.stringify(areas))).toEqual([]);
  });

  it("gives the whole ancestor to its side when the descendant is held by the same side", () => {
    const places = {
      district: { name: "District", geometry: box(0, 0, 4, 4) },
      town: { name: "Town", parent: "district", geometry: box(1, 1, 2, 2) },
    } satisfies Registry;
    const areas = controlAreas(state({ district: "isis", town: "isis" }), places);
    expect(areas.features).toHaveLength(1);
    expect(areas.features[0]?.geometry.coordinates).toEqual([[box(0, 0, 4, 4).coordinates[0]]]);
    expect(areas.features[0]?.properties.places).toEqual(["district", "town"]);
  });

  it("is exact where a parent's area is the union of its children's: no sliver, no overlap", () => {
    // A governorate drawn as the union of four districts that share its vertices.
    const whole: Registry[string]["geometry"] = {
      type: "Polygon",
      coordinates: [
        [
          [0, 0],
          [1, 0],
          [2, 0],
          [2, 1],
          [2, 2],
          [1, 2],
          [0, 2],
          [0, 1],
          [0, 0],
        ],
      ],
    };
    const places = {
      governorate: { name: "Governorate", geometry: whole },
      sw: { name: "SW", parent: "governorate", geometry: box(0, 0, 1, 1) },
      se: { name: "SE", parent: "governorate", geometry: box(1, 0, 2, 1) },
      nw: { name: "NW", parent: "governorate", geometry: box(0, 1, 1, 2) },
      ne: { name: "NE", parent: "governorate", geometry: box(1, 1, 2, 2) },
    } satisfies Registry;
    const areas = controlAreas(state({ governorate: "isis", ne: "regime", sw: null }), places);
    expect(areaOf(areas, "isis")).toBeCloseTo(2, 12);
    expect(areaOf(areas, "regime")).toBeCloseTo(1, 12);
    expect(areaOf(areas, null)).toBeCloseTo(1, 12);
    expect(
      areas.features.find((f) => f.properties.controller === "isis")?.properties.places,
    ).toEqual(["governorate"]);
    expect(getIssues(JSON.stringify(areas))).toEqual([]);
  });

  it("notches an ancestor whose descendant lies on its border, even where the border lacks the descendant's corners", () => {
    const places = {
      district: { name: "District", geometry: box(0, 0, 4, 4) },
      town: { name: "Town", parent: "district", geometry: box(0, 0, 1, 1) },
    } satisfies Registry;
    const areas = controlAreas(state({ district: "isis", town: "regime" }), places);
    const isis = areas.features.find((f) => f.properties.controller === "isis");
    // One ring, an L: no hole sharing edges with its own exterior.
    expect(isis?.geometry.coordinates).toHaveLength(1);
    expect(isis?.geometry.coordinates[0]).toHaveLength(1);
    expect(areaOf(areas, "isis")).toBeCloseTo(15, 12);
    expect(crossings(isis?.geometry.coordinates.flat() ?? [])).toBe(0);
  });

  it("splits an ancestor cut in two by a descendant into two polygons", () => {
    const whole: Registry[string]["geometry"] = {
      type: "Polygon",
      coordinates: [
        [
          [0, 0],
          [1, 0],
          [2, 0],
          [3, 0],
          [3, 1],
          [2, 1],
          [1, 1],
          [0, 1],
          [0, 0],
        ],
      ],
    };
    const places = {
      valley: { name: "Valley", geometry: whole },
      road: { name: "Road", parent: "valley", geometry: box(1, 0, 2, 1) },
    } satisfies Registry;
    const areas = controlAreas(state({ valley: "isis", road: "regime" }), places);
    const isis = areas.features.find((f) => f.properties.controller === "isis");
    expect(isis?.geometry.coordinates).toHaveLength(2);
    expect(areaOf(areas, "isis")).toBeCloseTo(2, 12);
    expect(getIssues(JSON.stringify(areas))).toEqual([]);
  });

  it("gives a descendant the state does not mention to its nearest ancestor's side", () => {
    const places = {
      district: { name: "District", geometry: box(0, 0, 4, 4) },
      town: { name: "Town", parent: "district", geometry: box(1, 1, 2, 2) },
    } satisfies Registry;
    const areas = controlAreas(state({ district: "isis" }), places);
    expect(areaOf(areas, "isis")).toBeCloseTo(16, 12);
    expect(areas.features[0]?.properties.places).toEqual(["district"]);
  });

  it("leaves out places without a geometry, and places with no controller known", () => {
    const places = {
      city: { name: "City", coordinates: [38.27, 34.56] },
      known: { name: "Known", geometry: box(0, 0, 1, 1) },
      unknown: { name: "Unknown", geometry: box(1, 0, 2, 1) },
    } satisfies Registry;
    const areas = controlAreas(state({ city: "isis", known: "regime" }), places);
    expect(areas.features.map((f) => f.properties)).toEqual([
      { controller: "regime", places: ["known"] },
    ]);
  });

  it("answers each state anew with the same places object (the topology is cached, not the answer)", () => {
    const places = {
      a: { name: "A", geometry: box(0, 0, 1, 1) },
      b: { name: "B", geometry: box(1, 0, 2, 1) },
    };
    expect(controlAreas(state({ a: "x", b: "y" }), places).features).toHaveLength(2);
    expect(controlAreas(state({ a: "x", b: "x" }), places).features).toHaveLength(1);
  });

  it("names the place whose geometry is invalid, with a TimelineValidationError", () => {
    const places = {
      bad: {
        name: "Bad",
        geometry: {
          type: "Polygon",
          coordinates: [
            [
              [0, 0],
              [1, 0],
              [1, 1],
            ],
          ],
        },
      },
    } as unknown as Registry;
    expect(() => controlAreas(state({ bad: "x" }), places)).toThrow(TimelineValidationError);
    expect(() => controlAreas(state({ bad: "x" }), places)).toThrow(/"Bad" \(bad\)/);
  });
});
