import { describe, expect, it } from "vitest";
import { mergeAll, runOf } from "../src/core/list.js";

/** Events numbered in the order given, each with a name and an `at`. */
const named = [
  ["a1", 1],
  ["a2", 5],
  ["a3", 9],
  ["b1", 1],
  ["b2", 5],
  ["c1", 0],
  ["c2", 5],
  ["c3", 10],
  ["e1", 5],
] as const;
const at = (n: number) => named[n]?.[1] as number;
const name = (n: number) => named[n]?.[0] as string;

describe("mergeAll", () => {
  it("merges runs in timeline order, and on equal `at` keeps the runs in the order given", () => {
    const runs = [[0, 1, 2], [3, 4], [5, 6, 7], [], [8]];
    const merged = mergeAll(runs.map((run) => runOf(run, at)));
    expect([...merged.events].map(name)).toEqual([
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
    expect([...merged.ats]).toEqual([0, 1, 1, 5, 5, 5, 5, 9, 10]);
  });

  it("gives back a single run as it is, and nothing for no runs", () => {
    const only = runOf([0, 1], at);
    expect(mergeAll([only])).toBe(only);
    expect([...mergeAll([]).events]).toEqual([]);
  });
});
