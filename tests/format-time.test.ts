import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  formatSpan,
  formatTime,
  PRECISIONS,
  type Precision,
  parseTime,
  TimelineValidationError,
} from "../src/index.js";
import { expectIssues, ms } from "./helpers/assertions.js";

const ZONES = ["UTC", "Asia/Damascus", "America/New_York", "+02:00", "-05:30"] as const;

/** The ISO 8601 form of each precision, with nothing finer in it. */
const FORM: Readonly<Record<Precision, RegExp>> = {
  year: /^\d{4}$/,
  month: /^\d{4}-\d{2}$/,
  week: /^\d{4}-W\d{2}$/,
  day: /^\d{4}-\d{2}-\d{2}$/,
  hour: /^\d{4}-\d{2}-\d{2}T\d{2}(Z|[+-]\d{2}:\d{2})$/,
  minute: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/,
  second: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/,
  millisecond: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(Z|[+-]\d{2}:\d{2})$/,
};

// 1900 to 2100: the years news is about, with every kind of zone rule in between.
const instant = fc.integer({ min: ms("1900-01-01T00:00Z"), max: ms("2100-01-01T00:00Z") });
const precision = fc.constantFrom(...PRECISIONS);
const zone = fc.constantFrom(...ZONES);

describe("formatTime: ISO 8601 cut to the precision", () => {
  it.each([
    ["year", "2016"],
    ["month", "2016-12"],
    ["week", "2016-W49"],
    ["day", "2016-12-10"],
    ["hour", "2016-12-10T18+02:00"],
    ["minute", "2016-12-10T18:00+02:00"],
    ["second", "2016-12-10T18:00:07+02:00"],
    ["millisecond", "2016-12-10T18:00:07.123+02:00"],
  ] as const)("%s precision prints %s in Damascus", (p, text) => {
    expect(formatTime(ms("2016-12-10T16:00:07.123Z"), p, { timeZone: "Asia/Damascus" })).toBe(text);
  });

  it("prints Z for times of day in UTC, the default zone", () => {
    expect(formatTime(ms("2016-12-10T16:00Z"), "minute")).toBe("2016-12-10T16:00Z");
  });

  it("prints the date of the zone: 23:00 UTC is already the next day in Damascus", () => {
    const at = ms("2016-12-10T23:00Z");
    expect(formatTime(at, "day")).toBe("2016-12-10");
    expect(formatTime(at, "day", { timeZone: "Asia/Damascus" })).toBe("2016-12-11");
  });

  it("prints the ISO week-numbering year: 1 January 2016 is in 2015-W53", () => {
    expect(formatTime(ms("2016-01-01T12:00Z"), "week")).toBe("2015-W53");
  });

  it("accepts a Date", () => {
    expect(formatTime(new Date(ms("2016-12-10T16:00Z")), "day")).toBe("2016-12-10");
  });

  it("for every precision, the text has no field finer than it (property)", () => {
    fc.assert(
      fc.property(instant, precision, zone, (at, p, timeZone) => {
        expect(formatTime(at, p, { timeZone })).toMatch(FORM[p]);
      }),
    );
  });

  it("reads back with parseTime in the same zone: same precision, the start of the span that holds the instant (property)", () => {
    fc.assert(
      fc.property(instant, precision, zone, (at, p, timeZone) => {
        const text = formatTime(at, p, { timeZone });
        const back = parseTime(text, { timeZone });
        expect(back.precision).toBe(p);
        expect(back.at).toBeLessThanOrEqual(at);
        expect(formatTime(back.at, p, { timeZone })).toBe(text);
      }),
    );
  });
});

describe("formatTime: words of a locale", () => {
  it("prints a day with no hour", () => {
    expect(formatTime(ms("2016-12-10T16:00Z"), "day", { locale: "en-GB" })).toBe(
      "Sat, 10 Dec 2016",
    );
  });

  it("prints a month with no day", () => {
    expect(formatTime(ms("2016-12-10T16:00Z"), "month", { locale: "en-GB" })).toBe("December 2016");
  });

  it("prints a week as its Monday to Sunday", () => {
    const text = formatTime(ms("2016-12-10T16:00Z"), "week", { locale: "en-GB" });
    expect(text).toMatch(/5\s*[–-]\s*11 Dec 2016/);
  });

  it("prints an hour in the zone, with the zone named", () => {
    const text = formatTime(ms("2016-12-10T16:00Z"), "hour", {
      locale: "en-GB",
      timeZone: "+02:00",
    });
    expect(text).toBe("Sat, 10 Dec 2016, 18 UTC+02:00");
  });

  it("gives the same words for every instant of the span its precision names, so nothing finer shows (property)", () => {
    fc.assert(
      fc.property(
        instant,
        precision,
        zone,
        fc.constantFrom("en-GB", "en-US", "ar-SY", "de-DE"),
        (at, p, timeZone, locale) => {
          // The first instant of the span: the ISO text read back (tested above).
          const start = parseTime(formatTime(at, p, { timeZone }), { timeZone }).at;
          const words = formatTime(at, p, { timeZone, locale });
          expect(formatTime(start, p, { timeZone, locale })).toBe(words);
          expect(formatTime(Math.floor((start + at) / 2), p, { timeZone, locale })).toBe(words);
        },
      ),
    );
  });
});

describe("formatTime: bad arguments", () => {
  it("a zone that does not exist is a TimelineValidationError", () => {
    expectIssues(
      () => formatTime(0, "day", { timeZone: "Mars/Olympus_Mons" }),
      [{ index: 0, path: ["timeZone"] }],
    );
  });

  it("NaN and an invalid Date are TimelineValidationErrors", () => {
    expect(() => formatTime(Number.NaN, "day")).toThrow(TimelineValidationError);
    expect(() => formatTime(new Date("x"), "day")).toThrow(TimelineValidationError);
  });

  it("a precision that does not exist is a TimelineValidationError", () => {
    expectIssues(
      () => formatTime(0, "fortnight" as Precision),
      [{ index: 0, path: ["precision"] }],
    );
  });
});

describe("formatSpan: when an event known only between two times happened", () => {
  it("prints an ISO 8601 interval from notBefore to at, each at its own precision", () => {
    expect(formatSpan(ms("2024-10-03"), "day", ms("2024-10-10"), "day")).toBe(
      "2024-10-03/2024-10-10",
    );
  });

  it("prints each end in the zone: 'on the 8th or later', up to the evening of the 10th", () => {
    expect(
      formatSpan(ms("2016-12-07T22:00Z"), "day", ms("2016-12-10T16:00Z"), "hour", {
        timeZone: "Asia/Damascus",
      }),
    ).toBe("2016-12-08/2016-12-10T18+02:00");
  });

  it("without notBefore is formatTime of at, so an event's fields pass as they are", () => {
    expect(formatSpan(undefined, undefined, ms("2016-12-10"), "day")).toBe("2016-12-10");
  });

  it("where both ends print the same, prints one", () => {
    expect(formatSpan(ms("2016-12-10T02:00Z"), "day", ms("2016-12-10T16:00Z"), "day")).toBe(
      "2016-12-10",
    );
  });

  it("with a locale, prints the platform's words for a range of days", () => {
    expect(formatSpan(ms("2024-10-03"), "day", ms("2024-10-10"), "day", { locale: "en-GB" })).toBe(
      "Thu, 3 Oct 2024 – Thu, 10 Oct 2024",
    );
  });

  it("with a locale and ends of different precisions, prints each end's words", () => {
    expect(
      formatSpan(ms("2016-12-08"), "day", ms("2016-12-10T16:00Z"), "hour", { locale: "en-GB" }),
    ).toBe(
      `${formatTime(ms("2016-12-08"), "day", { locale: "en-GB" })} – ${formatTime(ms("2016-12-10T16:00Z"), "hour", { locale: "en-GB" })}`,
    );
  });

  it("reads back end by end with parseTime (property)", () => {
    fc.assert(
      fc.property(instant, instant, precision, zone, (a, b, p, timeZone) => {
        const [from, to] = a <= b ? [a, b] : [b, a];
        const text = formatSpan(from, p, to, p, { timeZone });
        for (const part of text.split("/")) {
          expect(parseTime(part, { timeZone }).precision).toBe(p);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("a bad end is a TimelineValidationError", () => {
    expect(() => formatSpan(Number.NaN, "day", ms("2016-12-10"), "day")).toThrow(
      TimelineValidationError,
    );
  });
});
