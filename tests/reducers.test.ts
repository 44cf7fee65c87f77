import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  Airstrike,
  Arrests,
  Captured,
  createTimeline,
  defineEvent,
  defineReducer,
  ReducerError,
  Retracted,
  TimelineValidationError,
  Withdrew,
} from "../src/index.js";
import {
  airstrike,
  arrests,
  captured,
  cites,
  expectControl,
  expectDeepFrozen,
  expectIssues,
  ms,
  retracted,
  snapshot,
  withdrew,
} from "./helpers/assertions.js";

/** A `Held` input: a report that `by` holds `place` at `at`. */
function held(at: string, place: string, by: string, extra: { id?: string } = {}) {
  return { type: "Held" as const, at, data: { place, by }, ...extra };
}

const Clashes = defineEvent(
  "Clashes",
  z.object({
    place: z.string(),
    sides: z.array(z.string()).min(2),
    killed: z.number().int().min(0).optional(),
  }),
);

describe("the built-in event definitions", () => {
  it("Captured, Withdrew, Airstrike and Arrests are exported with their type and zod schema", () => {
    expect([Captured, Withdrew, Airstrike, Arrests, Retracted].map((d) => d.type)).toEqual([
      "Captured",
      "Withdrew",
      "Airstrike",
      "Arrests",
      "Retracted",
    ]);
    expect(
      Captured.schema.safeParse({ place: "palmyra", by: "isis", from: "regime" }).success,
    ).toBe(true);
    expect(Captured.schema.safeParse({ place: "palmyra" }).success).toBe(false);
    expect(
      Withdrew.schema.safeParse({ place: "palmyra", actor: "isis", to: "raqqa" }).success,
    ).toBe(true);
    expect(Airstrike.schema.safeParse({ places: [], by: "russia" }).success).toBe(false);
    expect(Arrests.schema.safeParse({ place: "palmyra", by: "isis", count: 3 }).success).toBe(true);
  });

  it("defineEvent makes a custom definition the same way", () => {
    expect(Clashes.type).toBe("Clashes");
    expect(Clashes.schema.safeParse({ place: "palmyra", sides: ["isis"] }).success).toBe(false);
  });

  it("defineEvent rejects an empty type or a schema that is not zod", () => {
    expect(() => defineEvent("", z.object({}))).toThrow(TypeError);
    expect(() => defineEvent("Clashes", {} as never)).toThrow(TypeError);
  });
});

describe("built-in state: control", () => {
  it("Captured sets controller to `by`, since to its `at`, eventId to its id and precision to its precision", () => {
    const timeline = createTimeline();
    timeline.append(captured("2016-12-11T12:00+02:00", "palmyra", "isis", { id: "amaq-1" }));
    expect(timeline.latest().control).toEqual({
      palmyra: {
        controller: "isis",
        since: ms("2016-12-11T10:00Z"),
        eventId: "amaq-1",
        precision: "minute",
        contested: false,
      },
    });
  });

  it("a control entry's precision is that of the event that set it, not of later ones", () => {
    const timeline = createTimeline();
    timeline.append(
      captured("2016-12-11", "palmyra", "isis"),
      withdrew("2017-03", "palmyra", "regime"),
    );
    expect(timeline.latest().control.palmyra?.precision).toBe("day");
  });

  it("a Captured by another actor replaces the controller", () => {
    const timeline = createTimeline();
    timeline.append(
      captured("2016-03-27", "palmyra", "regime"),
      captured("2016-12-11", "palmyra", "isis"),
    );
    expectControl(timeline, "2016-12-11", "palmyra", "isis");
  });

  it("the `from` of a Captured is a note: it need not match the controller", () => {
    const timeline = createTimeline();
    timeline.append(captured("2016-03-27", "palmyra", "regime"), {
      type: "Captured",
      at: "2016-12-11",
      data: { place: "palmyra", by: "isis", from: "russia" },
    });
    expectControl(timeline, "2016-12-11", "palmyra", "isis");
  });

  it("a Withdrew by the current controller sets controller to null: nobody holds it", () => {
    const timeline = createTimeline();
    timeline.append(
      captured("2016-12-11", "palmyra", "isis"),
      withdrew("2017-03-01", "palmyra", "isis", undefined, { id: "w" }),
    );
    expect(timeline.latest().control.palmyra).toEqual({
      controller: null,
      since: ms("2017-03-01"),
      eventId: "w",
      precision: "day",
      contested: false,
    });
  });

  it("a Withdrew by the current controller with handedTo hands the place over", () => {
    const timeline = createTimeline();
    timeline.append(
      captured("2016-12-11", "palmyra", "isis"),
      withdrew("2017-03-02", "palmyra", "isis", "regime"),
    );
    expectControl(timeline, "2017-03-02", "palmyra", "regime");
  });

  it("a Withdrew's `to` says where the actor went, and does not touch that place", () => {
    const timeline = createTimeline();
    timeline.append(captured("2016-12-11", "palmyra", "isis"), {
      type: "Withdrew",
      at: "2017-03-02",
      data: { place: "palmyra", actor: "isis", to: "raqqa" },
    });
    expectControl(timeline, "2017-03-02", "palmyra", null);
    expectControl(timeline, "2017-03-02", "raqqa", undefined);
  });

  it("a Withdrew by an actor that does not control the place changes nothing", () => {
    const timeline = createTimeline();
    timeline.append(
      captured("2016-03-27", "palmyra", "regime", { id: "regime" }),
      withdrew("2016-12-11", "palmyra", "isis", "russia"),
    );
    expect(timeline.latest().control.palmyra).toEqual({
      controller: "regime",
      since: ms("2016-03-27"),
      eventId: "regime",
      precision: "day",
      contested: false,
    });
  });

  it("a Withdrew for a place that is absent changes nothing: the place stays absent", () => {
    const timeline = createTimeline();
    timeline.append(withdrew("2016-12-11", "palmyra", "isis", "regime"));
    expect(timeline.latest().control).toEqual({});
  });

  it("a Withdrew from a place that nobody holds changes nothing", () => {
    const timeline = createTimeline();
    timeline.append(
      captured("2016-12-11", "palmyra", "isis"),
      withdrew("2017-03-01", "palmyra", "isis", undefined, { id: "left" }),
      withdrew("2017-03-02", "palmyra", "regime", "russia"),
    );
    expect(timeline.latest().control.palmyra?.eventId).toBe("left");
    expectControl(timeline, "2017-03-02", "palmyra", null);
  });

  it("a Captured by the controller confirms the holding: since and eventId stay those of the event that began it", () => {
    const timeline = createTimeline();
    timeline.append(
      captured("2016-03-27", "palmyra", "regime", { id: "first" }),
      captured("2016-04-02", "palmyra", "regime", { id: "again" }),
    );
    expect(timeline.latest().control.palmyra).toEqual({
      controller: "regime",
      since: ms("2016-03-27"),
      eventId: "first",
      precision: "day",
      contested: false,
    });
  });

  it("a Held by another actor than the controller sets controller to `by`, since to the Held's `at`", () => {
    const timeline = createTimeline();
    timeline.append(
      captured("2016-12-11", "palmyra", "isis"),
      held("2016-12-12T06", "palmyra", "regime", { id: "mod" }),
    );
    expect(timeline.latest().control.palmyra).toEqual({
      controller: "regime",
      since: ms("2016-12-12T06:00Z"),
      eventId: "mod",
      precision: "hour",
      contested: false,
    });
  });

  it("a Held of an absent place sets its controller", () => {
    const timeline = createTimeline();
    timeline.append(held("2016-12-11", "palmyra", "regime"));
    expectControl(timeline, "2016-12-11", "palmyra", "regime");
  });

  it("a Held by the current controller changes nothing: since stays that of the capture", () => {
    const timeline = createTimeline();
    timeline.append(
      captured("2016-03-27", "palmyra", "regime", { id: "taken" }),
      held("2016-12-11", "palmyra", "regime"),
    );
    expect(timeline.latest().control.palmyra?.eventId).toBe("taken");
    expect(timeline.latest().control.palmyra?.since).toBe(ms("2016-03-27"));
  });

  it("a Held of a place nobody holds (after a withdrawal) gives it to `by`", () => {
    const timeline = createTimeline();
    timeline.append(
      captured("2016-03-27", "palmyra", "regime"),
      withdrew("2016-12-10", "palmyra", "regime"),
      held("2016-12-11", "palmyra", "regime"),
    );
    expectControl(timeline, "2016-12-11", "palmyra", "regime");
  });

  it("a Held applies to the named place only, never to its descendants", () => {
    const timeline = createTimeline({
      places: { palmyra: { name: "Palmyra" }, citadel: { name: "Citadel", parent: "palmyra" } },
    });
    timeline.append(
      captured("2016-12-10", "palmyra", "isis"),
      held("2016-12-11", "palmyra", "regime"),
    );
    expectControl(timeline, "2016-12-11", "palmyra", "regime");
    expectControl(timeline, "2016-12-11", "citadel", "isis");
  });

  it("a place that no control event has set is absent, even when struck or raided", () => {
    const timeline = createTimeline();
    timeline.append(
      airstrike("2016-12-10", ["palmyra"], "russia"),
      arrests("2016-12-12", "palmyra", "isis", 4),
    );
    expect(Object.hasOwn(timeline.latest().control, "palmyra")).toBe(false);
  });
});

describe("built-in state: airstrikes", () => {
  it("counts one per Airstrike event naming the place, with the `at` of the latest", () => {
    const timeline = createTimeline();
    timeline.append(
      airstrike("2016-12-08", ["palmyra"], "russia", { strikes: 30 }),
      airstrike("2016-12-10", ["palmyra"], "russia", { strikes: 64, killed: 300 }),
    );
    expect(timeline.latest().airstrikes).toEqual({
      palmyra: { count: 2, lastAt: ms("2016-12-10"), lastPrecision: "day" },
    });
  });

  it("an Airstrike naming several places counts for each of them", () => {
    const timeline = createTimeline();
    timeline.append(airstrike("2016-12-10", ["palmyra", "palmyra-citadel"], "russia"));
    expect(timeline.latest().airstrikes).toEqual({
      palmyra: { count: 1, lastAt: ms("2016-12-10"), lastPrecision: "day" },
      "palmyra-citadel": { count: 1, lastAt: ms("2016-12-10"), lastPrecision: "day" },
    });
  });

  it("an Airstrike listing a place twice counts once for it", () => {
    const timeline = createTimeline();
    timeline.append(airstrike("2016-12-10", ["palmyra", "palmyra"], "russia"));
    expect(timeline.latest().airstrikes.palmyra?.count).toBe(1);
  });

  it("lastAt is the latest in timeline order, whatever the append order", () => {
    const timeline = createTimeline();
    timeline.append(airstrike("2016-12-10", ["palmyra"], "russia"));
    timeline.append(airstrike("2016-12-08", ["palmyra"], "russia"));
    expect(timeline.latest().airstrikes.palmyra).toEqual({
      count: 2,
      lastAt: ms("2016-12-10"),
      lastPrecision: "day",
    });
    expect(timeline.stateAt("2016-12-09").airstrikes.palmyra).toEqual({
      count: 1,
      lastAt: ms("2016-12-08"),
      lastPrecision: "day",
    });
  });
});

describe("built-in state: lastPrecision", () => {
  it("an airstrike's lastPrecision is the precision of the event at lastAt, so a day's strike never prints an hour", () => {
    const timeline = createTimeline();
    timeline.append(
      airstrike("2020-02-21T14:30Z", ["atareb"], "russia"),
      airstrike("2020-02-22", ["atareb"], "russia"),
    );
    expect(timeline.latest().airstrikes.atareb).toMatchObject({
      lastAt: ms("2020-02-22"),
      lastPrecision: "day",
    });
    expect(timeline.stateAt("2020-02-21T23:00Z").airstrikes.atareb?.lastPrecision).toBe("minute");
  });

  it("arrests carry the lastPrecision of their latest event, a coarser precision given included", () => {
    const timeline = createTimeline();
    timeline.append(
      arrests("2016-12-10T18:00+02:00", "palmyra", "isis", undefined, { precision: "day" }),
    );
    expect(timeline.latest().arrests.palmyra?.lastPrecision).toBe("day");
  });
});

describe("built-in state: arrests", () => {
  it("counts Arrests events, sums the known counts as detained, and keeps the latest `at`", () => {
    const timeline = createTimeline();
    timeline.append(
      arrests("2016-12-12", "palmyra", "isis", 12),
      arrests("2016-12-14", "palmyra", "isis"),
      arrests("2016-12-15", "palmyra", "isis", 0),
      arrests("2016-12-13", "palmyra", "isis", 5),
    );
    expect(timeline.latest().arrests).toEqual({
      palmyra: {
        events: 4,
        detained: 17,
        uncounted: 1,
        lastAt: ms("2016-12-15"),
        lastPrecision: "day",
      },
    });
  });

  it("counts the events without a count as uncounted, so that an unknown number never reads as zero", () => {
    const timeline = createTimeline();
    timeline.append(arrests("2016-12-12", "palmyra", "isis"));
    expect(timeline.latest().arrests.palmyra).toMatchObject({ detained: 0, uncounted: 1 });
  });
});

describe("built-in state: key order", () => {
  it("places come in the order a fold from scratch inserts them, whatever the append order", () => {
    const timeline = createTimeline();
    timeline.append(captured("2016-12-11", "palmyra", "isis"));
    timeline.append(captured("2016-12-09", "tiyas-airbase", "regime"));
    timeline.append(withdrew("2016-12-01", "jabal-hayyan", "isis"));
    timeline.append(captured("2016-12-10", "jabal-hayyan", "isis"));
    timeline.append(airstrike("2016-12-10", ["palmyra", "tiyas-airbase"], "russia"));
    timeline.append(airstrike("2016-12-08", ["tiyas-airbase"], "russia"));
    const state = timeline.latest();
    expect(Object.keys(state.control)).toEqual(["tiyas-airbase", "jabal-hayyan", "palmyra"]);
    expect(Object.keys(state.airstrikes)).toEqual(["tiyas-airbase", "palmyra"]);
  });
});

describe("custom reducers", () => {
  const claimedKilled = defineReducer({
    initial: {} as Record<string, number>,
    on: {
      Airstrike(draft, event) {
        const who = event.sources[0]?.name ?? "unknown";
        draft[who] = (draft[who] ?? 0) + (event.data.killed ?? 0);
      },
    },
  });

  it("a custom slice is added to every state under its reducer's name", () => {
    const timeline = createTimeline({ reducers: { claimedKilled } });
    timeline.append(
      airstrike("2016-12-10", ["palmyra"], "russia", {
        killed: 300,
        sources: cites("Russian MoD"),
      }),
      airstrike("2016-12-11", ["palmyra"], "russia", { killed: 12, sources: cites("SOHR") }),
      airstrike("2016-12-12", ["palmyra"], "russia", { killed: 50, sources: cites("Russian MoD") }),
      airstrike("2016-12-12", ["palmyra"], "russia"),
    );
    expect(timeline.latest().claimedKilled).toEqual({ "Russian MoD": 350, SOHR: 12, unknown: 0 });
    expect(timeline.stateAt("2016-12-10").claimedKilled).toEqual({ "Russian MoD": 300 });
    expect(Object.keys(timeline.latest())).toEqual([
      "control",
      "airstrikes",
      "arrests",
      "claimedKilled",
    ]);
  });

  it("an `on` handler runs only for its own event type", () => {
    const timeline = createTimeline({ reducers: { claimedKilled } });
    timeline.append(
      captured("2016-12-11", "palmyra", "isis"),
      arrests("2016-12-12", "palmyra", "isis", 3),
    );
    expect(timeline.latest().claimedKilled).toEqual({});
  });

  it("a handler may return a replacement value instead of mutating (a number slice)", () => {
    const captures = defineReducer({ initial: 0, on: { Captured: (n) => n + 1 } });
    const timeline = createTimeline({ reducers: { captures } });
    timeline.append(
      captured("2015-05-20", "palmyra", "isis"),
      captured("2016-03-27", "palmyra", "regime"),
      captured("2016-12-11", "palmyra", "isis"),
    );
    expect(timeline.latest().captures).toBe(3);
    expect(timeline.stateAt("2016-01-01").captures).toBe(1);
  });

  it("a handler may return a new object for an object slice", () => {
    const lastCapture = defineReducer({
      initial: { place: "", by: "" },
      on: { Captured: (_draft, event) => ({ place: event.data.place, by: event.data.by }) },
    });
    const timeline = createTimeline({ reducers: { lastCapture } });
    timeline.append(
      captured("2016-03-27", "palmyra", "regime"),
      captured("2016-12-11", "palmyra-citadel", "isis"),
    );
    expect(timeline.latest().lastCapture).toEqual({ place: "palmyra-citadel", by: "isis" });
  });

  it("a `reduce` reducer handles every event, in timeline order, whatever the append order", () => {
    const seen = defineReducer({
      initial: [] as string[],
      reduce(draft, event) {
        draft.push(`${event.type}:${event.id}`);
      },
    });
    const timeline = createTimeline({ reducers: { seen } });
    timeline.append(arrests("2016-12-12", "palmyra", "isis", 3, { id: "c" }));
    timeline.append(captured("2016-12-11", "palmyra", "isis", { id: "b" }));
    timeline.append(airstrike("2016-12-10", ["palmyra"], "russia", { id: "a" }));
    timeline.append(withdrew("2016-12-12", "palmyra", "isis", undefined, { id: "d" }));
    expect(timeline.latest().seen).toEqual([
      "Airstrike:a",
      "Captured:b",
      "Arrests:c",
      "Withdrew:d",
    ]);
  });

  it("reducers never see Retracted events, and a retracted event leaves the custom slice", () => {
    const types = defineReducer({
      initial: [] as string[],
      reduce(draft, event) {
        draft.push(event.type);
      },
    });
    const timeline = createTimeline({ reducers: { types } });
    timeline.append(
      captured("2016-12-11", "palmyra", "isis", { id: "amaq" }),
      arrests("2016-12-12", "palmyra", "isis", 3),
    );
    timeline.append(retracted("2016-12-13", "amaq"));
    expect(timeline.latest().types).toEqual(["Arrests"]);
  });

  it("before any event, a custom slice is its `initial`", () => {
    const timeline = createTimeline({ reducers: { claimedKilled } });
    expect(timeline.latest().claimedKilled).toEqual({});
    timeline.append(airstrike("2016-12-10", ["palmyra"], "russia", { killed: 300 }));
    expect(timeline.stateAt("2016-12-09").claimedKilled).toEqual({});
  });

  it("folding never changes the `initial` value", () => {
    const initial = { total: 0 };
    const killed = defineReducer({
      initial,
      on: {
        Airstrike(draft, event) {
          draft.total += event.data.killed ?? 0;
        },
      },
    });
    const timeline = createTimeline({ reducers: { killed } });
    timeline.append(airstrike("2016-12-10", ["palmyra"], "russia", { killed: 300 }));
    expect(timeline.latest().killed).toEqual({ total: 300 });
    expect(initial).toEqual({ total: 0 });
  });

  it("a custom slice is deep-frozen; mutating it throws and changes nothing", () => {
    const timeline = createTimeline({ reducers: { claimedKilled } });
    timeline.append(airstrike("2016-12-10", ["palmyra"], "russia", { killed: 300 }));
    const state = timeline.latest();
    expectDeepFrozen(state);
    expect(() => {
      (state.claimedKilled as Record<string, number>).unknown = 0;
    }).toThrow(TypeError);
    expect(timeline.latest().claimedKilled).toEqual({ unknown: 300 });
  });

  it("custom event types are defined with defineEvent, appended and handled", () => {
    const clashes = defineReducer({
      events: [Clashes],
      initial: {} as Record<string, number>,
      on: {
        Clashes(draft, event) {
          draft[event.data.place] = (draft[event.data.place] ?? 0) + (event.data.killed ?? 0);
        },
      },
    });
    const timeline = createTimeline({ events: [Clashes], reducers: { clashes } });
    timeline.append(
      {
        type: "Clashes",
        at: "2016-12-08",
        data: { place: "palmyra", sides: ["isis", "regime"], killed: 34 },
      },
      {
        type: "Clashes",
        at: "2016-12-09",
        data: { place: "palmyra", sides: ["isis", "regime"], killed: 8 },
      },
    );
    expect(timeline.latest().clashes).toEqual({ palmyra: 42 });
    expect(timeline.latest().control).toEqual({});
  });

  it("a reducer that lists a custom event in `events` registers it on the timeline", () => {
    const clashes = defineReducer({ events: [Clashes], initial: 0, on: { Clashes: (n) => n + 1 } });
    const timeline = createTimeline({ reducers: { clashes } });
    // The timeline's input type does not include event types registered through a reducer
    // (only those given in `events`), hence the cast; at run time the type is known.
    timeline.append({
      type: "Clashes",
      at: "2016-12-08",
      data: { place: "palmyra", sides: ["isis", "regime"] },
    } as never);
    expect(timeline.latest().clashes).toBe(1);
  });

  it("a custom event's data is checked against its schema", () => {
    const timeline = createTimeline({ events: [Clashes] });
    expectIssues(
      () =>
        timeline.append({
          type: "Clashes",
          at: "2016-12-08",
          data: { place: "palmyra", sides: ["isis"] },
        }),
      [{ index: 0, path: ["data", "sides"] }],
    );
  });

  it("a custom event type is unknown to a timeline that was not given its definition", () => {
    const timeline = createTimeline();
    expectIssues(
      () =>
        timeline.append({
          type: "Clashes",
          at: "2016-12-08",
          data: { place: "palmyra", sides: ["isis", "regime"] },
        } as never),
      [{ index: 0, path: ["type"] }],
    );
  });

  it("custom slices give the same answers whatever the checkpoint interval", () => {
    const seen = defineReducer({
      initial: [] as string[],
      reduce(draft, event) {
        draft.push(event.id);
      },
    });
    const build = (checkpointInterval: number) => {
      const timeline = createTimeline({ reducers: { seen }, checkpointInterval });
      for (let day = 20; day >= 1; day--) {
        timeline.append(
          arrests(Date.UTC(2016, 11, day * 1), "palmyra", "isis", 1, { id: `d${day}` }),
        );
        if (day % 4 === 0) timeline.append(retracted(Date.UTC(2016, 11, day, 1), `d${day}`));
      }
      return timeline;
    };
    const reference = build(256);
    for (const interval of [1, 2, 3]) {
      const timeline = build(interval);
      for (let day = 0; day <= 21; day++) {
        const t = Date.UTC(2016, 11, day, 12);
        expect(timeline.stateAt(t).seen).toEqual(reference.stateAt(t).seen);
      }
    }
    expect(reference.latest().seen).toHaveLength(15);
  });
});

describe("defineReducer and createTimeline configuration mistakes", () => {
  it("defineReducer needs exactly one of `on` and `reduce`, and an `initial`", () => {
    expect(() => defineReducer({ initial: 0 } as never)).toThrow(TypeError);
    expect(() => defineReducer({ initial: 0, on: {}, reduce: (n: number) => n } as never)).toThrow(
      TypeError,
    );
    expect(() => defineReducer({ on: {} } as never)).toThrow(TypeError);
    expect(() => defineReducer({ initial: 0, on: { Captured: 1 } } as never)).toThrow(TypeError);
  });

  it("a reducer named like a built-in slice is a TypeError at createTimeline", () => {
    const control = defineReducer({ initial: 0, reduce: (n: number) => n });
    expect(() => createTimeline({ reducers: { control } })).toThrow(TypeError);
  });

  it("a handler for an event type the timeline does not know is a TypeError at createTimeline", () => {
    const clashes = defineReducer({ initial: 0, on: { Clashes: (n: number) => n + 1 } } as never);
    expect(() => createTimeline({ reducers: { clashes } })).toThrow(TypeError);
    expect(() => createTimeline({ events: [Clashes], reducers: { clashes } })).not.toThrow();
  });

  it("something that is not an event definition in `events` is a TypeError", () => {
    expect(() => createTimeline({ events: [{ type: "Clashes" }] as never })).toThrow(TypeError);
  });

  it("a reducer that is not made by defineReducer is a TypeError", () => {
    expect(() => createTimeline({ reducers: { x: { initial: 0 } } as never })).toThrow(TypeError);
  });

  it("two different definitions of one event type are a TypeError", () => {
    const Other = defineEvent("Clashes", z.object({ place: z.string() }));
    expect(() => createTimeline({ events: [Clashes, Other] })).toThrow(TypeError);
    const MyCaptured = defineEvent("Captured", z.object({ place: z.string() }));
    expect(() => createTimeline({ events: [MyCaptured] })).toThrow(TypeError);
  });

  it("checkpointInterval must be a positive integer", () => {
    expect(() => createTimeline({ checkpointInterval: 0 })).toThrow(TypeError);
    expect(() => createTimeline({ checkpointInterval: 1.5 })).toThrow(TypeError);
  });
});

describe("a reducer that throws", () => {
  const fragile = defineReducer({
    initial: 0,
    on: {
      Arrests(n, event) {
        if ((event.data.count ?? 0) > 1000) throw new RangeError("implausible count");
        return n + 1;
      },
    },
  });

  it("surfaces as a ReducerError with the event's id, the slice and the cause", () => {
    const timeline = createTimeline({ reducers: { fragile } });
    let thrown: unknown;
    try {
      timeline.append(arrests("2016-12-12", "palmyra", "isis", 5000, { id: "rumour" }));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ReducerError);
    const error = thrown as ReducerError;
    expect(error.eventId).toBe("rumour");
    expect(error.slice).toBe("fragile");
    expect(error.cause).toBeInstanceOf(RangeError);
    expect((error.cause as Error).message).toBe("implausible count");
    expect(error.message).toContain("rumour");
    expect(error.name).toBe("ReducerError");
  });

  it("stores nothing of the batch, not even its valid events", () => {
    const timeline = createTimeline({ reducers: { fragile } });
    timeline.append(captured("2016-03-27", "palmyra", "regime"));
    const before = snapshot(timeline);
    expect(() =>
      timeline.append(
        captured("2016-12-11", "palmyra", "isis"),
        arrests("2016-12-12", "palmyra", "isis", 3),
        arrests("2016-12-13", "palmyra", "isis", 5000),
      ),
    ).toThrow(ReducerError);
    expect(snapshot(timeline)).toEqual(before);
    expect(timeline.events()).toHaveLength(1);
    expectControl(timeline, "2016-12-31", "palmyra", "regime");
  });

  it("leaves the timeline answering as before, also when the bad event is a late one", () => {
    const timeline = createTimeline({ reducers: { fragile } });
    timeline.append(
      arrests("2016-12-12", "palmyra", "isis", 3),
      arrests("2016-12-14", "palmyra", "isis", 4),
      captured("2016-12-11", "palmyra", "isis"),
    );
    const latest = timeline.latest();
    const early = timeline.stateAt("2016-12-13");
    const history = timeline.history("palmyra");
    expect(() => timeline.append(arrests("2016-12-01", "palmyra", "isis", 5000))).toThrow(
      ReducerError,
    );
    expect(timeline.latest()).toEqual(latest);
    expect(timeline.stateAt("2016-12-13")).toEqual(early);
    expect(timeline.stateAt("2016-12-13").fragile).toBe(1);
    expect(timeline.history("palmyra")).toEqual(history);
    expect(timeline.size).toBe(3);
  });

  it("leaves the timeline usable: later good events are stored and folded", () => {
    const timeline = createTimeline({ reducers: { fragile } });
    expect(() => timeline.append(arrests("2016-12-12", "palmyra", "isis", 5000))).toThrow(
      ReducerError,
    );
    const [event] = timeline.append(arrests("2016-12-12", "palmyra", "isis", 3));
    expect(timeline.latest().fragile).toBe(1);
    expect(timeline.size).toBe(1);
    expect(timeline.events()).toEqual([event]);
  });

  it("a retraction that makes a reducer throw is not stored either", () => {
    // Throws on an Arrests that comes with no Captured before it.
    const strict = defineReducer({
      initial: { captured: false },
      on: {
        Captured(draft) {
          draft.captured = true;
        },
        Arrests(draft) {
          if (!draft.captured) throw new Error("arrests in a place nobody took");
        },
      },
    });
    const timeline = createTimeline({ reducers: { strict } });
    timeline.append(
      captured("2016-12-11", "palmyra", "isis", { id: "take" }),
      arrests("2016-12-12", "palmyra", "isis", 3, { id: "raid" }),
    );
    const before = snapshot(timeline);
    let thrown: unknown;
    try {
      timeline.append(retracted("2016-12-13", "take"));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ReducerError);
    expect((thrown as ReducerError).eventId).toBe("raid");
    expect(snapshot(timeline)).toEqual(before);
    expectControl(timeline, "2016-12-31", "palmyra", "isis");
  });

  it("is not a TimelineValidationError", () => {
    const timeline = createTimeline({ reducers: { fragile } });
    expect(() => timeline.append(arrests("2016-12-12", "palmyra", "isis", 5000))).not.toThrow(
      TimelineValidationError,
    );
  });
});

describe("keyed reducers", () => {
  const strikes = defineReducer({
    keyBy: { Airstrike: (event) => event.data.places },
    initial: { count: 0, killed: 0 },
    on: {
      Airstrike(entry, event) {
        entry.count += 1;
        entry.killed += event.data.killed ?? 0;
      },
    },
  });

  /** Per-place control as a user would write it: a withdrawal from an unheld place changes nothing. */
  const holder = defineReducer({
    keyBy: { Captured: (event) => event.data.place, Withdrew: (event) => event.data.place },
    initial: { by: null as string | null },
    on: {
      Captured(entry, event) {
        entry.by = event.data.by;
      },
      Withdrew(entry, event) {
        if (entry.by === event.data.actor) entry.by = event.data.handedTo ?? null;
      },
    },
  });

  it("deep-freezes an object a handler puts into a flat entry", () => {
    const last = defineReducer({
      keyBy: { Airstrike: (event) => event.data.places },
      initial: { count: 0 } as { count: number; by?: { name: string } },
      on: {
        Airstrike(entry, event) {
          entry.count += 1;
          entry.by = { name: event.data.by };
        },
      },
    });
    const timeline = createTimeline({ reducers: { last } });
    timeline.append(airstrike("2016-12-08", ["palmyra"], "russia"));
    const entry = timeline.latest().last.palmyra;
    expect(entry).toEqual({ count: 1, by: { name: "russia" } });
    expect(Object.isFrozen(entry)).toBe(true);
    expect(Object.isFrozen(entry?.by)).toBe(true);
  });

  it("refuses a handler that both changes a flat entry and returns another, as immer does", () => {
    const both = defineReducer({
      keyBy: { Airstrike: (event) => event.data.places },
      initial: { count: 0 },
      on: {
        Airstrike(entry) {
          entry.count += 1;
          return { count: 99 };
        },
      },
    });
    const timeline = createTimeline({ reducers: { both } });
    expect(() => timeline.append(airstrike("2016-12-08", ["palmyra"], "russia"))).toThrow(
      ReducerError,
    );
    expect(timeline.size).toBe(0);
  });

  it("gives the same entry object back when a handler leaves a flat entry as it was", () => {
    const timeline = createTimeline({ reducers: { holder } });
    timeline.append(captured("2016-12-08", "palmyra", "isis"));
    const before = timeline.latest().holder.palmyra;
    timeline.append(withdrew("2016-12-09", "palmyra", "regime"));
    expect(timeline.latest().holder.palmyra).toBe(before);
  });

  it("keeps one entry per key, each folded from `initial` by the handlers", () => {
    const timeline = createTimeline({ reducers: { strikes } });
    timeline.append(
      airstrike("2016-12-08", ["palmyra", "tiyas"], "russia", { killed: 3 }),
      airstrike("2016-12-10", ["palmyra"], "russia", { killed: 300 }),
    );
    expect(timeline.latest().strikes).toEqual({
      palmyra: { count: 2, killed: 303 },
      tiyas: { count: 1, killed: 3 },
    });
  });

  it("runs a handler once per distinct key an event gives", () => {
    const timeline = createTimeline({ reducers: { strikes } });
    timeline.append(airstrike("2016-12-08", ["palmyra", "palmyra"], "russia"));
    expect(timeline.latest().strikes.palmyra?.count).toBe(1);
  });

  it("is `{}` before the first event", () => {
    const timeline = createTimeline({ reducers: { strikes } });
    timeline.append(airstrike("2016-12-08", ["palmyra"], "russia"));
    expect(timeline.stateAt("2016-01-01").strikes).toEqual({});
  });

  it("adds a key only from the first event that leaves its entry other than `initial`", () => {
    const timeline = createTimeline({ reducers: { holder } });
    timeline.append(
      withdrew("2016-12-09", "palmyra", "isis"),
      captured("2016-12-10", "palmyra", "isis"),
    );
    expect(Object.hasOwn(timeline.stateAt("2016-12-09").holder, "palmyra")).toBe(false);
    expect(timeline.stateAt("2016-12-10").holder).toEqual({ palmyra: { by: "isis" } });
  });

  it("takes a returned value as the entry's replacement", () => {
    const arrested = defineReducer({
      keyBy: { Arrests: (event) => event.data.by },
      initial: 0,
      on: { Arrests: (n, event) => n + (event.data.count ?? 0) },
    });
    const timeline = createTimeline({ reducers: { arrested } });
    timeline.append(
      arrests("2016-12-12", "palmyra", "isis", 12),
      arrests("2016-12-13", "raqqa", "isis", 5),
    );
    expect(timeline.latest().arrested).toEqual({ isis: 17 });
  });

  it("answers as the built-in slice it reimplements, whatever the append order", () => {
    const timeline = createTimeline({ reducers: { holder } });
    timeline.append(withdrew("2017-03-02", "palmyra", "isis", "regime"));
    timeline.append(captured("2016-03-27", "palmyra", "regime"));
    timeline.append(captured("2016-12-11", "palmyra", "isis"));
    for (const t of ["2016-04-01", "2016-12-31", "2017-04-01"]) {
      const state = timeline.stateAt(t);
      expect(state.holder.palmyra?.by).toBe(state.control.palmyra?.controller);
    }
  });

  it("gives frozen entries", () => {
    const timeline = createTimeline({ reducers: { strikes } });
    timeline.append(airstrike("2016-12-08", ["palmyra"], "russia"));
    expectDeepFrozen(timeline.latest().strikes);
  });

  it("rejects keyBy and on that name different event types with a TypeError", () => {
    const config = {
      keyBy: { Airstrike: () => "x", Arrests: () => "y" },
      initial: 0,
      on: { Airstrike: (n: number) => n + 1 },
    };
    expect(() => defineReducer(config as never)).toThrow(TypeError);
    expect(() => defineReducer(config as never)).toThrow(/on\.Arrests/);
  });

  it("rejects `reduce` with keyBy with a TypeError", () => {
    const config = { keyBy: { Airstrike: () => "x" }, initial: 0, reduce: (n: number) => n };
    expect(() => defineReducer(config as never)).toThrow(TypeError);
  });

  it("surfaces a handler that throws as a ReducerError, storing nothing of the batch", () => {
    const picky = defineReducer({
      keyBy: { Arrests: (event) => event.data.place },
      initial: 0,
      on: {
        Arrests(n, event) {
          if ((event.data.count ?? 0) > 1000) throw new RangeError("implausible count");
          return n + 1;
        },
      },
    });
    const timeline = createTimeline({ reducers: { picky } });
    timeline.append(arrests("2016-12-14", "palmyra", "isis", 3));
    const before = snapshot(timeline);
    let thrown: unknown;
    try {
      timeline.append(
        arrests("2016-12-12", "palmyra", "isis", 4),
        arrests("2016-12-13", "palmyra", "isis", 5000, { id: "rumour" }),
      );
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ReducerError);
    expect((thrown as ReducerError).eventId).toBe("rumour");
    expect((thrown as ReducerError).slice).toBe("picky");
    expect(snapshot(timeline)).toEqual(before);
    expect(timeline.latest().picky).toEqual({ palmyra: 1 });
  });

  it("surfaces a keyBy that gives no key (not a string) as a ReducerError", () => {
    const broken = defineReducer({
      keyBy: { Arrests: (event) => event.data.count as unknown as string },
      initial: 0,
      on: { Arrests: (n) => n + 1 },
    });
    const timeline = createTimeline({ reducers: { broken } });
    expect(() => timeline.append(arrests("2016-12-12", "palmyra", "isis", 4))).toThrow(
      ReducerError,
    );
    expect(timeline.size).toBe(0);
  });
});
