import { check, getIssues } from "@placemarkio/check-geojson";
import { describe, expect, it } from "vitest";
import { places as palmyraPlaces } from "../examples/palmyra/places.js";
import { createTimeline, type Registry, toGeoJSON } from "../src/index.js";
import { captured, ms, withdrew } from "./helpers/assertions.js";

const places = {
  region: { name: "Eastern Homs countryside", kind: "region" },
  palmyra: {
    name: "Palmyra",
    names: { ar: "تدمر" },
    aliases: ["Tadmur"],
    parent: "region",
    coordinates: [38.268, 34.556],
  },
  citadel: { name: "Palmyra citadel", parent: "region", coordinates: [38.256, 34.563] },
  silos: { name: "Grain silos", parent: "region", coordinates: [38.335, 34.6] },
} as const satisfies Registry;

function timeline() {
  const tl = createTimeline({ places });
  tl.append(
    captured("2016-12-10", "palmyra", "isis", { id: "take" }),
    captured("2016-12-10", "citadel", "isis", { id: "citadel" }),
    withdrew("2016-12-11", "citadel", "isis", undefined, { id: "leave" }),
  );
  return tl;
}

/** The GeoJSON as a map library receives it: JSON text. */
const text = (value: unknown) => JSON.stringify(value);

describe("toGeoJSON", () => {
  it("passes a GeoJSON validator (@placemarkio/check-geojson) with no issue", () => {
    const geojson = toGeoJSON(timeline().latest(), places);
    expect(getIssues(text(geojson))).toEqual([]);
    expect(() => check(text(geojson))).not.toThrow();
  });

  it("is a FeatureCollection of Point features, one per place with coordinates, in registry order", () => {
    const geojson = toGeoJSON(timeline().latest(), places);
    expect(geojson.type).toBe("FeatureCollection");
    expect(geojson.features.map((f) => f.properties.id)).toEqual(["palmyra", "citadel", "silos"]);
    for (const feature of geojson.features) {
      expect(feature.type).toBe("Feature");
      expect(feature.geometry.type).toBe("Point");
    }
  });

  it("orders coordinates [longitude, latitude] as RFC 7946 does, exactly as the registry gives them", () => {
    const [palmyra] = toGeoJSON(timeline().latest(), places).features;
    // Palmyra is at about 38.27 E, 34.56 N: longitude first.
    expect(palmyra?.geometry.coordinates).toEqual([38.268, 34.556]);
  });

  it("has no crs member anywhere (RFC 7946 dropped it: coordinates are WGS 84)", () => {
    expect(text(toGeoJSON(timeline().latest(), places))).not.toContain('"crs"');
  });

  it("gives each feature { id, name, controller, since } from the state's control", () => {
    const [palmyra] = toGeoJSON(timeline().latest(), places).features;
    expect(palmyra?.properties).toEqual({
      id: "palmyra",
      name: "Palmyra",
      controller: "isis",
      since: ms("2016-12-10"),
    });
  });

  it("writes controller null for a place that nobody holds", () => {
    const citadel = toGeoJSON(timeline().latest(), places).features[1];
    expect(citadel?.properties).toEqual({
      id: "citadel",
      name: "Palmyra citadel",
      controller: null,
      since: ms("2016-12-11"),
    });
  });

  it("leaves controller and since out for a place absent from the state", () => {
    const silos = toGeoJSON(timeline().latest(), places).features[2];
    expect(silos?.properties).toEqual({ id: "silos", name: "Grain silos" });
    expect(Object.hasOwn(silos?.properties ?? {}, "controller")).toBe(false);
  });

  it("follows the state it is given: an earlier state gives earlier controllers", () => {
    const tl = timeline();
    const before = toGeoJSON(tl.stateAt("2016-12-09"), places);
    expect(before.features.every((f) => f.properties.controller === undefined)).toBe(true);
    const during = toGeoJSON(tl.stateAt("2016-12-10T12:00Z"), places);
    expect(during.features[1]?.properties.controller).toBe("isis");
  });

  it("gives every feature an id equal to its place id, for map libraries' feature state", () => {
    const geojson = toGeoJSON(timeline().latest(), places);
    expect(geojson.features.map((f) => f.id)).toEqual(["palmyra", "citadel", "silos"]);
  });

  it("is an empty, still valid, FeatureCollection when no place has coordinates", () => {
    const geojson = toGeoJSON({ control: {} }, { region: { name: "Region" } });
    expect(geojson).toEqual({ type: "FeatureCollection", features: [] });
    expect(getIssues(text(geojson))).toEqual([]);
  });

  it("maps the whole Palmyra example: valid, and every place with coordinates is a feature", () => {
    const withCoordinates = Object.entries(palmyraPlaces).filter(
      ([, p]) => "coordinates" in p && p.coordinates !== undefined,
    );
    const geojson = toGeoJSON({ control: {} }, palmyraPlaces);
    expect(getIssues(text(geojson))).toEqual([]);
    expect(geojson.features.map((f) => f.id)).toEqual(withCoordinates.map(([id]) => id));
    for (const feature of geojson.features) {
      const [lon, lat] = feature.geometry.coordinates;
      // Syria: longitudes 35-43 E, latitudes 32-38 N. Swapped, the points would land in Iran.
      expect(lon).toBeGreaterThan(35);
      expect(lon).toBeLessThan(43);
      expect(lat).toBeGreaterThan(32);
      expect(lat).toBeLessThan(38);
    }
  });
});
