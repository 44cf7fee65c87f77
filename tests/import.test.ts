// `tidemark import FILE --into STORE` as a user runs it: the command bundled from the source
// and spawned, on the fixtures of each ACLED vintage, revision, deletions list and GED file.

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, describe, expect, it, vi } from "vitest";
import { fromUcdpGed, type UcdpRow } from "../src/index.js";
import { sqliteStore } from "../src/stores/sqlite.js";
import { bundledCli, type CliRun as Run, root } from "./helpers/bundled-cli.js";

// Each case spawns the command a few times; two shared cores make a spawn take a second.
vi.setConfig({ testTimeout: 30_000 });

const ACLED = "tests/fixtures/acled";
const GED = "tests/fixtures/ucdp/ged-extract.csv";
const dir = mkdtempSync(join(tmpdir(), "tidemark-import-"));
const run = bundledCli();
const tidemark = (...args: string[]) => run(args);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let stores = 0;
const newStore = () => join(dir, `store-${++stores}.db`);

async function imported(store: string, file: string, ...options: string[]): Promise<Run> {
  const run = await tidemark("import", file, "--into", store, ...options);
  expect(run.code, run.stderr).toBe(0);
  return run;
}

describe("import: a store grows file by file", () => {
  it("re-importing the same export stores nothing new", async () => {
    const store = newStore();
    await imported(store, `${ACLED}/dates-dmy-slash.csv`);
    const again = await imported(store, `${ACLED}/dates-dmy-slash.csv`);
    expect(again.stderr).toContain(`imported 0 events into ${store}; 3 already stored`);
  });

  it("a second export naming new places, then a GED file, import into the same store", async () => {
    const store = newStore();
    await imported(store, `${ACLED}/dates-iso.csv`);
    await imported(store, `${ACLED}/places.csv`);
    await imported(store, GED);
    const state = await tidemark("state", store, "--json");
    expect(state.code, state.stderr).toBe(0);
    expect(Object.keys(JSON.parse(state.stdout).control)).toEqual(
      expect.arrayContaining(["idleb/jarjanaz", "aleppo/al-bab", "aleppo/al-bab@35.00,36.00"]),
    );
  });

  it("a store holding a GED file answers UCDP's deaths per place, as the table and as JSON", async () => {
    const store = newStore();
    await imported(store, GED);
    const rows = parse(readFileSync(join(root, GED)), { columns: true, bom: true }) as UcdpRow[];
    const expected: Record<string, { best: number; low: number; high: number }> = {};
    for (const event of fromUcdpGed(rows).events) {
      if (event.type !== "Fatalities") continue;
      const sum = expected[event.data.place] ?? { best: 0, low: 0, high: 0 };
      sum.best += event.data.best;
      sum.low += event.data.low;
      sum.high += event.data.high;
      expected[event.data.place] = sum;
    }
    const state = await tidemark("state", store, "--json");
    expect(state.code, state.stderr).toBe(0);
    expect(JSON.parse(state.stdout).fatalities).toEqual(expected);
    const text = await tidemark("state", store);
    expect(text.stdout).toContain("deaths in (UCDP GED)");
    const [place, deaths] = Object.entries(expected)[0] ?? [];
    expect(text.stdout).toMatch(
      // The place's name from the store's registry, then its id.
      new RegExp(`\\[${place}\\]\\s+${deaths?.best}\\s+${deaths?.low}\\s+${deaths?.high}`),
    );
  });

  it("the store keeps the registry of every file, so geojson needs no --places", async () => {
    const store = newStore();
    await imported(store, `${ACLED}/dates-iso.csv`);
    await imported(store, `${ACLED}/places.csv`);
    const run = await tidemark("geojson", store);
    expect(run.code, run.stderr).toBe(0);
    const ids = JSON.parse(run.stdout).features.map(
      (f: { properties: { id: string } }) => f.properties.id,
    );
    expect(ids).toEqual(expect.arrayContaining(["idleb/jarjanaz", "aleppo/al-bab"]));
  });

  it("a file retracting a stored event imports", async () => {
    const store = newStore();
    await imported(store, `${ACLED}/dates-iso.csv`);
    const retraction = join(dir, "retract.ndjson");
    writeFileSync(
      retraction,
      `${JSON.stringify({ type: "Retracted", at: "2020-02-01", data: { eventId: "SYR1001" } })}\n`,
    );
    await imported(store, retraction);
    const state = await tidemark("state", store, "--json");
    expect(JSON.parse(state.stdout).control).not.toHaveProperty(["idleb/jarjanaz"]);
  });
});

describe("import: ACLED's revisions and deletions", () => {
  it("a newer export applies as corrections; the earlier version stays visible with an earlier --as-of", async () => {
    const store = newStore();
    await imported(store, `${ACLED}/dates-iso.csv`);
    const run = await imported(store, `${ACLED}/revised.csv`);
    expect(run.stderr).toContain("1 events revised");
    const now = await tidemark("history", store, "--place", "idleb/jarjanaz");
    expect(now.stdout).toContain("SYR1001@1577145600");
    const before = await tidemark(
      "history",
      store,
      "--place",
      "idleb/jarjanaz",
      "--as-of",
      "2019-12-20",
    );
    expect(before.stdout).toMatch(/SYR1001\s*$/m);
    const again = await imported(store, `${ACLED}/revised.csv`);
    expect(again.stderr).toContain(`imported 0 events into ${store}`);
  });

  it("a deletions list retracts what it names and skips what the store does not hold", async () => {
    const store = newStore();
    await imported(store, `${ACLED}/dates-iso.csv`);
    const run = await imported(store, `${ACLED}/deletions.csv`);
    expect(run.stderr).toContain("ACLED deletions list");
    expect(run.stderr).toContain("1 x event SYR9999 is not in the timeline");
    const state = await tidemark("state", store, "--json");
    expect(JSON.parse(state.stdout).airstrikes).toEqual({});
    const before = await tidemark("state", store, "--json", "--as-of", "2020-01-31");
    expect(Object.keys(JSON.parse(before.stdout).airstrikes)).toEqual(["idleb/maarrat-an-nu-man"]);
  });
});

describe("import: invalid rows, --skip-invalid and the report", () => {
  it("an ambiguous file fails with each row and reason, and stores nothing", async () => {
    const store = newStore();
    const run = await tidemark("import", `${ACLED}/dates-ambiguous.csv`, "--into", store);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /dates-ambiguous\.csv: row 1 \(line 2\): event_date "10\/12\/2019" may be/,
    );
    expect(run.stderr).toContain("nothing imported");
    expect(existsSync(store)).toBe(false);
  });

  it("--skip-invalid imports the rest and still lists each invalid row", async () => {
    const store = newStore();
    const run = await imported(store, `${ACLED}/dates-ambiguous.csv`, "--skip-invalid");
    expect(run.stderr).toContain("1 invalid row left out (--skip-invalid)");
    expect(run.stderr).toMatch(/row 1 \(line 2\): event_date "10\/12\/2019"/);
    expect(run.stderr).toContain(`imported 1 events into ${store}`);
  });

  it("--date-order settles an ambiguous file", async () => {
    const store = newStore();
    await imported(store, `${ACLED}/dates-ambiguous.csv`, "--date-order", "dmy");
    const history = await tidemark("history", store, "--place", "idleb/jarjanaz");
    expect(history.stdout).toContain("2019-12-10");
  });

  it("the report says rows read, events, skipped rows by reason and places split", async () => {
    const store = newStore();
    await imported(store, `${ACLED}/dates-iso.csv`);
    const run = await imported(store, `${ACLED}/places.csv`);
    expect(run.stderr).toContain("(ACLED export): 3 rows, 3 events");
    expect(run.stderr).toContain(
      '"Al Bab" is aleppo/al-bab@35.00,36.00 (204 km from aleppo/al-bab)',
    );
    const first = await imported(newStore(), `${ACLED}/dates-iso.csv`);
    expect(first.stderr).toContain('1 x sub_event_type "Armed clash" (Battles) is not mapped');
  });

  it("other commands fail on invalid rows too, unless --skip-invalid, which lists them", async () => {
    const failing = await tidemark("state", "examples/acled/sample.csv");
    expect(failing.code).toBe(1);
    const skipping = await tidemark("state", "examples/acled/sample.csv", "--skip-invalid");
    expect(skipping.code, skipping.stderr).toBe(0);
    expect(skipping.stderr).toContain("8 invalid rows left out (--skip-invalid)");
    expect(skipping.stdout).toContain("homs/tadmur");
  });

  it("a bad --date-order is a usage error", async () => {
    const run = await tidemark("validate", `${ACLED}/dates-iso.csv`, "--date-order", "ymd");
    expect(run.code).toBe(2);
  });

  it("the registries are kept in the store: nothing is written beside it", async () => {
    const store = newStore();
    await imported(store, `${ACLED}/dates-iso.csv`);
    const entries = await sqliteStore(store, { readonly: true });
    const rows = (await entries.registries?.()) ?? [];
    await entries.close();
    expect(rows.filter((r) => r.registry === "places").map((r) => r.id)).toContain(
      "idleb/jarjanaz",
    );
    expect(rows.filter((r) => r.registry === "actors").map((r) => r.id)).toContain(
      "military-forces-of-syria-2000",
    );
    const beside = readdirSync(dir).filter((name) => name.startsWith(basename(store)));
    expect(beside.filter((name) => !/\.db(?:-wal|-shm)?$/.test(name))).toEqual([]);
  });

  it("the registries of an earlier STORE.registry.json move into the store once, and the file is renamed", async () => {
    const store = newStore();
    const file = join(dir, "legacy.ndjson");
    writeFileSync(
      file,
      `${JSON.stringify({ id: "l1", type: "Captured", at: "2016-12-10", data: { place: "tadmur", by: "isis" } })}\n`,
    );
    await imported(store, file);
    const places = { tadmur: { name: "Tadmur", coordinates: [38.28, 34.56] } };
    writeFileSync(
      `${store}.registry.json`,
      JSON.stringify({ places, actors: { isis: { name: "ISIS" } } }),
    );
    const run = await imported(store, file);
    expect(run.stderr).toContain(`moved the registries of ${store}.registry.json into ${store}`);
    expect(existsSync(`${store}.registry.json`)).toBe(false);
    expect(existsSync(`${store}.registry.json.migrated`)).toBe(true);
    const geojson = await tidemark("geojson", store);
    expect(geojson.code, geojson.stderr).toBe(0);
    expect(geojson.stdout).toContain("38.28");
  });
});

describe("import: what the store refuses is named where the user can find it", () => {
  it("an id stored with other content is named by its line in a JSON file", async () => {
    const store = newStore();
    const captured = (id: string, by: string, at: string) => ({
      id,
      type: "Captured",
      at,
      data: { place: "p", by },
    });
    const first = join(dir, "conflict-first.ndjson");
    writeFileSync(first, `${JSON.stringify(captured("a", "isis", "2016-12-10"))}\n`);
    await imported(store, first);
    const second = join(dir, "conflict-second.json");
    const events = [captured("b", "regime", "2016-12-20"), captured("a", "regime", "2016-12-01")];
    writeFileSync(second, `[\n${events.map((e) => JSON.stringify(e)).join(",\n")}\n]\n`);
    const run = await tidemark("import", second, "--into", store);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/conflict-second\.json:3: id: id "a" is already used/);
  });

  it("a place stored with another entry refuses the whole import and names the place", async () => {
    const store = newStore();
    const file = join(dir, "given.ndjson");
    writeFileSync(
      file,
      `${JSON.stringify({ id: "g1", type: "Captured", at: "2016-12-10", data: { place: "tadmur", by: "isis" } })}\n`,
    );
    const registry = (lon: number) => {
      const path = join(dir, `places-${lon}.json`);
      writeFileSync(
        path,
        JSON.stringify({ tadmur: { name: "Tadmur", coordinates: [lon, 34.56] } }),
      );
      return path;
    };
    await imported(store, file, "--places", registry(38.28));
    const run = await tidemark("import", file, "--into", store, "--places", registry(39.5));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('place "tadmur" is stored with another entry');
    expect(run.stderr).toContain("nothing imported");
  });
});

describe("import: a toJSON() file is read as a stream", () => {
  /** `{ version: 1, events: [...] }` as toJSON() writes it, one event over several lines. */
  const toJsonText = (events: readonly object[]) =>
    `{\n  "version": 1,\n  "timeZone": "Asia/Damascus",\n  "events": [\n${events
      .map((e) => JSON.stringify(e, null, 2).replace(/^/gm, "    "))
      .join(",\n")}\n  ]\n}\n`;
  const captured = (i: number) => ({
    id: `e${i}`,
    type: "Captured",
    at: "2016-12-10T08:00+02:00",
    data: { place: `town-${i}`, by: i % 2 === 0 ? "isis" : "regime" },
  });

  it("on standard input, element by element, every event stored", async () => {
    const store = newStore();
    const events = Array.from({ length: 5_000 }, (_, i) => captured(i));
    const piped = await run(
      ["import", "-", "--format", "json", "--into", store],
      toJsonText(events),
    );
    expect(piped.code, piped.stderr).toBe(0);
    expect(piped.stderr).toContain(`imported 5000 events into ${store}`);
    const state = await tidemark("state", store, "--json");
    expect(Object.keys(JSON.parse(state.stdout).control)).toHaveLength(5_000);
  });

  it("names the line where a bad event starts, as a file read whole does", async () => {
    const events: object[] = [captured(0), captured(1), { ...captured(2), at: "2016-02-30" }];
    const text = toJsonText(events);
    const piped = await run(["import", "-", "--format", "json", "--into", newStore()], text);
    const file = join(dir, "bad-date.json");
    writeFileSync(file, text);
    const whole = await tidemark("import", file, "--into", newStore());
    // The line of the third event's "{" (just above its "id").
    const line = text.split("\n").findIndex((l) => l.includes('"id": "e2"'));
    expect(piped.code).toBe(1);
    expect(piped.stderr).toMatch(new RegExp(`^<stdin>:${line}: at: `, "m"));
    expect(whole.stderr).toMatch(new RegExp(`bad-date\\.json:${line}: at: `));
  });
});
