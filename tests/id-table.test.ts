import { describe, expect, it } from "vitest";
import { IdTable } from "../src/core/id-table.js";

/** A table over a list of ids, each added by its position in the list. */
function tableOf(ids: readonly string[], hash?: (id: string) => number): IdTable {
  const table = new IdTable((position) => ids[position] as string, hash);
  for (let position = 0; position < ids.length; position++) table.add(position);
  return table;
}

describe("IdTable", () => {
  it("finds the position of each of 100,000 ids, and -1 for an id not kept", () => {
    const ids = Array.from({ length: 100_000 }, (_, i) => `e${i}`);
    const table = tableOf(ids);
    for (const [position, id] of ids.entries()) expect(table.get(id)).toBe(position);
    expect(table.get("e100000")).toBe(-1);
    expect(table.get("")).toBe(-1);
  });

  it("finds an id given as another string with the same characters", () => {
    const table = tableOf([["h-", "abc"].join("")]);
    expect(table.get(`h-${"ab"}c`)).toBe(0);
  });

  it("keeps ids that all share one hash apart, past the probe limit and across growth", () => {
    const ids = Array.from({ length: 3_000 }, (_, i) => `same-${i}`);
    const table = tableOf(ids, () => 7);
    for (const [position, id] of ids.entries()) expect(table.get(id)).toBe(position);
    expect(table.get("same-3000")).toBe(-1);
  });

  it("tells apart ids whose hashes differ only in the bits above the table's size", () => {
    const ids = Array.from({ length: 100 }, (_, i) => `x${i}`);
    const table = tableOf(ids, (id) => (Number(id.slice(1)) % 2) << 20);
    for (const [position, id] of ids.entries()) expect(table.get(id)).toBe(position);
  });

  it("keeps positions added out of order, as a batch's table does for the ids it keeps", () => {
    const ids = ["a", "b", "c", "d", "e"];
    const table = new IdTable((position) => ids[position] as string);
    for (const position of [3, 0, 4]) table.add(position);
    expect(["a", "b", "c", "d", "e"].map((id) => table.get(id))).toEqual([0, -1, -1, 3, 4]);
  });
});
