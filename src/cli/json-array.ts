// A JSON array of events read element by element, so that a file of millions of events is
// never one string nor one parsed array in memory (2,000,000 events: 2.5 GB read whole).

import type { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { MAX_LINE } from "./lines.js";

/** An element of the array (its JSON text), or a problem, with the line where it starts. */
export type ArrayItem =
  | { readonly line: number; readonly text: string }
  | { readonly line: number; readonly problem: string };

const OPEN = new Set([0x5b, 0x7b]); // [ {
const CLOSE: Record<number, number> = { 93: 0x5b, 125: 0x7b }; // ] -> [, } -> {

/**
 * The elements of the JSON array that `stream` holds, each as its own JSON text with the line
 * it starts on. Strings are skipped over as wholes (brackets in them do not count); the first
 * structural error ends the reading with a problem at its line. An element longer than
 * `max` characters is a problem ("event too long"), its text dropped as it streams.
 */
export async function* arrayElements(stream: Readable, max = MAX_LINE): AsyncGenerator<ArrayItem> {
  const decoder = new StringDecoder("utf8");
  const stack: number[] = [];
  let line = 1;
  let inString = false;
  let escaped = false;
  let started = false;
  let done = false;
  let parts: string[] = [];
  let size = 0;
  let tooLong = false;
  let elementLine = 0;
  let inElement = false;
  const take = (text: string) => {
    if (tooLong || text === "") return;
    size += text.length;
    if (size > max) {
      tooLong = true;
      parts = [];
    } else {
      parts.push(text);
    }
  };
  const finish = (): ArrayItem => {
    const item: ArrayItem = tooLong
      ? { line: elementLine, problem: `event too long (over ${max / 1024 / 1024} MiB)` }
      : { line: elementLine, text: parts.join("") };
    parts = [];
    size = 0;
    tooLong = false;
    inElement = false;
    return item;
  };
  for await (const chunk of stream) {
    let text = typeof chunk === "string" ? chunk : decoder.write(chunk as Buffer);
    if (!started && line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    let from = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x0a) line++;
      if (inString) {
        if (escaped) escaped = false;
        else if (c === 0x5c) escaped = true;
        else if (c === 0x22) inString = false;
        continue;
      }
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
      if (done) {
        yield { line, problem: "not valid JSON: text after the end of the array" };
        return;
      }
      if (!started) {
        if (c !== 0x5b) {
          yield { line, problem: "not valid JSON: expected an array" };
          return;
        }
        started = true;
        stack.push(c);
        continue;
      }
      if (stack.length === 1 && (c === 0x2c || c === 0x5d)) {
        // The end of an element (or of the array).
        if (inElement) {
          take(text.slice(from, i));
          yield finish();
        } else if (c === 0x2c) {
          yield { line, problem: 'not valid JSON: unexpected ","' };
          return;
        }
        if (c === 0x5d) {
          stack.pop();
          done = true;
        }
        continue;
      }
      if (!inElement) {
        inElement = true;
        elementLine = line;
        from = i;
      }
      if (c === 0x22) inString = true;
      else if (OPEN.has(c)) stack.push(c);
      else if (CLOSE[c] !== undefined) {
        if (stack.pop() !== CLOSE[c]) {
          yield { line, problem: `not valid JSON: unexpected "${String.fromCharCode(c)}"` };
          return;
        }
      }
    }
    if (inElement) {
      take(text.slice(from));
      from = 0;
    }
  }
  if (!started) return;
  if (!done)
    yield { line, problem: "not valid JSON: the array is not closed (unexpected end of input)" };
}
