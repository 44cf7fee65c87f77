import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { palmyraEvents } from "../examples/palmyra/events.js";
import { places } from "../examples/palmyra/places.js";
import {
  type AcledRow,
  createTimeline,
  detectCsvTable,
  detectFormat,
  fromAcled,
  parseEventsText,
} from "../src/index.js";
import { captured } from "./helpers/assertions.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const HEADER = "event_id_cnty,event_date,time_precision,sub_event_type,actor1,admin1,location";

describe("detectFormat", () => {
  it("tells JSON arrays, toJSON objects, NDJSON and CSV apart", () => {
    expect(detectFormat('[{"type":"Captured"}]')).toBe("json");
    expect(detectFormat('{\n  "version": 1,\n  "events": []\n}')).toBe("json");
    expect(detectFormat('{"version":1,"events":[]}')).toBe("json");
    expect(detectFormat('{"type":"Captured"}\n{"type":"Withdrew"}\n')).toBe("ndjson");
    expect(detectFormat(`\ufeff${HEADER}\r\n`)).toBe("csv");
  });
});

describe("parseEventsText: JSON", () => {
  it("reads toJSON() output back into the same events", () => {
    const timeline = createTimeline({ places });
    timeline.appendAll(palmyraEvents);
    const text = JSON.stringify(timeline.toJSON(), null, 2);
    const parsed = parseEventsText(text);
    expect(parsed.format).toBe("json");
    expect(parsed.problems).toEqual([]);
    const copy = createTimeline({ places });
    copy.appendAll(parsed.events as never[]);
    expect(copy.toJSON()).toEqual(timeline.toJSON());
  });

  it("numbers each event of an array by the line it starts on", () => {
    const text = [
      "[",
      '  {"type": "Captured", "at": "2016-12-10", "data": {"place": "p", "by": "a"}},',
      "  {",
      '    "type": "Captured", "at": "2016-12-11",',
      '    "data": {"place": "p", "by": "b", "note": "a [bracket], {brace} and \\"quote\\""}',
      "  },",
      '  {"type": "Withdrew", "at": "2016-12-12", "data": {"place": "p", "actor": "b"}}',
      "]",
    ].join("\n");
    expect(parseEventsText(text).lines).toEqual([2, 3, 7]);
  });

  it("numbers the events of a toJSON object by line too", () => {
    const text = `{\n  "version": 1,\n  "events": [\n    ${JSON.stringify(captured("2016", "p", "a"))},\n\n    ${JSON.stringify(captured("2017", "p", "b"))}\n  ]\n}`;
    expect(parseEventsText(text).lines).toEqual([4, 6]);
  });

  it("reports invalid JSON with the line of the error", () => {
    const parsed = parseEventsText('[\n  {"type": "Captured"},\n  {"type": }\n]');
    expect(parsed.events).toEqual([]);
    expect(parsed.problems).toHaveLength(1);
    expect(parsed.problems[0]?.line).toBe(3);
    expect(parsed.problems[0]?.message).toMatch(/not valid JSON/);
  });

  it("reports a toJSON object of another version", () => {
    const parsed = parseEventsText('{"version": 2, "events": []}', { format: "json" });
    expect(parsed.problems.map((p) => p.message)).toEqual([expect.stringContaining("version 2")]);
  });
});

describe("parseEventsText: NDJSON", () => {
  it("reads one event per line, ignoring blank lines, CRLF and a BOM", () => {
    const text = `\ufeff${JSON.stringify(captured("2016", "p", "a"))}\r\n\r\n${JSON.stringify(captured("2017", "p", "b"))}\r\n`;
    const parsed = parseEventsText(text);
    expect(parsed.format).toBe("ndjson");
    expect(parsed.problems).toEqual([]);
    expect(parsed.events).toEqual([captured("2016", "p", "a"), captured("2017", "p", "b")]);
    expect(parsed.lines).toEqual([1, 3]);
  });

  it("reports every bad line with its number and keeps the good ones", () => {
    const text = [
      JSON.stringify(captured("2016", "p", "a")),
      "{not json",
      "[1, 2]",
      JSON.stringify(captured("2017", "p", "b")),
    ].join("\n");
    const parsed = parseEventsText(text);
    expect(parsed.problems.map((p) => p.line)).toEqual([2, 3]);
    expect(parsed.lines).toEqual([1, 4]);
  });
});

describe("parseEventsText: ACLED CSV", () => {
  it("handles a BOM, CRLF line ends and newlines inside quoted fields, numbering rows and lines", () => {
    const text = `\ufeff${HEADER}\r\nA,2016-12-10,1,Arrests,IS,Homs,Tadmur\r\nB,2016-12-11,1,"Armed\r\nclash",IS,Homs,Tadmur\r\n\r\nC,2016-12-12,1,Arrests,IS,Homs,"Tad\nmur"\r\n`;
    const parsed = parseEventsText(text);
    expect(parsed.format).toBe("csv");
    expect(parsed.problems).toEqual([]);
    expect(parsed.events.map((e) => (e as { id: string }).id)).toEqual(["A", "C"]);
    expect(parsed.lines).toEqual([1, 3]);
    expect(parsed.skipped.map((s) => s.row)).toEqual([2]);
    // Row 1 on line 2; row 2 spans lines 3-4; line 5 is empty; row 3 starts on line 6.
    expect(parsed.rowLines).toEqual([2, 3, 6]);
  });

  it("reads the sample export: 8 events, 2 rows of other types skipped, 8 problems by row", () => {
    const parsed = parseEventsText(
      readFileSync(resolve(root, "examples/acled/sample.csv"), "utf8"),
    );
    expect(parsed.events).toHaveLength(8);
    expect(parsed.skipped).toHaveLength(10);
    expect(parsed.problems.map((p) => p.line)).toEqual([11, 12, 13, 14, 15, 16, 17, 18]);
    expect(Object.keys(parsed.places ?? {})).toContain("homs/tadmur");
  });

  it("reports a header without ACLED's columns once, at row 0", () => {
    const parsed = parseEventsText("name,date\nPalmyra,2016-12-10\n", { format: "csv" });
    expect(parsed.events).toEqual([]);
    expect(parsed.problems).toEqual([
      { line: 0, message: expect.stringMatching(/not an ACLED export.* header.*event_id_cnty/) },
    ]);
  });

  it("reports a row with another number of fields than the header", () => {
    const parsed = parseEventsText(`${HEADER}\nA,2016-12-10,1,Arrests,IS,Homs\n`);
    expect(parsed.problems).toEqual([{ line: 1, message: "has 6 fields; the header has 7" }]);
    expect(parsed.skipped).toEqual([
      { row: 1, reason: "has 6 fields; the header has 7", invalid: true },
    ]);
  });

  it("reports a CSV syntax error at the row where it starts, and reads no further", () => {
    const parsed = parseEventsText(
      `${HEADER}\nA,2016-12-10,1,Arrests,IS,Homs,Tadmur\nB,2016-12-11,1,Arrests,IS,Homs,"Tad\n`,
    );
    expect(parsed.events).toHaveLength(1);
    expect(parsed.problems).toHaveLength(1);
    expect(parsed.problems[0]?.line).toBe(2);
    expect(parsed.problems[0]?.message).toMatch(/CSV syntax: Quote Not Closed/);
    expect(parsed.rowLines?.[1]).toBe(3);
  });
});

describe("parseEventsText: CSV tables of every kind", () => {
  const fixture = (name: string) => readFileSync(resolve(root, "tests/fixtures", name), "utf8");

  it("tells an ACLED export, an ACLED deletions list and a UCDP GED file by their header", () => {
    expect(parseEventsText(fixture("acled/dates-iso.csv")).table).toBe("acled");
    expect(parseEventsText(fixture("acled/acled-2015-uppercase.csv")).table).toBe("acled");
    expect(parseEventsText(fixture("acled/acled-2016-alphabetical-index.csv")).table).toBe("acled");
    expect(parseEventsText(fixture("acled/deletions.csv")).table).toBe("acled-deletions");
    expect(parseEventsText(fixture("ucdp/ged-extract.csv")).table).toBe("ucdp-ged");
  });

  it("names what an ACLED header lacks", () => {
    expect(detectCsvTable(["event_id_cnty", "event_date", "location"])).toEqual({
      missing: ["actor1", "sub_event_type or event_type"],
    });
  });

  it("reads an ACLED file exactly as fromAcled does: the same events and skipped rows", () => {
    const text = readFileSync(resolve(root, "examples/acled/sample.csv"), "utf8");
    const rows = parse(text, { columns: true, bom: true }) as AcledRow[];
    const library = fromAcled(rows);
    const parsed = parseEventsText(text);
    expect(parsed.events).toEqual(library.events);
    expect(parsed.skipped).toEqual(library.skipped);
    expect(parsed.places).toEqual(library.places);
  });

  it("lists invalid rows as problems, and rows of unmapped kinds only as skipped", () => {
    const parsed = parseEventsText(fixture("acled/dates-ambiguous.csv"));
    expect(parsed.problems.map((p) => p.line)).toEqual([1]);
    expect(parsed.skipped.map((s) => [s.row, s.invalid])).toEqual([
      [1, true],
      [2, false],
    ]);
  });

  it("settles an ambiguous file with the dateOrder option", () => {
    const parsed = parseEventsText(fixture("acled/dates-ambiguous.csv"), { dateOrder: "mdy" });
    expect(parsed.problems).toEqual([]);
    expect(parsed.events.map((e) => (e as { at: string }).at)).toEqual([
      "2019-10-12",
      "2019-12-31",
    ]);
  });
});
