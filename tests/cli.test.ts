// The `tidemark` command, run as users run it: a child process, with files, standard input,
// exit codes, and data on stdout apart from messages on stderr. The tests run before the build
// (`npm test`), so the source is bundled here with esbuild as tsup bundles it (a child process
// of `node --import tsx` costs ten times as much to start); scripts/check-dist.mjs runs the
// built dist/cli.js after `npm run build`.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { Readable, Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { getIssues } from "@placemarkio/check-geojson";
import { XMLParser } from "fast-xml-parser";
import { afterAll, describe, expect, it } from "vitest";
import { actors } from "../examples/palmyra/actors.js";
import { palmyraEvents } from "../examples/palmyra/events.js";
import { places } from "../examples/palmyra/places.js";
import { commandHelp, mainHelp } from "../src/cli/help.js";
import { loadInput } from "../src/cli/input.js";
import { createTimeline } from "../src/index.js";
import { arrests, captured, retracted, withdrew } from "./helpers/assertions.js";
import { bundledCli } from "./helpers/bundled-cli.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SAMPLE = "examples/acled/sample.csv";
const dir = mkdtempSync(join(tmpdir(), "tidemark-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `tidemark ...args` (the bundled source), with `input` on standard input. */
const tidemark = bundledCli();

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const ndjson = (events: readonly unknown[]) =>
  `${events.map((e) => JSON.stringify(e)).join("\n")}\n`;

// The Palmyra example as files, as `npm run example` writes them.
const palmyra = createTimeline({ places, actors });
palmyra.appendAll(palmyraEvents);
const PALMYRA = file("palmyra.json", JSON.stringify(palmyra.toJSON(), null, 2));
const PLACES = file("places.json", JSON.stringify(places));
const ACTORS = file("actors.json", JSON.stringify(actors));
const REGISTRIES = ["--places", PLACES, "--actors", ACTORS];

const SMALL = ndjson([
  captured("2016-12-10T16:00Z", "palmyra", "isis", { id: "a", sources: [{ name: "SOHR" }] }),
  withdrew("2016-12-11T04:00Z", "palmyra", "isis", "regime", {
    id: "b",
    sources: [{ name: "SOHR" }],
  }),
  captured("2016-12-11T10:00Z", "palmyra", "isis", {
    id: "c",
    recordedAt: "2016-12-11T14:00Z",
    sources: [{ name: "Amaq" }],
  }),
]);

describe.concurrent("tidemark: usage and exit codes", () => {
  it("--help prints the help on stdout and exits 0", async () => {
    const run = await tidemark(["--help"]);
    expect(run).toEqual({ code: 0, stdout: mainHelp(), stderr: "" });
    for (const command of ["state", "history", "diff", "validate", "geojson", "chart"]) {
      expect(run.stdout).toMatch(new RegExp(`^  ${command} `, "m"));
    }
  });

  it("<command> --help prints that command's help, with its own options", async () => {
    const run = await tidemark(["history", "--help"]);
    expect(run).toEqual({ code: 0, stdout: commandHelp("history"), stderr: "" });
    expect(run.stdout).toContain("--place P");
    expect(run.stdout).toContain("--as-of T");
  });

  it("no command is bad usage: exit 2, a hint on stderr, nothing on stdout", async () => {
    const run = await tidemark([]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("tidemark --help");
  });

  it("an unknown command is bad usage: exit 2", async () => {
    const run = await tidemark(["stat", PALMYRA]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown command "stat"');
  });

  it("an unknown option is bad usage: exit 2", async () => {
    const run = await tidemark(["state", PALMYRA, "--at-time", "2016"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--at-time");
    expect(run.stdout).toBe("");
  });

  it("a missing required option is bad usage: exit 2", async () => {
    const run = await tidemark(["history", PALMYRA]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--place is required");
  });

  it("an unreadable time is bad usage: exit 2, naming the option", async () => {
    const run = await tidemark(["state", PALMYRA, "--at", "yesterday"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--at:");
    expect(run.stderr).toContain("yesterday");
  });

  it("a file that does not exist is bad usage: exit 2", async () => {
    const run = await tidemark(["state", join(dir, "nope.json")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cannot read .*nope\.json/);
    expect(run.stdout).toBe("");
  });
});

describe.concurrent("tidemark: answers", () => {
  it("state reads NDJSON from standard input and prints a table on stdout, nothing on stderr", async () => {
    const run = await tidemark(["state", "-", "--at", "2016-12-11T06:00Z"], SMALL);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    expect(run.stdout.split("\n").map((l) => l.split(/\s{2,}/))).toEqual([
      ["place", "controller", "since", "event"],
      ["palmyra", "regime", "2016-12-11T04:00Z", "b"],
      [""],
    ]);
  });

  it("state --json prints the state the library gives, with its times also in ISO 8601", async () => {
    const run = await tidemark([
      "state",
      PALMYRA,
      "--json",
      "--at",
      "2016-12-11T08:00+02:00",
      ...REGISTRIES,
    ]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject(
      JSON.parse(JSON.stringify(palmyra.stateAt("2016-12-11T08:00+02:00"))),
    );
  });

  it("history accepts an alias, prints times at their precision and in --time-zone", async () => {
    const run = await tidemark([
      "history",
      PALMYRA,
      "--place",
      "Tadmur",
      "--time-zone",
      "+02:00",
      ...REGISTRIES,
    ]);
    expect(run.code).toBe(0);
    const rows = run.stdout
      .trim()
      .split("\n")
      .map((l) => l.split(/\s{2,}/));
    expect(rows[0]).toEqual(["controller", "from", "to", "event"]);
    const isis = "Islamic State (ISIS) [isis]";
    expect(rows[1]).toEqual([isis, "2015-05", "2016-03", "2015-isis-seizes-palmyra"]);
    expect(rows.at(-1)).toEqual([isis, "2016-12-11T12+02:00", "...", "sun-isis-retakes-palmyra"]);
  });

  it("history --json gives the intervals with their precisions", async () => {
    const run = await tidemark(["history", "-", "--place", "palmyra", "--json"], SMALL);
    expect(JSON.parse(run.stdout)[0]).toEqual({
      controller: "isis",
      from: Date.parse("2016-12-10T16:00Z"),
      to: Date.parse("2016-12-11T04:00Z"),
      eventId: "a",
      fromPrecision: "minute",
      toPrecision: "minute",
      fromIso: "2016-12-10T16:00Z",
      toIso: "2016-12-11T04:00Z",
    });
  });

  it("--source and --as-of change the answer as the query options do", async () => {
    const [amaq, early] = await Promise.all([
      tidemark(["history", "-", "--place", "palmyra", "--source", "Amaq", "--json"], SMALL),
      tidemark(["state", "-", "--json", "--as-of", "2016-12-11T12:00Z"], SMALL),
    ]);
    expect(JSON.parse(amaq.stdout).map((i: { eventId: string }) => i.eventId)).toEqual(["c"]);
    expect(JSON.parse(early.stdout).control.palmyra.eventId).toBe("b");
  });

  it("diff prints the places whose controller changed", async () => {
    const run = await tidemark(
      ["diff", "-", "--from", "2016-12-10", "--to", "2016-12-11T06:00Z", "--json"],
      SMALL,
    );
    expect(JSON.parse(run.stdout)).toEqual([{ place: "palmyra", after: "regime" }]);
  });

  it("geojson prints valid GeoJSON with the controller of each place", async () => {
    const run = await tidemark([
      "geojson",
      PALMYRA,
      "--at",
      "2016-12-11T08:00+02:00",
      ...REGISTRIES,
    ]);
    expect(run.code).toBe(0);
    expect(getIssues(run.stdout)).toEqual([]);
    const palmyraFeature = JSON.parse(run.stdout).features.find(
      (f: { id: string }) => f.id === "palmyra",
    );
    expect(palmyraFeature.properties.controller).toBe("regime");
  });

  it("geojson without coordinates is bad usage: exit 2", async () => {
    const run = await tidemark(["geojson", "-"], SMALL);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--places");
  });

  it("chart --out writes an SVG file and leaves stdout empty", async () => {
    const out = join(dir, "chart.svg");
    const run = await tidemark([
      "chart",
      PALMYRA,
      "--out",
      out,
      "--from",
      "2016-12-07",
      ...REGISTRIES,
    ]);
    expect(run).toEqual({ code: 0, stdout: "", stderr: "" });
    const svg = new XMLParser({ ignoreAttributes: false }).parse(readFileSync(out, "utf8"));
    expect(svg.svg["@_xmlns"]).toBe("http://www.w3.org/2000/svg");
  });

  it("reads the Palmyra JSON with its registries as the library does: valid, 19 events", async () => {
    const run = await tidemark(["validate", PALMYRA, ...REGISTRIES]);
    expect(run).toEqual({ code: 0, stdout: "valid: 19 events (json)\n", stderr: "" });
  });

  it("accepts a retraction that comes before the event it retracts, batches apart", async () => {
    // The file is appended in batches of 10,000: the target is read after the retraction's batch.
    const filler = Array.from({ length: 10_000 }, (_, i) =>
      arrests(1_481_000_000_000 + i * 60_000, "raqqa", "isis"),
    );
    const lines = ndjson([
      retracted("2016-12-12", "a"),
      ...filler,
      captured("2016-12-10", "palmyra", "isis", { id: "a" }),
    ]);
    const run = await tidemark(["validate", "-"], lines);
    expect(run).toEqual({ code: 0, stdout: "valid: 10002 events (ndjson)\n", stderr: "" });
  });

  it("reports a retraction of an id that no line of the file has, with its line", async () => {
    const run = await tidemark(
      ["validate", "-"],
      ndjson([captured("2016", "p", "a"), retracted("2017", "nope")]),
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^<stdin>:2: data.eventId: cannot retract "nope"/);
  });
});

describe.concurrent("tidemark: invalid data", () => {
  it("validate lists every problem of an NDJSON file with its line, on stderr, and exits 1", async () => {
    const path = file(
      "bad.ndjson",
      [
        JSON.stringify(captured("2016-12-10", "palmyra", "isis")),
        "",
        JSON.stringify(captured("yesterday", "palmyra", "isis")),
        "{oops",
        JSON.stringify({ type: "Captured", at: "2016-12-11", data: { place: "palmyra" } }),
      ].join("\n"),
    );
    const run = await tidemark(["validate", path]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    const lines = run.stderr.trim().split("\n");
    expect(lines[0]).toMatch(new RegExp(`^${path}:3: at: `));
    expect(lines[1]).toMatch(new RegExp(`^${path}:4: not valid JSON`));
    expect(lines[2]).toMatch(new RegExp(`^${path}:5: data.by: `));
    expect(lines[3]).toBe(`3 problems in ${path}`);
  });

  it("numbers the problems of a JSON array by the line each event starts on", async () => {
    const text = `[\n  ${JSON.stringify(captured("2016", "p", "a"))},\n  ${JSON.stringify(captured("2016-13", "p", "a"))}\n]`;
    const run = await tidemark(["validate", "-"], text);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^<stdin>:3: at: /);
  });

  it("validate of the ACLED sample lists its 8 unreadable rows with row and line numbers", async () => {
    const run = await tidemark(["validate", SAMPLE]);
    expect(run.code).toBe(1);
    const lines = run.stderr.trim().split("\n");
    expect(lines).toHaveLength(9);
    expect(lines[0]).toBe(`${SAMPLE}: row 11 (line 13): event_id_cnty is empty`);
    expect(lines[1]).toMatch(
      /^examples\/acled\/sample\.csv: row 12 \(line 14\): event_date "31 February 2016"/,
    );
    expect(lines[8]).toBe(`8 problems in ${SAMPLE}`);
  });

  it("any other command on invalid data prints every problem, nothing on stdout, and exits 1", async () => {
    const run = await tidemark(["state", SAMPLE]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("row 18 (line 20): timestamp");
  });

  it("an ACLED file whose rows all read: state works, skipped rows are noted on stderr", async () => {
    const csv = readFileSync(join(root, SAMPLE), "utf8").split("\r\n").slice(0, 11).join("\r\n");
    const run = await tidemark(["state", "-", "--at", "2016-12-31"], csv);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^Tadmur \[homs\/tadmur\]\s+Islamic State \(Syria\) \[islamic-state-syria\]\s+2016-12-11\s+SYR90003$/m,
    );
    expect(run.stderr).toContain("note: 2 rows skipped");
    expect(run.stderr).toContain('1 x sub_event_type "Armed clash"');
  });

  it("an invalid registry given with --places is invalid data: exit 1, each problem named", async () => {
    const bad = file("bad-places.json", JSON.stringify({ a: { name: "A", parent: "nowhere" } }));
    const run = await tidemark(["state", "-", "--places", bad], SMALL);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('--places: a.parent: unknown parent "nowhere"');
  });
});

describe("loadInput progress", () => {
  const sink = () => {
    let text = "";
    const stream = new Writable({
      write(chunk, _encoding, next) {
        text += String(chunk);
        next();
      },
    });
    return { stream: stream as unknown as NodeJS.WriteStream, text: () => text };
  };

  it("shows a progress line for inputs over 100,000 events, and clears it at the end", async () => {
    const lines = Array.from({ length: 100_001 }, (_, i) =>
      JSON.stringify({
        type: "Arrests",
        at: 1_481_000_000_000 + i * 60_000,
        data: { place: "p", by: "a" },
      }),
    ).join("\n");
    const progress = sink();
    const input = await loadInput("-", {
      format: "ndjson",
      stdin: Readable.from([lines]),
      progress: progress.stream,
    });
    expect(input.events).toBe(100_001);
    const CLEAR = "\r\u001b[K"; // back to the start of the line, erase it
    expect(progress.text().startsWith(`${CLEAR}reading <stdin>: 100,000 events`)).toBe(true);
    expect(progress.text().endsWith(CLEAR)).toBe(true);
  }, 20_000);

  it("shows nothing for smaller inputs", async () => {
    const progress = sink();
    await loadInput("-", { stdin: Readable.from([SMALL]), progress: progress.stream });
    expect(progress.text()).toBe("");
  });
});

describe("stores: tidemark import FILE --into STORE, and a store as <file>", () => {
  it("import appends every event of a file to a new SQLite store, and the store answers as the file does", async () => {
    const store = join(dir, "import.db");
    const imported = await tidemark(["import", PALMYRA, "--into", store, ...REGISTRIES]);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toBe("");
    expect(imported.stderr).toContain(`imported ${palmyra.size} events into ${store}`);
    const at = ["--at", "2016-12-11T08:00+02:00", "--json"];
    const fromStore = await tidemark(["state", store, ...at, ...REGISTRIES]);
    const fromFile = await tidemark(["state", PALMYRA, ...at, ...REGISTRIES]);
    expect(fromStore.code).toBe(0);
    expect(JSON.parse(fromStore.stdout)).toEqual(JSON.parse(fromFile.stdout));
  });

  it("importing the same file again stores nothing new", async () => {
    const store = join(dir, "again.db");
    await tidemark(["import", PALMYRA, "--into", store, ...REGISTRIES]);
    const again = await tidemark(["import", PALMYRA, "--into", store, ...REGISTRIES]);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain(
      `imported 0 events into ${store}; ${palmyra.size} already stored`,
    );
  });

  it("a file with a problem imports nothing and exits 1", async () => {
    const store = join(dir, "never.db");
    const bad = file(
      "bad-import.ndjson",
      ndjson([{ type: "Captured", at: "yesterday", data: {} }]),
    );
    const run = await tidemark(["import", bad, "--into", store]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${bad}:1`);
    const check = await tidemark(["validate", store]);
    expect(check.code).toBe(2);
  });

  it("a store that does not exist is a usage error (exit 2), not an empty timeline", async () => {
    const run = await tidemark(["state", join(dir, "missing.db")]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("cannot open store");
  });

  it("a store changed behind the library's back is invalid data naming the version (exit 1)", async () => {
    const store = join(dir, "damaged.db");
    await tidemark(["import", PALMYRA, "--into", store, ...REGISTRIES]);
    const { default: Database } = await import("better-sqlite3");
    const db = new Database(store);
    db.prepare(
      "UPDATE tidemark_events SET content = replace(content, 'isis', 'ISIS') WHERE version = 3",
    ).run();
    db.close();
    const run = await tidemark(["state", store, ...REGISTRIES]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/version 3/);
  });
});

describe("docs/cli.md", () => {
  it("pastes the help text exactly as the command prints it", () => {
    const page = readFileSync(join(root, "docs", "cli.md"), "utf8");
    expect(page).toContain(mainHelp().trimEnd());
  });
});
