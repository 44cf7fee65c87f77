/**
 * Event versions: `defineEvent(type, schema, { version, upcast })`. Data written for an older
 * version is brought to the current shape wherever events are read back (here: `fromJSON`,
 * and inputs that name their version); an event with no way to the current version is an
 * error naming its type and versions, never dropped.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  createTimeline,
  defineEvent,
  defineReducer,
  fromJSON,
  TimelineValidationError,
} from "../src/index.js";
import { expectedContentId } from "./helpers/content-id.js";

/** What the code of last year defined: shelling counted in rounds. */
const ShellingV1 = defineEvent(
  "Shelling",
  z.strictObject({ place: z.string(), rounds: z.number().int() }),
  { places: ["place"] },
);

/** This year's: the count is `shells`, and who fired, when known. */
const Shelling = defineEvent(
  "Shelling",
  z.strictObject({ place: z.string(), shells: z.number().int(), by: z.string().optional() }),
  {
    places: ["place"],
    version: 2,
    upcast: (data, from) => {
      if (from !== 1) throw new Error(`no way from version ${from}`);
      const { place, rounds } = data as { place: string; rounds: number };
      return { place, shells: rounds };
    },
  },
);

const shelled = defineReducer({
  events: [Shelling],
  keyBy: { Shelling: (event) => event.data.place },
  initial: { shells: 0 },
  on: {
    Shelling(entry, event) {
      entry.shells += event.data.shells;
    },
  },
});

const oldFile = () => {
  const old = createTimeline({ events: [ShellingV1] });
  old.append(
    { type: "Shelling", at: "2024-03-01", data: { place: "tadmur", rounds: 40 } },
    { type: "Shelling", at: "2024-03-02", data: { place: "tadmur", rounds: 12 } },
    { type: "Captured", at: "2024-03-03", data: { place: "tadmur", by: "isis" } },
  );
  return old;
};

describe("defineEvent({ version, upcast })", () => {
  it("is version 1 without one, and keeps the version and upcast given", () => {
    expect(ShellingV1.version).toBe(1);
    expect(ShellingV1.upcast).toBeUndefined();
    expect(Shelling.version).toBe(2);
    expect(typeof Shelling.upcast).toBe("function");
  });

  it("is a TypeError for a version that is not a whole number from 1", () => {
    for (const version of [0, 1.5, -2, Number.NaN]) {
      expect(() => defineEvent("X", z.object({}), { version })).toThrow(
        /defineEvent\("X"\): the version must be a whole number from 1/,
      );
    }
    expect(() => defineEvent("X", z.object({}), { version: 2, upcast: "rename" as never })).toThrow(
      TypeError,
    );
  });
});

describe("events of a version other than 1", () => {
  it("are stored with their version, which takes part in their content id", () => {
    const timeline = createTimeline({ events: [Shelling] });
    const [event] = timeline.append({
      type: "Shelling",
      at: "2024-03-05",
      data: { place: "tadmur", shells: 3 },
    });
    expect(event?.version).toBe(2);
    const { id, ...content } = event as NonNullable<typeof event>;
    expect(id).toBe(expectedContentId(content));
    expect(id).not.toBe(expectedContentId({ ...content, version: undefined }));
    expect(JSON.parse(JSON.stringify(timeline.toJSON())).events[0].version).toBe(2);
  });

  it("leave events of version 1 as they were: no version stored, the same ids", () => {
    const timeline = createTimeline({ events: [ShellingV1] });
    const [event] = timeline.append({
      type: "Shelling",
      at: "2024-03-05",
      data: { place: "tadmur", rounds: 3 },
    });
    expect(event).not.toHaveProperty("version");
    const { id, ...content } = event as NonNullable<typeof event>;
    expect(id).toBe(expectedContentId(content));
    expect(JSON.stringify(event)).not.toMatch(/"version"/);
  });

  it("take an input that names an older version, upcast to the current one", () => {
    const timeline = createTimeline({ events: [Shelling], reducers: { shelled } });
    const [event] = timeline.append({
      type: "Shelling",
      at: "2024-03-05",
      version: 1,
      data: { place: "tadmur", rounds: 7 } as never,
    });
    expect(event?.data).toEqual({ place: "tadmur", shells: 7 });
    expect(event?.version).toBe(2);
    expect(timeline.latest().shelled).toEqual({ tadmur: { shells: 7 } });
  });

  it("name an input of an older version as the older code did, so re-appending it is a no-op", () => {
    const old = oldFile();
    const timeline = fromJSON(JSON.stringify(old.toJSON()), { events: [Shelling] });
    const before = timeline.events();
    const again = timeline.append({
      type: "Shelling",
      at: "2024-03-01",
      version: 1,
      data: { place: "tadmur", rounds: 40 } as never,
    });
    expect(again[0]?.id).toBe(old.events()[0]?.id);
    expect(timeline.events()).toEqual(before);
  });

  it("refuse an input of a version newer than the definition, naming both", () => {
    const timeline = createTimeline({ events: [Shelling] });
    const error = (() => {
      try {
        timeline.append({
          type: "Shelling",
          at: "2024-03-05",
          version: 3,
          data: { place: "tadmur", shells: 7 },
        });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(TimelineValidationError);
    expect((error as TimelineValidationError).issues[0]?.path).toEqual(["version"]);
    expect((error as Error).message).toMatch(/"Shelling" version 3 is newer .*version 2/);
    expect(timeline.size).toBe(0);
  });
});

describe("fromJSON of a file written by older code", () => {
  it("upcasts its events, keeping their ids, and the reducers see the current shape", () => {
    const old = oldFile();
    const timeline = fromJSON(JSON.stringify(old.toJSON()), {
      events: [Shelling],
      reducers: { shelled },
    });
    expect(timeline.events().map((e) => e.id)).toEqual(old.events().map((e) => e.id));
    expect(timeline.events()[0]?.data).toEqual({ place: "tadmur", shells: 40 });
    expect(timeline.latest().shelled).toEqual({ tadmur: { shells: 52 } });
    expect(timeline.latest().control.tadmur?.controller).toBe("isis");
    // Written again, the file is of the current version, and reads back the same.
    const again = fromJSON(JSON.stringify(timeline.toJSON()), {
      events: [Shelling],
      reducers: { shelled },
    });
    expect(again.events()).toEqual(timeline.events());
  });

  it("is an error naming the type and both versions when there is no upcast", () => {
    const NoWay = defineEvent("Shelling", Shelling.schema, { places: ["place"], version: 2 });
    const json = JSON.stringify(oldFile().toJSON());
    expect(() => fromJSON(json, { events: [NoWay] })).toThrow(TimelineValidationError);
    expect(() => fromJSON(json, { events: [NoWay] })).toThrow(
      /"Shelling" event of version 1 cannot be read as version 2/,
    );
  });

  it("is an error, not a silent drop, when the upcast gives data the schema refuses", () => {
    const Wrong = defineEvent("Shelling", Shelling.schema, {
      places: ["place"],
      version: 2,
      upcast: (data) => data as never,
    });
    const json = JSON.stringify(oldFile().toJSON());
    expect(() => fromJSON(json, { events: [Wrong] })).toThrow(/\(upcast from version 1 to 2\)/);
  });
});
