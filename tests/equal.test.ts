import { describe, expect, it } from "vitest";
import { sameData } from "../src/core/equal.js";

describe("sameData", () => {
  it("is true for equal plain objects and arrays made apart", () => {
    expect(
      sameData({ a: 1, b: [1, { c: "x" }], d: null }, { a: 1, b: [1, { c: "x" }], d: null }),
    ).toBe(true);
  });

  it("is false for the same keys in another order, which a handler may read differently", () => {
    expect(sameData({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(false);
  });

  it("is false for objects other than plain ones and arrays, unless they are the same object", () => {
    const map = new Map([["a", 1]]);
    expect(sameData(new Map([["a", 1]]), new Map([["a", 1]]))).toBe(false);
    expect(sameData(map, map)).toBe(true);
    expect(sameData(new Date(0), new Date(0))).toBe(false);
    expect(sameData([1], { 0: 1, length: 1 })).toBe(false);
  });

  it("compares numbers as Object.is does: NaN is NaN, 0 is not -0", () => {
    expect(sameData({ n: Number.NaN }, { n: Number.NaN })).toBe(true);
    expect(sameData({ n: 0 }, { n: -0 })).toBe(false);
  });

  it("is false when a key is missing or undefined on one side only", () => {
    expect(sameData({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(sameData([1, 2], [1])).toBe(false);
  });
});
