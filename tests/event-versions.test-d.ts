/**
 * Type-level contract of event versions: `defineEvent(type, schema, { version, upcast })`,
 * and the `version` of inputs and stored events.
 */
import { describe, expectTypeOf, it } from "vitest";
import { z } from "zod";
import { defineEvent, type EventOf, type InputOf } from "../src/index.js";

const schema = z.strictObject({ place: z.string(), shells: z.number().int() });

describe("defineEvent({ version, upcast })", () => {
  it("takes a version and an upcast from any older data to the current input", () => {
    const Shelling = defineEvent("Shelling", schema, {
      places: ["place"],
      version: 2,
      upcast: (data, fromVersion) => {
        expectTypeOf(data).toEqualTypeOf<unknown>();
        expectTypeOf(fromVersion).toEqualTypeOf<number>();
        const { place, rounds } = data as { place: string; rounds: number };
        return { place, shells: rounds };
      },
    });
    expectTypeOf(Shelling.version).toEqualTypeOf<number>();
    expectTypeOf(Shelling.type).toEqualTypeOf<"Shelling">();
  });

  it("rejects an upcast whose result does not fit the current schema", () => {
    defineEvent("Shelling", schema, {
      version: 2,
      // @ts-expect-error `shells` must be a number: the upcast gives the current shape
      upcast: () => ({ place: "tadmur", shells: "forty" }),
    });
  });

  it("rejects a version that is not a number", () => {
    // @ts-expect-error a version is a whole number
    defineEvent("Shelling", schema, { version: "2" });
  });

  it("still takes refs alone, as before versions", () => {
    const Old = defineEvent("Shelling", schema, { places: ["place"] });
    expectTypeOf(Old.version).toEqualTypeOf<number>();
  });
});

describe("versions on events", () => {
  const Shelling = defineEvent("Shelling", schema, { version: 2 });

  it("lets an input name the version its data is written for", () => {
    const input: InputOf<typeof Shelling> = {
      type: "Shelling",
      at: "2024-03-01",
      version: 1,
      data: { place: "tadmur", shells: 40 },
    };
    expectTypeOf(input.version).toEqualTypeOf<number | undefined>();
  });

  it("shows the version a stored event has, absent for version 1", () => {
    expectTypeOf<EventOf<typeof Shelling>["version"]>().toEqualTypeOf<number | undefined>();
  });
});
