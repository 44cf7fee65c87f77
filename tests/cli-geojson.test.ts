// `tidemark geojson --areas` and `--history`, run as users run them: a child process of the
// bundled source (as tests/cli.test.ts does), files in, GeoJSON out.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getIssues } from "@placemarkio/check-geojson";
import { afterAll, describe, expect, it } from "vitest";
import { controlAreas, createTimeline, type Registry, toGeoJSONHistory } from "../src/index.js";
import { captured, withdrew } from "./helpers/assertions.js";
import { bundledCli } from "./helpers/bundled-cli.js";
import { box } from "./helpers/geometry.js";

const dir = mkdtempSync(join(tmpdir(), "tidemark-cli-geojson-"));
const tidemark = bundledCli();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const places = {
  district: { name: "District", geometry: box(38.0, 34.3, 38.6, 34.8) },
  town: { name: "Town", parent: "district", geometry: box(38.2, 34.5, 38.3, 34.6) },
  well: { name: "Well", coordinates: [38.5, 34.4] },
} satisfies Registry;
const events = [
  captured("2016-12-10", "district", "isis", { id: "take" }),
  withdrew("2016-12-11T06:00+02:00", "town", "isis", "regime", { id: "leave" }),
];
const EVENTS = file("events.ndjson", `${events.map((e) => JSON.stringify(e)).join("\n")}\n`);
const PLACES = file("places.json", JSON.stringify(places));
const timeline = createTimeline({ places });
timeline.appendAll(events);

describe("tidemark geojson --areas / --history", () => {
  it("--areas writes controlAreas of the state at --at", async () => {
    const run = await tidemark([
      "geojson",
      EVENTS,
      "--places",
      PLACES,
      "--areas",
      "--at",
      "2016-12-12",
    ]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(
      JSON.parse(JSON.stringify(controlAreas(timeline.stateAt("2016-12-12"), places))),
    );
    expect(getIssues(run.stdout)).toEqual([]);
  });

  it("--history writes toGeoJSONHistory, with --from and --to", async () => {
    const run = await tidemark([
      "geojson",
      EVENTS,
      "--places",
      PLACES,
      "--history",
      "--from",
      "2016-12-11",
    ]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(
      JSON.parse(JSON.stringify(toGeoJSONHistory(timeline, places, { from: "2016-12-11" }))),
    );
  });

  it("--areas with no place that has an area is bad usage, saying what to give", async () => {
    const points = file(
      "points.json",
      JSON.stringify({ district: { name: "D", coordinates: [38, 34] }, town: { name: "T" } }),
    );
    const run = await tidemark(["geojson", EVENTS, "--places", points, "--areas"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--areas needs areas/);
  });

  it("a places file with a geometry in [lat, lon] order is invalid data naming the place", async () => {
    const [ring] = box(38.2, 34.5, 38.3, 34.6).coordinates;
    const swapped = {
      ...places,
      town: {
        ...places.town,
        geometry: { type: "Polygon", coordinates: [ring?.map(([a, b]) => [b, a])] },
      },
    };
    const run = await tidemark([
      "geojson",
      EVENTS,
      "--places",
      file("swapped.json", JSON.stringify(swapped)),
      "--areas",
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/"Town" \(town\).*\[lat, lon\] order/);
  });
});
