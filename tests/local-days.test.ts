import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createTimeline, fromJSON, openTimeline, parseTime } from "../src/index.js";
import { sqliteStore } from "../src/stores/sqlite.js";
import { captured, expectControl, expectIssues, ms } from "./helpers/assertions.js";

// Expected instants are written with explicit offsets and read by the platform (`ms`), taken
// from the zone's published rules: Damascus was +02:00 in winter and +03:00 in summer in 2016
// (clocks forward at 00:00 on 25 March, back at 00:00 on 28 October); New York forward at
// 02:00 on 13 March 2016, back at 02:00 on 6 November 2016.

describe("local days: createTimeline({ timeZone })", () => {
  it("the default zone is UTC", () => {
    const timeline = createTimeline();
    expect(timeline.timeZone).toBe("UTC");
    timeline.append(captured("2016-12-11", "palmyra", "isis"));
    expect(timeline.events()[0]?.at).toBe(ms("2016-12-11T00:00Z"));
  });

  it("a date in an event is 00:00 of that day in the timeline's IANA zone", () => {
    const timeline = createTimeline({ timeZone: "Asia/Damascus" });
    const [event] = timeline.append(captured("2016-12-11", "palmyra", "isis"));
    expect(event?.at).toBe(ms("2016-12-11T00:00+02:00"));
    expect(event?.precision).toBe("day");
  });

  it("a local day counts at 01:00 local time of that day, which is still the day before in UTC", () => {
    const timeline = createTimeline({ timeZone: "Asia/Damascus" });
    timeline.append(captured("2016-12-11", "palmyra", "isis"));
    expectControl(timeline, "2016-12-11T01:00+02:00", "palmyra", "isis");
    expectControl(timeline, ms("2016-12-10T23:00Z"), "palmyra", "isis");
  });

  it("a local day does not count at 23:00 local time the evening before", () => {
    const timeline = createTimeline({ timeZone: "Asia/Damascus" });
    timeline.append(captured("2016-12-11", "palmyra", "isis"));
    expectControl(timeline, "2016-12-10T23:00+02:00", "palmyra", undefined);
    expectControl(timeline, "2016-12-10T23:59:59.999", "palmyra", undefined);
  });

  it("the same date in a UTC timeline does not count at 01:00 +02:00 of that day", () => {
    const timeline = createTimeline();
    timeline.append(captured("2016-12-11", "palmyra", "isis"));
    expectControl(timeline, "2016-12-11T01:00+02:00", "palmyra", undefined);
  });

  it("a date in a query means the same local midnight as in an event", () => {
    const timeline = createTimeline({ timeZone: "Asia/Damascus" });
    timeline.append(captured("2016-12-11T00:00+02:00", "palmyra", "isis"));
    expectControl(timeline, "2016-12-11", "palmyra", "isis");
    expectControl(timeline, "2016-12-10T23:59", "palmyra", undefined);
  });

  it("query bounds of events() and diff() are read in the zone", () => {
    const timeline = createTimeline({ timeZone: "-05:00" });
    timeline.append(
      captured("2016-12-10T23:30-05:00", "palmyra", "isis"),
      captured("2016-12-11T04:30Z", "tadmur", "isis"),
    );
    // Both happened on 10 December at UTC-5 (the second at 23:30 local too).
    expect(timeline.events({ from: "2016-12-10", to: "2016-12-10T23:59:59.999" })).toHaveLength(2);
    expect(timeline.events({ from: "2016-12-11" })).toHaveLength(0);
    expect(timeline.diff("2016-12-10", "2016-12-11").map((d) => d.place)).toEqual([
      "palmyra",
      "tadmur",
    ]);
  });

  it("asOf is read in the zone too", () => {
    const timeline = createTimeline({ timeZone: "+02:00" });
    timeline.append(
      captured("2016-12-10", "palmyra", "isis", { recordedAt: "2016-12-11T00:30+02:00" }),
    );
    expectControl(timeline, "2016-12-12", "palmyra", "isis", { asOf: "2016-12-11T00:30" });
    expectControl(timeline, "2016-12-12", "palmyra", undefined, { asOf: "2016-12-11T00:29" });
  });

  it("a fixed offset zone reads date-times without an offset at that offset", () => {
    const timeline = createTimeline({ timeZone: "+02:00" });
    const [event] = timeline.append(captured("2016-12-10T18:00", "palmyra", "isis"));
    expect(event?.at).toBe(ms("2016-12-10T16:00Z"));
  });

  it("an offset written in the string wins over the zone", () => {
    const timeline = createTimeline({ timeZone: "Asia/Damascus" });
    const [event] = timeline.append(captured("2016-12-10T18:00Z", "palmyra", "isis"));
    expect(event?.at).toBe(ms("2016-12-10T18:00Z"));
  });

  it("numbers and Dates are instants, whatever the zone", () => {
    const timeline = createTimeline({ timeZone: "Asia/Damascus" });
    const at = ms("2016-12-10T18:00Z");
    const [a, b] = timeline.append(
      captured(at, "palmyra", "isis"),
      captured(new Date(at), "tadmur", "isis"),
    );
    expect([a?.at, b?.at]).toEqual([at, at]);
  });

  it("the zone's summer offset applies in summer (Damascus was +03:00 in July 2016)", () => {
    const timeline = createTimeline({ timeZone: "Asia/Damascus" });
    const [event] = timeline.append(captured("2016-07-01T12:00", "palmyra", "isis"));
    expect(event?.at).toBe(ms("2016-07-01T12:00+03:00"));
  });

  it("month, year and ISO week forms start at local midnight", () => {
    const timeZone = "Asia/Damascus";
    expect(parseTime("2016-12", { timeZone }).at).toBe(ms("2016-12-01T00:00+02:00"));
    expect(parseTime("2016", { timeZone }).at).toBe(ms("2016-01-01T00:00+02:00"));
    expect(parseTime("2016-W49", { timeZone }).at).toBe(ms("2016-12-05T00:00+02:00"));
  });
});

describe("local days: daylight saving time", () => {
  it("a day whose midnight the clocks skip starts when they jump (Damascus, 25 March 2016: 01:00 +03:00)", () => {
    expect(parseTime("2016-03-25", { timeZone: "Asia/Damascus" })).toEqual({
      at: ms("2016-03-25T01:00+03:00"),
      precision: "day",
    });
  });

  it("a time of day that the clocks skip is a TimelineValidationError, and nothing is appended", () => {
    const timeline = createTimeline({ timeZone: "America/New_York" });
    const error = expectIssues(
      () =>
        timeline.append(
          captured("2016-03-13T01:30", "palmyra", "isis"),
          captured("2016-03-13T02:30", "tadmur", "isis"),
        ),
      [{ index: 1, path: ["at"] }],
    );
    expect(error.message).toContain("America/New_York");
    expect(timeline.size).toBe(0);
  });

  it("a skipped time of day in a query is a TimelineValidationError too", () => {
    const timeline = createTimeline({ timeZone: "Asia/Damascus" });
    expectIssues(() => timeline.stateAt("2016-03-25T00:30"), [{ index: 0, path: ["t"] }]);
  });

  it("a time of day that the clocks show twice is the earlier instant (New York, 6 November 2016, 01:30)", () => {
    expect(parseTime("2016-11-06T01:30", { timeZone: "America/New_York" }).at).toBe(
      ms("2016-11-06T01:30-04:00"),
    );
  });

  it("a repeated hour in Damascus (27 October 2016, 23:30) is the earlier instant too", () => {
    expect(parseTime("2016-10-27T23:30", { timeZone: "Asia/Damascus" }).at).toBe(
      ms("2016-10-27T23:30+03:00"),
    );
  });

  it("the times just around a New York gap exist", () => {
    const timeZone = "America/New_York";
    expect(parseTime("2016-03-13T01:59", { timeZone }).at).toBe(ms("2016-03-13T01:59-05:00"));
    expect(parseTime("2016-03-13T03:00", { timeZone }).at).toBe(ms("2016-03-13T03:00-04:00"));
  });
});

describe("local days: bad zones", () => {
  it("a zone that does not exist is a TimelineValidationError naming it", () => {
    const error = expectIssues(
      () => createTimeline({ timeZone: "Mars/Olympus_Mons" }),
      [{ index: 0, path: ["timeZone"] }],
    );
    expect(error.message).toContain("Mars/Olympus_Mons");
  });

  it("an offset out of range is a TimelineValidationError", () => {
    expectIssues(() => createTimeline({ timeZone: "+25:00" }), [{ index: 0, path: ["timeZone"] }]);
  });

  it("parseTime rejects a zone that does not exist", () => {
    expectIssues(
      () => parseTime("2016-12-11", { timeZone: "Nowhere/Town" }),
      [{ index: 0, path: ["timeZone"] }],
    );
  });
});

describe("local days: kept by toJSON, fromJSON and stores", () => {
  it("toJSON() keeps the zone and fromJSON restores it", () => {
    const timeline = createTimeline({ timeZone: "Asia/Damascus" });
    timeline.append(captured("2016-12-11", "palmyra", "isis"));
    const json = JSON.parse(JSON.stringify(timeline.toJSON()));
    expect(json.timeZone).toBe("Asia/Damascus");
    const copy = fromJSON(json);
    expect(copy.timeZone).toBe("Asia/Damascus");
    expectControl(copy, "2016-12-11", "palmyra", "isis");
  });

  it("a UTC timeline's JSON has no timeZone, and JSON without one reads as UTC", () => {
    const timeline = createTimeline();
    timeline.append(captured("2016-12-11", "palmyra", "isis"));
    expect(Object.keys(timeline.toJSON())).toEqual(["version", "events"]);
    expect(fromJSON({ version: 1, events: [] }).timeZone).toBe("UTC");
  });

  it("a zone given to fromJSON wins over the one in the JSON", () => {
    const json = createTimeline({ timeZone: "Asia/Damascus" }).toJSON();
    expect(fromJSON(json, { timeZone: "+05:00" }).timeZone).toBe("+05:00");
  });

  it("openTimeline({ timeZone }) reads local days in that zone", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tidemark-zone-"));
    const timeline = await openTimeline({
      store: sqliteStore(join(dir, "t.db")),
      timeZone: "Asia/Damascus",
    });
    try {
      const [event] = await timeline.append(captured("2016-12-11", "palmyra", "isis"));
      expect(event?.at).toBe(ms("2016-12-11T00:00+02:00"));
      expectControl(timeline, "2016-12-11", "palmyra", "isis");
    } finally {
      await timeline.close();
    }
  });
});

describe("local days: the names of UTC", () => {
  it.each(["utc", "Etc/UTC"])("%s is the default zone, which JSON leaves out", (timeZone) => {
    const timeline = createTimeline({ timeZone });
    expect(timeline.timeZone).toBe("UTC");
    expect(Object.keys(timeline.toJSON())).toEqual(["version", "events"]);
  });
});
