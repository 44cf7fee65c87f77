// "According to whom", from the command line: `tidemark claims`, `contested` and `sources`,
// run as users run them (a child process over a file). The source is bundled with esbuild
// first (tests/helpers/bundled-cli.ts), because a child process of `node --import tsx` is slow
// to start.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bundledCli } from "./helpers/bundled-cli.js";

const dir = mkdtempSync(join(tmpdir(), "tidemark-cli-claims-"));
const tidemark = bundledCli();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, lines: readonly object[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${lines.map((line) => JSON.stringify(line)).join("\n")}\n`);
  return path;
}

/** Three sources that disagree about Palmyra on the night of 10–11 December (UTC times). */
const REPORTS = [
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
    id: "sohr-citadel",
    type: "Captured",
    at: "2016-12-10",
    recordedAt: "2016-12-10T18:00Z",
    data: { place: "citadel", by: "isis" },
    sources: [{ name: "SOHR" }],
  },
  {
    id: "mod-sun",
    type: "Captured",
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
];
const SUNDAY_MORNING = "2016-12-11T06:00Z";

describe("tidemark claims", () => {
  it("prints each source's controller of the place at T, since when, and the event", async () => {
    const run = await tidemark([
      "claims",
      file("reports.ndjson", REPORTS),
      "--place",
      "palmyra",
      "--at",
      SUNDAY_MORNING,
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout.split("\n").map((line) => line.split(/\s{2,}/))).toEqual([
      ["source", "controller", "since", "event"],
      ["SOHR", "isis", "2016-12-10T16Z", "sohr-sat"],
      ["Russian MoD", "regime", "2016-12-10T22Z", "mod-sun"],
      [""],
    ]);
  });

  it("prints times in the zone of --time-zone, at their own precision", async () => {
    const run = await tidemark([
      "claims",
      file("reports.ndjson", REPORTS),
      "--place",
      "citadel",
      "--at",
      SUNDAY_MORNING,
      "--time-zone",
      "+02:00",
    ]);
    expect(run.stdout).toContain("SOHR    isis        2016-12-10  sohr-citadel");
  });

  it("gives --json claims with since in epoch ms, as ISO 8601 at its precision (sinceIso), and the precision", async () => {
    const run = await tidemark([
      "claims",
      file("reports.ndjson", REPORTS),
      "--place",
      "palmyra",
      "--at",
      SUNDAY_MORNING,
      "--json",
    ]);
    expect(JSON.parse(run.stdout)).toEqual([
      {
        source: "SOHR",
        controller: "isis",
        since: Date.parse("2016-12-10T16:00Z"),
        sinceIso: "2016-12-10T16Z",
        precision: "hour",
        eventId: "sohr-sat",
      },
      {
        source: "Russian MoD",
        controller: "regime",
        since: Date.parse("2016-12-10T22:00Z"),
        sinceIso: "2016-12-10T22Z",
        precision: "hour",
        eventId: "mod-sun",
      },
    ]);
  });

  it("without --place, gives every place's claims at T in one call", async () => {
    const run = await tidemark([
      "claims",
      file("reports.ndjson", REPORTS),
      "--at",
      SUNDAY_MORNING,
      "--json",
    ]);
    const places = JSON.parse(run.stdout) as { place: string; claims: { source: string }[] }[];
    expect(places.map((p) => [p.place, p.claims.map((c) => c.source)])).toEqual([
      ["citadel", ["SOHR"]],
      ["palmyra", ["SOHR", "Russian MoD"]],
    ]);
  });

  it("counts only what was known at --as-of", async () => {
    const run = await tidemark([
      "claims",
      file("reports.ndjson", REPORTS),
      "--place",
      "palmyra",
      "--at",
      SUNDAY_MORNING,
      "--as-of",
      "2016-12-11T04:00Z",
    ]);
    expect(run.stdout).toContain("SOHR");
    expect(run.stdout).not.toContain("Russian MoD");
  });

  it("counts only the sources named with --source", async () => {
    const run = await tidemark([
      "claims",
      file("reports.ndjson", REPORTS),
      "--place",
      "palmyra",
      "--at",
      "2016-12-11T11:00Z",
      "--source",
      "Amaq",
      "--json",
    ]);
    expect((JSON.parse(run.stdout) as { source: string }[]).map((c) => c.source)).toEqual(["Amaq"]);
  });

  it("says on stderr, with empty stdout, when no source reports on the place by then", async () => {
    const run = await tidemark([
      "claims",
      file("reports.ndjson", REPORTS),
      "--place",
      "palmyra",
      "--at",
      "2016-12-01",
    ]);
    expect(run).toMatchObject({ code: 0, stdout: "" });
    expect(run.stderr).toContain("no source reports on palmyra");
  });

  it("fails with exit code 2 for a place that neither a registry nor the data names", async () => {
    const run = await tidemark([
      "claims",
      file("reports.ndjson", REPORTS),
      "--place",
      "raqqa",
      "--at",
      SUNDAY_MORNING,
    ]);
    expect(run).toMatchObject({ code: 2, stdout: "" });
    expect(run.stderr).toBe('tidemark: --place: no place "raqqa"\n');
  });

  it("fails with exit code 2 without --at", async () => {
    const run = await tidemark(["claims", file("reports.ndjson", REPORTS), "--place", "palmyra"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("tidemark: --at is required (see --help)\n");
  });

  it("fails with exit code 2 for a place the --places registry does not know", async () => {
    const registry = join(dir, "places.json");
    writeFileSync(
      registry,
      JSON.stringify({ palmyra: { name: "Palmyra" }, citadel: { name: "Citadel" } }),
    );
    const run = await tidemark([
      "claims",
      file("reports.ndjson", REPORTS),
      "--places",
      registry,
      "--place",
      "atlantis",
      "--at",
      SUNDAY_MORNING,
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^tidemark: --place: .*atlantis/);
  });

  it("counts a Held report as that source's claim from the report on", async () => {
    const held = {
      id: "mod-held",
      type: "Held",
      at: "2016-12-11T04:00Z",
      precision: "hour",
      data: { place: "palmyra", by: "regime" },
      sources: [{ name: "Russian MoD" }],
    };
    const events = [REPORTS[0] as object, held];
    const path = file("held.ndjson", events);
    const run = await tidemark(["claims", path, "--place", "palmyra", "--at", SUNDAY_MORNING]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Russian MoD  regime      2016-12-11T04Z  mod-held");
    const before = await tidemark([
      "claims",
      path,
      "--place",
      "palmyra",
      "--at",
      "2016-12-11T03:00Z",
    ]);
    expect(before.stdout).not.toContain("Russian MoD");
  });
});

describe("tidemark contested", () => {
  it("lists each place whose sources disagree at T, one row per source", async () => {
    const run = await tidemark([
      "contested",
      file("reports.ndjson", REPORTS),
      "--at",
      SUNDAY_MORNING,
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout.split("\n").map((line) => line.split(/\s{2,}/))).toEqual([
      ["place", "source", "controller", "since", "event"],
      ["palmyra", "SOHR", "isis", "2016-12-10T16Z", "sohr-sat"],
      ["palmyra", "Russian MoD", "regime", "2016-12-10T22Z", "mod-sun"],
      [""],
    ]);
  });

  it("gives --json places with their claims", async () => {
    const run = await tidemark([
      "contested",
      file("reports.ndjson", REPORTS),
      "--at",
      SUNDAY_MORNING,
      "--json",
    ]);
    const [palmyra, ...rest] = JSON.parse(run.stdout) as {
      place: string;
      claims: { controller: string }[];
    }[];
    expect(rest).toEqual([]);
    expect(palmyra?.place).toBe("palmyra");
    expect(palmyra?.claims.map((c) => c.controller)).toEqual(["isis", "regime"]);
  });

  it("says so on stderr, with empty stdout and exit code 0, when the sources agree", async () => {
    const run = await tidemark([
      "contested",
      file("reports.ndjson", REPORTS),
      "--at",
      "2016-12-10T20:00Z",
    ]);
    expect(run).toMatchObject({ code: 0, stdout: "", stderr: "no contested places then\n" });
  });

  it("sees no dispute before the dissenting report was known (--as-of)", async () => {
    const run = await tidemark([
      "contested",
      file("reports.ndjson", REPORTS),
      "--at",
      SUNDAY_MORNING,
      "--as-of",
      "2016-12-11T04:00Z",
      "--json",
    ]);
    expect(JSON.parse(run.stdout)).toEqual([]);
  });
});

describe("tidemark sources", () => {
  it("lists the cited sources by name with how many events cite each", async () => {
    const run = await tidemark(["sources", file("reports.ndjson", REPORTS)]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      "source       events\nAmaq         1\nRussian MoD  1\nSOHR         3\n",
    );
  });

  it("gives --json as timeline.sources() returns it", async () => {
    const run = await tidemark(["sources", file("reports.ndjson", REPORTS), "--json"]);
    expect(JSON.parse(run.stdout)).toEqual([
      { name: "Amaq", events: 1 },
      { name: "Russian MoD", events: 1 },
      { name: "SOHR", events: 3 },
    ]);
  });

  it("does not count retracted events, nor events recorded after --as-of", async () => {
    const retraction = {
      type: "Retracted",
      at: "2016-12-12",
      recordedAt: "2016-12-12T08:00Z",
      data: { eventId: "mod-sun" },
    };
    const path = file("retracted.ndjson", [...REPORTS, retraction]);
    const now = await tidemark(["sources", path, "--json"]);
    expect((JSON.parse(now.stdout) as { name: string }[]).map((s) => s.name)).toEqual([
      "Amaq",
      "SOHR",
    ]);
    const saturday = await tidemark(["sources", path, "--as-of", "2016-12-10T20:00Z", "--json"]);
    expect(JSON.parse(saturday.stdout)).toEqual([{ name: "SOHR", events: 2 }]);
  });
});

describe("help", () => {
  it.each([
    ["claims", "Usage: tidemark claims <file> --at T [--place P] [options]"],
    ["contested", "Usage: tidemark contested <file> --at T [options]"],
    ["sources", "Usage: tidemark sources <file> [options]"],
  ])("tidemark %s --help prints its usage", async (command, usage) => {
    const run = await tidemark([command, "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout.split("\n")[0]).toBe(usage);
  });
});
