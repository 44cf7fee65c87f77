import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import {
  type AcledRow,
  acledDeletions,
  createTimeline,
  fromAcled,
  TimelineValidationError,
} from "../src/index.js";
import { expectControl, ms } from "./helpers/assertions.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SAMPLE = resolve(root, "examples/acled/sample.csv");
const FIXTURES = resolve(root, "tests/fixtures/acled");

/** The rows of a fixture, as csv-parse gives them with its header as keys. */
function fixture(name: string): AcledRow[] {
  return parse(readFileSync(resolve(FIXTURES, name)), { columns: true, bom: true }) as AcledRow[];
}

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

describe("fromAcled: labels and source lists as exports write them", () => {
  it("maps a sub-event type in any letter case and spacing", () => {
    for (const label of ["GOVERNMENT REGAINS TERRITORY", "government  regains territory "]) {
      expect(one({ sub_event_type: label, actor1: SAA })?.type).toBe("Captured");
    }
    expect(one({ sub_event_type: "Air / drone strike" })?.type).toBe("Airstrike");
  });

  it("maps a pre-2019 event type written with spaces around its dash", () => {
    const event = one({ sub_event_type: "", event_type: "Battle - Government regains territory" });
    expect(event?.type).toBe("Captured");
  });

  it("splits a pre-2019 export's source on commas when the file uses no semicolon", () => {
    const { sub_event_type: _, ...row2015 } = row({
      event_type: "Battle-Non-state actor overtakes territory",
      source: "Radio Free Asia, Eleven Myanmar",
    });
    const result = fromAcled([row2015]);
    expect(result.events[0]?.sources).toEqual([
      { name: "Radio Free Asia" },
      { name: "Eleven Myanmar" },
    ]);
  });

  it("keeps a comma inside a name where the file separates sources with semicolons", () => {
    const { sub_event_type: _, ...a } = row({
      event_type: "Battle-Non-state actor overtakes territory",
      source: "Ministry of Defence, Russia; SOHR",
    });
    const { sub_event_type: __, ...b } = row({
      event_id_cnty: "SYR2",
      event_type: "Battle-Non-state actor overtakes territory",
      source: "Ministry of Defence, Russia",
    });
    const result = fromAcled([a, b]);
    expect(result.events.map((e) => e.sources?.map((s) => s.name))).toEqual([
      ["Ministry of Defence, Russia", "SOHR"],
      ["Ministry of Defence, Russia"],
    ]);
  });

  it("never splits on commas in today's layout, which separates sources with semicolons", () => {
    expect(one({ source: "Ministry of Defence, Russia" })?.sources).toEqual([
      { name: "Ministry of Defence, Russia" },
    ]);
  });
});

describe("fromAcled: times, sources, ids", () => {
  it("reads event_date as 2016-12-10 or as 10 December 2016, to the same day", () => {
    expect(one({ event_date: "2016-12-10" })?.at).toBe("2016-12-10");
    expect(one({ event_date: "10 December 2016" })?.at).toBe("2016-12-10");
    expect(one({ event_date: "8 dec 2016" })?.at).toBe("2016-12-08");
  });

  it("rejects dates in other forms instead of guessing (no locale-dependent Date parsing)", () => {
    expect(skippedReason({ event_date: "12/10/2016" })).toContain("dateOrder");
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
    // The sample's strike is dated with ACLED's week precision (time_precision 2).
    expect(timeline.latest().airstrikes["homs/tadmur"]).toEqual({
      count: 1,
      lastAt: ms("2016-12-09"),
      lastPrecision: "week",
    });
  });
});

describe("fromAcled: every date form, the file's order settled from all its rows", () => {
  // The same four made-up events in each file, the dates written as each form writes them.
  const expected = ["2019-12-10", "2019-12-31", "2020-05-09"];
  for (const form of [
    "iso",
    "words",
    "dashed-words",
    "short-month",
    "dmy-slash",
    "dmy-two-digit-year",
    "mdy-slash",
  ]) {
    it(`reads dates-${form}.csv to the same days as the ISO dates`, () => {
      const result = fromAcled(fixture(`dates-${form}.csv`));
      expect(result.skipped.filter((s) => s.invalid)).toEqual([]);
      expect(result.events.map((e) => e.at)).toEqual(expected);
    });
  }

  it("reads a numeric date that fits both orders by the order another row settles", () => {
    const rows = [
      row({ event_date: "10/12/2016" }),
      row({ event_id_cnty: "B", event_date: "31/12/2016" }),
    ];
    expect(fromAcled(rows).events.map((e) => e.at)).toEqual(["2016-12-10", "2016-12-31"]);
    const mdy = [
      row({ event_date: "10/12/2016" }),
      row({ event_id_cnty: "B", event_date: "12/31/2016" }),
    ];
    expect(fromAcled(mdy).events.map((e) => e.at)).toEqual(["2016-10-12", "2016-12-31"]);
  });

  it("counts the dates of unmapped rows too when settling the order", () => {
    const rows = [
      row({ event_date: "10/12/2016" }),
      row({ event_id_cnty: "B", event_date: "31/12/2016", sub_event_type: "Armed clash" }),
    ];
    expect(fromAcled(rows).events.map((e) => e.at)).toEqual(["2016-12-10"]);
  });

  it("makes a row that stays ambiguous invalid, saying why, instead of guessing", () => {
    const result = fromAcled(fixture("dates-ambiguous.csv"));
    expect(result.skipped).toEqual([
      {
        row: 1,
        reason: expect.stringMatching(/"10\/12\/2019" may be day first or month first.*dateOrder/),
        invalid: true,
      },
      { row: 2, reason: expect.stringContaining("not mapped"), invalid: false },
    ]);
    expect(result.events.map((e) => e.id)).toEqual(["SYR1002"]);
  });

  it("settles an ambiguous file with options.dateOrder", () => {
    expect(fromAcled(fixture("dates-ambiguous.csv"), { dateOrder: "dmy" }).events[0]?.at).toBe(
      "2019-12-10",
    );
    expect(fromAcled(fixture("dates-ambiguous.csv"), { dateOrder: "mdy" }).events[0]?.at).toBe(
      "2019-10-12",
    );
  });

  it("makes a row invalid whose date does not fit the order dateOrder gives", () => {
    const result = fromAcled([row({ event_date: "12/31/2016" })], { dateOrder: "dmy" });
    expect(result.skipped[0]?.reason).toMatch(/day first/);
  });

  it("makes a row invalid when the file mixes both orders and the row fits both", () => {
    const rows = [
      row({ event_id_cnty: "A", event_date: "31/12/2016" }),
      row({ event_id_cnty: "B", event_date: "12/31/2016" }),
      row({ event_id_cnty: "C", event_date: "10/12/2016" }),
    ];
    const result = fromAcled(rows);
    expect(result.events.map((e) => e.id)).toEqual(["A", "B"]);
    expect(result.skipped[0]?.reason).toMatch(/both orders/);
  });

  it("takes the century of a two-digit year from the year column", () => {
    expect(one({ event_date: "10-Dec-98", year: "1998" })?.at).toBe("1998-12-10");
    expect(one({ event_date: "10-Dec-16", year: "2016" })?.at).toBe("2016-12-10");
  });

  it("makes a row invalid whose date is not in its year", () => {
    const result = fromAcled(fixture("dates-wrong-year.csv"));
    expect(result.skipped).toEqual([
      { row: 1, reason: 'event_date "10-Dec-19" is not in 2018, the row\'s year', invalid: true },
    ]);
    expect(skippedReason({ event_date: "2016-12-10", year: "2015" })).toContain("2015");
  });
});

describe("fromAcled: every vintage of columns and taxonomy", () => {
  it("reads a 2015-style file: UPPERCASE columns, ALLY_ACTOR_1, the pre-2019 taxonomy, 01-January-2015", () => {
    const result = fromAcled(fixture("acled-2015-uppercase.csv"));
    expect(result.events.map((e) => [e.id, e.type, e.at, (e.data as { by: string }).by])).toEqual([
      ["AFG101", "Captured", "2015-01-01", "taliban"],
      ["AFG102", "Captured", "2015-02-15", "military-forces-of-afghanistan-2014"],
      ["AFG103", "Captured", "2015-03-03", "taliban"],
    ]);
    expect(result.skipped.map((s) => [s.row, s.invalid])).toEqual([
      [4, false],
      [5, false],
    ]);
    expect(result.skipped[0]?.reason).toContain('event_type "Battle-No change of territory"');
  });

  it("reads a 2016-style file: alphabetical columns after an unnamed index column", () => {
    const result = fromAcled(fixture("acled-2016-alphabetical-index.csv"));
    expect(result.events.map((e) => [e.id, e.type, e.at])).toEqual([
      ["SYR501", "Captured", "2016-03-27"],
      ["SYR502", "Captured", "2016-12-11"],
    ]);
    const timeline = createTimeline({ places: result.places, actors: result.actors });
    timeline.appendAll(result.events);
    expectControl(timeline, "2016-12-31", "homs/tadmur", "islamic-state-syria");
  });

  it('maps today\'s "Non-violent transfer of territory" to Captured by actor1', () => {
    expect(one({ sub_event_type: "Non-violent transfer of territory" })?.type).toBe("Captured");
  });

  it("matches column names in any case and with spaces for underscores", () => {
    const shouted = Object.fromEntries(
      Object.entries(row()).map(([key, value]) => [key.toUpperCase(), value]),
    );
    const { EVENT_ID_CNTY: _, ...rest } = shouted;
    const result = fromAcled([{ ...rest, "Event ID Cnty": "X1" }]);
    expect(result.events).toEqual(fromAcled([row({ event_id_cnty: "X1" })]).events);
  });
});

describe("fromAcled: places of one name", () => {
  const result = fromAcled(fixture("places.csv"));

  it("keeps two locations of one name more than 25 km apart as two places, saying so", () => {
    expect(result.events.map((e) => (e.data as { place: string }).place)).toEqual([
      "aleppo/al-bab",
      "aleppo/al-bab@35.00,36.00",
      "aleppo/al-bab",
    ]);
    expect(result.places["aleppo/al-bab@35.00,36.00"]?.coordinates).toEqual([36, 35]);
    expect(result.places["aleppo/al-bab"]?.coordinates).toEqual([37.51, 36.37]);
    expect(result.placeChanges).toContainEqual(
      expect.objectContaining({
        change: "split",
        id: "aleppo/al-bab@35.00,36.00",
        of: "aleppo/al-bab",
      }),
    );
  });

  it("merges another spelling within 25 km into the place, reporting it", () => {
    expect(result.placeChanges).toContainEqual(
      expect.objectContaining({ change: "merged", id: "aleppo/al-bab", name: "Al Bab" }),
    );
  });

  it("reuses the ids of known places, and keeps a far location apart from a known one", () => {
    const again = fromAcled(fixture("places.csv").slice(1, 2), { places: result.places });
    expect(again.events[0]?.data).toMatchObject({ place: "aleppo/al-bab@35.00,36.00" });
    expect(Object.keys(again.places)).toEqual(Object.keys(result.places));
  });
});

describe("fromAcled: updates from a newer export, and deletions", () => {
  // Without registries: a newer export may name actors and places the first did not.
  function stored() {
    const first = fromAcled(fixture("dates-iso.csv"));
    const timeline = createTimeline();
    timeline.appendAll(first.events);
    return timeline;
  }

  it("re-reading the same export against the timeline appends nothing", () => {
    const timeline = stored();
    const again = fromAcled(fixture("dates-iso.csv"), { timeline });
    timeline.appendAll(again.events);
    expect(timeline.size).toBe(3);
  });

  it("turns a revised row into a Retracted of the stored version plus the version id@timestamp", () => {
    const timeline = stored();
    const update = fromAcled(fixture("revised.csv"), { timeline });
    const retraction = update.events.find((e) => e.type === "Retracted");
    expect(retraction).toMatchObject({
      data: { eventId: "SYR1001" },
      recordedAt: 1577145600 * 1000,
    });
    expect(update.events.map((e) => e.id).filter((id) => id !== undefined)).toContain(
      "SYR1001@1577145600",
    );
    timeline.appendAll(update.events);
    expect(timeline.size).toBe(3 + 3); // a retraction, the revision, one new event
  });

  it("keeps the earlier version visible with an earlier asOf", () => {
    const timeline = stored();
    timeline.appendAll(fromAcled(fixture("revised.csv"), { timeline }).events);
    const revisedAt = 1577145600 * 1000;
    const now = timeline.events({ from: "2019-12-10", to: "2019-12-10" });
    expect(now.map((e) => e.id)).toEqual(["SYR1001@1577145600"]);
    const before = timeline.events({ from: "2019-12-10", to: "2019-12-10", asOf: revisedAt - 1 });
    expect(before.map((e) => e.id)).toEqual(["SYR1001"]);
  });

  it("re-reading the revised export once applied is a no-op", () => {
    const timeline = stored();
    timeline.appendAll(fromAcled(fixture("revised.csv"), { timeline }).events);
    const size = timeline.size;
    timeline.appendAll(fromAcled(fixture("revised.csv"), { timeline }).events);
    expect(timeline.size).toBe(size);
  });

  it("skips a row of an older release read after a newer one, saying so", () => {
    const timeline = stored();
    timeline.appendAll(fromAcled(fixture("revised.csv"), { timeline }).events);
    const older = fromAcled(fixture("dates-iso.csv"), { timeline });
    expect(older.skipped).toContainEqual({
      row: 1,
      reason: expect.stringContaining("older than the version the timeline holds"),
      invalid: false,
    });
    const size = timeline.size;
    timeline.appendAll(older.events);
    expect(timeline.size).toBe(size);
  });

  it("acledDeletions retracts each deleted event at its deleted_timestamp", () => {
    const { events, skipped } = acledDeletions(fixture("deletions.csv"));
    expect(events).toEqual([
      {
        type: "Retracted",
        at: 1590000000 * 1000,
        recordedAt: 1590000000 * 1000,
        data: { eventId: "SYR1002", reason: "deleted by ACLED" },
      },
      expect.objectContaining({ data: expect.objectContaining({ eventId: "SYR9999" }) }),
    ]);
    expect(skipped).toEqual([]);
  });

  it("acledDeletions with a timeline retracts its current version and skips what it does not hold", () => {
    const timeline = stored();
    timeline.appendAll(fromAcled(fixture("revised.csv"), { timeline }).events);
    const rows = [
      { event_id_cnty: "SYR1001", deleted_timestamp: "1590000000" },
      { event_id_cnty: "SYR9999", deleted_timestamp: "1590000000" },
    ];
    const { events, skipped } = acledDeletions(rows, { timeline });
    expect(events.map((e) => e.data.eventId)).toEqual(["SYR1001@1577145600"]);
    expect(skipped).toEqual([
      { row: 2, reason: expect.stringContaining("SYR9999"), invalid: false },
    ]);
    timeline.appendAll(events);
    expectControl(timeline, "2020-01-01", "idleb/jarjanaz", undefined);
    expectControl(timeline, "2020-01-01", "idleb/jarjanaz", "military-forces-of-syria-2000", {
      asOf: 1590000000 * 1000 - 1,
    });
  });

  it("acledDeletions makes a row without epoch seconds invalid", () => {
    const { skipped } = acledDeletions([{ event_id_cnty: "A", deleted_timestamp: "yesterday" }]);
    expect(skipped).toEqual([
      { row: 1, reason: expect.stringContaining("deleted_timestamp"), invalid: true },
    ]);
  });
});
