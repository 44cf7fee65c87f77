import { describe, expect, it } from "vitest";
import {
  createTimeline,
  PRECISIONS,
  type Precision,
  parseTime,
  type TimeInput,
  TimelineValidationError,
} from "../src/index.js";
import { captured, expectIssues, ms } from "./helpers/assertions.js";

describe("accepted time forms", () => {
  it('a date-only string ("2016-12-11") means 00:00 UTC of that day, with day precision', () => {
    expect(parseTime("2016-12-11")).toEqual({ at: Date.UTC(2016, 11, 11), precision: "day" });
  });

  it('a year-month string ("2016-12") means 00:00 UTC of the 1st, with month precision', () => {
    expect(parseTime("2016-12")).toEqual({ at: Date.UTC(2016, 11, 1), precision: "month" });
  });

  it('a year string ("2016") means 00:00 UTC of 1 January, with year precision', () => {
    expect(parseTime("2016")).toEqual({ at: Date.UTC(2016, 0, 1), precision: "year" });
  });

  it('an offset is honoured: "2016-12-11T12:00+02:00" is 10:00 UTC', () => {
    expect(parseTime("2016-12-11T12:00+02:00")).toEqual({
      at: Date.UTC(2016, 11, 11, 10, 0),
      precision: "minute",
    });
  });

  it('a negative offset is honoured: "2016-12-10T22:30-05:00" is 03:30 UTC the next day', () => {
    expect(parseTime("2016-12-10T22:30-05:00").at).toBe(Date.UTC(2016, 11, 11, 3, 30));
  });

  it("offsets are read alike in times and in timeZone: +HH is +HH:00, and beyond ±14:00 is refused", () => {
    expect(parseTime("2016-12-11T12:00+02").at).toBe(Date.UTC(2016, 11, 11, 10, 0));
    expect(parseTime("2016-12-11T12:00", { timeZone: "+02" }).at).toBe(Date.UTC(2016, 11, 11, 10));
    expect(parseTime("2016-12-11T12:00+14:00").at).toBe(Date.UTC(2016, 11, 10, 22, 0));
    expect(() => parseTime("2016-12-11T12:00+15:00")).toThrow(/out of range \(-14:00 to \+14:00\)/);
    expect(() => createTimeline({ timeZone: "+15:00" })).toThrow(
      /out of range \(-14:00 to \+14:00\)/,
    );
  });

  it('"Z" means UTC', () => {
    expect(parseTime("2016-12-11T06:00Z").at).toBe(Date.UTC(2016, 11, 11, 6, 0));
  });

  it("a date-time without an offset is read as UTC, whatever the machine's time zone", () => {
    expect(parseTime("2016-12-11T06:00").at).toBe(Date.UTC(2016, 11, 11, 6, 0));
  });

  it.each<[string, number, Precision]>([
    ["2016-12-11T06", Date.UTC(2016, 11, 11, 6), "hour"],
    ["2016-12-11T06:30", Date.UTC(2016, 11, 11, 6, 30), "minute"],
    ["2016-12-11T06:30:15", Date.UTC(2016, 11, 11, 6, 30, 15), "second"],
    ["2016-12-11T06:30:15.250Z", Date.UTC(2016, 11, 11, 6, 30, 15, 250), "millisecond"],
  ])("a date-time's precision is its last given field: %s has %s", (input, at, precision) => {
    expect(parseTime(input)).toEqual({ at, precision });
  });

  it('an ISO week ("2016-W49") means 00:00 UTC of its Monday, with week precision', () => {
    // Monday 5 December 2016.
    expect(parseTime("2016-W49")).toEqual({ at: Date.UTC(2016, 11, 5), precision: "week" });
    expect(new Date(parseTime("2016-W49").at).getUTCDay()).toBe(1);
  });

  it("week 1 is the week holding 4 January, so its Monday may fall in the year before", () => {
    expect(parseTime("2016-W01").at).toBe(Date.UTC(2016, 0, 4));
    expect(parseTime("2015-W01").at).toBe(Date.UTC(2014, 11, 29));
  });

  it("a year with 53 ISO weeks accepts week 53", () => {
    expect(parseTime("2015-W53")).toEqual({ at: Date.UTC(2015, 11, 28), precision: "week" });
  });

  it('an ISO week date with a weekday ("2016-W49-7") means that day, with day precision', () => {
    expect(parseTime("2016-W49-7")).toEqual({ at: Date.UTC(2016, 11, 11), precision: "day" });
  });

  it("29 February exists in a leap year", () => {
    expect(parseTime("2016-02-29").at).toBe(Date.UTC(2016, 1, 29));
  });

  it("a number is epoch milliseconds (UTC), with millisecond precision", () => {
    const at = ms("2016-12-11T06:00+02:00");
    expect(parseTime(at)).toEqual({ at, precision: "millisecond" });
  });

  it("a valid Date is its instant, with millisecond precision", () => {
    const date = new Date(Date.UTC(2016, 2, 27, 9, 15));
    expect(parseTime(date)).toEqual({ at: date.getTime(), precision: "millisecond" });
  });

  it("epoch 0 and times before 1970 are valid instants", () => {
    expect(parseTime(0).at).toBe(0);
    expect(parseTime("1946-04-17").at).toBe(Date.UTC(1946, 3, 17));
  });
});

describe("rejected time forms", () => {
  it.each<[string, unknown]>([
    ['"yesterday"', "yesterday"],
    ["an empty string", ""],
    ['"2016-13-40"', "2016-13-40"],
    ['"2016-13" (month 13)', "2016-13"],
    ['"2016-00"', "2016-00"],
    ['"2016-02-30" (30 February)', "2016-02-30"],
    ['"2015-02-29" (not a leap year)', "2015-02-29"],
    ['"2016-12-11T24:00Z" (hour 24)', "2016-12-11T24:00Z"],
    ['"2016-12-11T12:60Z" (minute 60)', "2016-12-11T12:60Z"],
    ['"2016-12-11T12:00+25:00" (offset out of range)', "2016-12-11T12:00+25:00"],
    ['"2016-W53" (2016 has 52 ISO weeks)', "2016-W53"],
    ['"2016-W00"', "2016-W00"],
    ['"11/12/2016" (not ISO 8601)', "11/12/2016"],
    ['"10 December 2016" (not ISO 8601)', "10 December 2016"],
    ["NaN", Number.NaN],
    ["Infinity", Number.POSITIVE_INFINITY],
    ["-Infinity", Number.NEGATIVE_INFINITY],
    ["a fractional number of milliseconds (1.5)", 1.5],
    ['new Date("x")', new Date("x")],
    ["null", null],
    ["undefined", undefined],
    ["a boolean", true],
    ["an object", { year: 2016 }],
  ])("%s is rejected with a TimelineValidationError", (_label, input) => {
    expect(() => parseTime(input as TimeInput)).toThrow(TimelineValidationError);
  });

  it("the error says in words what is wrong with the time", () => {
    const error = expectIssues(() => parseTime("2016-13-40"), [{ index: 0, path: [] }]);
    expect(error.message).toMatch(/month 13/);
  });

  it("a bad `at` is reported at path ['at'] of its input, and nothing is stored", () => {
    const timeline = createTimeline();
    expectIssues(
      () =>
        timeline.append(
          captured("2016-12-10", "palmyra", "isis"),
          captured("yesterday", "palmyra", "regime"),
        ),
      [{ index: 1, path: ["at"] }],
    );
    expect(timeline.size).toBe(0);
  });

  it("a bad `recordedAt` is reported at path ['recordedAt']", () => {
    const timeline = createTimeline();
    expectIssues(
      () => timeline.append(captured("2016-12-10", "palmyra", "isis", { recordedAt: Number.NaN })),
      [{ index: 0, path: ["recordedAt"] }],
    );
  });

  it("a missing `at` is reported at path ['at']", () => {
    const timeline = createTimeline();
    expectIssues(
      () => timeline.append({ type: "Captured", data: { place: "palmyra", by: "isis" } } as never),
      [{ index: 0, path: ["at"] }],
    );
  });
});

describe("precision of stored events", () => {
  it.each<[TimeInput, Precision]>([
    ["2016", "year"],
    ["2016-12", "month"],
    ["2016-W49", "week"],
    ["2016-12-11", "day"],
    ["2016-12-11T06+02:00", "hour"],
    ["2016-12-11T06:00+02:00", "minute"],
    ["2016-12-11T06:00:30+02:00", "second"],
    ["2016-12-11T06:00:30.125+02:00", "millisecond"],
    [Date.UTC(2016, 11, 11), "millisecond"],
    [new Date(Date.UTC(2016, 11, 11)), "millisecond"],
  ])("an event at %s is stored with %s precision", (at, precision) => {
    const timeline = createTimeline();
    const [event] = timeline.append(captured(at, "palmyra", "isis"));
    expect(event?.precision).toBe(precision);
  });

  it("the stored `at` is epoch milliseconds, whatever form it was given in", () => {
    const timeline = createTimeline();
    const [event] = timeline.append(captured("2016-12-10T18:00+02:00", "palmyra", "isis"));
    expect(event?.at).toBe(ms("2016-12-10T16:00:00Z"));
  });

  it("`precision` may be coarser than the form of `at` (a date with a separate precision code)", () => {
    const timeline = createTimeline();
    const [event] = timeline.append(
      captured("2016-12-11", "palmyra", "isis", { precision: "month" }),
    );
    expect(event?.precision).toBe("month");
  });

  it("a coarser `precision` does not move `at`", () => {
    const timeline = createTimeline();
    const [event] = timeline.append(
      captured("2016-12-11T06:00+02:00", "palmyra", "isis", { precision: "day" }),
    );
    expect(event?.at).toBe(ms("2016-12-11T04:00:00Z"));
  });

  it("`precision` equal to the form of `at` is accepted", () => {
    const timeline = createTimeline();
    const [event] = timeline.append(captured("2016-12", "palmyra", "isis", { precision: "month" }));
    expect(event?.precision).toBe("month");
  });

  it("`precision` finer than the form of `at` is an error at path ['precision']", () => {
    const timeline = createTimeline();
    expectIssues(
      () => timeline.append(captured("2016-12", "palmyra", "isis", { precision: "day" })),
      [{ index: 0, path: ["precision"] }],
    );
    expect(timeline.size).toBe(0);
  });

  it("an ISO week may be given month precision but not day precision", () => {
    const timeline = createTimeline();
    const [event] = timeline.append(
      captured("2016-W49", "palmyra", "isis", { precision: "month" }),
    );
    expect(event?.precision).toBe("month");
    expectIssues(
      () => timeline.append(captured("2016-W49", "palmyra", "isis", { precision: "day" })),
      [{ index: 0, path: ["precision"] }],
    );
  });

  it("an epoch-millisecond `at` may be given any precision", () => {
    const timeline = createTimeline();
    const [event] = timeline.append(
      captured(Date.UTC(2016, 11, 11), "palmyra", "isis", { precision: "year" }),
    );
    expect(event?.precision).toBe("year");
  });

  it("a `precision` that is not a precision name is an error at path ['precision']", () => {
    const timeline = createTimeline();
    expectIssues(
      () =>
        timeline.append(
          captured("2016-12-11", "palmyra", "isis", { precision: "fortnight" as Precision }),
        ),
      [{ index: 0, path: ["precision"] }],
    );
  });

  it("`recordedAt` defaults to `at`", () => {
    const timeline = createTimeline();
    const [event] = timeline.append(captured("2016-12-11T06:00+02:00", "palmyra", "isis"));
    expect(event?.recordedAt).toBe(ms("2016-12-11T04:00:00Z"));
  });

  it("`recordedAt` is read like `at`, in any time form", () => {
    const timeline = createTimeline();
    const [event] = timeline.append(
      captured("2016-12-11", "palmyra", "isis", { recordedAt: "2016-12-12T09:00+02:00" }),
    );
    expect(event?.recordedAt).toBe(ms("2016-12-12T07:00:00Z"));
  });

  it("PRECISIONS lists every precision, coarsest first", () => {
    expect(PRECISIONS).toEqual([
      "year",
      "month",
      "week",
      "day",
      "hour",
      "minute",
      "second",
      "millisecond",
    ]);
  });
});

describe("times in queries", () => {
  it("a query time is read like an event time, in any form", () => {
    const timeline = createTimeline();
    timeline.append(captured("2016-12-11T12:00+02:00", "palmyra", "isis"));
    // 10:00 UTC: at 09:59 UTC nothing, from 10:00 UTC on ISIS.
    expect(timeline.stateAt("2016-12-11T09:59Z").control.palmyra).toBeUndefined();
    expect(timeline.stateAt("2016-12-11T10:00Z").control.palmyra?.controller).toBe("isis");
    expect(timeline.stateAt(ms("2016-12-11T10:00Z")).control.palmyra?.controller).toBe("isis");
    expect(timeline.stateAt(new Date(ms("2016-12-11T10:00Z"))).control.palmyra?.controller).toBe(
      "isis",
    );
  });

  it("a coarse query time means its first instant: stateAt('2016-12') is 1 December 00:00 UTC", () => {
    const timeline = createTimeline();
    timeline.append(
      captured("2016-12-01", "palmyra", "isis"),
      captured("2016-12-02", "palmyra", "regime"),
    );
    expect(timeline.stateAt("2016-12").control.palmyra?.controller).toBe("isis");
  });

  it.each<[string, () => unknown, string]>([
    ["stateAt", () => createTimeline().stateAt("yesterday"), "t"],
    ["diff (first time)", () => createTimeline().diff(Number.NaN, "2016"), "a"],
    ["diff (second time)", () => createTimeline().diff("2016", new Date("x")), "b"],
    ["claims", () => createTimeline().claims("palmyra", "2016-13-40"), "t"],
    ["contested", () => createTimeline().contested("yesterday"), "t"],
    ["events (from)", () => createTimeline().events({ from: "yesterday" }), "from"],
    ["events (to)", () => createTimeline().events({ to: Number.NaN }), "to"],
  ])(
    "a bad time given to %s is a TimelineValidationError naming the argument",
    (_name, fn, arg) => {
      expectIssues(fn, [{ index: 0, path: [arg] }]);
    },
  );
});
