/**
 * The hostile-input corpus through the library: parseEventsText locates every problem and
 * a timeline stores nothing of an invalid file; and properties over any string as a name:
 * the chart stays well-formed XML and the command line's escaping leaves no raw control
 * character.
 */
import fc from "fast-check";
import { XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { escapeControls, safeMessage } from "../../src/cli/escape.js";
import {
  createTimeline,
  defineEvent,
  formatTime,
  parseEventsText,
  renderChart,
  TimelineValidationError,
} from "../../src/index.js";
import { INVALID } from "./corpus.js";

const NOT_XML =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding what XML 1.0 forbids is the test
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding raw control characters is the test
const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** Any string, lone surrogates and every control character included. */
const anyString = fc.string({
  unit: fc.oneof(
    fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
    fc.constantFrom("\u001b", "\u0007", "\b", "\u009b", "\u202e", "<", "&", '"', "]]>"),
  ),
  maxLength: 40,
});

describe("the hostile corpus through parseEventsText and a timeline", () => {
  for (const input of INVALID) {
    it(`${input.name}: located problems, nothing stored`, () => {
      const text =
        typeof input.content === "string" ? input.content : input.content.toString("utf8");
      const format = input.file.endsWith(".csv") ? "csv" : undefined;
      const parsed = parseEventsText(text, format === undefined ? {} : { format });
      const timeline = createTimeline();
      let issues = parsed.problems.length;
      try {
        timeline.appendAll(parsed.events as never[]);
      } catch (error) {
        expect(error).toBeInstanceOf(TimelineValidationError);
        issues += (error as TimelineValidationError).issues.length;
      }
      expect(issues).toBeGreaterThan(0);
      for (const problem of parsed.problems) expect(problem.line).toBeGreaterThanOrEqual(0);
      expect(timeline.size).toBe(0);
    });
  }

  it("NDJSON with CR-only line breaks is read as the command line reads it", () => {
    const line = (place: string) =>
      JSON.stringify({ type: "Captured", at: "2016", data: { place, by: "isis" } });
    const parsed = parseEventsText(`${line("a")}\r${line("b")}\r`);
    expect(parsed.problems).toEqual([]);
    expect(parsed.events).toHaveLength(2);
  });

  it("data nested 100,000 deep in a custom event is a located issue, not a stack overflow", () => {
    const Note = defineEvent("Note", z.object({ value: z.any() }));
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const timeline = createTimeline({ events: [Note] });
    expect(() => timeline.append({ type: "Note", at: "2016", data: { value: deep } })).toThrow(
      /nested deeper than 1000 levels/,
    );
  });

  it("a __proto__ key in passthrough or record data is refused, not silently dropped", () => {
    const Tags = defineEvent("Tags", z.record(z.string(), z.string()));
    const Loose = defineEvent("Loose", z.looseObject({ place: z.string() }));
    const timeline = createTimeline({ events: [Tags, Loose] });
    for (const event of [
      { type: "Tags", at: "2016", data: JSON.parse('{"__proto__":"x","a":"b"}') },
      { type: "Loose", at: "2016", data: JSON.parse('{"place":"p","__proto__":{"x":1}}') },
    ]) {
      expect(() => timeline.append(event as never)).toThrow(/"__proto__" key/);
    }
    expect(timeline.size).toBe(0);
  });
});

describe("any string as a name", () => {
  it("gives a well-formed SVG chart", () => {
    fc.assert(
      fc.property(anyString, anyString, (place, actor) => {
        const timeline = createTimeline({
          places: { p: { name: place.length === 0 ? "x" : place } },
          actors: { a: { name: actor.length === 0 ? "x" : actor } },
        });
        timeline.append({ type: "Captured", at: "2016", data: { place: "p", by: "a" } });
        const svg = renderChart(timeline, {
          title: place,
          places: { p: { name: place.length === 0 ? "x" : place } },
          actors: { a: { name: actor.length === 0 ? "x" : actor } },
        });
        expect(XMLValidator.validate(svg)).toBe(true);
        expect(svg).not.toMatch(NOT_XML);
      }),
      { numRuns: 200 },
    );
  });

  it("is printed by the command line without a raw control character", () => {
    fc.assert(
      fc.property(anyString, (name) => {
        expect(escapeControls(name)).not.toMatch(RAW_CONTROL);
        expect(safeMessage(`unknown place "${name}"`)).not.toMatch(RAW_CONTROL);
      }),
      { numRuns: 1000 },
    );
  });

  it("a renderChart colour that is not CSS is refused before it reaches the SVG", () => {
    const timeline = createTimeline();
    timeline.append({ type: "Captured", at: "2016", data: { place: "p", by: "a" } });
    expect(() =>
      renderChart(timeline, { colors: { a: '"/><script>alert(1)</script><rect fill="' } }),
    ).toThrow(TypeError);
    expect(renderChart(timeline, { colors: { a: "rgb(10, 20, 30)" } })).toContain(
      'fill="rgb(10, 20, 30)"',
    );
  });
});

describe("instants at the ends of the Date range", () => {
  const PRECISIONS = [
    "year",
    "month",
    "week",
    "day",
    "hour",
    "minute",
    "second",
    "millisecond",
  ] as const;
  const ZONES = ["UTC", "+02:00", "-05:00", "+14:00", "Asia/Damascus", "America/Los_Angeles"];

  it("print in every precision, zone and locale, never NaN nor a RangeError", () => {
    for (const at of [8.64e15, -8.64e15, 8.64e15 - 3_600_000, -8.64e15 + 3_600_000]) {
      for (const precision of PRECISIONS) {
        for (const timeZone of ZONES) {
          expect(formatTime(at, precision, { timeZone })).not.toContain("NaN");
          expect(formatTime(at, precision, { timeZone, locale: "en-GB" })).not.toContain("NaN");
        }
      }
    }
  });

  it("keep a zone whose offset stays in range, and fall back to UTC where it would not", () => {
    expect(formatTime(-8.64e15, "millisecond", { timeZone: "+02:00" })).toBe(
      "-271821-04-20T02:00:00.000+02:00",
    );
    expect(formatTime(8.64e15, "millisecond", { timeZone: "+02:00" })).toBe(
      "+275760-09-13T00:00:00.000Z",
    );
    expect(formatTime(8.64e15, "millisecond", { timeZone: "-05:00" })).toBe(
      "+275760-09-12T19:00:00.000-05:00",
    );
  });

  it("have ISO weeks, as any other 400 years later or earlier", () => {
    // The Gregorian calendar repeats every 400 years, weekdays included.
    const cycle = 146_097 * 86_400_000;
    for (const end of [8.64e15, -8.64e15]) {
      const inner = formatTime(end - Math.sign(end) * 100 * cycle, "week");
      const outer = formatTime(end, "week");
      expect(outer.slice(-4)).toBe(inner.slice(-4));
      expect(Math.abs(Number(outer.slice(0, -4)) - Number(inner.slice(0, -4)))).toBe(40_000);
    }
  });
});
