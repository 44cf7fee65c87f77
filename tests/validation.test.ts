import { describe, expect, it } from "vitest";
import {
  type BuiltinState,
  createTimeline,
  defineReducer,
  fromJSON,
  TimelineValidationError,
} from "../src/index.js";
import {
  airstrike,
  arrests,
  captured,
  cites,
  expectDeepFrozen,
  expectIssues,
  ms,
  snapshot,
  withdrew,
} from "./helpers/assertions.js";

describe("the shape of input events", () => {
  it("an unknown event type is rejected at path ['type']", () => {
    const timeline = createTimeline();
    const error = expectIssues(
      () => timeline.append({ type: "Bombed", at: "2016-12-10", data: {} } as never),
      [{ index: 0, path: ["type"] }],
    );
    expect(error.message).toContain("Bombed");
  });

  it("an unknown type's data is still checked for its shape, so one attempt shows both problems", () => {
    const timeline = createTimeline();
    const data: Record<string, unknown> = { place: "palmyra" };
    data.self = data;
    const error = expectIssues(
      () => timeline.append({ type: "Bombed", at: "2016-12-10", data } as never),
      [
        { index: 0, path: ["type"] },
        { index: 0, path: ["data", "self"] },
      ],
    );
    expect(error.message).toContain("a cycle");
  });

  it("a missing type is rejected at path ['type']", () => {
    const timeline = createTimeline();
    expectIssues(
      () => timeline.append({ at: "2016-12-10", data: { place: "palmyra", by: "isis" } } as never),
      [{ index: 0, path: ["type"] }],
    );
  });

  it("data that fails its schema is rejected at the path of the bad field", () => {
    const timeline = createTimeline();
    expectIssues(
      () =>
        timeline.append({
          type: "Captured",
          at: "2016-12-10",
          data: { place: "palmyra" },
        } as never),
      [{ index: 0, path: ["data", "by"] }],
    );
  });

  it("missing data is rejected at path ['data']", () => {
    const timeline = createTimeline();
    expectIssues(
      () => timeline.append({ type: "Captured", at: "2016-12-10" } as never),
      [{ index: 0, path: ["data"] }],
    );
  });

  it("an empty place or actor id is rejected", () => {
    const timeline = createTimeline();
    expectIssues(
      () => timeline.append(captured("2016-12-10", "", "")),
      [
        { index: 0, path: ["data", "place"] },
        { index: 0, path: ["data", "by"] },
      ],
    );
  });

  it("a field the envelope does not know is rejected, not silently dropped", () => {
    const timeline = createTimeline();
    expectIssues(
      () =>
        timeline.append({ ...captured("2016-12-10", "palmyra", "isis"), source: "SOHR" } as never),
      [{ index: 0, path: ["source"] }],
    );
  });

  it("a data field a built-in event does not know is rejected", () => {
    const timeline = createTimeline();
    const error = expectIssues(
      () =>
        timeline.append({
          type: "Captured",
          at: "2016-12-10",
          data: { place: "palmyra", by: "isis", casualties: 12 },
        } as never),
      [{ index: 0, path: ["data"] }],
    );
    expect(error.message).toContain("casualties");
  });

  it("an Airstrike must name at least one place", () => {
    const timeline = createTimeline();
    expectIssues(
      () => timeline.append(airstrike("2016-12-10", [], "russia")),
      [{ index: 0, path: ["data", "places"] }],
    );
  });

  it.each([
    ["strikes 0", { strikes: 0 }, "strikes"],
    ["strikes 1.5", { strikes: 1.5 }, "strikes"],
    ["killed -1", { killed: -1 }, "killed"],
    ["killed 2.5", { killed: 2.5 }, "killed"],
  ])("an Airstrike with %s is rejected (strikes: int >= 1, killed: int >= 0)", (_l, extra, key) => {
    const timeline = createTimeline();
    expectIssues(
      () => timeline.append(airstrike("2016-12-10", ["palmyra"], "russia", extra)),
      [{ index: 0, path: ["data", key] }],
    );
  });

  it("an Airstrike with killed 0 and strikes 1 is valid", () => {
    const timeline = createTimeline();
    const [event] = timeline.append(
      airstrike("2016-12-10", ["palmyra"], "russia", { strikes: 1, killed: 0 }),
    );
    expect(event?.data).toEqual({ places: ["palmyra"], by: "russia", strikes: 1, killed: 0 });
  });

  it.each([-1, 2.5])("an Arrests count of %s is rejected (count: int >= 0)", (count) => {
    const timeline = createTimeline();
    expectIssues(
      () => timeline.append(arrests("2016-12-10", "palmyra", "isis", count)),
      [{ index: 0, path: ["data", "count"] }],
    );
  });

  it("a Withdrew needs the place and the actor", () => {
    const timeline = createTimeline();
    expectIssues(
      () => timeline.append({ type: "Withdrew", at: "2016-12-10", data: {} } as never),
      [
        { index: 0, path: ["data", "place"] },
        { index: 0, path: ["data", "actor"] },
      ],
    );
  });

  it("sources must be a list of { name, url?, note? }", () => {
    const timeline = createTimeline();
    expectIssues(
      () =>
        timeline.append(
          captured("2016-12-10", "palmyra", "isis", { sources: "SOHR" as never }),
          captured("2016-12-10", "palmyra", "isis", { sources: [{ url: "https://x" }] as never }),
          captured("2016-12-10", "palmyra", "isis", {
            sources: [{ name: "SOHR", reliability: "high" }] as never,
          }),
          captured("2016-12-10", "palmyra", "isis", {
            sources: [{ name: "SOHR", url: 7 }] as never,
          }),
        ),
      [
        { index: 0, path: ["sources"] },
        { index: 1, path: ["sources", 0, "name"] },
        { index: 2, path: ["sources", 0, "reliability"] },
        { index: 3, path: ["sources", 0, "url"] },
      ],
    );
  });

  it("an id must be a non-empty string and a note a string", () => {
    const timeline = createTimeline();
    expectIssues(
      () =>
        timeline.append(
          captured("2016-12-10", "palmyra", "isis", { id: "" }),
          captured("2016-12-10", "palmyra", "isis", { id: 7 as never }),
          captured("2016-12-10", "palmyra", "isis", { note: 7 as never }),
        ),
      [
        { index: 0, path: ["id"] },
        { index: 1, path: ["id"] },
        { index: 2, path: ["note"] },
      ],
    );
  });

  it("an input that is not an object is rejected as a whole (empty path)", () => {
    const timeline = createTimeline();
    expectIssues(
      () => timeline.append(captured("2016-12-10", "palmyra", "isis"), null as never, [] as never),
      [
        { index: 1, path: [] },
        { index: 2, path: [] },
      ],
    );
  });
});

describe("all-or-nothing batches", () => {
  it("an invalid event among valid ones stores nothing", () => {
    const timeline = createTimeline();
    const before = timeline.latest();
    expect(() =>
      timeline.append(
        captured("2016-03-27", "palmyra", "regime"),
        captured("2016-12-11", "palmyra", "isis", { precision: "fortnight" as never }),
        airstrike("2016-12-10", ["palmyra"], "russia"),
      ),
    ).toThrow(TimelineValidationError);
    expect(timeline.size).toBe(0);
    expect(timeline.events()).toEqual([]);
    expect(timeline.latest()).toEqual(before);
  });

  it("a rejected batch leaves an existing timeline exactly as it was", () => {
    const timeline = createTimeline();
    timeline.append(captured("2016-03-27", "palmyra", "regime"));
    const before = snapshot(timeline);
    expect(() =>
      timeline.append(
        captured("2016-12-11", "palmyra", "isis"),
        withdrew("2016-12-12", "palmyra", "isis", undefined, { recordedAt: "later" }),
      ),
    ).toThrow(TimelineValidationError);
    expect(snapshot(timeline)).toEqual(before);
  });

  it("the error lists every problem of every input, each with its index and path", () => {
    const timeline = createTimeline();
    expectIssues(
      () =>
        timeline.append(
          captured("2016-03-27", "palmyra", "regime"),
          captured("yesterday", "palmyra", ""),
          airstrike("2016-12-10", ["palmyra"], "russia", { strikes: 0 }),
          { type: "Clashes", at: "2016-12-10", data: {} } as never,
        ),
      [
        { index: 1, path: ["at"] },
        { index: 1, path: ["data", "by"] },
        { index: 2, path: ["data", "strikes"] },
        { index: 3, path: ["type"] },
      ],
    );
  });

  it("the error message names each problem in words, with its count", () => {
    const timeline = createTimeline();
    const error = expectIssues(
      () =>
        timeline.append(
          captured("yesterday", "palmyra", "isis"),
          captured("2016-12-10", "palmyra", "isis", { precision: "fortnight" as never }),
        ),
      [
        { index: 0, path: ["at"] },
        { index: 1, path: ["precision"] },
      ],
    );
    expect(error.message).toContain("2 problems");
    expect(error.message).toContain("yesterday");
    expect(error.name).toBe("TimelineValidationError");
    expect(error).toBeInstanceOf(Error);
  });

  it("the issues of an error are frozen", () => {
    const timeline = createTimeline();
    const error = expectIssues(
      () => timeline.append(captured("yesterday", "palmyra", "isis")),
      [{ index: 0, path: ["at"] }],
    );
    expectDeepFrozen(error.issues);
  });
});

describe("stored events", () => {
  it("a stored event has id, type, at, precision, recordedAt, sources and data", () => {
    const timeline = createTimeline();
    const [event] = timeline.append({
      type: "Captured",
      at: "2016-12-10T18:00+02:00",
      data: { place: "palmyra", by: "isis", from: "regime" },
    });
    expect(event).toEqual({
      id: expect.stringMatching(/^h-[a-z2-7]{26}$/),
      type: "Captured",
      at: ms("2016-12-10T16:00Z"),
      precision: "minute",
      recordedAt: ms("2016-12-10T16:00Z"),
      sources: [],
      data: { place: "palmyra", by: "isis", from: "regime" },
    });
    expect(Object.hasOwn(event as object, "note")).toBe(false);
  });

  it("a note and sources are kept as given", () => {
    const timeline = createTimeline();
    const sources = [
      { name: "SOHR", url: "https://www.syriahr.com/en/", note: "local network" },
      { name: "Amaq" },
    ];
    const [event] = timeline.append(
      captured("2016-12-11", "palmyra", "isis", { sources, note: "retaken after a week" }),
    );
    expect(event?.sources).toEqual(sources);
    expect(event?.note).toBe("retaken after a week");
  });

  it("append returns the stored event for each input, in input order, as a frozen array", () => {
    const timeline = createTimeline();
    const result = timeline.append(
      captured("2016-12-11", "palmyra", "isis", { id: "b" }),
      captured("2016-03-27", "palmyra", "regime", { id: "a" }),
    );
    expect(result.map((e) => e.id)).toEqual(["b", "a"]);
    expect(Object.isFrozen(result)).toBe(true);
    expect(timeline.events()).toEqual([result[1], result[0]]);
  });

  it("changing an input after appending it does not change the stored event", () => {
    const timeline = createTimeline();
    const input = captured("2016-12-11", "palmyra", "isis", { sources: cites("SOHR") });
    timeline.append(input);
    input.data.by = "regime";
    (input.sources as { name: string }[])[0] = { name: "Amaq" };
    const [event] = timeline.events();
    expect(event?.data).toEqual({ place: "palmyra", by: "isis" });
    expect(event?.sources).toEqual([{ name: "SOHR" }]);
    expect(timeline.latest().control.palmyra?.controller).toBe("isis");
  });

  it("appendAll takes any iterable, such as a generator, and stores like append", () => {
    const timeline = createTimeline();
    function* feed() {
      yield captured("2016-03-27", "palmyra", "regime");
      yield captured("2016-12-11", "palmyra", "isis");
    }
    const result = timeline.appendAll(feed());
    expect(result.map((e) => e.type)).toEqual(["Captured", "Captured"]);
    expect(timeline.size).toBe(2);
    expect(timeline.latest().control.palmyra?.controller).toBe("isis");
  });

  it("appendAll takes a list too long to spread into arguments", () => {
    const timeline = createTimeline();
    const n = 150_000;
    const start = Date.UTC(2016, 0, 1);
    const inputs = Array.from({ length: n }, (_, i) =>
      captured(start + i * 60_000, "palmyra", i % 2 === 0 ? "isis" : "regime"),
    );
    timeline.appendAll(inputs);
    expect(timeline.size).toBe(n);
    expect(timeline.latest().control.palmyra?.controller).toBe("regime");
  }, 30_000);

  it("appendAll is all-or-nothing and reports issues by position in the iterable", () => {
    const timeline = createTimeline();
    expectIssues(
      () =>
        timeline.appendAll([
          captured("2016-03-27", "palmyra", "regime"),
          captured("2016-12-11", "palmyra", "isis"),
          captured("2016-12-11", "palmyra", 4 as never),
        ]),
      [{ index: 2, path: ["data", "by"] }],
    );
    expect(timeline.size).toBe(0);
  });
});

describe("duplicate ids", () => {
  it("re-appending an event with the same id and content is a no-op that returns the stored event", () => {
    const timeline = createTimeline();
    const input = captured("2016-12-11T12:00+02:00", "palmyra", "isis", {
      id: "sohr-2016-12-11",
      sources: cites("SOHR"),
    });
    const [stored] = timeline.append(input);
    const [again] = timeline.append(input);
    expect(again).toStrictEqual(stored);
    expect(timeline.size).toBe(1);
    expect(timeline.history("palmyra")).toHaveLength(1);
  });

  it("a re-ingested feed stores only its new events", () => {
    const timeline = createTimeline();
    const feed = [
      captured("2016-03-27", "palmyra", "regime", { id: "a" }),
      captured("2016-12-11", "palmyra", "isis", { id: "b" }),
    ];
    timeline.append(...feed);
    const result = timeline.append(
      ...feed,
      withdrew("2017-03-02", "palmyra", "isis", "regime", { id: "c" }),
    );
    expect(result.map((e) => e.id)).toEqual(["a", "b", "c"]);
    expect(timeline.size).toBe(3);
  });

  it("content is compared after normalisation: the same instant written otherwise is the same event", () => {
    const timeline = createTimeline();
    const [stored] = timeline.append(
      captured("2016-12-11T12:00+02:00", "palmyra", "isis", { id: "x" }),
    );
    const [again] = timeline.append(
      captured("2016-12-11T10:00Z", "palmyra", "isis", {
        id: "x",
        recordedAt: "2016-12-11T13:00+03:00",
        sources: [],
      }),
    );
    expect(again).toStrictEqual(stored);
    expect(timeline.size).toBe(1);
  });

  it("the same id with other content is a TimelineValidationError at path ['id']", () => {
    const timeline = createTimeline();
    timeline.append(captured("2016-12-11", "palmyra", "isis", { id: "x" }));
    const error = expectIssues(
      () => timeline.append(captured("2016-12-11", "palmyra", "regime", { id: "x" })),
      [{ index: 0, path: ["id"] }],
    );
    expect(error.message).toContain('"x"');
    expect(timeline.latest().control.palmyra?.controller).toBe("isis");
  });

  it.each([
    ["another precision", { precision: "month" as const }],
    ["another recordedAt", { recordedAt: "2016-12-12" }],
    ["other sources", { sources: cites("Amaq") }],
    ["a note", { note: "per Amaq" }],
  ])("an event with the same id but %s is a different event", (_label, extra) => {
    const timeline = createTimeline();
    timeline.append(captured("2016-12-11", "palmyra", "isis", { id: "x" }));
    expectIssues(
      () => timeline.append(captured("2016-12-11", "palmyra", "isis", { id: "x", ...extra })),
      [{ index: 0, path: ["id"] }],
    );
    expect(timeline.size).toBe(1);
  });

  it("a conflicting duplicate rejects the whole batch", () => {
    const timeline = createTimeline();
    timeline.append(captured("2016-12-11", "palmyra", "isis", { id: "x" }));
    expect(() =>
      timeline.append(
        captured("2017-03-02", "palmyra", "regime", { id: "y" }),
        captured("2016-12-11", "palmyra", "regime", { id: "x" }),
      ),
    ).toThrow(TimelineValidationError);
    expect(timeline.size).toBe(1);
    expect(timeline.events().map((e) => e.id)).toEqual(["x"]);
  });

  it("the same event twice in one batch is stored once", () => {
    const timeline = createTimeline();
    const input = captured("2016-12-11", "palmyra", "isis", { id: "x" });
    const [first, second] = timeline.append(input, { ...input });
    expect(second).toBe(first);
    expect(timeline.size).toBe(1);
  });

  it("two different events with one id in one batch are rejected", () => {
    const timeline = createTimeline();
    expectIssues(
      () =>
        timeline.append(
          captured("2016-12-11", "palmyra", "isis", { id: "x" }),
          captured("2016-12-11", "palmyra", "regime", { id: "x" }),
        ),
      [{ index: 1, path: ["id"] }],
    );
    expect(timeline.size).toBe(0);
  });
});

describe("immutability of stored events", () => {
  it("stored events are deep-frozen", () => {
    const timeline = createTimeline();
    const [event] = timeline.append(
      airstrike("2016-12-10", ["palmyra", "palmyra-citadel"], "russia", {
        sources: [{ name: "Russian MoD", url: "https://eng.mil.ru" }],
      }),
    );
    expectDeepFrozen(event);
  });

  it("mutating a stored event throws in strict mode and changes nothing", () => {
    const timeline = createTimeline();
    const [event] = timeline.append(captured("2016-12-11", "palmyra", "isis"));
    if (event === undefined) throw new Error("no event");
    expect(() => {
      (event.data as { by: string }).by = "regime";
    }).toThrow(TypeError);
    expect(() => {
      (event as { at: number }).at = 0;
    }).toThrow(TypeError);
    expect(() => {
      (event.sources as { name: string }[]).push({ name: "SOHR" });
    }).toThrow(TypeError);
    expect(timeline.latest().control.palmyra?.controller).toBe("isis");
    expect(timeline.events()[0]?.sources).toEqual([]);
  });

  it("the list returned by events() is frozen", () => {
    const timeline = createTimeline();
    timeline.append(captured("2016-12-11", "palmyra", "isis"));
    const list = timeline.events();
    expect(() => {
      (list as unknown[]).pop();
    }).toThrow(TypeError);
    expect(timeline.events()).toHaveLength(1);
  });
});

describe("validation comes before folding", () => {
  it("a bad input is reported as TimelineValidationError before any reducer runs", () => {
    let calls = 0;
    const counting = defineReducer({
      initial: 0,
      reduce: (n: number) => {
        calls++;
        return n + 1;
      },
    });
    const timeline = createTimeline({ reducers: { counting } });
    expect(() =>
      timeline.append(captured("2016-12-11", "palmyra", "isis"), captured("x", "palmyra", "isis")),
    ).toThrow(TimelineValidationError);
    expect(calls).toBe(0);
    const state: BuiltinState & { counting: number } = timeline.latest();
    expect(state.counting).toBe(0);
  });
});

describe("time zones keep the promise of bad input", () => {
  it("a time of day the zone skips is listed with the batch's other problems, and nothing is appended", () => {
    const timeline = createTimeline({ timeZone: "America/New_York" });
    const error = expectIssues(
      () =>
        timeline.append(
          captured("2016-03-13T02:30", "palmyra", "isis"),
          captured("2016-03-13T03:30", "palmyra", ""),
          captured("2016-03-13", "tadmur", "isis", { recordedAt: "2016-03-13T02:15" }),
        ),
      [
        { index: 0, path: ["at"] },
        { index: 1, path: ["data", "by"] },
        { index: 2, path: ["recordedAt"] },
      ],
    );
    expect(error.issues[0]?.message).toContain("does not exist in America/New_York");
    expect(timeline.size).toBe(0);
  });

  it("fromJSON with a zone that does not exist is a TimelineValidationError", () => {
    expectIssues(
      () => fromJSON({ version: 1, timeZone: "Atlantis/Capital", events: [] }),
      [{ index: 0, path: ["timeZone"] }],
    );
  });

  it("fromJSON with a timeZone that is not a string is a TimelineValidationError", () => {
    expect(() => fromJSON(JSON.stringify({ version: 1, timeZone: 2, events: [] }))).toThrow(
      TimelineValidationError,
    );
  });
});
