// A `{ "version": 1, "timeZone": …, "events": [ … ] }` file (what `timeline.toJSON()` writes)
// streamed: the members before `events` are read as JSON, the array is handed on as it comes
// (to `arrayElements`), and what follows it is checked. A 763 MB file is never one string.

import { once } from "node:events";
import { PassThrough, type Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { JsonScanner } from "../formats/json-scan.js";
import { MAX_LINE } from "./lines.js";

/**
 * Longest text read before the `events` array (a single event given as one object is read
 * whole up to it), or after it: the longest NDJSON line.
 */
const MAX_MEMBERS = MAX_LINE;

/** A problem with the object around the array, at a line. */
export interface ObjectProblem {
  readonly line: number;
  readonly problem: string;
  /** The whole text, when it ended within 64 MiB without an `events` array (one event?). */
  readonly whole?: string;
}

/** The object's members before `events`, and the array as a stream of its text. */
export interface ObjectEvents {
  readonly members: Readonly<Record<string, unknown>>;
  /** The `events` array's text, from its `[` to its `]`. */
  readonly array: Readable;
  /** Lines before the array's first (to add to the array's own line numbers). */
  readonly lineOffset: number;
  /** Settles once the input is read: a problem with what follows the array, if any. */
  readonly rest: Promise<ObjectProblem | undefined>;
}

const EVENTS_KEY = /"events"\s*:\s*$/;

/**
 * Opens the JSON object that `stream` holds and finds its `events` member (an array). Returns
 * a problem when the text is not such an object, or the members before `events` are past
 * 64 MiB (the events come first in nothing tidemark writes).
 */
export async function objectEvents(
  stream: Readable,
  max = MAX_MEMBERS,
): Promise<ObjectEvents | ObjectProblem> {
  const decoder = new StringDecoder("utf8");
  const chunks = stream[Symbol.asyncIterator]();
  const scanner = new JsonScanner();
  let prefix = "";
  let started = false;
  for (;;) {
    const next = await chunks.next();
    if (next.done === true) {
      return {
        whole: prefix + decoder.end(),
        line: scanner.line,
        problem: started
          ? "expected { version: 1, events: [...] } (as timeline.toJSON() writes): no events array"
          : "not valid JSON: expected an object",
      };
    }
    let text = decoder.write(next.value as Buffer);
    if (!started && prefix === "" && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    let notObject = false;
    let events = -1;
    const visit = (c: number, i: number) => {
      if (!started) {
        notObject = c !== 0x7b;
        started = true;
        return notObject;
      }
      if (c !== 0x5b || scanner.depth !== 1) return false;
      // Only the text just before the "[" can be `"events":` (a key and a few blanks).
      const near = i >= 64 ? text.slice(i - 64, i) : prefix.slice(-64) + text.slice(0, i);
      if (!EVENTS_KEY.test(near)) return false;
      events = i;
      return true;
    };
    // A closer that matches no opener is for JSON.parse to name, on the whole text.
    for (let at = scanner.scan(text, visit); scanner.mismatch !== undefined; )
      at = scanner.scan(text, visit, at + 1);
    if (notObject) return { line: scanner.line, problem: "not valid JSON: expected an object" };
    if (events >= 0) {
      const line = scanner.line;
      if (prefix.length + events > max) return tooFar(line, max);
      const before = (prefix + text.slice(0, events)).replace(EVENTS_KEY, "").trim();
      let members: Record<string, unknown>;
      try {
        // `{ "version": 1, "timeZone": "…", ` and nothing after: close it to read it.
        members = JSON.parse(`${before.replace(/,$/, "")}}`) as Record<string, unknown>;
      } catch (error) {
        return { line, problem: `not valid JSON: ${(error as Error).message}` };
      }
      const array = new PassThrough();
      const rest = pipeArray(text.slice(events), chunks, decoder, array, line);
      return { members, array, lineOffset: line - 1, rest };
    }
    prefix += text;
    if (prefix.length > max) return tooFar(scanner.line, max);
  }
}

const tooFar = (line: number, max: number): ObjectProblem => ({
  line,
  problem: `no "events" array in the first ${max / 1024 / 1024} MiB of the object: give { version: 1, events: [...] } with its events last, as timeline.toJSON() writes it, or NDJSON (one event a line), which is preferred for large files`,
});

/**
 * Writes the array's text to `array`, from `first` (which starts at its `[`) through the
 * stream, up to its `]`; then reads what follows and says what is wrong with it.
 */
async function pipeArray(
  first: string,
  chunks: AsyncIterator<unknown>,
  decoder: StringDecoder,
  array: PassThrough,
  startLine: number,
): Promise<ObjectProblem | undefined> {
  const scanner = new JsonScanner();
  scanner.line = startLine;
  let tail: string | undefined;
  const write = async (text: string) => {
    if (text !== "" && !array.write(text)) await once(array, "drain");
  };
  // The closer of the array: the one met with only the array open.
  const visit = (c: number) => (c === 0x5d || c === 0x7d) && scanner.depth === 1;
  try {
    let text = first;
    for (;;) {
      if (tail === undefined) {
        let at = scanner.scan(text, visit);
        while (scanner.mismatch !== undefined) at = scanner.scan(text, visit, at + 1);
        const end = at < text.length ? at + 1 : -1;
        if (end === -1) {
          await write(text);
        } else {
          await write(text.slice(0, end));
          array.end();
          tail = text.slice(end);
        }
      } else {
        tail += text;
        if (tail.length > MAX_MEMBERS) {
          return {
            line: scanner.line,
            problem: `not valid JSON: over ${MAX_MEMBERS / 1024 / 1024} MiB of text after the events array`,
          };
        }
      }
      const next = await chunks.next();
      if (next.done === true) break;
      text = decoder.write(next.value as Buffer);
    }
    if (tail === undefined) {
      array.end();
      return undefined; // arrayElements reports the array that is not closed.
    }
    const after = tail.trim();
    if (after === "}") return undefined;
    try {
      if (!after.startsWith(","))
        throw new Error(`unexpected ${JSON.stringify(after.slice(0, 20))}`);
      JSON.parse(`{${after.slice(1)}`);
      return undefined;
    } catch (error) {
      return {
        line: scanner.line,
        problem: `not valid JSON after the events array: ${(error as Error).message}`,
      };
    }
  } catch (error) {
    array.destroy(error as Error);
    return undefined;
  }
}
