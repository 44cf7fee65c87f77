import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import {
  createTimeline,
  Fatalities,
  fatalities,
  fromUcdpGed,
  parseEventsText,
  type UcdpRow,
} from "../src/index.js";
import { ms } from "./helpers/assertions.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const EXTRACT = resolve(root, "tests/fixtures/ucdp/ged-extract.csv");
const rows = parse(readFileSync(EXTRACT), { columns: true, bom: true }) as UcdpRow[];
const result = fromUcdpGed(rows);

describe("fromUcdpGed", () => {
  it("turns every GED row into a Fatalities event with UCDP's counts", () => {
    expect(result.skipped).toEqual([]);
    expect(result.events[0]).toMatchObject({
      type: "Fatalities",
      id: "ucdp-ged-900001",
      at: "2016-12-10",
      precision: "day",
      data: {
        place: "hims-governorate/tadmur-town",
        sideA: "government-of-syria",
        sideB: "is",
        violence: "state-based",
        best: 12,
        low: 10,
        high: 20,
        civilians: 0,
      },
    });
  });

  it("reads date_prec as the precision of date_start: 2 and 3 week, 4 month, 5 year", () => {
    expect(result.events.map((e) => e.precision)).toEqual(["day", "week", "month", "year"]);
  });

  it("keeps date_end in the note", () => {
    expect(result.events[1]?.note).toBe("date_end 2016-12-17");
  });

  it("names type_of_violence 1, 2, 3 state-based, non-state, one-sided", () => {
    expect(result.events.map((e) => e.data.violence)).toEqual([
      "state-based",
      "state-based",
      "one-sided",
      "non-state",
    ]);
  });

  it("leaves civilians out where deaths_civilians is empty", () => {
    expect(result.events[3]?.data).not.toHaveProperty("civilians");
  });

  it("cites UCDP GED as the source, with source_article as its note", () => {
    expect(result.events[0]?.sources).toEqual([
      { name: "UCDP GED", note: "Made-up Agency,2016-12-11,Made-up headline" },
    ]);
  });

  it("registers places under adm_1 with coordinates, and both sides as actors", () => {
    expect(result.places["hims-governorate/tadmur-town"]).toMatchObject({
      name: "Tadmur town",
      parent: "hims-governorate",
      coordinates: [38.268, 34.556],
    });
    expect(Object.keys(result.actors)).toEqual([
      "government-of-syria",
      "is",
      "civilians",
      "jaysh-al-islam",
    ]);
  });

  it("gives events a timeline with the Fatalities definition appends", () => {
    const timeline = createTimeline({
      events: [Fatalities],
      places: result.places,
      actors: result.actors,
    });
    timeline.appendAll(result.events);
    expect(timeline.events({ to: "2016-12-10" }).map((e) => e.at)).toEqual([
      ms("2016-01-01"),
      ms("2016-12-01"),
      ms("2016-12-10"),
    ]);
  });

  it("makes a row that cannot be read invalid, with every problem named", () => {
    const bad = fromUcdpGed([{ ...rows[0], type_of_violence: "4", best: "x", low: "1" }]);
    expect(bad.events).toEqual([]);
    expect(bad.skipped).toEqual([
      {
        row: 1,
        reason: expect.stringMatching(/type_of_violence "4".*best "x"/),
        invalid: true,
      },
    ]);
  });

  it("makes a row invalid whose estimates are not low <= best <= high", () => {
    const bad = fromUcdpGed([{ ...rows[0], low: "30" }]);
    expect(bad.skipped[0]?.reason).toContain("low <= best <= high");
  });
});

describe("the fatalities reducer", () => {
  it("sums best, low and high per place over its Fatalities events, by time", () => {
    const { events, places, actors } = result;
    const timeline = createTimeline({
      events: [Fatalities],
      reducers: { fatalities },
      places,
      actors,
    });
    timeline.appendAll(events);
    const expected: Record<string, { best: number; low: number; high: number }> = {};
    for (const event of events) {
      if (event.type !== "Fatalities") continue;
      const sum = expected[event.data.place] ?? { best: 0, low: 0, high: 0 };
      expected[event.data.place] = sum;
      sum.best += event.data.best;
      sum.low += event.data.low;
      sum.high += event.data.high;
    }
    expect(Object.keys(expected).length).toBeGreaterThan(0);
    expect(timeline.latest().fatalities).toEqual(expected);
    expect(timeline.stateAt("1900-01-01").fatalities).toEqual({});
  });
});

describe("parseEventsText: a GED file", () => {
  it("tells a GED file by its header and reads it as fromUcdpGed does", () => {
    const parsed = parseEventsText(readFileSync(EXTRACT, "utf8"));
    expect(parsed.table).toBe("ucdp-ged");
    expect(parsed.events).toEqual(result.events);
    expect(parsed.places).toEqual(result.places);
  });

  it("lists a GED row that cannot be read as a problem with its row", () => {
    const text = readFileSync(resolve(root, "tests/fixtures/ucdp/ged-invalid.csv"), "utf8");
    const parsed = parseEventsText(text);
    expect(parsed.events).toHaveLength(1);
    expect(parsed.problems).toEqual([
      { line: 2, message: expect.stringContaining('type_of_violence "4"') },
    ]);
  });
});
