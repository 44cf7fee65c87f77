import { describe, expectTypeOf, it } from "vitest";
import {
  createTimeline,
  type FormatTimeOptions,
  formatTime,
  fromJSON,
  type ParsedTime,
  type Precision,
  parseTime,
  type TimelineJSON,
  type TimelineOptions,
} from "../src/index.js";

describe("types of local days and printing", () => {
  it("createTimeline and fromJSON take a timeZone string, and a timeline gives it back", () => {
    expectTypeOf<TimelineOptions["timeZone"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf(createTimeline({ timeZone: "Asia/Damascus" }).timeZone).toEqualTypeOf<string>();
    expectTypeOf(fromJSON).parameter(1).exclude<undefined>().toHaveProperty("timeZone");
  });

  it("toJSON output may carry the zone", () => {
    expectTypeOf<TimelineJSON["timeZone"]>().toEqualTypeOf<string | undefined>();
  });

  it("parseTime takes an optional { timeZone }", () => {
    expectTypeOf(parseTime("2016-12-11", { timeZone: "+02:00" })).toEqualTypeOf<ParsedTime>();
    // @ts-expect-error a zone is a string
    parseTime("2016-12-11", { timeZone: 2 });
  });

  it("formatTime takes an instant, a precision and { timeZone?, locale? }, and gives a string", () => {
    expectTypeOf(formatTime).parameter(0).toEqualTypeOf<number | Date>();
    expectTypeOf(formatTime).parameter(1).toEqualTypeOf<Precision>();
    expectTypeOf<FormatTimeOptions>().toEqualTypeOf<{
      readonly timeZone?: string;
      readonly locale?: string | readonly string[];
    }>();
    expectTypeOf(formatTime(0, "day")).toEqualTypeOf<string>();
    // @ts-expect-error "fortnight" is not a precision
    formatTime(0, "fortnight");
  });
});
