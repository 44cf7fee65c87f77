import { describe, expect, it } from "vitest";
import type { TimelineEvent } from "../src/core/events.js";
import { IdTable } from "../src/core/id-table.js";

const event = (id: string) => ({ id }) as TimelineEvent;

describe("IdTable", () => {
  it("finds each of 100,000 stored events by its id, and nothing for an id not stored", () => {
    const table = new IdTable();
    const events = Array.from({ length: 100_000 }, (_, i) => event(`e${i}`));
    for (const e of events) table.add(e);
    for (const e of events) expect(table.get(e.id)).toBe(e);
    expect(table.get("e100000")).toBeUndefined();
    expect(table.get("")).toBeUndefined();
  });

  it("finds an id given as another string with the same characters", () => {
    const table = new IdTable();
    const stored = event(["h-", "abc"].join(""));
    table.add(stored);
    expect(table.get(`h-${"ab"}c`)).toBe(stored);
  });

  it("keeps ids that all share one hash apart, past the probe limit and across growth", () => {
    const table = new IdTable(() => 7);
    const events = Array.from({ length: 3_000 }, (_, i) => event(`same-${i}`));
    for (const e of events) table.add(e);
    for (const e of events) expect(table.get(e.id)).toBe(e);
    expect(table.get("same-3000")).toBeUndefined();
  });

  it("tells apart ids whose hashes differ only in the bits above the table's size", () => {
    const table = new IdTable((id) => (Number(id.slice(1)) % 2) << 20);
    const events = Array.from({ length: 100 }, (_, i) => event(`x${i}`));
    for (const e of events) table.add(e);
    for (const e of events) expect(table.get(e.id)).toBe(e);
  });
});
