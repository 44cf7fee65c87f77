import { describe, expect, it } from "vitest";
import type { TimelineEvent } from "../src/core/events.js";
import { mergeAll, runOf } from "../src/core/list.js";

const event = (id: string, at: number) => ({ id, at }) as TimelineEvent;

describe("mergeAll", () => {
  it("merges runs in timeline order, and on equal `at` keeps the runs in the order given", () => {
    const runs = [
      [event("a1", 1), event("a2", 5), event("a3", 9)],
      [event("b1", 1), event("b2", 5)],
      [event("c1", 0), event("c2", 5), event("c3", 10)],
      [],
      [event("e1", 5)],
    ];
    expect(mergeAll(runs.map(runOf)).events.map((e) => e.id)).toEqual([
      "c1",
      "a1",
      "b1",
      "a2",
      "b2",
      "c2",
      "e1",
      "a3",
      "c3",
    ]);
  });

  it("gives back a single run as it is, and nothing for no runs", () => {
    const only = [event("a", 1), event("b", 2)];
    expect(mergeAll([runOf(only)]).events).toBe(only);
    expect(mergeAll([]).events).toEqual([]);
  });
});
