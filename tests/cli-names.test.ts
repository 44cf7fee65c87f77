// The strict command line that speaks names (DESIGN.md, "The CLI is strict and speaks names"):
// options a command does not take, places by name in any case, names beside ids in sorted
// tables, printing in any zone, and narrowing a chart. Run as users run it: a child process.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { skippedLines } from "../src/cli/report.js";
import { captured } from "./helpers/assertions.js";
import { bundledCli } from "./helpers/bundled-cli.js";

const dir = mkdtempSync(join(tmpdir(), "tidemark-cli-names-"));
const tidemark = bundledCli();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const ndjson = (events: readonly unknown[]) =>
  `${events.map((e) => JSON.stringify(e)).join("\n")}\n`;

// Two villages of one name in two regions, spelled as ACLED and a gazetteer spell them.
const PLACES = file(
  "places.json",
  JSON.stringify({
    idleb: { name: "Idleb" },
    "idleb/saraqab": { name: "Saraqab", aliases: ["Saraqib"], parent: "idleb" },
    "idleb/hmeira": { name: "Hmeira", parent: "idleb" },
    "aleppo/hmeira": { name: "Hmeira" },
    "aleppo/atareb": { name: "Al Atareb" },
  }),
);
const ACTORS = file(
  "actors.json",
  JSON.stringify({
    "military-forces-of-syria-2000": { name: "Military Forces of Syria (2000-)" },
    hts: { name: "Hayat Tahrir al Sham" },
  }),
);
const REGISTRIES = ["--places", PLACES, "--actors", ACTORS];
const EVENTS = file(
  "events.ndjson",
  ndjson([
    captured("2020-02-05", "idleb/saraqab", "military-forces-of-syria-2000", { id: "s1" }),
    captured("2020-02-02", "aleppo/hmeira", "hts", { id: "h1" }),
    captured("2020-02-03", "idleb/hmeira", "hts", { id: "h2" }),
    captured("2020-02-16", "aleppo/atareb", "military-forces-of-syria-2000", { id: "a1" }),
  ]),
);

const cells = (stdout: string) =>
  stdout
    .trim()
    .split("\n")
    .map((line) => line.split(/\s{2,}/));

describe.concurrent("an option the command does not take", () => {
  it("is bad usage (exit 2) naming the command's options, never silently ignored", async () => {
    const store = join(dir, "never.db");
    const run = await tidemark(["import", EVENTS, "--into", store, "--as-of", "2020-02-05"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^tidemark: import does not take --as-of; its options: --into, /);
    expect(run.stderr.split("\n")).toHaveLength(2);
  });

  it("makes chart --json a usage error: the chart is an SVG", async () => {
    const run = await tidemark(["chart", EVENTS, "--json"]);
    expect(run).toMatchObject({ code: 2, stdout: "" });
    expect(run.stderr).toContain("chart does not take --json");
  });
});

describe.concurrent("--place", () => {
  it("takes a name in any letter case", async () => {
    const run = await tidemark(["history", EVENTS, "--place", "SARAQAB", ...REGISTRIES]);
    expect(run.code).toBe(0);
    expect(cells(run.stdout)[1]?.[3]).toBe("s1");
  });

  it("takes an alias, and an id in another case", async () => {
    const [alias, id] = await Promise.all([
      tidemark(["history", EVENTS, "--place", "saraqib", "--json", ...REGISTRIES]),
      tidemark(["history", EVENTS, "--place", "IDLEB/Saraqab", "--json", ...REGISTRIES]),
    ]);
    expect(JSON.parse(alias.stdout)[0].eventId).toBe("s1");
    expect(JSON.parse(id.stdout)[0].eventId).toBe("s1");
  });

  it("naming two places is bad usage listing both, with ids and names", async () => {
    const run = await tidemark(["history", EVENTS, "--place", "hmeira", ...REGISTRIES]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'tidemark: --place: "hmeira" names 2 places: Hmeira [aleppo/hmeira], Hmeira [idleb/hmeira]; give an id\n',
    );
  });

  it("naming no place is bad usage offering the nearest names", async () => {
    const run = await tidemark([
      "claims",
      EVENTS,
      "--at",
      "2020-03",
      "--place",
      "Saraqeb",
      ...REGISTRIES,
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'tidemark: --place: no place "Saraqeb"; did you mean Saraqab [idleb/saraqab]?\n',
    );
  });

  it("is NFC-normalised: a name typed with a combining accent finds the precomposed one", async () => {
    const places = file("accents.json", JSON.stringify({ "a/ma-arrat": { name: "Ma\u00e2rrat" } }));
    const events = file("accents.ndjson", ndjson([captured("2020-01-28", "a/ma-arrat", "hts")]));
    const run = await tidemark([
      "history",
      events,
      "--place",
      "MA\u0041\u0302RRAT",
      "--places",
      places,
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("hts");
  });
});

describe.concurrent("tables", () => {
  it("print each place's and actor's name beside its id, sorted by place name", async () => {
    const run = await tidemark(["state", EVENTS, ...REGISTRIES]);
    expect(run.code).toBe(0);
    expect(cells(run.stdout).map((row) => row.slice(0, 2))).toEqual([
      ["place", "controller"],
      [
        "Al Atareb [aleppo/atareb]",
        "Military Forces of Syria (2000-) [military-forces-of-syria-2000]",
      ],
      ["Hmeira [aleppo/hmeira]", "Hayat Tahrir al Sham [hts]"],
      ["Hmeira [idleb/hmeira]", "Hayat Tahrir al Sham [hts]"],
      [
        "Saraqab [idleb/saraqab]",
        "Military Forces of Syria (2000-) [military-forces-of-syria-2000]",
      ],
    ]);
  });

  it("print ids alone where no registry names them", async () => {
    const run = await tidemark(["diff", EVENTS, "--from", "2020-02-01", "--to", "2020-02-04"]);
    expect(cells(run.stdout)).toEqual([
      ["place", "before", "after"],
      ["aleppo/hmeira", "-", "hts"],
      ["idleb/hmeira", "-", "hts"],
    ]);
  });

  it("keep ids in --json and add the names as fields of their own", async () => {
    const run = await tidemark(["state", EVENTS, "--json", ...REGISTRIES]);
    const control = JSON.parse(run.stdout).control;
    expect(Object.keys(control)).toEqual([
      "aleppo/atareb",
      "aleppo/hmeira",
      "idleb/hmeira",
      "idleb/saraqab",
    ]);
    expect(control["idleb/saraqab"]).toMatchObject({
      controller: "military-forces-of-syria-2000",
      controllerName: "Military Forces of Syria (2000-)",
      placeName: "Saraqab",
      sinceIso: "2020-02-05",
    });
  });
});

describe("time zones and chart narrowing", () => {
  it("import says the zone it reads dates in", async () => {
    const store = join(dir, "zone.db");
    const run = await tidemark(["import", EVENTS, "--into", store]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("note: dates read in UTC");
  });

  it("a store imported in UTC prints in any --time-zone", async () => {
    const store = join(dir, "utc.db");
    const events = file(
      "evening.ndjson",
      ndjson([captured("2016-12-10T16:00Z", "palmyra", "isis", { id: "e" })]),
    );
    expect((await tidemark(["import", events, "--into", store])).code).toBe(0);
    const [history, chart] = await Promise.all([
      tidemark(["history", store, "--place", "palmyra", "--time-zone", "Asia/Damascus"]),
      tidemark(["chart", store, "--time-zone", "Asia/Damascus"]),
    ]);
    expect(history.code, history.stderr).toBe(0);
    expect(cells(history.stdout)[1]?.[1]).toBe("2016-12-10T18:00+02:00");
    expect(chart.code, chart.stderr).toBe(0);
    expect(chart.stdout).toContain("Asia/Damascus");
  });

  it("chart --region charts only the places inside the region", async () => {
    const run = await tidemark(["chart", EVENTS, "--region", "idleb", ...REGISTRIES]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("Saraqab");
    expect(run.stdout).not.toContain("Al Atareb");
  });

  it("chart --place, repeated, charts those places by name", async () => {
    const run = await tidemark([
      "chart",
      EVENTS,
      "--place",
      "al atareb",
      "--place",
      "Saraqab",
      ...REGISTRIES,
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("Al Atareb");
    expect(run.stdout).not.toContain("Hmeira");
  });
});

describe("the import report", () => {
  it("counts labels that differ only in letter case as one kind", () => {
    const reason = (label: string) =>
      `sub_event_type "Attack" (${label}) is not mapped; mapped: "Arrests"`;
    expect(
      skippedLines([
        { row: 1, reason: reason("Violence against civilians"), invalid: false },
        { row: 2, reason: reason("Violence Against Civilians"), invalid: false },
      ]),
    ).toEqual([
      "note: 2 rows skipped (not mapped to an event):",
      '  2 x sub_event_type "Attack" (Violence against civilians) is not mapped',
    ]);
  });
});
