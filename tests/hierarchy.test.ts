// Places with parents: capturing or leaving a place applies to its descendants by the same
// rule as to the place. These tests check that every query (the control slice, history,
// diff, claims, contested) answers with the hierarchy as a fold from scratch would.

import { describe, expect, it } from "vitest";
import { createTimeline, type Registry } from "../src/index.js";
import { captured, cites, expectControl, ms, retracted, withdrew } from "./helpers/assertions.js";

// homs-east > palmyra > palmyra-old-city; homs-east > t4; raqqa stands alone.
const places = {
  "homs-east": { name: "Eastern Homs countryside", aliases: ["Badia"], kind: "region" },
  palmyra: { name: "Palmyra", parent: "homs-east", kind: "city" },
  "palmyra-old-city": { name: "Old city", parent: "palmyra", kind: "district" },
  t4: { name: "T4 airbase", parent: "homs-east", kind: "airbase" },
  raqqa: { name: "Raqqa", kind: "city" },
} as const satisfies Registry;

const tl = () => createTimeline({ places });
const BELOW = ["palmyra", "palmyra-old-city", "t4"];

describe("the control slice with a hierarchy", () => {
  it("a region's Captured reaches every descendant at every depth, and nothing outside", () => {
    const timeline = tl();
    timeline.append(captured("2016-12-08", "homs-east", "isis"));
    for (const place of ["homs-east", ...BELOW])
      expectControl(timeline, "2016-12-08", place, "isis");
    expectControl(timeline, "2016-12-08", "raqqa", undefined);
  });

  it("an alias of the region stands for it, descendants included", () => {
    const timeline = tl();
    timeline.append(captured("2016-12-08", "Badia", "isis"));
    expectControl(timeline, "2016-12-08", "palmyra-old-city", "isis");
  });

  it("a region's Withdrew hands over only the descendants its actor holds", () => {
    const timeline = tl();
    timeline.append(
      captured("2016-12-08", "homs-east", "isis"),
      captured("2016-12-09", "t4", "regime"),
      withdrew("2016-12-10", "homs-east", "isis", "regime"),
    );
    expectControl(timeline, "2016-12-10", "palmyra-old-city", "regime");
    expect(timeline.latest().control.t4?.since).toBe(ms("2016-12-09"));
  });

  it("a region's capture by the holder of a descendant confirms it: the descendant's since stays", () => {
    const timeline = tl();
    timeline.append(
      captured("2016-12-08", "palmyra", "isis", { id: "city" }),
      captured("2016-12-10", "homs-east", "isis", { id: "region" }),
    );
    expect(timeline.latest().control["palmyra-old-city"]).toMatchObject({
      since: ms("2016-12-08"),
      eventId: "city",
    });
    expect(timeline.latest().control.t4).toMatchObject({ since: ms("2016-12-10") });
    expect(timeline.history("palmyra-old-city")).toHaveLength(1);
  });

  it("a region's event appended late refolds its descendants as if appended in order", () => {
    const inOrder = tl();
    const late = tl();
    const events = [
      captured("2016-12-08", "homs-east", "isis", { id: "region" }),
      captured("2016-12-09", "palmyra", "regime", { id: "city" }),
      withdrew("2016-12-10", "homs-east", "isis", undefined, { id: "leave" }),
    ];
    inOrder.append(...events);
    late.append(events[1] as never, events[2] as never);
    late.append(events[0] as never);
    expect(late.latest().control).toEqual(inOrder.latest().control);
    expect(Object.keys(late.latest().control)).toEqual(Object.keys(inOrder.latest().control));
    expect(late.history("palmyra-old-city")).toEqual(inOrder.history("palmyra-old-city"));
  });

  it("retracting a region's event restores what its descendants had", () => {
    const timeline = tl();
    timeline.append(
      captured("2016-12-08", "palmyra", "regime", { id: "city" }),
      captured("2016-12-10", "homs-east", "isis", { id: "region", recordedAt: "2016-12-10" }),
      retracted("2016-12-10", "region", { recordedAt: "2016-12-12" }),
    );
    expectControl(timeline, "2016-12-11", "palmyra-old-city", "regime");
    expectControl(timeline, "2016-12-11", "palmyra-old-city", "isis", { asOf: "2016-12-11" });
    expectControl(timeline, "2016-12-11", "t4", undefined);
  });
});

describe("history, diff, claims and contested with a hierarchy", () => {
  function story() {
    const timeline = tl();
    timeline.append(
      captured("2016-12-08", "homs-east", "isis", { id: "region", sources: cites("SOHR") }),
      captured("2016-12-09", "palmyra", "isis", { id: "again", sources: cites("Amaq") }),
      captured("2016-12-10", "palmyra", "regime", { id: "city", sources: cites("MoD") }),
      withdrew("2016-12-11", "homs-east", "isis", undefined, {
        id: "leave",
        sources: cites("SOHR"),
      }),
    );
    return timeline;
  }

  it("history of a descendant interleaves its ancestors' events, a new interval only on a change", () => {
    expect(story().history("palmyra-old-city")).toEqual([
      {
        controller: "isis",
        from: ms("2016-12-08"),
        to: ms("2016-12-10"),
        eventId: "region",
        fromPrecision: "day",
        toPrecision: "day",
      },
      {
        controller: "regime",
        from: ms("2016-12-10"),
        to: null,
        eventId: "city",
        fromPrecision: "day",
        toPrecision: null,
      },
    ]);
    expect(story().history("t4")).toEqual([
      {
        controller: "isis",
        from: ms("2016-12-08"),
        to: ms("2016-12-11"),
        eventId: "region",
        fromPrecision: "day",
        toPrecision: "day",
      },
      {
        controller: null,
        from: ms("2016-12-11"),
        to: null,
        eventId: "leave",
        fromPrecision: "day",
        toPrecision: null,
      },
    ]);
  });

  it("history intervals carry the precision of the region's events", () => {
    const [first] = story().history("t4");
    expect(first?.fromPrecision).toBe("day");
    expect(first?.toPrecision).toBe("day");
  });

  it("diff lists each descendant a region's event changed, in the control record's order", () => {
    expect(story().diff("2016-12-07", "2016-12-08")).toEqual([
      { place: "homs-east", before: undefined, after: "isis" },
      { place: "palmyra", before: undefined, after: "isis" },
      { place: "palmyra-old-city", before: undefined, after: "isis" },
      { place: "t4", before: undefined, after: "isis" },
    ]);
    expect(story().diff("2016-12-09", "2016-12-11")).toEqual([
      { place: "homs-east", before: "isis", after: null },
      { place: "palmyra", before: "isis", after: "regime" },
      { place: "palmyra-old-city", before: "isis", after: "regime" },
      { place: "t4", before: "isis", after: null },
    ]);
  });

  it("a source that reported the region has a claim on each descendant, overtaken by a later capture of it", () => {
    expect(story().claims("palmyra-old-city", "2016-12-10T12:00Z")).toEqual([
      {
        source: "SOHR",
        controller: "isis",
        since: ms("2016-12-08"),
        eventId: "region",
        precision: "day",
        standing: false,
      },
      {
        source: "Amaq",
        controller: "isis",
        since: ms("2016-12-09"),
        eventId: "again",
        precision: "day",
        standing: false,
      },
      {
        source: "MoD",
        controller: "regime",
        since: ms("2016-12-10"),
        eventId: "city",
        precision: "day",
        standing: true,
      },
    ]);
  });

  it("a descendant is contested when the region's source and the place's source disagree", () => {
    const timeline = tl();
    timeline.append(
      captured("2016-12-08", "homs-east", "isis", { sources: cites("SOHR") }),
      captured("2016-12-08", "palmyra", "regime", { sources: cites("MoD") }),
    );
    const contested = timeline.contested("2016-12-10");
    expect(contested.map((c) => c.place)).toEqual(["palmyra", "palmyra-old-city"]);
    expect(timeline.latest().control["palmyra-old-city"]?.contested).toBe(true);
    expect(timeline.latest().control.t4?.contested).toBe(false);
  });

  it("a region's withdrawal reported by one source overtakes another source's claim on a descendant", () => {
    const timeline = tl();
    timeline.append(
      captured("2016-12-09", "palmyra", "isis", { sources: cites("Amaq") }),
      withdrew("2016-12-11", "homs-east", "isis", undefined, { sources: cites("SOHR") }),
    );
    expect(
      timeline.claims("palmyra-old-city", "2016-12-12").map((c) => [c.source, c.standing]),
    ).toEqual([
      ["Amaq", false],
      ["SOHR", true],
    ]);
  });

  it("by source alone, the region's withdrawal leaves what that source said of the descendant", () => {
    // As SOHR alone tells it, isis held the old city from the 8th and left on the 11th.
    expect(story().history("palmyra-old-city", { sources: ["SOHR"] })).toEqual([
      {
        controller: "isis",
        from: ms("2016-12-08"),
        to: ms("2016-12-11"),
        eventId: "region",
        fromPrecision: "day",
        toPrecision: "day",
      },
      {
        controller: null,
        from: ms("2016-12-11"),
        to: null,
        eventId: "leave",
        fromPrecision: "day",
        toPrecision: null,
      },
    ]);
  });
});

describe("a hierarchy at the benchmark's scale: 5,000 places under 50 regions", () => {
  const REGIONS = 50;
  const PLACES = 5000;
  const registry: Record<string, { name: string; parent?: string }> = {};
  for (let r = 0; r < REGIONS; r++) registry[`r${r}`] = { name: `Region ${r}` };
  for (let p = 0; p < PLACES; p++)
    registry[`p${p}`] = { name: `Place ${p}`, parent: `r${p % REGIONS}` };

  // A seeded mix of region and place events (deterministic, no dice in the test).
  const events: ReturnType<typeof captured | typeof withdrew>[] = [];
  for (let i = 0; i < 3000; i++) {
    const at = Date.UTC(2016, 0, 1) + ((i * 7919) % 3000) * 3_600_000;
    const actor = `a${(i * 31) % 7}`;
    const place = i % 10 === 0 ? `r${(i * 13) % REGIONS}` : `p${(i * 104_729) % PLACES}`;
    events.push(
      i % 4 === 3
        ? withdrew(at, place, actor, i % 8 === 3 ? `a${i % 5}` : undefined, { id: `e${i}` })
        : captured(at, place, actor, { id: `e${i}` }),
    );
  }

  /** The control record after every event with at <= t, folded from scratch. */
  function naive(t: number): Record<string, string | null> {
    const children = new Map<string, string[]>();
    for (const [id, entry] of Object.entries(registry)) {
      if (entry.parent !== undefined)
        children.set(entry.parent, [...(children.get(entry.parent) ?? []), id]);
    }
    const below = (id: string) => children.get(id) ?? []; // two levels: children are leaves
    const record: Record<string, string | null> = {};
    const sorted = events
      .map((e, i) => ({ e, i }))
      .sort((a, b) => Number(a.e.at) - Number(b.e.at) || a.i - b.i);
    for (const { e } of sorted) {
      if (Number(e.at) > t) break;
      for (const place of [e.data.place, ...below(e.data.place)]) {
        if (e.type === "Captured") record[place] = e.data.by;
        else if (Object.hasOwn(record, place) && record[place] === e.data.actor)
          record[place] = e.data.handedTo ?? null;
      }
    }
    return record;
  }

  it("answers stateAt as a fold from scratch, keys in the same order", () => {
    const timeline = createTimeline({ places: registry });
    timeline.appendAll(events);
    for (const t of [Date.UTC(2016, 1, 3), Date.UTC(2016, 3, 30)]) {
      const control = timeline.stateAt(t).control;
      const expected = naive(t);
      expect(Object.keys(control)).toEqual(Object.keys(expected));
      expect(
        Object.fromEntries(Object.entries(control).map(([k, v]) => [k, v.controller])),
      ).toEqual(expected);
    }
  });
});
