// `tidemark import DIR --snapshots --places FILE --into STORE`, run as the bundled command.

import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { snapshotDate } from "../src/index.js";
import { bundledCli } from "./helpers/bundled-cli.js";

const dir = mkdtempSync(join(tmpdir(), "tidemark-cli-snapshots-"));
const tidemark = bundledCli();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fixtures = new URL("fixtures/deepstate/", import.meta.url);

const places = join(dir, "places.json");
writeFileSync(
  places,
  JSON.stringify({
    "new-york": { name: "New York", coordinates: [37.95, 48.3] },
    kramatorsk: { name: "Kramatorsk", coordinates: [37.56, 48.72] },
  }),
);

/** A folder holding the two daily fixtures, named as archives name them. */
function folder(name: string, files: Record<string, string>): string {
  const path = join(dir, name);
  mkdirSync(path);
  for (const [to, from] of Object.entries(files))
    copyFileSync(new URL(from, fixtures), join(path, to));
  return path;
}

describe("tidemark import --snapshots", () => {
  it("stores the changes between daily maps dated by their file names, with a report per map", async () => {
    const maps = folder("daily", {
      "deepstatemap_data_20241001.geojson": "deepstatemap_data_20241001.geojson",
      "2024-10-02.geojson": "deepstatemap_data_20241002.geojson",
    });
    const store = join(dir, "daily.db");
    const run = await tidemark([
      "import",
      maps,
      "--snapshots",
      "--places",
      places,
      "--into",
      store,
    ]);
    expect(run.stderr).toContain("2024-10-01: 0 changed");
    expect(run.stderr).toContain("2024-10-02: 1 changed (new-york ukraine -> russia)");
    expect(run.stderr).toContain("imported 3 events from 2 maps");
    expect(run.code).toBe(0);
    const held = await tidemark(["state", store, "--at", "2024-10-02T12:00"]);
    expect(held.stdout).toMatch(/new-york.*russia/);
  });

  it("adds nothing when the same folder is imported again", async () => {
    const maps = folder("again", {
      "deepstatemap_data_20241001.geojson": "deepstatemap_data_20241001.geojson",
      "deepstatemap_data_20241002.geojson": "deepstatemap_data_20241002.geojson",
    });
    const store = join(dir, "again.db");
    const args = ["import", maps, "--snapshots", "--places", places, "--into", store];
    await tidemark(args);
    const second = await tidemark(args);
    expect(second.stderr).toContain("imported 0 events from 2 maps");
    expect(second.stderr).toContain("3 already stored");
  });

  it("dates a single map with --at when its name carries no date", async () => {
    const store = join(dir, "single.db");
    const run = await tidemark([
      "import",
      new URL("layered-keys.geojson", fixtures).pathname,
      "--snapshots",
      "--at",
      "2024-10-01",
      "--places",
      places,
      "--into",
      store,
    ]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("imported 2 events from 1 maps");
  });

  it("lists the features it could not classify and a map whose name carries no date", async () => {
    const maps = folder("messy", {
      "deepstatemap_data_20241001.geojson": "mixed.geojson",
      "latest.geojson": "deepstatemap_data_20241002.geojson",
    });
    const run = await tidemark([
      "import",
      maps,
      "--snapshots",
      "--places",
      places,
      "--into",
      join(dir, "messy.db"),
    ]);
    expect(run.stderr).toContain('feature 3 "Лінія оборони /// Defence line" not classified');
    expect(run.stderr).toContain("latest.geojson: the name carries no date");
  });

  it("says --into names no store, as an import of a file does", async () => {
    const run = await tidemark([
      "import",
      new URL("deepstatemap_data_20241001.geojson", fixtures).pathname,
      "--snapshots",
      "--places",
      places,
      "--into",
      join(dir, "store.txt"),
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--into: "');
    expect(run.stderr).toContain("is not a store");
    expect(run.stderr).not.toContain("internal error");
  });

  it("needs --places", async () => {
    const run = await tidemark(["import", dir, "--snapshots", "--into", join(dir, "none.db")]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain("--snapshots needs --places FILE");
  });
});

describe("snapshotDate", () => {
  it("reads the dates archives put in file names", () => {
    expect(snapshotDate("deepstatemap_data_20241001.geojson")).toBe("2024-10-01");
    expect(snapshotDate("maps/2024-10-01.json")).toBe("2024-10-01");
    expect(snapshotDate("1727740800.geojson")).toBe("2024-10-01");
    expect(snapshotDate("1727740800000.geojson")).toBe("2024-10-01");
    expect(snapshotDate("deepstatemap_data_20241301.geojson")).toBeUndefined();
    expect(snapshotDate("latest.geojson")).toBeUndefined();
  });
});
