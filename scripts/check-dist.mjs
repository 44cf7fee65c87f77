// Test what ships: the built package answers from ESM and from CommonJS alike.

import assert from "node:assert/strict";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const esm = await import("tidemark");
const cjs = require("tidemark");

for (const [name, lib] of [
  ["import", esm],
  ["require", cjs],
]) {
  const timeline = lib.createTimeline();
  timeline.append({
    type: "Captured",
    at: "2016-12-10T18:00+02:00",
    data: { place: "palmyra", by: "isis" },
  });
  assert.equal(timeline.latest().control.palmyra.controller, "isis", name);
  assert.throws(
    () => timeline.append({ type: "Captured", at: "yesterday", data: {} }),
    lib.TimelineValidationError,
  );
  console.log(`dist via ${name}: ok`);
}

// The storage subpaths: a SQLite round trip through each build, and errors that the store
// bundles throw are instances of the root's classes (whichever build each comes from).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const dir = mkdtempSync(join(tmpdir(), "tidemark-dist-"));
try {
  const flavours = [
    ["import", esm, await import("tidemark/sqlite"), await import("tidemark/postgres")],
    ["require", cjs, require("tidemark/sqlite"), require("tidemark/postgres")],
  ];
  for (const [name, lib, sqlite, postgres] of flavours) {
    const path = join(dir, `${name}.db`);
    const event = { type: "Captured", at: "2016-12-10", data: { place: "palmyra", by: "isis" } };
    const timeline = await lib.openTimeline({ store: sqlite.sqliteStore(path) });
    const [stored] = await timeline.append(event);
    await timeline.close();
    const reopened = await lib.openTimeline({ store: sqlite.sqliteStore(path) });
    assert.equal(reopened.version, 1, name);
    assert.equal(reopened.latest().control.palmyra.controller, "isis", name);
    await reopened.close();
    const store = sqlite.sqliteStore(path);
    for (const other of [esm, cjs]) {
      await assert.rejects(store.append([], 0), other.ConcurrencyError);
      await assert.rejects(
        store.append([{ id: stored.id, content: "{}", checksum: "0" }]),
        other.TimelineValidationError,
      );
    }
    await store.close();
    assert.equal(typeof postgres.postgresStore, "function", name);
    assert.throws(() => postgres.postgresStore("postgres://x", { table: "no;such" }), TypeError);
    console.log(`dist storage via ${name}: ok`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

// The `tidemark` command as published (package.json "bin"): run dist/cli.js as a user would.
{
  const { spawnSync } = await import("node:child_process");
  const { readFileSync, writeFileSync } = await import("node:fs");
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  const bin = new URL(`../${pkg.bin.tidemark}`, import.meta.url);
  assert.ok(readFileSync(bin, "utf8").startsWith("#!/usr/bin/env node\n"), "dist/cli.js shebang");
  const cli = (args, input) =>
    spawnSync(process.execPath, [bin.pathname, ...args], { input, encoding: "utf8" });
  const help = cli(["--help"]);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /^Usage: tidemark <command> <file>/);
  const events = [
    { type: "Captured", at: "2016-12-10", data: { place: "palmyra", by: "isis" } },
    { type: "Withdrew", at: "2016-12-11", data: { place: "palmyra", actor: "isis" } },
  ];
  const ndjson = events.map((e) => JSON.stringify(e)).join("\n");
  const state = cli(["state", "-", "--at", "2016-12-10", "--json"], ndjson);
  assert.equal(state.status, 0, state.stderr);
  assert.equal(JSON.parse(state.stdout).control.palmyra.controller, "isis");
  const bad = cli(["validate", "-"], `${ndjson}\n{"type":"Captured","at":"yesterday","data":{}}`);
  assert.equal(bad.status, 1);
  assert.equal(bad.stdout, "");
  assert.match(bad.stderr, /^<stdin>:3: /);
  const dir = mkdtempSync(join(tmpdir(), "tidemark-cli-"));
  try {
    const csv = join(dir, "acled.csv");
    writeFileSync(
      csv,
      "\ufeffevent_id_cnty,event_date,time_precision,sub_event_type,actor1,admin1,location\r\n" +
        "SYR1,10 December 2016,1,Non-state actor overtakes territory,Islamic State,Homs,Tadmur\r\n",
    );
    const chart = cli(["chart", csv]);
    assert.equal(chart.status, 0, chart.stderr);
    assert.match(chart.stdout, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.equal(cli(["state", join(dir, "missing.json")]).status, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log("dist cli: ok");
  // The CSV parser (csv-parse's browser build, an ES module) loads from both builds.
  const acled =
    "event_id_cnty,event_date,sub_event_type,actor1,location\nSYR1,2016-12-10,Arrests,IS,Tadmur\n";
  for (const lib of [esm, cjs]) assert.equal(lib.parseEventsText(acled).events.length, 1);
  console.log("dist csv via import and require: ok");
}

// The map page ships in the package, and `tidemark view` serves it from the packed files.
{
  const { execFileSync, spawn } = await import("node:child_process");
  const { writeFileSync: write } = await import("node:fs");
  const packed = JSON.parse(
    execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { encoding: "utf8" }),
  );
  const files = new Set(packed[0].files.map((f) => f.path));
  assert.ok(files.has("dist/viewer/index.html"), "the tarball holds no dist/viewer/index.html");
  assert.ok(
    [...files].some((f) => /^dist\/viewer\/assets\/.+\.js$/.test(f)),
    "the tarball holds no script of the page",
  );
  const dir = mkdtempSync(join(tmpdir(), "tidemark-view-"));
  try {
    const file = join(dir, "events.json");
    write(file, '[{"type":"Captured","at":"2016-12-10","data":{"place":"palmyra","by":"isis"}}]');
    const child = spawn(process.execPath, ["dist/cli.js", "view", file, "--port", "0"], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const url = await new Promise((done, failed) => {
      let out = "";
      child.stdout.on("data", (d) => {
        out += d;
        const found = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
        if (found) done(found[0]);
      });
      child.on("exit", (code) => failed(new Error(`tidemark view exited with ${code}`)));
    });
    const page = await fetch(url);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /tidemark viewer/);
    const meta = await (await fetch(`${url}api/meta`)).json();
    assert.equal(meta.events, 1);
    const code = await new Promise((done) => {
      child.on("exit", done);
      child.kill("SIGINT");
    });
    assert.equal(code, 0, "tidemark view stops on Ctrl-C with exit 0");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log("dist viewer in the tarball, tidemark view: ok");
}

// The format subpaths: each loads from both builds and answers as the root's functions do.
{
  const row = {
    event_id_cnty: "SYR1",
    event_date: "2016-12-10",
    sub_event_type: "Non-state actor overtakes territory",
    actor1: "Islamic State",
    location: "Tadmur",
  };
  const ged = {
    id: "1",
    date_start: "2016-12-10",
    date_end: "2016-12-10",
    date_prec: "1",
    type_of_violence: "1",
    side_a: "Government of Syria",
    side_b: "IS",
    best: "3",
    low: "2",
    high: "4",
    adm_1: "Hims governorate",
    where_coordinates: "Tadmur town",
    latitude: "34.56",
    longitude: "38.27",
  };
  for (const [name, load] of [
    ["import", (path) => import(path)],
    ["require", async (path) => require(path)],
  ]) {
    const root = name === "import" ? esm : cjs;
    const acled = await load("tidemark/acled");
    assert.deepEqual(acled.fromAcled([row]), root.fromAcled([row]), name);
    assert.equal(typeof acled.acledDeletions, "function", name);
    const ucdp = await load("tidemark/ucdp");
    const fromGed = ucdp.fromUcdpGed([ged]);
    assert.equal(fromGed.events.length, 1, name);
    assert.deepEqual(fromGed, root.fromUcdpGed([ged]), name);
    const timeline = root.createTimeline({
      events: [ucdp.Fatalities],
      reducers: { fatalities: ucdp.fatalities },
      places: fromGed.places,
    });
    timeline.appendAll(fromGed.events);
    assert.equal(Object.values(timeline.latest().fatalities)[0].best, 3, name);
    const geojson = await load("tidemark/geojson");
    const places = { palmyra: { name: "Palmyra", coordinates: [38.27, 34.56] } };
    const palmyra = root.createTimeline({ places });
    palmyra.append({ type: "Captured", at: "2016-12-10", data: { place: "palmyra", by: "isis" } });
    const state = palmyra.latest();
    assert.deepEqual(geojson.toGeoJSON(state, places), root.toGeoJSON(state, places), name);
    assert.equal(geojson.controlAreas(state, places).type, "FeatureCollection", name);
    assert.equal(geojson.toGeoJSONHistory(palmyra, places).features.length, 1, name);
    const chart = await load("tidemark/chart");
    assert.equal(chart.renderChart(palmyra), root.renderChart(palmyra), name);
    assert.deepEqual(chart.actorColors(["isis"]), root.actorColors(["isis"]), name);
    assert.equal(chart.NOBODY_COLOR, root.NOBODY_COLOR, name);
    const snapshots = await load("tidemark/snapshots");
    const square = (west) => ({
      type: "Polygon",
      coordinates: [
        [
          [west, 48],
          [39, 48],
          [39, 49],
          [west, 49],
          [west, 48],
        ],
      ],
    });
    const maps = [
      { at: "2023-05-01", areas: [{ controller: "russia", geometry: square(38.1) }] },
      { at: "2023-05-21", areas: [{ controller: "russia", geometry: square(37.9) }] },
    ];
    const bakhmut = { bakhmut: { name: "Bakhmut", coordinates: [38.0, 48.59] } };
    const read = snapshots.fromSnapshots(maps, bakhmut, { otherwise: "ukraine" });
    assert.deepEqual(read, root.fromSnapshots(maps, bakhmut, { otherwise: "ukraine" }), name);
    assert.equal(read.events.at(-1).notBefore, "2023-05-01", name);
    assert.equal(snapshots.fromDeepState(square(38), { at: "2023-05-01" }).areas.length, 1, name);
    assert.equal(typeof snapshots.placesFromGeoNames, "function", name);
    console.log(`dist format subpaths via ${name}: ok`);
  }
}
