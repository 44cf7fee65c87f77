import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  createTimeline,
  defineEvent,
  defineReducer,
  fromJSON,
  TimelineValidationError,
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

/** Palmyra, 2015–2017: taken by ISIS, retaken by the regime, lost again, retaken again. */
function palmyra() {
  const timeline = createTimeline();
  timeline.append(
    captured("2015-05-20", "palmyra", "isis", { id: "isis-takes-palmyra", sources: cites("SOHR") }),
    captured("2016-03-27", "palmyra", "regime", {
      id: "regime-retakes-palmyra",
      sources: cites("SOHR", "Russian MoD"),
    }),
    airstrike("2016-12-10", ["palmyra"], "russia", {
      id: "mod-strikes",
      strikes: 64,
      killed: 300,
      sources: cites("Russian MoD"),
    }),
    captured("2016-12-11T12:00+02:00", "palmyra", "isis", {
      id: "isis-retakes-palmyra",
      sources: cites("Amaq", "SOHR"),
    }),
    withdrew("2017-03-02", "palmyra", "isis", "regime", { id: "isis-leaves-palmyra" }),
  );
  return timeline;
}

describe("an empty timeline", () => {
  it("has no events and the initial state", () => {
    const timeline = createTimeline();
    expect(timeline.size).toBe(0);
    expect(timeline.events()).toEqual([]);
    expect(timeline.latest()).toEqual({ control: {}, airstrikes: {}, arrests: {} });
  });
});

describe("stateAt", () => {
  it("before the first event, stateAt returns the initial state of every slice", () => {
    const killed = defineReducer({
      initial: { total: 0 },
      on: {
        Airstrike(draft, event) {
          draft.total += event.data.killed ?? 0;
        },
      },
    });
    const timeline = createTimeline({ reducers: { killed } });
    timeline.append(airstrike("2016-12-10", ["palmyra"], "russia", { killed: 300 }));
    expect(timeline.stateAt("2016-12-09")).toEqual({
      control: {},
      airstrikes: {},
      arrests: {},
      killed: { total: 0 },
    });
    expect(timeline.stateAt("2016-12-10").killed.total).toBe(300);
  });

  it("counts every event with at <= t: the bound is inclusive", () => {
    const timeline = createTimeline();
    timeline.append(captured("2016-12-11T12:00+02:00", "palmyra", "isis"));
    const at = ms("2016-12-11T10:00Z");
    expectControl(timeline, at - 1, "palmyra", undefined);
    expectControl(timeline, at, "palmyra", "isis");
  });

  it("answers for any instant between events", () => {
    const timeline = palmyra();
    expectControl(timeline, "2015-01-01", "palmyra", undefined);
    expectControl(timeline, "2015-06", "palmyra", "isis");
    expectControl(timeline, "2016-06", "palmyra", "regime");
    expectControl(timeline, "2016-12-11T11:59+02:00", "palmyra", "regime");
    expectControl(timeline, "2017-01", "palmyra", "isis");
    expectControl(timeline, "2017-03-02", "palmyra", "regime");
  });

  it("latest() is the state after every event, however far in the future", () => {
    const timeline = createTimeline();
    timeline.append(captured("2040-01-01", "palmyra", "regime"));
    expect(timeline.latest().control.palmyra?.controller).toBe("regime");
    expect(timeline.latest()).toEqual(timeline.stateAt("2040-01-01"));
  });
});

describe("since: when the current holding began", () => {
  it("a repeated capture by the holder confirms it and changes nothing: no new since, no new eventId", () => {
    const timeline = createTimeline();
    timeline.append(
      captured("2020-02-05", "saraqab", "regime", { id: "SYR75261" }),
      captured("2020-02-06", "saraqab", "regime", { id: "SYR75263" }),
    );
    expect(timeline.latest().control.saraqab).toMatchObject({
      since: ms("2020-02-05"),
      eventId: "SYR75261",
    });
  });

  it("a Held by the holder confirms it too", () => {
    const timeline = createTimeline();
    timeline.append(captured("2016-03-27", "palmyra", "regime", { id: "retake" }), {
      type: "Held",
      at: "2016-12-11",
      data: { place: "palmyra", by: "regime" },
    });
    expect(timeline.latest().control.palmyra?.eventId).toBe("retake");
  });

  it("since equals the from of the place's current history interval", () => {
    const timeline = palmyra();
    timeline.append(captured("2017-03-05", "palmyra", "regime"));
    const current = timeline.history("palmyra").at(-1);
    expect(timeline.latest().control.palmyra?.since).toBe(current?.from);
    expect(timeline.latest().control.palmyra?.since).toBe(ms("2017-03-02"));
  });

  it("a withdrawal that hands the place to its holder changes nothing", () => {
    const timeline = createTimeline();
    timeline.append(
      captured("2016-12-10", "palmyra", "isis", { id: "take" }),
      withdrew("2016-12-11", "palmyra", "isis", "isis"),
    );
    expect(timeline.latest().control.palmyra?.eventId).toBe("take");
  });

  it("a capture by another actor starts a new holding", () => {
    const timeline = palmyra();
    expect(timeline.stateAt("2016-12-12").control.palmyra).toMatchObject({
      controller: "isis",
      since: ms("2016-12-11T10:00Z"),
      eventId: "isis-retakes-palmyra",
    });
  });
});

describe("timeline order", () => {
  it("events appended out of order are folded in order of `at`", () => {
    const timeline = createTimeline();
    timeline.append(captured("2016-12-11", "palmyra", "isis"));
    timeline.append(captured("2016-03-27", "palmyra", "regime"));
    timeline.append(captured("2015-05-20", "palmyra", "isis"));
    expectControl(timeline, "2015-12-31", "palmyra", "isis");
    expectControl(timeline, "2016-06-01", "palmyra", "regime");
    expectControl(timeline, "2016-12-31", "palmyra", "isis");
  });

  it("a late event changes what comes after it, not what came before", () => {
    const timeline = palmyra();
    const before = timeline.stateAt("2016-01-01");
    timeline.append(captured("2016-06-01", "palmyra-citadel", "regime"));
    expect(timeline.stateAt("2016-01-01")).toEqual(before);
    expect(timeline.stateAt("2016-07-01").control["palmyra-citadel"]?.controller).toBe("regime");
  });

  it("events with equal `at` are ordered by the order of appending, within a batch", () => {
    const timeline = createTimeline();
    timeline.append(
      captured("2016-12-11", "palmyra", "isis"),
      captured("2016-12-11", "palmyra", "regime"),
    );
    expectControl(timeline, "2016-12-11", "palmyra", "regime");
  });

  it("events with equal `at` are ordered by the order of appending, across batches", () => {
    const timeline = createTimeline();
    timeline.append(captured("2016-12-11", "palmyra", "regime", { id: "first" }));
    timeline.append(captured("2016-12-12", "palmyra", "russia"));
    timeline.append(captured("2016-12-11", "palmyra", "isis", { id: "second" }));
    expectControl(timeline, "2016-12-11", "palmyra", "isis");
    expect(timeline.events({ to: "2016-12-11" }).map((e) => e.id)).toEqual(["first", "second"]);
  });

  it("equal instants written in different forms are equal `at`s, ordered by appending", () => {
    const timeline = createTimeline();
    timeline.append(captured("2016-12-11T12:00+02:00", "palmyra", "isis"));
    timeline.append(captured(ms("2016-12-11T10:00Z"), "palmyra", "regime"));
    expectControl(timeline, "2016-12-11T10:00Z", "palmyra", "regime");
  });
});

describe("events()", () => {
  it("lists the stored events in timeline order", () => {
    const timeline = palmyra();
    expect(timeline.events().map((e) => e.id)).toEqual([
      "isis-takes-palmyra",
      "regime-retakes-palmyra",
      "mod-strikes",
      "isis-retakes-palmyra",
      "isis-leaves-palmyra",
    ]);
  });

  it("from and to are inclusive bounds on `at`", () => {
    const timeline = palmyra();
    const ids = timeline
      .events({ from: "2016-03-27", to: "2016-12-11T12:00+02:00" })
      .map((e) => e.id);
    expect(ids).toEqual(["regime-retakes-palmyra", "mod-strikes", "isis-retakes-palmyra"]);
  });

  it("from alone lists from that instant on; to alone up to it", () => {
    const timeline = palmyra();
    expect(timeline.events({ from: "2016-12-11T10:00Z" }).map((e) => e.id)).toEqual([
      "isis-retakes-palmyra",
      "isis-leaves-palmyra",
    ]);
    expect(timeline.events({ to: "2016-03-27" }).map((e) => e.id)).toEqual([
      "isis-takes-palmyra",
      "regime-retakes-palmyra",
    ]);
  });

  it("a range with nothing in it, or from after to, lists nothing", () => {
    const timeline = palmyra();
    expect(timeline.events({ from: "2015-06", to: "2016-03" })).toEqual([]);
    expect(timeline.events({ from: "2017", to: "2016" })).toEqual([]);
  });

  it("an invalid query object is a TimelineValidationError", () => {
    const timeline = palmyra();
    expect(() => timeline.events(null as never)).toThrow(TimelineValidationError);
  });
});

describe("history", () => {
  it("lists control intervals: controller, from, to and the event that began each", () => {
    const timeline = palmyra();
    expect(timeline.history("palmyra")).toEqual([
      {
        controller: "isis",
        from: ms("2015-05-20"),
        to: ms("2016-03-27"),
        eventId: "isis-takes-palmyra",
        fromPrecision: "day",
        toPrecision: "day",
      },
      {
        controller: "regime",
        from: ms("2016-03-27"),
        to: ms("2016-12-11T10:00Z"),
        eventId: "regime-retakes-palmyra",
        fromPrecision: "day",
        toPrecision: "minute",
      },
      {
        controller: "isis",
        from: ms("2016-12-11T10:00Z"),
        to: ms("2017-03-02"),
        eventId: "isis-retakes-palmyra",
        fromPrecision: "minute",
        toPrecision: "day",
      },
      {
        controller: "regime",
        from: ms("2017-03-02"),
        to: null,
        eventId: "isis-leaves-palmyra",
        fromPrecision: "day",
        toPrecision: null,
      },
    ]);
  });

  it("starts a new interval only where the controller changes", () => {
    const timeline = createTimeline();
    timeline.append(
      captured("2016-03-27", "palmyra", "regime", { id: "a" }),
      captured("2016-04-02", "palmyra", "regime", { id: "b" }),
      withdrew("2016-05-01", "palmyra", "isis"),
    );
    expect(timeline.history("palmyra")).toEqual([
      {
        controller: "regime",
        from: ms("2016-03-27"),
        to: null,
        eventId: "a",
        fromPrecision: "day",
        toPrecision: null,
      },
    ]);
  });

  it("a Withdrew without handedTo opens an interval in which nobody (null) holds the place", () => {
    const timeline = createTimeline();
    timeline.append(
      captured("2016-12-11", "palmyra", "isis", { id: "a" }),
      withdrew("2017-03-01", "palmyra", "isis", undefined, { id: "b" }),
      captured("2017-03-02", "palmyra", "regime", { id: "c" }),
    );
    expect(timeline.history("palmyra").map((i) => [i.controller, i.eventId])).toEqual([
      ["isis", "a"],
      [null, "b"],
      ["regime", "c"],
    ]);
  });

  it("a place no control event has set has no history", () => {
    const timeline = palmyra();
    timeline.append(withdrew("2016-12-12", "tiyas-airbase", "isis"));
    expect(timeline.history("tiyas-airbase")).toEqual([]);
    expect(timeline.history("aleppo")).toEqual([]);
  });

  it("an airstrike or arrests do not make history", () => {
    const timeline = createTimeline();
    timeline.append(
      airstrike("2016-12-10", ["palmyra"], "russia"),
      arrests("2016-12-12", "palmyra", "isis", 3),
    );
    expect(timeline.history("palmyra")).toEqual([]);
  });

  it("the returned intervals are frozen", () => {
    const timeline = palmyra();
    expectDeepFrozen(timeline.history("palmyra"));
  });
});

describe("diff", () => {
  it("lists places whose controller differs between two instants", () => {
    const timeline = palmyra();
    timeline.append(captured("2016-12-12", "tiyas-airbase", "regime"));
    expect(timeline.diff("2016-12-01", "2016-12-31")).toEqual([
      { place: "palmyra", before: "regime", after: "isis" },
      { place: "tiyas-airbase", before: undefined, after: "regime" },
    ]);
  });

  it("a place absent on a side is undefined on that side", () => {
    const timeline = palmyra();
    expect(timeline.diff("2015-01-01", "2015-06-01")).toEqual([
      { place: "palmyra", before: undefined, after: "isis" },
    ]);
    expect(timeline.diff("2015-06-01", "2015-01-01")).toEqual([
      { place: "palmyra", before: "isis", after: undefined },
    ]);
  });

  it("a place that nobody holds on one side is null on that side", () => {
    const timeline = createTimeline();
    timeline.append(
      captured("2016-12-11", "palmyra", "isis"),
      withdrew("2017-03-01", "palmyra", "isis"),
    );
    expect(timeline.diff("2016-12-31", "2017-03-01")).toEqual([
      { place: "palmyra", before: "isis", after: null },
    ]);
  });

  it("places whose controller is the same at both instants are not listed", () => {
    const timeline = palmyra();
    timeline.append(captured("2016-12-12", "palmyra", "isis"));
    expect(timeline.diff("2016-12-11T12:00+02:00", "2016-12-31")).toEqual([]);
    expect(timeline.diff("2016-01-01", "2016-01-01")).toEqual([]);
  });

  it("compares the two instants only: a place lost and regained in between is not listed", () => {
    const timeline = palmyra();
    expect(timeline.diff("2016-01-01", "2017-01-01")).toEqual([]);
  });

  it("lists places in the key order of the control record", () => {
    const timeline = createTimeline();
    timeline.append(
      captured("2016-12-11", "palmyra", "isis"),
      captured("2016-12-09", "tiyas-airbase", "regime"),
      captured("2016-12-10", "jabal-hayyan", "isis"),
    );
    const order = Object.keys(timeline.latest().control);
    expect(timeline.diff("2016", "2017").map((d) => d.place)).toEqual(order);
    expect(order).toEqual(["tiyas-airbase", "jabal-hayyan", "palmyra"]);
  });
});

describe("size", () => {
  it("counts the stored events; re-appended duplicates count once", () => {
    const timeline = palmyra();
    expect(timeline.size).toBe(5);
    timeline.append(
      captured("2015-05-20", "palmyra", "isis", {
        id: "isis-takes-palmyra",
        sources: cites("SOHR"),
      }),
    );
    expect(timeline.size).toBe(5);
    timeline.append(arrests("2016-12-15", "palmyra", "isis", 12));
    expect(timeline.size).toBe(6);
  });
});

describe("immutability of states", () => {
  it("states are deep-frozen", () => {
    const timeline = palmyra();
    timeline.append(arrests("2016-12-15", "palmyra", "isis", 12));
    expectDeepFrozen(timeline.latest());
    expectDeepFrozen(timeline.stateAt("2016-12-10"));
  });

  it("mutating a state throws in strict mode and never changes the timeline", () => {
    const timeline = palmyra();
    const state = timeline.latest();
    expect(() => {
      (state.control as Record<string, unknown>).palmyra = { controller: "russia" };
    }).toThrow(TypeError);
    expect(() => {
      (state.control.palmyra as { controller: string }).controller = "russia";
    }).toThrow(TypeError);
    expect(() => {
      delete (state.airstrikes as Record<string, unknown>).palmyra;
    }).toThrow(TypeError);
    expect(timeline.latest().control.palmyra?.controller).toBe("regime");
    expect(timeline.latest().airstrikes.palmyra?.count).toBe(1);
  });

  it("repeated queries covering the same events return the same state object", () => {
    const timeline = palmyra();
    expect(timeline.stateAt("2016-06-01")).toBe(timeline.stateAt("2016-07-01"));
    expect(timeline.stateAt("2016-03-27")).toBe(timeline.stateAt("2016-06-01"));
  });

  it("keeps only the last few states it handed out, so that a loop of queries holds no memory", async () => {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const timeline = palmyra();
    const first = new WeakRef(timeline.stateAt("2015-01-01"));
    for (const t of ["2015-06-01", "2016-04-01", "2016-12-10T12:00Z", "2016-12-12", "2017-04-01"]) {
      expect(timeline.stateAt(t).control.palmyra).toBeDefined();
    }
    // A WeakRef keeps its target until the end of the job that made it.
    await new Promise((resolve) => setTimeout(resolve, 0));
    gc();
    expect(first.deref()).toBeUndefined();
  });

  it("a state is plain data: every slice is a frozen value property, as a debugger shows it", () => {
    const timeline = palmyra();
    const state = timeline.stateAt("2016-12-11");
    for (const name of ["control", "airstrikes", "arrests"]) {
      const descriptor = Object.getOwnPropertyDescriptor(state, name);
      expect(descriptor?.get).toBeUndefined();
      expect(descriptor?.value).toBeTypeOf("object");
      expect(Object.isFrozen(descriptor?.value)).toBe(true);
    }
    expect(Object.getOwnPropertySymbols(state)).toEqual([]);
  });

  it("a state obtained earlier is not changed by later appends", () => {
    const timeline = palmyra();
    const state = timeline.latest();
    const copy = structuredClone(state);
    timeline.append(
      captured("2016-06-01", "palmyra", "russia"),
      captured("2018-01-01", "palmyra", "isis"),
    );
    expect(state).toEqual(copy);
    expect(timeline.latest().control.palmyra?.controller).toBe("isis");
  });

  it("the lists returned by append, history and diff are frozen", () => {
    const timeline = createTimeline();
    const appended = timeline.append(captured("2016-12-11", "palmyra", "isis"));
    expect(Object.isFrozen(appended)).toBe(true);
    expect(Object.isFrozen(timeline.history("palmyra"))).toBe(true);
    expect(Object.isFrozen(timeline.diff("2016", "2017"))).toBe(true);
    expectDeepFrozen(timeline.diff("2016", "2017"));
  });
});

describe("toJSON and fromJSON", () => {
  it("toJSON returns { version: 1, events } with every stored event in timeline order", () => {
    const timeline = palmyra();
    const json = timeline.toJSON();
    expect(json.version).toBe(1);
    expect(json.events).toEqual(timeline.events());
  });

  it("toJSON includes retractions and retracted events", () => {
    const timeline = palmyra();
    timeline.append(retracted("2016-12-11T13:00+02:00", "mod-strikes", { id: "r" }));
    expect(timeline.toJSON().events.map((e) => e.id)).toEqual([
      "isis-takes-palmyra",
      "regime-retakes-palmyra",
      "mod-strikes",
      "isis-retakes-palmyra",
      "r",
      "isis-leaves-palmyra",
    ]);
  });

  it("the object toJSON returns is frozen", () => {
    const timeline = palmyra();
    const json = timeline.toJSON();
    expect(() => {
      (json.events as unknown[]).length = 0;
    }).toThrow(TypeError);
    expect(timeline.toJSON().events).toHaveLength(5);
  });

  it("fromJSON(toJSON()) rebuilds a timeline that answers every query as the original", () => {
    const timeline = palmyra();
    timeline.append(
      retracted("2016-12-12", "mod-strikes", { recordedAt: "2016-12-13" }),
      arrests("2016-12-15", "palmyra", "isis", 12, { precision: "month" }),
    );
    const copy = fromJSON(timeline.toJSON());
    expect(snapshot(copy)).toEqual(snapshot(timeline));
    expect(copy.events()).toEqual(timeline.events());
    expect(copy.history("palmyra")).toEqual(timeline.history("palmyra"));
    expect(copy.stateAt("2016-12-12", { asOf: "2016-12-12" })).toEqual(
      timeline.stateAt("2016-12-12", { asOf: "2016-12-12" }),
    );
    expect(copy.claims("palmyra", "2016-12-31")).toEqual(timeline.claims("palmyra", "2016-12-31"));
  });

  it("the round trip also works through JSON.stringify text", () => {
    const timeline = palmyra();
    const text = JSON.stringify(timeline);
    const copy = fromJSON(text);
    expect(copy.toJSON()).toEqual(timeline.toJSON());
    expect(copy.latest()).toEqual(timeline.latest());
  });

  it("ids, times, precision and sources are kept, and new events get their own ids", () => {
    const timeline = createTimeline();
    const [original] = timeline.append(
      captured("2016-12-11", "palmyra", "isis", {
        precision: "week",
        recordedAt: "2016-12-12",
        sources: [{ name: "Amaq", url: "https://example.org/amaq" }],
        note: "claimed",
      }),
    );
    const copy = fromJSON(JSON.stringify(timeline));
    expect(copy.events()[0]).toEqual({
      id: original?.id,
      type: "Captured",
      at: ms("2016-12-11"),
      precision: "week",
      recordedAt: ms("2016-12-12"),
      sources: [{ name: "Amaq", url: "https://example.org/amaq" }],
      note: "claimed",
      data: { place: "palmyra", by: "isis" },
    });
    const [later] = copy.append(captured("2017-03-02", "palmyra", "regime"));
    expect(later?.id).not.toBe(original?.id);
    expect(copy.size).toBe(2);
  });

  it("equal `at`s keep their order through the round trip", () => {
    const timeline = createTimeline();
    timeline.append(captured("2016-12-11", "palmyra", "regime", { id: "z" }));
    timeline.append(captured("2016-12-11", "palmyra", "isis", { id: "a" }));
    const copy = fromJSON(JSON.stringify(timeline));
    expect(copy.events().map((e) => e.id)).toEqual(["z", "a"]);
    expectControl(copy, "2016-12-11", "palmyra", "isis");
  });

  it("custom events and reducers survive the round trip when given to fromJSON", () => {
    const Clashes = defineEvent(
      "Clashes",
      z.object({ place: z.string(), sides: z.array(z.string()).min(2) }),
    );
    const clashes = defineReducer({
      events: [Clashes],
      initial: {} as Record<string, number>,
      on: {
        Clashes(draft, event) {
          draft[event.data.place] = (draft[event.data.place] ?? 0) + 1;
        },
      },
    });
    const timeline = createTimeline({ events: [Clashes], reducers: { clashes } });
    timeline.append(
      { type: "Clashes", at: "2016-12-08", data: { place: "palmyra", sides: ["isis", "regime"] } },
      { type: "Clashes", at: "2016-12-09", data: { place: "palmyra", sides: ["isis", "regime"] } },
      captured("2016-12-11", "palmyra", "isis"),
    );
    const copy = fromJSON(JSON.stringify(timeline), { events: [Clashes], reducers: { clashes } });
    expect(copy.latest().clashes).toEqual({ palmyra: 2 });
    expect(copy.latest()).toEqual(timeline.latest());
    expect(() => fromJSON(JSON.stringify(timeline))).toThrow(TimelineValidationError);
  });

  it("fromJSON rejects text that is not JSON", () => {
    expectIssues(() => fromJSON("{ version: 1"), [{ index: 0, path: [] }]);
  });

  it("fromJSON rejects anything but { version: 1, events: [...] }", () => {
    expect(() => fromJSON({ version: 2, events: [] } as never)).toThrow(TimelineValidationError);
    expect(() => fromJSON({ events: [] } as never)).toThrow(TimelineValidationError);
    expect(() => fromJSON({ version: 1 } as never)).toThrow(TimelineValidationError);
    expect(() => fromJSON("[]")).toThrow(TimelineValidationError);
  });

  it("fromJSON validates every event, locating problems by index", () => {
    const timeline = palmyra();
    const json = JSON.parse(JSON.stringify(timeline));
    json.events[3].at = "yesterday";
    expectIssues(() => fromJSON(json), [{ index: 3, path: ["at"] }]);
  });
});
