import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  createTimeline,
  defineEvent,
  defineReducer,
  type RegistryEntry,
  TimelineValidationError,
} from "../src/index.js";
import {
  airstrike,
  arrests,
  captured,
  cites,
  expectControl,
  expectIssues,
  ms,
  withdrew,
} from "./helpers/assertions.js";

const places = {
  palmyra: {
    name: "Palmyra",
    names: { ar: "تدمر" },
    aliases: ["Tadmur", "Tadmor"],
    kind: "city",
    coordinates: [38.2684, 34.5604],
  },
  "palmyra-citadel": {
    name: "Palmyra Citadel",
    aliases: ["Fakhr al-Din al-Ma'ani Castle"],
    parent: "palmyra",
    kind: "castle",
    coordinates: [38.2567, 34.5631],
  },
  "palmyra-old-city": { name: "Old city", parent: "palmyra", kind: "district" },
  "temple-of-bel": { name: "Temple of Bel", parent: "palmyra-old-city", kind: "site" },
  "tiyas-airbase": { name: "Tiyas airbase", aliases: ["T4"], kind: "airbase" },
} satisfies Record<string, RegistryEntry>;

const actors = {
  isis: { name: "Islamic State", aliases: ["ISIS", "ISIL", "Daesh"] },
  regime: { name: "Syrian Arab Army", aliases: ["SAA"] },
  russia: { name: "Russian Aerospace Forces", aliases: ["VKS"] },
} satisfies Record<string, RegistryEntry>;

function registered() {
  return createTimeline({ places, actors });
}

describe("without registries", () => {
  it("any place and actor id is accepted", () => {
    const timeline = createTimeline();
    timeline.append(captured("2016-12-11", "somewhere-new", "someone-new"));
    expectControl(timeline, "2016-12-11", "somewhere-new", "someone-new");
  });

  it("ids are just names: capturing palmyra does not touch palmyra-citadel", () => {
    const timeline = createTimeline();
    timeline.append(
      captured("2016-03-27", "palmyra-citadel", "regime"),
      captured("2016-12-11", "palmyra", "isis"),
    );
    expectControl(timeline, "2016-12-11", "palmyra-citadel", "regime");
  });

  it("history of any place is accepted, and empty when nothing is known", () => {
    expect(createTimeline().history("nowhere")).toEqual([]);
    expect(createTimeline().claims("nowhere", "2016")).toEqual([]);
  });
});

describe("unknown ids, when a registry is given", () => {
  it("an unknown place is rejected wherever an event names one", () => {
    const timeline = registered();
    expectIssues(
      () =>
        timeline.append(
          captured("2016-12-11", "aleppo", "isis"),
          withdrew("2016-12-11", "palmyra", "isis", undefined, {}),
          {
            type: "Withdrew",
            at: "2016-12-11",
            data: { place: "palmyra", actor: "isis", to: "raqqa" },
          },
          airstrike("2016-12-10", ["palmyra", "jazal"], "russia"),
          arrests("2016-12-12", "deir-ez-zor", "isis"),
        ),
      [
        { index: 0, path: ["data", "place"] },
        { index: 2, path: ["data", "to"] },
        { index: 3, path: ["data", "places", 1] },
        { index: 4, path: ["data", "place"] },
      ],
    );
    expect(timeline.size).toBe(0);
  });

  it("an unknown actor is rejected wherever an event names one", () => {
    const timeline = registered();
    const error = expectIssues(
      () =>
        timeline.append(
          {
            type: "Captured",
            at: "2016-12-11",
            data: { place: "palmyra", by: "isis", from: "hezbollah" },
          },
          captured("2016-12-11", "palmyra", "al-nusra"),
          withdrew("2016-12-11", "palmyra", "ypg", "sdf"),
          airstrike("2016-12-10", ["palmyra"], "usaf"),
          arrests("2016-12-12", "palmyra", "fsa"),
        ),
      [
        { index: 0, path: ["data", "from"] },
        { index: 1, path: ["data", "by"] },
        { index: 2, path: ["data", "actor"] },
        { index: 2, path: ["data", "handedTo"] },
        { index: 3, path: ["data", "by"] },
        { index: 4, path: ["data", "by"] },
      ],
    );
    expect(error.message).toContain("hezbollah");
  });

  it("a places registry alone leaves actors unchecked", () => {
    const timeline = createTimeline({ places });
    timeline.append(captured("2016-12-11", "palmyra", "anyone"));
    expectControl(timeline, "2016-12-11", "palmyra", "anyone");
    expect(() => timeline.append(captured("2016-12-11", "aleppo", "anyone"))).toThrow(
      TimelineValidationError,
    );
  });

  it("an actors registry alone leaves places unchecked", () => {
    const timeline = createTimeline({ actors });
    timeline.append(captured("2016-12-11", "anywhere", "isis"));
    expectControl(timeline, "2016-12-11", "anywhere", "isis");
    expect(() => timeline.append(captured("2016-12-11", "anywhere", "anyone"))).toThrow(
      TimelineValidationError,
    );
  });

  it("history and claims of an unknown place are a TimelineValidationError at ['place']", () => {
    const timeline = registered();
    expectIssues(() => timeline.history("aleppo"), [{ index: 0, path: ["place"] }]);
    expectIssues(() => timeline.claims("aleppo", "2016-12-31"), [{ index: 0, path: ["place"] }]);
  });

  it("a known place nothing has happened to has an empty history", () => {
    expect(registered().history("tiyas-airbase")).toEqual([]);
  });
});

describe("aliases", () => {
  it("an alias stands for the id in any event; stored events and states use the id", () => {
    const timeline = registered();
    const [take, strike] = timeline.append(
      { type: "Captured", at: "2016-12-11", data: { place: "Tadmur", by: "Daesh", from: "SAA" } },
      airstrike("2016-12-10", ["Tadmor", "T4"], "VKS"),
    );
    expect(take?.data).toEqual({ place: "palmyra", by: "isis", from: "regime" });
    expect(strike?.data).toEqual({ places: ["palmyra", "tiyas-airbase"], by: "russia" });
    expect(timeline.latest().control).toEqual({
      palmyra: {
        controller: "isis",
        since: ms("2016-12-11"),
        eventId: take?.id,
        precision: "day",
        contested: false,
      },
      "palmyra-citadel": {
        controller: "isis",
        since: ms("2016-12-11"),
        eventId: take?.id,
        precision: "day",
        contested: false,
      },
      "palmyra-old-city": {
        controller: "isis",
        since: ms("2016-12-11"),
        eventId: take?.id,
        precision: "day",
        contested: false,
      },
      "temple-of-bel": {
        controller: "isis",
        since: ms("2016-12-11"),
        eventId: take?.id,
        precision: "day",
        contested: false,
      },
    });
  });

  it("aliases in a Withdrew's actor and handedTo resolve to ids", () => {
    const timeline = registered();
    timeline.append(
      captured("2016-12-11", "tiyas-airbase", "regime"),
      withdrew("2016-12-12", "T4", "SAA", "VKS"),
    );
    expectControl(timeline, "2016-12-12", "tiyas-airbase", "russia");
  });

  it("an event written with aliases is the same event as one written with ids", () => {
    const timeline = registered();
    const [stored] = timeline.append(captured("2016-12-11", "palmyra", "isis", { id: "x" }));
    const [again] = timeline.append(captured("2016-12-11", "Tadmur", "ISIL", { id: "x" }));
    expect(again).toStrictEqual(stored);
    expect(timeline.size).toBe(1);
  });

  it("history and claims accept an alias for the place", () => {
    const timeline = registered();
    const [event] = timeline.append(
      captured("2016-12-11", "palmyra", "isis", { sources: cites("Amaq") }),
    );
    expect(timeline.history("Tadmur")).toEqual(timeline.history("palmyra"));
    expect(timeline.history("Tadmur")).toHaveLength(1);
    expect(timeline.claims("Tadmor", "2016-12-31")).toEqual([
      {
        source: "Amaq",
        controller: "isis",
        since: ms("2016-12-11"),
        eventId: event?.id,
        precision: "day",
        standing: true,
      },
    ]);
  });

  it("an alias claimed by two ids is a TimelineValidationError at createTimeline", () => {
    expectIssues(
      () =>
        createTimeline({
          places: {
            palmyra: { name: "Palmyra", aliases: ["Tadmur"] },
            "palmyra-citadel": { name: "Citadel", aliases: ["Tadmur"] },
          },
        }),
      [{ index: 0, path: ["places", "palmyra-citadel", "aliases"] }],
    );
  });

  it("an alias that is another entry's id is a TimelineValidationError", () => {
    expect(() =>
      createTimeline({
        actors: { isis: { name: "Islamic State" }, daesh: { name: "Daesh", aliases: ["isis"] } },
      }),
    ).toThrow(TimelineValidationError);
  });
});

describe("the one id rule in registries", () => {
  it("a place id, parent or alias with U+0000, a lone surrogate or past 1,024 bytes is refused at createTimeline", () => {
    expectIssues(
      () =>
        createTimeline({
          places: {
            "tad\u0000mur": { name: "Tadmur" },
            palmyra: { name: "Palmyra", parent: "homs\ud800", aliases: ["ok", "é".repeat(513)] },
            homs: { name: "Homs" },
          },
        }),
      [
        { index: 0, path: ["places", "tad\u0000mur"] },
        { index: 0, path: ["places", "palmyra", "aliases", 1] },
        { index: 0, path: ["places", "palmyra", "parent"] },
      ],
    );
  });

  it("an actor id of exactly 1,024 bytes of UTF-8 is accepted", () => {
    expect(() =>
      createTimeline({ actors: { ["é".repeat(511) + "xy"]: { name: "X" } } }),
    ).not.toThrow();
  });
});

describe("parents and descendants", () => {
  it("a Captured of a place applies to each of its descendants, at every depth", () => {
    const timeline = registered();
    timeline.append(captured("2016-03-27", "palmyra", "regime"));
    for (const place of ["palmyra", "palmyra-citadel", "palmyra-old-city", "temple-of-bel"]) {
      expectControl(timeline, "2016-03-27", place, "regime");
    }
    expectControl(timeline, "2016-03-27", "tiyas-airbase", undefined);
  });

  it("a Captured of a descendant touches neither its parent nor its siblings", () => {
    const timeline = registered();
    timeline.append(
      captured("2016-03-27", "palmyra", "regime"),
      captured("2016-12-11", "palmyra-citadel", "isis"),
    );
    expectControl(timeline, "2016-12-11", "palmyra-citadel", "isis");
    expectControl(timeline, "2016-12-11", "palmyra", "regime");
    expectControl(timeline, "2016-12-11", "palmyra-old-city", "regime");
  });

  it("a Captured of a place overrides what its descendants had", () => {
    const timeline = registered();
    timeline.append(
      captured("2016-03-27", "palmyra-citadel", "regime"),
      captured("2016-12-11", "palmyra", "isis"),
    );
    expectControl(timeline, "2016-12-11", "palmyra-citadel", "isis");
  });

  it("a Withdrew by the controller of a place applies to the descendants it controls", () => {
    const timeline = registered();
    timeline.append(
      captured("2016-12-11", "palmyra", "isis"),
      withdrew("2017-03-02", "palmyra", "isis", "regime"),
    );
    for (const place of ["palmyra", "palmyra-citadel", "palmyra-old-city", "temple-of-bel"]) {
      expectControl(timeline, "2017-03-02", place, "regime");
    }
  });

  it("a Withdrew by isis leaves a descendant that regime holds as it is", () => {
    const timeline = registered();
    timeline.append(
      captured("2016-12-11", "palmyra", "isis"),
      captured("2016-12-20", "palmyra-citadel", "regime", { id: "citadel" }),
      withdrew("2017-03-01", "palmyra", "isis"),
    );
    expectControl(timeline, "2017-03-01", "palmyra", null);
    expectControl(timeline, "2017-03-01", "palmyra-old-city", null);
    expect(timeline.latest().control["palmyra-citadel"]).toEqual({
      controller: "regime",
      since: ms("2016-12-20"),
      eventId: "citadel",
      precision: "day",
      contested: false,
    });
  });

  it("a Withdrew from a place its actor does not hold still applies to descendants it holds", () => {
    const timeline = registered();
    timeline.append(
      captured("2016-03-27", "palmyra", "regime"),
      captured("2016-12-11", "palmyra-citadel", "isis"),
      withdrew("2016-12-20", "palmyra", "isis", "russia"),
    );
    expectControl(timeline, "2016-12-20", "palmyra", "regime");
    expectControl(timeline, "2016-12-20", "palmyra-citadel", "russia");
  });

  it("only Captured and Withdrew reach descendants: an airstrike on the city is not one on the citadel", () => {
    const timeline = registered();
    timeline.append(
      airstrike("2016-12-10", ["palmyra"], "russia"),
      arrests("2016-12-12", "palmyra", "isis", 5),
    );
    expect(Object.keys(timeline.latest().airstrikes)).toEqual(["palmyra"]);
    expect(Object.keys(timeline.latest().arrests)).toEqual(["palmyra"]);
  });

  it("the history of a descendant includes the control events of its ancestors", () => {
    const timeline = registered();
    timeline.append(
      captured("2016-03-27", "palmyra", "regime", { id: "city" }),
      captured("2016-12-11", "palmyra-citadel", "isis", { id: "citadel" }),
      withdrew("2017-03-02", "palmyra", "isis", "regime", { id: "leave" }),
    );
    expect(timeline.history("temple-of-bel").map((i) => i.eventId)).toEqual(["city"]);
    expect(timeline.history("palmyra-citadel").map((i) => [i.controller, i.eventId])).toEqual([
      ["regime", "city"],
      ["isis", "citadel"],
      ["regime", "leave"],
    ]);
  });

  it("descendants come right after their ancestor in the control record, depth first", () => {
    const timeline = registered();
    timeline.append(
      captured("2016-03-01", "tiyas-airbase", "regime"),
      captured("2016-03-27", "palmyra", "regime"),
    );
    expect(Object.keys(timeline.latest().control)).toEqual([
      "tiyas-airbase",
      "palmyra",
      "palmyra-citadel",
      "palmyra-old-city",
      "temple-of-bel",
    ]);
  });

  it("an unknown parent is a TimelineValidationError at createTimeline", () => {
    const error = expectIssues(
      () =>
        createTimeline({
          places: { "palmyra-citadel": { name: "Palmyra Citadel", parent: "palmyra" } },
        }),
      [{ index: 0, path: ["places", "palmyra-citadel", "parent"] }],
    );
    expect(error.message).toContain("palmyra");
  });

  it("a cycle of parents is a TimelineValidationError at createTimeline", () => {
    expect(() =>
      createTimeline({
        places: {
          palmyra: { name: "Palmyra", parent: "temple-of-bel" },
          "palmyra-old-city": { name: "Old city", parent: "palmyra" },
          "temple-of-bel": { name: "Temple of Bel", parent: "palmyra-old-city" },
        },
      }),
    ).toThrow(TimelineValidationError);
  });

  it("a place that is its own parent is a cycle", () => {
    expectIssues(
      () => createTimeline({ places: { palmyra: { name: "Palmyra", parent: "palmyra" } } }),
      [{ index: 0, path: ["places", "palmyra", "parent"] }],
    );
  });

  it("an alias may not be given as a parent: parents are ids", () => {
    expect(() =>
      createTimeline({
        places: {
          palmyra: { name: "Palmyra", aliases: ["Tadmur"] },
          "palmyra-citadel": { name: "Citadel", parent: "Tadmur" },
        },
      }),
    ).toThrow(TimelineValidationError);
  });
});

describe("registry entries", () => {
  it("an entry is { name, names?, aliases?, parent?, kind?, coordinates? }; anything else is rejected", () => {
    expectIssues(
      () =>
        createTimeline({
          places: {
            palmyra: { kind: "city" } as never,
            "palmyra-citadel": { name: "Citadel", coordinates: [200, 34.56] } as never,
            "tiyas-airbase": { name: "T4", population: 0 } as never,
          },
        }),
      [
        { index: 0, path: ["places", "palmyra", "name"] },
        { index: 0, path: ["places", "palmyra-citadel", "coordinates", 0] },
        { index: 0, path: ["places", "tiyas-airbase"] },
      ],
    );
  });

  it("an actors registry is checked the same way", () => {
    expectIssues(
      () => createTimeline({ actors: { isis: { name: "" } } }),
      [{ index: 0, path: ["actors", "isis", "name"] }],
    );
  });

  it("a registry that is not an object keyed by id is rejected", () => {
    expect(() => createTimeline({ places: [] as never })).toThrow(TimelineValidationError);
    expect(() => createTimeline({ actors: "isis" as never })).toThrow(TimelineValidationError);
  });

  it("the registries given to createTimeline are not changed by it", () => {
    const copy = structuredClone({ places, actors });
    registered().append(captured("2016-12-11", "Tadmur", "Daesh"));
    expect({ places, actors }).toEqual(copy);
  });
});

describe("custom events and registries", () => {
  const Clashes = defineEvent(
    "Clashes",
    z.object({ place: z.string(), sides: z.array(z.string()).min(2) }),
    { places: ["place"], actors: ["sides"] },
  );
  const clashes = defineReducer({
    events: [Clashes],
    initial: {} as Record<string, string[]>,
    on: {
      Clashes(draft, event) {
        draft[event.data.place] = [...event.data.sides];
      },
    },
  });

  it("data keys named in refs are checked against the registries", () => {
    const timeline = createTimeline({ places, actors, events: [Clashes], reducers: { clashes } });
    expectIssues(
      () =>
        timeline.append({
          type: "Clashes",
          at: "2016-12-08",
          data: { place: "aleppo", sides: ["isis", "hezbollah"] },
        }),
      [
        { index: 0, path: ["data", "place"] },
        { index: 0, path: ["data", "sides", 1] },
      ],
    );
  });

  it("aliases in data keys named in refs resolve to ids", () => {
    const timeline = createTimeline({ places, actors, events: [Clashes], reducers: { clashes } });
    const [event] = timeline.append({
      type: "Clashes",
      at: "2016-12-08",
      data: { place: "Tadmur", sides: ["Daesh", "SAA"] },
    });
    expect(event?.data).toEqual({ place: "palmyra", sides: ["isis", "regime"] });
    expect(timeline.latest().clashes).toEqual({ palmyra: ["isis", "regime"] });
  });

  it("data keys not named in refs are left alone", () => {
    const Note = defineEvent("Note", z.object({ text: z.string() }));
    const timeline = createTimeline({ places, actors, events: [Note] });
    const [event] = timeline.append({ type: "Note", at: "2016-12-08", data: { text: "aleppo" } });
    expect(event?.data).toEqual({ text: "aleppo" });
  });
});

describe("registries of any size and depth", { timeout: 30_000 }, () => {
  // Generous bounds that a linear build meets many times over and a quadratic one misses
  // by far (before: 50,000 flat places took 110 s, a 20,000-deep chain 68 s then overflowed).
  const BOUND_MS = 10_000;

  function timed<T>(run: () => T): { value: T; ms: number } {
    const start = performance.now();
    const value = run();
    return { value, ms: performance.now() - start };
  }

  it("100,000 places under one parent build in linear time", () => {
    const flat: Record<string, RegistryEntry> = { root: { name: "Root" } };
    for (let i = 0; i < 100_000; i++) flat[`p${i}`] = { name: `Place ${i}`, parent: "root" };
    const { value: timeline, ms: took } = timed(() => {
      const t = createTimeline({ places: flat });
      t.append(captured("2016-12-11", "root", "isis"));
      return t;
    });
    expect(took).toBeLessThan(BOUND_MS);
    expect(timeline.latest().control.p99999?.controller).toBe("isis");
  });

  it("a 20,000-deep chain of parents builds without recursion, in linear time", () => {
    const chain: Record<string, RegistryEntry> = { p0: { name: "Place 0" } };
    for (let i = 1; i < 20_000; i++) chain[`p${i}`] = { name: `Place ${i}`, parent: `p${i - 1}` };
    const { value: timeline, ms: took } = timed(() => {
      const t = createTimeline({ places: chain });
      t.append(captured("2016-12-11", "p0", "isis"));
      return t;
    });
    expect(took).toBeLessThan(BOUND_MS);
    expect(timeline.latest().control.p19999?.controller).toBe("isis");
  });

  it("a cycle at the end of a long chain is found once, on its own places", () => {
    const chain: Record<string, RegistryEntry> = {};
    for (let i = 0; i < 20_000; i++) chain[`p${i}`] = { name: `Place ${i}`, parent: `p${i + 1}` };
    chain.p20000 = { name: "Top", parent: "p19999" };
    expectIssues(
      () => createTimeline({ places: chain }),
      [
        { index: 0, path: ["places", "p19999", "parent"] },
        { index: 0, path: ["places", "p20000", "parent"] },
      ],
    );
  });
});
