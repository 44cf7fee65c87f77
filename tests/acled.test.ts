import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { type AcledRow, createTimeline, fromAcled, TimelineValidationError } from "../src/index.js";
import { expectControl, ms } from "./helpers/assertions.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SAMPLE = resolve(root, "examples/acled/sample.csv");

const IS = "Islamic State (Syria)";
const SAA = "Military Forces of Syria (2000-)";

/** A row as an ACLED CSV export gives it (strings), with the columns the mapping reads. */
function row(overrides: Record<string, string> = {}): AcledRow {
  return {
    event_id_cnty: "SYR1",
    event_date: "2016-12-10",
    time_precision: "1",
    event_type: "Battles",
    sub_event_type: "Non-state actor overtakes territory",
    actor1: IS,
    actor2: SAA,
    admin1: "Homs",
    location: "Tadmur",
    latitude: "34.5560",
    longitude: "38.2680",
    source: "Syrian Observatory for Human Rights",
    notes: "IS entered Tadmur.",
    fatalities: "12",
    timestamp: "1481500800",
    ...overrides,
  };
}

function one(overrides: Record<string, string> = {}) {
  const result = fromAcled([row(overrides)]);
  expect(result.skipped).toEqual([]);
  return result.events[0];
}

function skippedReason(overrides: Record<string, string>): string {
  const result = fromAcled([row(overrides)]);
  expect(result.events).toEqual([]);
  expect(result.skipped).toHaveLength(1);
  return result.skipped[0]?.reason ?? "";
}

describe("fromAcled: event types", () => {
  it('"Non-state actor overtakes territory" becomes Captured by actor1, from actor2', () => {
    expect(one()).toMatchObject({
      type: "Captured",
      data: {
        place: "homs/tadmur",
        by: "islamic-state-syria",
        from: "military-forces-of-syria-2000",
      },
    });
  });

  it('"Government regains territory" becomes Captured by actor1', () => {
    const event = one({ sub_event_type: "Government regains territory", actor1: SAA, actor2: IS });
    expect(event).toMatchObject({
      type: "Captured",
      data: { by: "military-forces-of-syria-2000", from: "islamic-state-syria" },
    });
  });

  it("a Captured without actor2 has no from", () => {
    expect(one({ actor2: "" })?.data).toEqual({ place: "homs/tadmur", by: "islamic-state-syria" });
  });

  it('"Air/drone strike" becomes Airstrike by actor1 on the place, with fatalities as killed', () => {
    const event = one({
      sub_event_type: "Air/drone strike",
      actor1: "Military Forces of Russia (2000-)",
    });
    expect(event).toMatchObject({
      type: "Airstrike",
      data: { places: ["homs/tadmur"], by: "military-forces-of-russia-2000", killed: 12 },
    });
  });

  it("an Airstrike with empty fatalities has no killed", () => {
    const event = one({ sub_event_type: "Air/drone strike", fatalities: "" });
    expect(event?.data).toEqual({ places: ["homs/tadmur"], by: "islamic-state-syria" });
  });

  it('"Arrests" becomes Arrests by actor1 in the place, without a count (ACLED gives none)', () => {
    const event = one({ sub_event_type: "Arrests", event_type: "Strategic developments" });
    expect(event).toMatchObject({
      type: "Arrests",
      data: { place: "homs/tadmur", by: "islamic-state-syria" },
    });
    expect(event?.data).not.toHaveProperty("count");
  });

  it("compares sub-event types case-insensitively, ignoring surrounding spaces", () => {
    expect(one({ sub_event_type: "  AIR/DRONE STRIKE " })?.type).toBe("Airstrike");
    expect(one({ sub_event_type: "government REGAINS territory" })?.type).toBe("Captured");
    expect(one({ sub_event_type: "arrests" })?.type).toBe("Arrests");
  });

  it("skips any other sub-event type, naming it", () => {
    const reason = skippedReason({ sub_event_type: "Armed clash" });
    expect(reason).toContain('"Armed clash"');
    expect(reason).toContain("not mapped");
  });
});

describe("fromAcled: times, sources, ids", () => {
  it("reads event_date as 2016-12-10 or as 10 December 2016, to the same day", () => {
    expect(one({ event_date: "2016-12-10" })?.at).toBe("2016-12-10");
    expect(one({ event_date: "10 December 2016" })?.at).toBe("2016-12-10");
    expect(one({ event_date: "8 dec 2016" })?.at).toBe("2016-12-08");
  });

  it("rejects dates in other forms instead of guessing (no locale-dependent Date parsing)", () => {
    expect(skippedReason({ event_date: "12/10/2016" })).toContain("event_date");
    expect(skippedReason({ event_date: "December 10, 2016" })).toContain("event_date");
    expect(skippedReason({ event_date: "31 February 2016" })).toContain("31");
  });

  it("turns time_precision 1, 2, 3 into precision day, week, month", () => {
    expect(one({ time_precision: "1" })?.precision).toBe("day");
    expect(one({ time_precision: "2" })?.precision).toBe("week");
    expect(one({ time_precision: "3" })?.precision).toBe("month");
  });

  it("skips a row whose time_precision is not 1, 2 or 3", () => {
    expect(skippedReason({ time_precision: "4" })).toContain("time_precision");
  });

  it("splits source on semicolons into sources, trimmed, without empty or repeated names", () => {
    expect(one({ source: "SOHR; Amaq News Agency;;SOHR; " })?.sources).toEqual([
      { name: "SOHR" },
      { name: "Amaq News Agency" },
    ]);
    expect(one({ source: "" })).not.toHaveProperty("sources");
  });

  it("turns timestamp (epoch seconds) into recordedAt (epoch milliseconds)", () => {
    expect(one({ timestamp: "1481500800" })?.recordedAt).toBe(1481500800 * 1000);
    expect(one({ timestamp: "" })).not.toHaveProperty("recordedAt");
    expect(skippedReason({ timestamp: "12 Dec 2016" })).toContain("timestamp");
  });

  it("keeps notes as note and event_id_cnty as the id", () => {
    const event = one({ event_id_cnty: "SYR12345", notes: "IS entered Tadmur." });
    expect(event?.id).toBe("SYR12345");
    expect(event?.note).toBe("IS entered Tadmur.");
  });

  it("reads numbers where ACLED's JSON API gives them", () => {
    const event = one({
      sub_event_type: "Air/drone strike",
      time_precision: 2 as unknown as string,
      fatalities: 3 as unknown as string,
      latitude: 34.556 as unknown as string,
      longitude: 38.268 as unknown as string,
      timestamp: 1481500800 as unknown as string,
    });
    expect(event).toMatchObject({
      precision: "week",
      recordedAt: 1481500800000,
      data: { killed: 3 },
    });
  });

  it("gives each problem of a mapped row in one reason", () => {
    const reason = skippedReason({
      event_id_cnty: "",
      actor1: "",
      fatalities: "x",
      sub_event_type: "Air/drone strike",
    });
    expect(reason).toContain("event_id_cnty");
    expect(reason).toContain("actor1");
    expect(reason).toContain("fatalities");
  });
});

describe("fromAcled: registries", () => {
  it("registers each admin1 region and each location under it, with [lon, lat] coordinates", () => {
    const { places } = fromAcled([row()]);
    expect(places).toEqual({
      homs: { name: "Homs", kind: "admin1", aliases: ["Homs"] },
      "homs/tadmur": {
        name: "Tadmur",
        kind: "location",
        parent: "homs",
        coordinates: [38.268, 34.556],
        aliases: ["Tadmur"],
      },
    });
  });

  it("registers actors by the slug of their name", () => {
    expect(fromAcled([row()]).actors).toEqual({
      "islamic-state-syria": { name: IS },
      "military-forces-of-syria-2000": { name: SAA },
    });
  });

  it("gives the same ids to the same names in any import, whatever the order of rows", () => {
    const rows = [
      row({ event_id_cnty: "A" }),
      row({ event_id_cnty: "B", admin1: "Deir ez Zor", location: "Al Mayadin", actor1: SAA }),
    ];
    const a = fromAcled(rows);
    const b = fromAcled([...rows].reverse());
    expect(Object.keys(a.places).sort()).toEqual(Object.keys(b.places).sort());
    expect(Object.keys(a.actors).sort()).toEqual(Object.keys(b.actors).sort());
    expect(b.events.find((e) => e.id === "B")?.data).toEqual(
      a.events.find((e) => e.id === "B")?.data,
    );
  });

  it("keeps places of the same name in different regions apart, and gives neither the name as alias", () => {
    const { places } = fromAcled([
      row({ event_id_cnty: "A", admin1: "Homs", location: "Al Qaryatayn" }),
      row({ event_id_cnty: "B", admin1: "Rural Damascus", location: "Al Qaryatayn" }),
    ]);
    expect(places["homs/al-qaryatayn"]?.parent).toBe("homs");
    expect(places["rural-damascus/al-qaryatayn"]?.parent).toBe("rural-damascus");
    expect(places["homs/al-qaryatayn"]?.aliases).toBeUndefined();
  });

  it("makes ids of names with accents and non-Latin letters", () => {
    const { places } = fromAcled([
      row({ admin1: "Dayr az Zawr", location: "Ḥamām" }),
      row({ event_id_cnty: "X", location: "تدمر" }),
    ]);
    expect(Object.keys(places)).toEqual([
      "dayr-az-zawr",
      "homs",
      "dayr-az-zawr/hamam",
      "homs/تدمر",
    ]);
  });

  it("returns registries that createTimeline accepts, and events that all append", () => {
    const rows = parse(readFileSync(SAMPLE), { columns: true, bom: true }) as AcledRow[];
    const { events, places, actors } = fromAcled(rows);
    const timeline = createTimeline({ places, actors });
    expect(timeline.appendAll(events)).toHaveLength(events.length);
    // The name of a location is an alias: "Tadmur" stands for "homs/tadmur".
    expect(timeline.history("Tadmur").map((i) => i.eventId)).toEqual([
      "SYR90001",
      "SYR90002",
      "SYR90003",
      "SYR90007",
    ]);
  });
});

describe("fromAcled: re-imports", () => {
  it("re-appending an import of the same rows is a no-op", () => {
    const { events, places, actors } = fromAcled([
      row({ event_id_cnty: "A" }),
      row({ event_id_cnty: "B", event_date: "2016-12-11" }),
    ]);
    const timeline = createTimeline({ places, actors });
    timeline.appendAll(events);
    const again = fromAcled([
      row({ event_id_cnty: "A" }),
      row({ event_id_cnty: "B", event_date: "2016-12-11" }),
    ]);
    timeline.appendAll(again.events);
    expect(timeline.size).toBe(2);
  });

  it("a row ACLED has changed since (same event_id_cnty) is a validation error naming its id", () => {
    const first = fromAcled([row({ event_id_cnty: "SYR7", fatalities: "12" })]);
    const timeline = createTimeline({ places: first.places, actors: first.actors });
    timeline.appendAll(first.events);
    const updated = fromAcled([row({ event_id_cnty: "SYR7", notes: "Corrected notes." })]);
    expect(() => timeline.appendAll(updated.events)).toThrow(TimelineValidationError);
    expect(() => timeline.appendAll(updated.events)).toThrow(/SYR7/);
    expect(timeline.size).toBe(1);
  });
});

describe("fromAcled: the sample export (examples/acled/sample.csv)", () => {
  const rows = parse(readFileSync(SAMPLE), { columns: true, bom: true }) as AcledRow[];
  const result = fromAcled(rows);

  it("accounts for every row: events.length + skipped.length is the number of rows", () => {
    expect(rows).toHaveLength(18);
    expect(result.events.length + result.skipped.length).toBe(rows.length);
    expect(result.events).toHaveLength(8);
  });

  it("covers every mapped kind: both Captured sub-types, Airstrike and Arrests", () => {
    expect(result.events.map((e) => `${e.id} ${e.type} ${e.precision}`)).toEqual([
      "SYR90001 Captured day",
      "SYR90002 Captured day",
      "SYR90003 Captured day",
      "SYR90004 Airstrike week",
      "SYR90005 Arrests month",
      "SYR90006 Airstrike day",
      "SYR90007 Captured day",
      "SYR90008 Captured day",
    ]);
  });

  it("skips each unreadable or unmapped row with its 1-based row number and reason", () => {
    expect(result.skipped.map((s) => s.row)).toEqual([9, 10, 11, 12, 13, 14, 15, 16, 17, 18]);
    const reasons = result.skipped.map((s) => s.reason);
    expect(reasons[0]).toMatch(/"Armed clash".*not mapped/);
    expect(reasons[1]).toMatch(/"Peaceful protest".*not mapped/);
    for (const [i, column] of [
      [2, "event_id_cnty"],
      [3, "event_date"],
      [4, "time_precision"],
      [5, "actor1"],
      [6, "location"],
      [7, "latitude"],
      [8, "fatalities"],
      [9, "timestamp"],
    ] as const) {
      expect(reasons[i]).toContain(column);
    }
  });

  it("keeps quoted newlines, commas and quotes inside notes", () => {
    expect(result.events[1]?.note).toBe(
      'On 11 December 2016, regime forces said they "repelled all attacks" on Tadmur overnight,\nwith air support; IS said otherwise.',
    );
  });

  it("tells who held Tadmur when, per ACLED's dates", () => {
    const timeline = createTimeline({ places: result.places, actors: result.actors });
    timeline.appendAll(result.events);
    expectControl(timeline, "2016-12-10", "homs/tadmur", "islamic-state-syria");
    expectControl(timeline, "2017-03-02", "homs/tadmur", "military-forces-of-syria-2000");
    expect(timeline.latest().airstrikes["homs/tadmur"]).toEqual({
      count: 1,
      lastAt: ms("2016-12-09"),
    });
  });
});
