// A JSON array of events read element by element, so that a file of millions of events is
// never one string nor one parsed array in memory (2,000,000 events: 2.5 GB read whole).

import type { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { JsonScanner } from "../formats/json-scan.js";
import { MAX_LINE } from "./lines.js";

/** An element of the array (its JSON text), or a problem, with the line where it starts. */
export type ArrayItem =
  | { readonly line: number; readonly text: string }
  | { readonly line: number; readonly problem: string };

/**
 * The elements of the JSON array that `stream` holds, each as its own JSON text with the line
 * it starts on. Strings are skipped over as wholes (brackets in them do not count); the first
 * structural error ends the reading with a problem at its line. An element longer than
 * `max` characters is a problem ("event too long"), its text dropped as it streams.
 */
export async function* arrayElements(stream: Readable, max = MAX_LINE): AsyncGenerator<ArrayItem> {
  const decoder = new StringDecoder("utf8");
  const scanner = new JsonScanner();
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
    if (!started && scanner.line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    let from = 0;
    const items: ArrayItem[] = [];
    let end: string | undefined;
    scanner.scan(text, (c, i) => {
      if (done) {
        end = "not valid JSON: text after the end of the array";
        return true;
      }
      if (!started) {
        if (c !== 0x5b) {
          end = "not valid JSON: expected an array";
          return true;
        }
        started = true;
        return false;
      }
      if (scanner.depth === 1 && (c === 0x2c || c === 0x5d)) {
        // The end of an element (or of the array).
        if (inElement) {
          take(text.slice(from, i));
          items.push(finish());
        } else if (c === 0x2c) {
          end = 'not valid JSON: unexpected ","';
          return true;
        }
        if (c === 0x5d) done = true;
        return false;
      }
      if (!inElement) {
        inElement = true;
        elementLine = scanner.line;
        from = i;
      }
      return false;
    });
    if (scanner.mismatch !== undefined)
      end = `not valid JSON: unexpected "${String.fromCharCode(scanner.mismatch)}"`;
    yield* items;
    if (end !== undefined) {
      yield { line: scanner.line, problem: end };
      return;
    }
    if (inElement) take(text.slice(from));
  }
  if (!started) return;
  if (!done)
    yield {
      line: scanner.line,
      problem: "not valid JSON: the array is not closed (unexpected end of input)",
    };
}
