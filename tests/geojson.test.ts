import { check, getIssues } from "@placemarkio/check-geojson";
import { describe, expect, it } from "vitest";
import { tadmorDistrict } from "../examples/palmyra/areas.js";
import { places as palmyraPlaces } from "../examples/palmyra/places.js";
import {
  type ControlEntry,
  createTimeline,
  type Registry,
  toGeoJSON,
  toGeoJSONHistory,
} from "../src/index.js";
import { captured, ms, withdrew } from "./helpers/assertions.js";
import { box } from "./helpers/geometry.js";

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
    expect(palmyra?.properties).toMatchObject({
      id: "palmyra",
      name: "Palmyra",
      controller: "isis",
      since: ms("2016-12-10"),
    });
  });

  it("writes since as epoch ms and beside it as ISO 8601 at its precision, with contested", () => {
    const [palmyra] = toGeoJSON(timeline().latest(), places).features;
    expect(palmyra?.properties).toMatchObject({
      since: ms("2016-12-10"),
      precision: "day",
      sinceIso: "2016-12-10",
      contested: false,
    });
    const [inDamascus] = toGeoJSON(timeline().latest(), places, {
      timeZone: "Asia/Damascus",
    }).features;
    expect(inDamascus?.properties.sinceIso).toBe("2016-12-10");
  });

  it("writes the precision of the control entry in properties, as the state gives it", () => {
    const entry = {
      controller: "isis",
      since: ms("2016-12-10"),
      eventId: "take",
      precision: "day" as const,
      contested: false,
    };
    const control: Record<string, ControlEntry> = { palmyra: entry };
    const [palmyra] = toGeoJSON({ control }, places).features;
    expect(palmyra?.properties.precision).toBe("day");
  });

  it("writes controller null for a place that nobody holds", () => {
    const citadel = toGeoJSON(timeline().latest(), places).features[1];
    expect(citadel?.properties).toMatchObject({
      id: "citadel",
      name: "Palmyra citadel",
      controller: null,
      since: ms("2016-12-11"),
    });
  });

  it("gives a place with an area its Polygon or MultiPolygon rather than its point", () => {
    const withArea = {
      ...places,
      region: { name: "Eastern Homs countryside", geometry: box(37.6, 34.1, 39.2, 35.0) },
    } satisfies Registry;
    const geojson = toGeoJSON(timeline().latest(), withArea);
    expect(geojson.features.map((f) => f.geometry.type)).toEqual([
      "Polygon",
      "Point",
      "Point",
      "Point",
    ]);
    expect(geojson.features[0]?.geometry).toBe(withArea.region.geometry);
    expect(getIssues(text(geojson))).toEqual([]);
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

  it("maps the whole Palmyra example with Tadmor district: valid, each place with coordinates or an area a feature", () => {
    const withTadmor: Registry = palmyraPlaces;
    expect(withTadmor["tadmor-district"]).toBe(tadmorDistrict);
    const drawn = Object.entries(withTadmor).filter(
      ([, p]) => p.coordinates !== undefined || p.geometry !== undefined,
    );
    const geojson = toGeoJSON({ control: {} }, withTadmor);
    expect(getIssues(text(geojson))).toEqual([]);
    expect(geojson.features.map((f) => f.id)).toEqual(drawn.map(([id]) => id));
    expect(geojson.features.find((f) => f.id === "tadmor-district")?.geometry.type).toBe("Polygon");
    const positions = geojson.features.flatMap(({ geometry: g }) =>
      g.type === "Point"
        ? [g.coordinates]
        : g.type === "Polygon"
          ? g.coordinates.flat()
          : g.coordinates.flat(2),
    );
    for (const [lon, lat] of positions) {
      // Syria: longitudes 35-43 E, latitudes 32-38 N. Swapped, the points would land in Iran.
      expect(lon).toBeGreaterThan(35);
      expect(lon).toBeLessThan(43);
      expect(lat).toBeGreaterThan(32);
      expect(lat).toBeLessThan(38);
    }
  });
});

describe("toGeoJSONHistory", () => {
  const history = () => {
    const tl = createTimeline({ places });
    tl.append(
      captured("2016-12-10T18:00+02:00", "palmyra", "isis", {
        id: "take",
        sources: [{ name: "SOHR" }],
      }),
      withdrew("2016-12-11T06:00+02:00", "palmyra", "isis", "regime", {
        id: "leave",
        sources: [{ name: "Russian MoD" }],
      }),
      captured("2016-12-11", "citadel", "isis", { id: "citadel", sources: [{ name: "SOHR" }] }),
    );
    return tl;
  };

  it("gives one feature per place and interval of history(), with ISO 8601 start and end", () => {
    const tl = history();
    const timed = toGeoJSONHistory(tl, places);
    const expected = Object.keys(places).flatMap((id) =>
      tl.history(id).map((i) => ({
        id,
        controller: i.controller,
        start: new Date(i.from).toISOString(),
        end: i.to === null ? undefined : new Date(i.to).toISOString(),
      })),
    );
    expect(expected).toHaveLength(3);
    expect(
      timed.features.map(({ properties: p }) => ({
        id: p.id,
        controller: p.controller,
        start: p.start,
        end: p.end,
      })),
    ).toEqual(expected);
  });

  it("writes the interval's times as ISO 8601 in UTC, leaving end out while the interval lasts", () => {
    const [held, handed] = toGeoJSONHistory(history(), places).features;
    expect(held?.properties).toEqual({
      id: "palmyra",
      name: "Palmyra",
      controller: "isis",
      start: "2016-12-10T16:00:00.000Z",
      end: "2016-12-11T04:00:00.000Z",
      fromPrecision: "minute",
      toPrecision: "minute",
      from: ms("2016-12-10T16:00Z"),
      to: ms("2016-12-11T04:00Z"),
      fromIso: "2016-12-10T16:00Z",
      toIso: "2016-12-11T04:00Z",
    });
    expect(handed?.properties.controller).toBe("regime");
    expect(Object.hasOwn(handed?.properties ?? {}, "end")).toBe(false);
    expect(Object.hasOwn(handed?.properties ?? {}, "toPrecision")).toBe(false);
  });

  it("writes each time beside as epoch ms and as ISO 8601 at its precision, in the zone asked for", () => {
    const [held] = toGeoJSONHistory(history(), places, { timeZone: "Asia/Damascus" }).features;
    expect(held?.properties).toMatchObject({
      from: ms("2016-12-10T16:00Z"),
      fromIso: "2016-12-10T18:00+02:00",
      toIso: "2016-12-11T06:00+02:00",
    });
  });

  it("gives the notBefore of an interval begun by an event known only between two times", () => {
    const tl = createTimeline({ places });
    tl.append({
      type: "Captured",
      notBefore: "2016-12-08",
      at: "2016-12-11",
      data: { place: "silos", by: "isis" },
    });
    const [silos] = toGeoJSONHistory(tl, places).features;
    expect(silos?.properties).toMatchObject({
      fromIso: "2016-12-11",
      notBefore: ms("2016-12-08"),
      notBeforePrecision: "day",
      notBeforeIso: "2016-12-08",
    });
  });

  it("says how precise each end is, from the events that bound the interval", () => {
    const citadel = toGeoJSONHistory(history(), places).features.find(
      (f) => f.properties.id === "citadel",
    );
    expect(citadel?.properties.fromPrecision).toBe("day");
  });

  it("takes query options: only what a source reports", () => {
    const timed = toGeoJSONHistory(history(), places, { sources: ["SOHR"] });
    expect(
      timed.features.map((f) => [f.properties.id, f.properties.controller, f.properties.end]),
    ).toEqual([
      ["palmyra", "isis", undefined],
      ["citadel", "isis", undefined],
    ]);
  });

  it("keeps the intervals that overlap from/to, unclipped", () => {
    const tl = history();
    const before = toGeoJSONHistory(tl, places, { to: "2016-12-10T20:00+02:00" });
    expect(before.features.map((f) => f.properties.id)).toEqual(["palmyra"]);
    expect(before.features[0]?.properties.end).toBe("2016-12-11T04:00:00.000Z");
    const after = toGeoJSONHistory(tl, places, { from: "2016-12-11T12:00+02:00" });
    expect(after.features.map((f) => [f.properties.id, f.properties.controller])).toEqual([
      ["palmyra", "regime"],
      ["citadel", "isis"],
    ]);
  });

  it("gives features unique ids and each place's geometry, and passes the GeoJSON validator", () => {
    const timed = toGeoJSONHistory(history(), places);
    expect(new Set(timed.features.map((f) => f.id)).size).toBe(timed.features.length);
    expect(timed.features[0]?.geometry).toEqual({ type: "Point", coordinates: [38.268, 34.556] });
    expect(getIssues(text(timed))).toEqual([]);
  });
});
