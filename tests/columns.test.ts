import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  createTimeline,
  defineEvent,
  defineReducer,
  fromJSON,
  ReducerError,
} from "../src/index.js";

// The timeline keeps its events in columns and makes an event object when one is read: each
// read must give the event as appended, frozen, with its keys in the same order.

const Clashes = defineEvent("Clashes", z.object({ place: z.string(), killed: z.number() }), {
  version: 2,
  upcast: (data: unknown) => ({ ...(data as { place: string }), killed: 0 }),
});

const inputs = [
  {
    type: "Captured",
    at: "2016-12-11T12:00+02:00",
    data: { place: "palmyra", by: "isis" },
    sources: [{ name: "SOHR" }],
  },
  {
    type: "Captured",
    at: "2017-03-02",
    recordedAt: "2017-03-03T08:00Z",
    data: { place: "palmyra", by: "regime", from: "isis" },
    note: "Retaken with Russian air support.",
    sources: [{ name: "Russian MoD", url: "https://mil.ru" }, { name: "SOHR" }],
  },
  {
    type: "Withdrew",
    at: "2016-12-10",
    notBefore: "2016-12-08",
    data: { place: "tiyas-airbase", actor: "regime" },
  },
  { type: "Clashes", at: "2016-12-09", data: { place: "palmyra", killed: 4 } },
] as unknown as never[];

describe("events read from the columns", () => {
  it("events() gives each event as append returned it: equal, frozen, keys in the same order", () => {
    const timeline = createTimeline({ events: [Clashes] });
    const appended = timeline.append(...inputs);
    const byId = new Map(timeline.events().map((e) => [e.id, e]));
    for (const event of appended) {
      const read = byId.get(event.id);
      expect(read).toStrictEqual(event);
      expect(JSON.stringify(read)).toBe(JSON.stringify(event));
      expect(Object.isFrozen(read)).toBe(true);
    }
  });

  it("toJSON, read back by fromJSON, gives the same text", () => {
    const timeline = createTimeline({ events: [Clashes] });
    timeline.append(...inputs);
    const text = JSON.stringify(timeline);
    expect(JSON.stringify(fromJSON(text, { events: [Clashes] }))).toBe(text);
  });

  it("a reducer's handler gets the event as stored, in a refold as at the append", () => {
    const seen: string[] = [];
    const log = defineReducer({
      initial: [] as string[],
      reduce: (draft: string[], event) => {
        seen.push(JSON.stringify(event));
        draft.push(event.id);
      },
    });
    const timeline = createTimeline({ events: [Clashes], reducers: { log } });
    const appended = timeline.append(...inputs);
    // A late event makes the plain slice replay the events after it, made from the columns.
    const [late] = timeline.append({
      type: "Captured",
      at: "2016-01-01",
      data: { place: "palmyra", by: "isis" },
    } as never);
    timeline.latest();
    const stored = new Set([...appended, late].map((e) => JSON.stringify(e)));
    expect(seen.length).toBeGreaterThan(appended.length + 1);
    for (const text of seen) expect(stored).toContain(text);
  });

  it("a batch that a reducer rejects leaves no trace, and the next batch is stored whole", () => {
    const strict = defineReducer({
      initial: 0,
      reduce: (count: number, event) => {
        if (event.type === "Withdrew") throw new Error("no withdrawals");
        return count + 1;
      },
    });
    const timeline = createTimeline({ events: [Clashes], reducers: { strict } });
    const [first] = timeline.append(inputs[0] as never);
    expect(() => timeline.append(...inputs.slice(1))).toThrow(ReducerError);
    expect(timeline.size).toBe(1);
    const [clash] = timeline.append(inputs[3] as never);
    expect(timeline.events().map((e) => JSON.stringify(e))).toEqual([
      JSON.stringify(clash),
      JSON.stringify(first),
    ]);
    expect(timeline.latest().strict).toBe(2);
  });
});
