// The read commands on a store go through a reader (its read models, never the whole log),
// and print byte for byte what they print for the file the store was imported from: the
// same answers, the same names (from the registries kept in the store), the same times.

import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundledCli, root } from "./helpers/bundled-cli.js";

const dir = mkdtempSync(join(tmpdir(), "tidemark-cli-store-"));
const tidemark = bundledCli();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const ndjson = (events: readonly object[]) =>
  `${events.map((e) => JSON.stringify(e)).join("\n")}\n`;

// In id order, the order in which a store keeps its registries (those of several files).
const PLACES = write(
  "places.json",
  JSON.stringify({
    citadel: { name: "Palmyra Citadel", parent: "palmyra", coordinates: [38.262, 34.562] },
    homs: { name: "Homs Governorate", coordinates: [37.5, 34.6] },
    palmyra: {
      name: "Palmyra",
      aliases: ["Tadmur", "Tadmor"],
      parent: "homs",
      coordinates: [38.268, 34.556],
    },
    qaryatayn: { name: "Al-Qaryatayn", coordinates: [37.24, 34.23] },
    "t4-airbase": { name: "Tiyas Airbase", aliases: ["T4"], coordinates: [37.63, 34.52] },
  }),
);
const ACTORS = write(
  "actors.json",
  JSON.stringify({
    isis: { name: "Islamic State" },
    regime: { name: "Syrian Arab Army", aliases: ["SAA"] },
    russia: { name: "Russian Air Force" },
  }),
);

/**
 * Palmyra in 2016 as the sources told it: disagreeing sources, a report of holding, a
 * withdrawal, a capture known only between two days, a late report, a retraction, a capture
 * of the whole governorate (reaching its places), air strikes and arrests.
 */
const EVENTS = write(
  "palmyra.ndjson",
  ndjson([
    {
      id: "regime-retakes",
      type: "Captured",
      at: "2016-03-27",
      recordedAt: "2016-03-27T20:00Z",
      data: { place: "palmyra", by: "regime" },
      sources: [{ name: "SANA" }, { name: "SOHR" }],
    },
    {
      id: "qaryatayn-april",
      type: "Captured",
      at: "2016-04-03",
      recordedAt: "2016-04-04",
      data: { place: "qaryatayn", by: "regime" },
      sources: [{ name: "SANA" }],
    },
    {
      id: "strike-1",
      type: "Airstrike",
      at: "2016-12-08T09:00Z",
      precision: "hour",
      data: { places: ["palmyra", "t4-airbase"], by: "russia" },
      sources: [{ name: "Russian MoD" }],
    },
    {
      id: "sohr-sat",
      type: "Captured",
      at: "2016-12-10T16:00Z",
      precision: "hour",
      recordedAt: "2016-12-10T18:00Z",
      data: { place: "palmyra", by: "isis" },
      sources: [{ name: "SOHR" }],
    },
    {
      id: "citadel-between",
      type: "Captured",
      at: "2016-12-10",
      notBefore: "2016-12-08",
      recordedAt: "2016-12-10T18:00Z",
      data: { place: "citadel", by: "isis" },
      sources: [{ name: "SOHR" }],
    },
    {
      id: "mod-sun",
      type: "Held",
      at: "2016-12-10T22:00Z",
      precision: "hour",
      recordedAt: "2016-12-11T05:00Z",
      data: { place: "palmyra", by: "regime" },
      sources: [{ name: "Russian MoD" }],
    },
    {
      id: "amaq-noon",
      type: "Captured",
      at: "2016-12-11T10:00Z",
      precision: "hour",
      recordedAt: "2016-12-11T12:00Z",
      data: { place: "palmyra", by: "isis" },
      sources: [{ name: "SOHR" }, { name: "Amaq" }],
    },
    {
      id: "t4-withdrew",
      type: "Withdrew",
      at: "2016-12-12",
      recordedAt: "2016-12-12T10:00Z",
      data: { place: "t4-airbase", actor: "isis" },
      sources: [{ name: "Amaq" }],
    },
    {
      id: "arrests-1",
      type: "Arrests",
      at: "2016-12-13",
      data: { place: "qaryatayn", by: "isis", count: 40 },
      sources: [{ name: "SOHR" }],
    },
    {
      id: "arrests-2",
      type: "Arrests",
      at: "2016-12-14",
      data: { place: "qaryatayn", by: "isis" },
      sources: [{ name: "SOHR" }],
    },
    {
      // Recorded a month late, about March: it supersedes what was known from then on.
      id: "late-march",
      type: "Captured",
      at: "2016-03-25",
      recordedAt: "2017-01-10",
      data: { place: "t4-airbase", by: "regime" },
      sources: [{ name: "SANA" }],
    },
    {
      id: "governorate",
      type: "Captured",
      at: "2017-03-02",
      recordedAt: "2017-03-02T12:00Z",
      data: { place: "homs", by: "regime" },
      sources: [{ name: "SANA" }],
    },
    {
      type: "Retracted",
      at: "2017-03-05",
      recordedAt: "2017-03-05T08:00Z",
      data: { eventId: "qaryatayn-april" },
    },
  ]),
);
const REGISTRIES = ["--places", PLACES, "--actors", ACTORS];
const ACLED = resolve(root, "examples/acled/sample.csv");

const PALMYRA_STORE = join(dir, "palmyra.db");
const ACLED_STORE = join(dir, "acled.db");

beforeAll(async () => {
  const palmyra = await tidemark(["import", EVENTS, ...REGISTRIES, "--into", PALMYRA_STORE]);
  expect(palmyra.code, palmyra.stderr).toBe(0);
  const acled = await tidemark(["import", ACLED, "--skip-invalid", "--into", ACLED_STORE]);
  expect(acled.code, acled.stderr).toBe(0);
}, 60_000);

/** Runs a command on the file and on the store it was imported into: both runs, same args. */
async function both(file: readonly string[], store: string, args: readonly string[]) {
  const fromFile = await tidemark([args[0] as string, ...file, ...args.slice(1)]);
  const fromStore = await tidemark([args[0] as string, store, ...args.slice(1)]);
  return { fromFile, fromStore };
}

const PALMYRA_QUESTIONS: readonly (readonly string[])[] = [
  ["state"],
  ["state", "--at", "2016-12-11T06:00Z"],
  ["state", "--at", "2016-12-11T06:00Z", "--json"],
  ["state", "--at", "2016-12-11", "--time-zone", "Asia/Damascus"],
  ["state", "--at", "2016-04-01", "--as-of", "2016-12-31"],
  ["state", "--at", "2017-04-01", "--source", "SANA"],
  ["state", "--at", "2016-12-15", "--source", "SOHR", "--source", "Amaq", "--json"],
  ["history", "--place", "palmyra"],
  ["history", "--place", "tadmur"],
  ["history", "--place", "T4", "--json"],
  ["history", "--place", "Palmyra Citadel", "--as-of", "2016-12-31"],
  ["history", "--place", "palmyra", "--source", "Russian MoD"],
  ["diff", "--from", "2016-12-01", "--to", "2017-04-01"],
  ["diff", "--from", "2016-01-01", "--to", "2017-04-01", "--as-of", "2016-12-31", "--json"],
  ["claims", "--at", "2016-12-11T06:00Z"],
  ["claims", "--at", "2016-12-11T06:00Z", "--place", "TADMOR"],
  ["claims", "--at", "2016-12-11T06:00Z", "--json"],
  ["claims", "--at", "2016-12-12", "--source", "SOHR", "--source", "Russian MoD"],
  ["contested", "--at", "2016-12-11T06:00Z"],
  ["contested", "--at", "2016-12-11T06:00Z", "--json", "--as-of", "2016-12-11T06:00Z"],
  ["sources"],
  ["sources", "--as-of", "2016-12-11T06:00Z", "--json"],
  ["sources", "--as-of", "2017-03-04", "--source", "SANA"],
  ["geojson", "--at", "2016-12-11T06:00Z"],
  ["geojson", "--history"],
  ["geojson", "--history", "--from", "2016-12-01", "--source", "SOHR"],
  ["chart"],
  ["chart", "--place", "tadmur", "--as-of", "2016-12-31"],
  ["chart", "--region", "Homs Governorate", "--source", "SOHR"],
];

const ACLED_QUESTIONS: readonly (readonly string[])[] = [
  ["state"],
  ["state", "--at", "2016-12-11", "--json"],
  ["history", "--place", "Tadmur"],
  ["diff", "--from", "2016-01-01", "--to", "2017-06-01"],
  ["claims", "--at", "2016-12-12"],
  ["contested", "--at", "2016-12-12"],
  ["sources"],
];

describe("read commands on a store print what they print for the file", () => {
  for (const question of PALMYRA_QUESTIONS) {
    it(`tidemark ${question.join(" ")} (NDJSON with registries)`, async () => {
      const { fromFile, fromStore } = await both([EVENTS, ...REGISTRIES], PALMYRA_STORE, question);
      expect(fromFile.code, fromFile.stderr).toBe(0);
      expect(fromStore.stderr).toBe(fromFile.stderr);
      expect(fromStore.stdout).toBe(fromFile.stdout);
      expect(fromStore.code).toBe(0);
    });
  }

  for (const question of ACLED_QUESTIONS) {
    it(`tidemark ${question.join(" ")} (ACLED export)`, async () => {
      // The export has a row without an id: left out of the store, and of the file's answers.
      const { fromFile, fromStore } = await both([ACLED, "--skip-invalid"], ACLED_STORE, question);
      expect(fromFile.code, fromFile.stderr).toBe(0);
      expect(fromStore.stdout).toBe(fromFile.stdout);
      expect(fromStore.code).toBe(0);
    });
  }

  it("tidemark geojson --at 2016-12-12 (ACLED export): the same features, in id order", async () => {
    const { fromFile, fromStore } = await both([ACLED, "--skip-invalid"], ACLED_STORE, [
      "geojson",
      "--at",
      "2016-12-12",
    ]);
    expect(fromStore.code, fromStore.stderr).toBe(0);
    // The file's registry is in the order of its rows; the store keeps its registries by id.
    const features = (run: { stdout: string }) =>
      (JSON.parse(run.stdout) as { features: { id: string }[] }).features.sort((a, b) =>
        a.id < b.id ? -1 : 1,
      );
    expect(features(fromStore)).toEqual(features(fromFile));
    expect(features(fromStore).length).toBeGreaterThan(0);
  });

  it("fails as the file does for a place nobody knows, offering the nearest names", async () => {
    const { fromFile, fromStore } = await both([EVENTS, ...REGISTRIES], PALMYRA_STORE, [
      "history",
      "--place",
      "Palmira",
    ]);
    expect(fromFile.code).toBe(2);
    expect(fromStore.code).toBe(2);
    expect(fromStore.stderr).toBe(fromFile.stderr);
  });
});

describe("a store whose read models cannot answer", () => {
  it("names the slice and the remedy, tidemark reindex STORE (exit 2), until reindexed", async () => {
    const store = join(dir, "old.db");
    copyFileSync(PALMYRA_STORE, store);
    const db = new Database(store);
    db.exec("DELETE FROM tidemark_rm_slices WHERE slice = 'fatalities'");
    db.close();

    const state = await tidemark(["state", store]);
    expect(state.code).toBe(2);
    expect(state.stderr).toMatch(/read model of "fatalities" is missing/);
    expect(state.stderr).toContain(`tidemark reindex ${store}`);
    // Commands that read only other slices still answer.
    expect((await tidemark(["history", store, "--place", "palmyra"])).code).toBe(0);

    expect((await tidemark(["reindex", store])).code).toBe(0);
    const after = await tidemark(["state", store]);
    expect(after.code, after.stderr).toBe(0);
    expect(after.stdout).toBe((await tidemark(["state", PALMYRA_STORE])).stdout);
  });
});
