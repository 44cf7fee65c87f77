import { describe, expect, it } from "vitest";
import { LogBlocks } from "../src/core/log-blocks.js";

describe("LogBlocks", () => {
  it("hands out blocks that do not overlap, and keeps their contents as the arrays grow", () => {
    const blocks = new LogBlocks();
    const starts = Array.from({ length: 600 }, (_, i) => {
      const start = blocks.alloc(4);
      for (let k = 0; k < 4; k++) {
        blocks.ats[start + k] = i * 10 + k;
        blocks.events[start + k] = i;
      }
      return start;
    });
    expect(blocks.ats.length).toBeGreaterThanOrEqual(2400);
    starts.forEach((start, i) => {
      expect([...blocks.ats.subarray(start, start + 4)]).toEqual(
        [0, 1, 2, 3].map((k) => i * 10 + k),
      );
      expect([...blocks.events.subarray(start, start + 4)]).toEqual([i, i, i, i]);
    });
  });

  it("reuses a freed block for the next log of its length, and only of its length", () => {
    const blocks = new LogBlocks();
    const a = blocks.alloc(8);
    blocks.alloc(4);
    blocks.release(a, 8);
    expect(blocks.alloc(4)).not.toBe(a);
    expect(blocks.alloc(8)).toBe(a);
    expect(blocks.alloc(8)).not.toBe(a);
  });
});
