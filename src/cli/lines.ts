// The lines of a stream, for NDJSON: readline joins a line however long it is into one string,
// and a line longer than a string can be (about 512 MB) throws a RangeError with no line
// number. Here a line past the limit is skipped and reported with its number.

import type { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";

/** Longest line read, in UTF-16 code units (an event line is a few hundred). */
export const MAX_LINE = 64 * 1024 * 1024;

/** A line of the stream, numbered from 1; `text` is `undefined` when it was too long. */
export interface Line {
  readonly line: number;
  readonly text: string | undefined;
}

/**
 * The lines of `stream` (UTF-8), split at "\n", "\r\n" and a lone "\r" as readline does with
 * `crlfDelay: Infinity`; a line longer than `max` is yielded with `text: undefined` and its
 * characters are dropped as they arrive, so memory stays bounded.
 */
export async function* readLines(stream: Readable, max = MAX_LINE): AsyncGenerator<Line> {
  const decoder = new StringDecoder("utf8");
  let parts: string[] = [];
  let length = 0;
  let tooLong = false;
  let line = 0;
  let afterCr = false;
  const end = (): Line => {
    const text = tooLong ? undefined : parts.join("");
    parts = [];
    length = 0;
    tooLong = false;
    return { line: ++line, text };
  };
  const add = (piece: string) => {
    if (tooLong || piece === "") return;
    length += piece.length;
    if (length > max) {
      tooLong = true;
      parts = [];
    } else {
      parts.push(piece);
    }
  };
  for await (const chunk of stream) {
    const text = typeof chunk === "string" ? chunk : decoder.write(chunk as Buffer);
    let from = 0;
    if (afterCr && text.startsWith("\n")) from = 1;
    afterCr = false;
    for (let i = from; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      add(text.slice(from, i));
      yield end();
      if (c === 13) {
        if (i + 1 < text.length) {
          if (text.charCodeAt(i + 1) === 10) i++;
        } else {
          afterCr = true;
        }
      }
      from = i + 1;
    }
    add(text.slice(from));
  }
  add(decoder.end());
  if (length > 0 || tooLong) yield end();
}
