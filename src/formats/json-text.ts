// Reading a JSON event file: `toJSON()` output or an array of event inputs, each event
// numbered by the line it starts on.

import { JsonScanner, jsonErrorOffset } from "./json-scan.js";
import type { FileProblem, ParsedFile } from "./parsed-file.js";

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

/** Reads a JSON event file; never throws on bad data (see {@link parseEventsText}). */
export function parseJson(text: string): ParsedFile {
  const result = (problems: FileProblem[], events: unknown[] = [], lines: number[] = []) => ({
    format: "json" as const,
    events,
    lines,
    skipped: [],
    problems,
  });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // JSON.parse's message gives a position in some engine versions only: find it ourselves.
    return result([
      {
        line: lineOf(text, jsonErrorOffset(text)),
        message: `not valid JSON: ${(error as Error).message}`,
      },
    ]);
  }
  const offsets = eventOffsets(text);
  const lines = lineNumbers(text, offsets);
  if (Array.isArray(value)) return result([], value, lines);
  if (typeof value === "object" && value !== null) {
    const object = value as {
      version?: unknown;
      events?: unknown;
      type?: unknown;
      timeZone?: unknown;
    };
    if (Array.isArray(object.events)) {
      if (object.version !== 1) {
        return result([
          {
            line: 1,
            message: `version ${JSON.stringify(object.version)} is not 1 (toJSON output)`,
          },
        ]);
      }
      const zone = typeof object.timeZone === "string" ? { timeZone: object.timeZone } : {};
      return { ...result([], object.events, lines), ...zone };
    }
    if (typeof object.type === "string")
      return result([], [value], [lineOf(text, text.indexOf("{"))]);
  }
  return result([
    {
      line: 1,
      message: "expected an array of events, or { version: 1, events: [...] } from toJSON()",
    },
  ]);
}

function lineNumbers(text: string, offsets: readonly number[]): number[] {
  const out: number[] = [];
  let line = 1;
  let at = 0;
  for (const offset of offsets) {
    for (let i = text.indexOf("\n", at); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
      line++;
      at = i + 1;
    }
    out.push(line);
  }
  return out;
}

/**
 * Offsets where the elements of the events array begin: the top-level array, or the array
 * under the top-level key "events". The text is valid JSON (it has been parsed).
 */
function eventOffsets(text: string): number[] {
  const offsets: number[] = [];
  const scanner = new JsonScanner();
  // Per open bracket: whether it is an array, and whether it is the events array.
  const open: { array: boolean; target: boolean }[] = [];
  let state: "value" | "key" | "colon" | "after" = "value";
  let keyStart = -1;
  let key: string | undefined;
  scanner.scan(text, (c, i) => {
    const top = open[open.length - 1];
    if (state === "value" && c !== 0x5d && top?.array && top.target) offsets.push(i);
    if (state === "colon" && c === 0x3a) {
      // The key just read, at the top level: is it "events"?
      if (open.length === 1) key = JSON.parse(text.slice(keyStart, i).trimEnd()) as string;
      state = "value";
    } else if (c === 0x5b) {
      open.push({
        array: true,
        target: open.length === 0 || (open.length === 1 && key === "events"),
      });
      state = "value";
    } else if (c === 0x7b) {
      open.push({ array: false, target: false });
      state = "key";
    } else if (c === 0x5d || c === 0x7d) {
      open.pop();
      state = "after";
    } else if (c === 0x2c) {
      state = top?.array ? "value" : "key";
    } else if (c === 0x22 && state === "key") {
      keyStart = i;
      state = "colon";
    } else if (state !== "colon") {
      state = "after";
    }
    return false;
  });
  return offsets;
}
