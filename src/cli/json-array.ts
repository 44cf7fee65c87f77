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

/** The text of the element being read, dropped (and so a problem) once past `max` characters. */
class ElementText {
  private parts: string[] = [];
  private size = 0;
  private tooLong = false;
  /** Whether an element has begun and not yet ended. */
  open = false;
  /** The line where the element begins. */
  private line = 0;

  constructor(private readonly max: number) {}

  begin(line: number): void {
    this.open = true;
    this.line = line;
  }

  take(text: string): void {
    if (this.tooLong || text === "") return;
    this.size += text.length;
    if (this.size > this.max) {
      this.tooLong = true;
      this.parts = [];
    } else {
      this.parts.push(text);
    }
  }

  /** The element read, and a clean start for the next. */
  finish(): ArrayItem {
    const item: ArrayItem = this.tooLong
      ? { line: this.line, problem: `event too long (over ${this.max / 1024 / 1024} MiB)` }
      : { line: this.line, text: this.parts.join("") };
    this.parts = [];
    this.size = 0;
    this.tooLong = false;
    this.open = false;
    return item;
  }
}

/** Splits the text of a JSON array, chunk by chunk, at the commas between its elements. */
class ArraySplitter {
  private readonly scanner = new JsonScanner();
  private readonly element: ElementText;
  /** Whether the `[` was read. */
  private started = false;
  /** Whether the `]` was read. */
  private done = false;

  constructor(max: number) {
    this.element = new ElementText(max);
  }

  /** The line the scanner is on. */
  get line(): number {
    return this.scanner.line;
  }

  /**
   * The elements that end in `chunk` and, when `chunk` makes the array invalid, why (nothing
   * after it is read). An element that goes on past `chunk` is kept for the next one.
   */
  split(chunk: string): { items: ArrayItem[]; end?: string } {
    const { scanner, element } = this;
    let text = chunk;
    if (!this.started && scanner.line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    let from = 0;
    const items: ArrayItem[] = [];
    let end: string | undefined;
    scanner.scan(text, (c, i) => {
      if (this.done) {
        end = "not valid JSON: text after the end of the array";
        return true;
      }
      if (!this.started) {
        if (c !== 0x5b) {
          end = "not valid JSON: expected an array";
          return true;
        }
        this.started = true;
        return false;
      }
      if (scanner.depth === 1 && (c === 0x2c || c === 0x5d)) {
        // The end of an element (or of the array).
        if (element.open) {
          element.take(text.slice(from, i));
          items.push(element.finish());
        } else if (c === 0x2c) {
          end = 'not valid JSON: unexpected ","';
          return true;
        }
        if (c === 0x5d) this.done = true;
        return false;
      }
      if (!element.open) {
        element.begin(scanner.line);
        from = i;
      }
      return false;
    });
    if (scanner.mismatch !== undefined)
      end = `not valid JSON: unexpected "${String.fromCharCode(scanner.mismatch)}"`;
    if (end === undefined && element.open) element.take(text.slice(from));
    return end === undefined ? { items } : { items, end };
  }

  /** The problem of an array that the input ends inside, if it does. */
  close(): string | undefined {
    return this.started && !this.done
      ? "not valid JSON: the array is not closed (unexpected end of input)"
      : undefined;
  }
}

/**
 * The elements of the JSON array that `stream` holds, each as its own JSON text with the line
 * it starts on. Strings are skipped over as wholes (brackets in them do not count); the first
 * structural error ends the reading with a problem at its line. An element longer than
 * `max` characters is a problem ("event too long"), its text dropped as it streams.
 */
export async function* arrayElements(stream: Readable, max = MAX_LINE): AsyncGenerator<ArrayItem> {
  const decoder = new StringDecoder("utf8");
  const splitter = new ArraySplitter(max);
  for await (const chunk of stream) {
    const text = typeof chunk === "string" ? chunk : decoder.write(chunk as Buffer);
    const { items, end } = splitter.split(text);
    yield* items;
    if (end !== undefined) {
      yield { line: splitter.line, problem: end };
      return;
    }
  }
  const unclosed = splitter.close();
  if (unclosed !== undefined) yield { line: splitter.line, problem: unclosed };
}
