// The rules every event id follows, wherever it is checked: in memory, and in each store that
// compares a batch with what it holds. One rule and one wording, so that the same event is
// accepted or refused alike by a timeline, a SQLite store and a PostgreSQL store (and a store
// can be copied into the other).

import type { ValidationIssue } from "./errors.js";
import type { EventContent } from "./ids.js";
import { deepEqual } from "./json-data.js";

/**
 * The longest id, in bytes of UTF-8. PostgreSQL indexes at most about 2,700 bytes per key, and
 * an id is a key; 1,024 leaves room, and no source's ids come near it.
 */
export const MAX_ID_BYTES = 1024;

/** A UTF-16 surrogate without its pair: not well-formed Unicode, which no database text holds. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Bytes of `text` in UTF-8 (a lone surrogate counts 3, as its replacement would). */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * What is wrong with an id, or `undefined` when it is a valid one: a non-empty string of at
 * most {@link MAX_ID_BYTES} bytes of UTF-8, without U+0000 and without unpaired surrogates.
 */
export function idProblem(id: string): string | undefined {
  if (id.length === 0) return "expected a non-empty string";
  // Each UTF-16 unit is at most 3 bytes of UTF-8: short ids need no counting.
  if (id.length * 3 > MAX_ID_BYTES) {
    const bytes = utf8Length(id);
    if (bytes > MAX_ID_BYTES) {
      return `an id is at most ${MAX_ID_BYTES} bytes of UTF-8 (this one is ${bytes})`;
    }
  }
  if (id.includes("\u0000")) return "an id cannot hold the character U+0000";
  if (LONE_SURROGATE.test(id)) {
    return "an id cannot hold a lone surrogate (it is not well-formed Unicode)";
  }
  return undefined;
}

/** The issue of an input whose id is already used by an event that says something else. */
export function idInUse(index: number, id: string): ValidationIssue {
  return {
    index,
    path: ["id"],
    message: `id "${id}" is already used by an event with other content`,
  };
}

/** True when two events (stored or candidates) say the same: the duplicate-id rule. */
export function sameContent(a: EventContent, b: EventContent): boolean {
  return (
    a.type === b.type &&
    a.at === b.at &&
    a.precision === b.precision &&
    a.recordedAt === b.recordedAt &&
    a.note === b.note &&
    a.notBefore === b.notBefore &&
    a.notBeforePrecision === b.notBeforePrecision &&
    a.version === b.version &&
    deepEqual(a.sources, b.sources) &&
    deepEqual(a.data, b.data)
  );
}
