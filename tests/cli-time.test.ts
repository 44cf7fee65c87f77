// The `tidemark` command and time: --time-zone for reading and printing, times printed at
// their precision (formatTime), ISO strings beside epoch ms in --json, unknown numbers of
// arrests printed as unknown.

import { describe, expect, it } from "vitest";
import { createTimeline, formatTime } from "../src/index.js";
import { arrests, captured, ms } from "./helpers/assertions.js";
import { bundledCli } from "./helpers/bundled-cli.js";

const tidemark = bundledCli();

const ndjson = (events: readonly unknown[]) =>
  `${events.map((e) => JSON.stringify(e)).join("\n")}\n`;

/** A table's rows, cells split where two or more spaces separate them. */
const rows = (stdout: string) =>
  stdout
    .trim()
    .split("\n")
    .map((line) => line.split(/\s{2,}/));

const LOCAL_DAY = ndjson([captured("2016-12-11", "palmyra", "isis", { id: "day" })]);

// Child processes start slowly on a busy machine.
describe("tidemark --time-zone", { timeout: 60_000 }, () => {
  it("reads a date in the file as a day of that zone: it counts at 01:00 +02:00", async () => {
    const run = await tidemark(
      ["state", "-", "--at", "2016-12-11T01:00+02:00", "--time-zone", "Asia/Damascus"],
      LOCAL_DAY,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(rows(run.stdout)[1]).toEqual(["palmyra", "isis", "2016-12-11", "day"]);
  });

  it("without it, the same date is a UTC day that does not count yet at 01:00 +02:00", async () => {
    const run = await tidemark(["state", "-", "--at", "2016-12-11T01:00+02:00"], LOCAL_DAY);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("no control events by then");
  });

  it("reads --at without an offset in the zone", async () => {
    const late = await tidemark(
      ["state", "-", "--at", "2016-12-10T23:59", "--time-zone", "Asia/Damascus"],
      LOCAL_DAY,
    );
    expect(late.stdout).toBe("");
  });

  it("prints times of day in the zone, at their precision", async () => {
    const file = ndjson([
      captured("2016-12-10T16:00Z", "palmyra", "isis", { id: "evening", precision: "hour" }),
    ]);
    const run = await tidemark(
      ["history", "-", "--place", "palmyra", "--time-zone", "Asia/Damascus"],
      file,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(rows(run.stdout)[1]).toEqual(["isis", "2016-12-10T18+02:00", "...", "evening"]);
  });

  it("--utc-offset, an alias never released, is bad usage: exit 2, naming --time-zone", async () => {
    const file = ndjson([captured("2016-12-10T16:00Z", "palmyra", "isis", { id: "a" })]);
    const run = await tidemark(
      ["history", "-", "--place", "palmyra", "--utc-offset", "+02:00"],
      file,
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^tidemark: history does not take --utc-offset; .*--time-zone/);
  });

  it("a zone that does not exist is bad usage: exit 2, naming the option", async () => {
    const run = await tidemark(["state", "-", "--time-zone", "Mars/Olympus_Mons"], LOCAL_DAY);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^tidemark: --time-zone: .*Mars\/Olympus_Mons/);
  });

  it("a time of day the zone skips is bad usage too", async () => {
    const run = await tidemark(
      ["state", "-", "--at", "2016-03-13T02:30", "--time-zone", "America/New_York"],
      LOCAL_DAY,
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--at");
  });

  it("an event time the zone skips is invalid data: exit 1, with its line", async () => {
    const file = ndjson([captured("2016-03-13T02:30", "palmyra", "isis")]);
    const run = await tidemark(["validate", "-", "--time-zone", "America/New_York"], file);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("<stdin>:1");
  });

  it("a toJSON() file keeps its zone, as fromJSON does: its times print in it", async () => {
    const timeline = createTimeline({ timeZone: "Asia/Damascus" });
    timeline.append(
      captured("2016-12-10T18:00", "palmyra", "isis", { id: "evening", precision: "hour" }),
    );
    const run = await tidemark(["history", "-", "--place", "palmyra"], JSON.stringify(timeline));
    expect(run.code, run.stderr).toBe(0);
    expect(rows(run.stdout)[1]).toEqual(["isis", "2016-12-10T18+02:00", "...", "evening"]);
  });

  it("the chart's axis is in the zone, and says so", async () => {
    const run = await tidemark(["chart", "-", "--time-zone", "Asia/Damascus"], LOCAL_DAY);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("times Asia/Damascus");
  });
});

describe("tidemark --json: ISO 8601 beside epoch milliseconds", { timeout: 60_000 }, () => {
  it("state gives each control entry's since as sinceIso, at its precision", async () => {
    const run = await tidemark(["state", "-", "--json", "--time-zone", "+02:00"], LOCAL_DAY);
    const entry = JSON.parse(run.stdout).control.palmyra;
    expect(entry.since).toBe(ms("2016-12-11T00:00+02:00"));
    expect(entry.sinceIso).toBe("2016-12-11");
  });

  it("history gives fromIso and toIso at the precision of the events that bound them", async () => {
    const file = ndjson([
      captured("2016-12", "palmyra", "isis", { id: "a" }),
      captured("2016-12-11T06:00+02:00", "palmyra", "regime", { id: "b" }),
    ]);
    const run = await tidemark(["history", "-", "--place", "palmyra", "--json"], file);
    const [first, second] = JSON.parse(run.stdout);
    expect([first.fromIso, first.toIso]).toEqual(["2016-12", "2016-12-11T04:00Z"]);
    expect(second.toIso).toBeNull();
    expect(first.fromIso).toBe(formatTime(first.from, first.fromPrecision));
  });
});

// An arrests entry counts the events that gave no number apart (`uncounted`), so that an
// unknown number of detainees is never printed as 0.
describe("tidemark state: an unknown number is not zero", {
  timeout: 60_000,
}, () => {
  it("prints events, the known detained and the events whose number is unknown", async () => {
    const file = ndjson([
      arrests("2016-12-11", "palmyra", "isis", 25),
      arrests("2016-12-12", "palmyra", "isis", 15),
      arrests("2016-12-13", "palmyra", "isis"),
    ]);
    const run = await tidemark(["state", "-"], file);
    expect(run.stdout).toContain("3 events, 40 detained, 1 event number unknown");
    // "40 detained" is right; a bare zero would count the unknown number as none.
    expect(run.stdout).not.toMatch(/\bdetained 0\b|\b0 detained/);
  });

  it("prints one arrest with no number as 1 event, number unknown", async () => {
    const run = await tidemark(["state", "-"], ndjson([arrests("2016-12-13", "palmyra", "isis")]));
    expect(run.stdout).toContain("1 event, number unknown");
    expect(run.stdout).not.toMatch(/\b0 detained/);
  });
});
