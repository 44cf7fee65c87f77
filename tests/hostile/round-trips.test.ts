/**
 * Smaller faults: a zone's spelling, every printed time reading back, calendar dates in UCDP
 * rows, and ACLED timestamps written in milliseconds.
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import {
  acledDeletions,
  createTimeline,
  formatTime,
  fromAcled,
  fromUcdpGed,
  parseTime,
  type UcdpRow,
} from "../../src/index.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const GED = parse(readFileSync(resolve(root, "tests/fixtures/ucdp/ged-extract.csv")), {
  columns: true,
  bom: true,
}) as UcdpRow[];

describe("zones", () => {
  it("takes a zone name in any letter case as the zone's own spelling", () => {
    expect(createTimeline({ timeZone: "asia/damascus" }).timeZone).toBe("Asia/Damascus");
    expect(createTimeline({ timeZone: "ASIA/DAMASCUS" }).toJSON().timeZone).toBe("Asia/Damascus");
  });
});

describe("every printed time reads back", () => {
  it("reads back an expanded year as formatTime prints it", () => {
    const at = Date.UTC(10_000, 0, 1);
    expect(formatTime(at, "day")).toBe("+010000-01-01");
    expect(parseTime("+010000-01-01")).toEqual({ at, precision: "day" });
    const before = Date.UTC(-1, 5, 3, 4);
    expect(parseTime(formatTime(before, "second"))).toEqual({ at: before, precision: "second" });
  });

  it("refuses the year -000000, which ISO 8601 writes +000000", () => {
    expect(() => parseTime("-000000-01-01")).toThrow(/-000000/);
  });

  for (const timeZone of ["Australia/Lord_Howe", "Asia/Gaza", "Asia/Kolkata"]) {
    it(`reads back every hour it prints in ${timeZone}, across its clock changes`, () => {
      const wrong: string[] = [];
      for (let t = Date.UTC(2019, 0, 1); t < Date.UTC(2021, 0, 1); t += 30 * 60_000) {
        const hour = parseTime(formatTime(t, "hour", { timeZone }), { timeZone }).at;
        const text = formatTime(hour, "hour", { timeZone });
        if (parseTime(text, { timeZone }).at !== hour) wrong.push(text);
      }
      expect(wrong).toEqual([]);
    });
  }
});

describe("calendar dates", () => {
  it("refuses a UCDP row dated 30 February, and skips it with --skip-invalid's reading", () => {
    const row = { ...(GED[0] as UcdpRow), date_start: "2016-02-30", date_end: "2016-02-30" };
    const result = fromUcdpGed([row]);
    expect(result.events).toEqual([]);
    expect(result.skipped[0]?.reason).toContain('date_start "2016-02-30" is not a date');
  });

  it("refuses a UCDP date_end of 31 April", () => {
    const row = { ...(GED[0] as UcdpRow), date_end: "2016-04-31" };
    expect(fromUcdpGed([row]).skipped[0]?.reason).toContain('date_end "2016-04-31"');
  });
});

describe("ACLED timestamps", () => {
  const row = (timestamp: string) => ({
    event_id_cnty: "SYR1",
    event_date: "2016-12-10",
    event_type: "Battles",
    sub_event_type: "Non-state actor overtakes territory",
    actor1: "Islamic State (Syria)",
    admin1: "Homs",
    location: "Tadmur",
    latitude: "34.5560",
    longitude: "38.2680",
    timestamp,
  });

  it("reads a timestamp in milliseconds as milliseconds, not as seconds in the year 51,929", () => {
    const { events } = fromAcled([row("1576800000000")]);
    expect(events[0]?.recordedAt).toBe(1_576_800_000_000);
  });

  it("still reads a timestamp in seconds as seconds", () => {
    expect(fromAcled([row("1576800000")]).events[0]?.recordedAt).toBe(1_576_800_000_000);
  });

  it("reads a deleted_timestamp in milliseconds as milliseconds", () => {
    const timeline = createTimeline();
    timeline.appendAll(fromAcled([row("1576800000")]).events);
    const { events } = acledDeletions(
      [{ event_id_cnty: "SYR1", deleted_timestamp: "1590000000000" }],
      { timeline },
    );
    expect(events[0]?.at).toBe(1_590_000_000_000);
  });
});
