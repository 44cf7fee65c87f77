// A store keeps its timeline's time zone through the command line: `import --time-zone Z
// --into STORE` records Z, later imports and read commands use it, and a different
// --time-zone is refused rather than mixed in.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createTimeline, openTimeline } from "../../src/index.js";
import { sqliteStore } from "../../src/stores/sqlite.js";
import { bundledCli } from "../helpers/bundled-cli.js";

const dir = mkdtempSync(join(tmpdir(), "tidemark-cli-zone-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const path = (name: string) => join(dir, `${++n}-${name}`);

const DAMASCUS = "Asia/Damascus";
const onDay = (day: string, place: string) => ({
  type: "Captured" as const,
  at: day,
  data: { place, by: "isis" },
});
/** An NDJSON file of events. */
const file = (...events: readonly unknown[]) => {
  const at = path("events.ndjson");
  writeFileSync(at, `${events.map((e) => JSON.stringify(e)).join("\n")}\n`);
  return at;
};
/** The instant a timeline in `timeZone` reads `day` as. */
const instant = (day: string, timeZone: string) =>
  createTimeline({ timeZone }).append(onDay(day, "x"))[0]?.at;

describe("the command line keeps a store's time zone", () => {
  const tidemark = bundledCli();

  it("import --time-zone records the zone, and state reads and prints in it without --time-zone", async () => {
    const store = path("s.db");
    const imported = await tidemark([
      "import",
      file(onDay("2016-12-11", "palmyra")),
      "--time-zone",
      DAMASCUS,
      "--into",
      store,
    ]);
    expect(imported.code, imported.stderr).toBe(0);

    const state = await tidemark(["state", store, "--at", "2016-12-11", "--json"]);
    expect(state.code, state.stderr).toBe(0);
    const palmyra = JSON.parse(state.stdout).control.palmyra;
    expect(palmyra.since).toBe(instant("2016-12-11", DAMASCUS));
    expect(palmyra.sinceIso).toBe("2016-12-11");
  });

  it("a later import without --time-zone reads its dates in the stored zone", async () => {
    const store = path("s.db");
    const first = file(onDay("2016-12-11", "palmyra"));
    expect((await tidemark(["import", first, "--time-zone", DAMASCUS, "--into", store])).code).toBe(
      0,
    );
    const later = await tidemark(["import", file(onDay("2016-12-12", "tadmur")), "--into", store]);
    expect(later.code, later.stderr).toBe(0);

    const timeline = await openTimeline({ store: sqliteStore(store) });
    try {
      const tadmur = timeline.events().find((e) => "place" in e.data && e.data.place === "tadmur");
      expect(tadmur?.at).toBe(instant("2016-12-12", DAMASCUS));
    } finally {
      await timeline.close();
    }
  });

  it("reads a store in another --time-zone, printing in it, and changes nothing", async () => {
    const store = path("read-in-utc.db");
    const first = file(onDay("2016-12-11", "palmyra"));
    expect((await tidemark(["import", first, "--time-zone", DAMASCUS, "--into", store])).code).toBe(
      0,
    );
    const before = readFileSync(store);
    const state = await tidemark(["state", store, "--time-zone", "UTC"]);
    expect(state.code, state.stderr).toBe(0);
    // Midnight in Damascus (UTC+2 in December) is on the day before in UTC.
    expect(state.stdout).toMatch(/2016-12-10/);
    expect(readFileSync(store).equals(before)).toBe(true);
  });

  it("refuses to import in another --time-zone into a store that holds events, and changes nothing", async () => {
    const store = path("s.db");
    const first = file(onDay("2016-12-11", "palmyra"));
    expect((await tidemark(["import", first, "--time-zone", DAMASCUS, "--into", store])).code).toBe(
      0,
    );
    const before = readFileSync(store);

    const other = file(onDay("2016-12-12", "tadmur"));
    const imported = await tidemark(["import", other, "--time-zone", "UTC", "--into", store]);
    expect(imported.code).toBe(1);
    expect(imported.stderr).toMatch(/"Asia\/Damascus", not "UTC"/);
    expect(readFileSync(store).equals(before)).toBe(true);
  });
});
