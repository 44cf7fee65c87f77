/**
 * Type-level contract of the conflict-data imports (checked by `vitest --typecheck`): what
 * `fromUcdpGed`, `Fatalities`, `acledDeletions` and `fromAcled`'s update options accept and give.
 */
import { describe, expectTypeOf, it } from "vitest";
import {
  acledDeletions,
  createTimeline,
  type EventOf,
  Fatalities,
  fromAcled,
  fromUcdpGed,
  type SkippedRow,
  type UcdpImport,
} from "../src/index.js";

describe("conflict data", () => {
  it("fromUcdpGed gives Fatalities inputs that a timeline with the definition appends", () => {
    const imported = fromUcdpGed([]);
    expectTypeOf(imported).toEqualTypeOf<UcdpImport>();
    createTimeline({ events: [Fatalities] }).appendAll(imported.events);
  });

  it("Fatalities' data is typed from its schema", () => {
    type Data = EventOf<typeof Fatalities>["data"];
    expectTypeOf<Data["violence"]>().toEqualTypeOf<"state-based" | "non-state" | "one-sided">();
    expectTypeOf<Data["civilians"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<Data["best"]>().toEqualTypeOf<number>();
  });

  it("fromAcled takes any timeline to update, and acledDeletions' retractions append to it", () => {
    const timeline = createTimeline({ events: [Fatalities] });
    const update = fromAcled([], { timeline, dateOrder: "dmy" });
    timeline.appendAll(update.events);
    timeline.appendAll(acledDeletions([], { timeline }).events);
    expectTypeOf(update.skipped).toEqualTypeOf<SkippedRow[]>();
    // @ts-expect-error: dateOrder is "dmy" or "mdy"
    fromAcled([], { dateOrder: "ymd" });
  });
});
