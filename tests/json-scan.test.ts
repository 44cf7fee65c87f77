import { describe, expect, it } from "vitest";
import { JsonScanner, jsonErrorOffset } from "../src/formats/json-scan.js";

/** The characters a scanner visits in `chunks`, each with its line and the depth before it. */
function visits(chunks: readonly string[]): string[] {
  const scanner = new JsonScanner();
  const out: string[] = [];
  for (const chunk of chunks) {
    scanner.scan(chunk, (c) => {
      out.push(`${String.fromCharCode(c)}@${scanner.line}/${scanner.depth}`);
      return false;
    });
  }
  return out;
}

describe("the JSON scanner", () => {
  it("skips strings whole, brackets, quotes and escapes in them included, across chunks", () => {
    expect(visits(['[{"a": "]\\"', '[}"}, 2', "]"])).toEqual([
      "[@1/0",
      "{@1/1",
      '"@1/2',
      ":@1/2",
      '"@1/2',
      "}@1/2",
      ",@1/1",
      "2@1/1",
      "]@1/1",
    ]);
  });

  it("counts lines, inside strings too", () => {
    expect(visits(['[\n"a\nb",\r\n', "1]"]).slice(-3)).toEqual([",@3/1", "1@4/1", "]@4/1"]);
  });

  it("stops at a closer that does not match its opener, naming it", () => {
    const scanner = new JsonScanner();
    const at = scanner.scan("[1, {2]", () => false);
    expect([at, scanner.mismatch, scanner.line]).toEqual([6, 0x5d, 1]);
  });

  it("stops where the visitor asks, before counting that character", () => {
    const scanner = new JsonScanner();
    const text = '{"events": [1]}';
    const at = scanner.scan(text, (c) => c === 0x5b);
    expect([at, scanner.depth]).toEqual([text.indexOf("["), 1]);
  });

  it("locates the first syntax error of a text JSON.parse refuses", () => {
    const text = '[\n  {"a": 1},\n  {"b": }\n]';
    expect(jsonErrorOffset(text)).toBe(text.indexOf("}\n]"));
  });
});
