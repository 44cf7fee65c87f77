// Ids derived from an event's content, so that appending or importing the same input again,
// here or in any other process, finds the event already stored. The recipe is part of the
// public contract (README, "Event ids"): changing it would make old stores take re-imported
// events as new ones.

import type { Source, TimelineEvent } from "./events.js";
import { sha256 } from "./sha256.js";

/**
 * Everything an event says but its id: what a content id is derived from, and what the
 * duplicate-id rule compares.
 */
export type EventContent = Omit<TimelineEvent, "id">;

/**
 * JSON with every object's keys sorted (by UTF-16 code units, as `Array.prototype.sort`
 * does), no whitespace, and keys whose value is `undefined` left out, as `JSON.stringify`
 * leaves them out: one text for one value, whatever order its keys were written in.
 */
export function canonicalJson(value: unknown): string {
  if (typeof value !== "object" || value === null) return JSON.stringify(value) ?? "null";
  // Loops and string concatenation rather than map/filter/join: every id-less event is
  // written this way once.
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      out += `${i === 0 ? "" : ","}${item === undefined ? "null" : canonicalJson(item)}`;
    }
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length > 1) keys.sort();
  let out = "{";
  for (const key of keys) {
    const item = record[key];
    if (item === undefined) continue;
    out += `${out.length === 1 ? "" : ","}${JSON.stringify(key)}:${canonicalJson(item)}`;
  }
  return `${out}}`;
}

const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

/** The first 130 bits of `bytes` as 26 characters of RFC 4648 base32 (lower case, no padding). */
function base32(bytes: Uint8Array): string {
  let out = "";
  let buffer = 0;
  let bits = 0;
  for (let i = 0; out.length < 26; i++) {
    buffer = ((buffer << 8) | (bytes[i] as number)) & 0xffff;
    bits += 8;
    while (bits >= 5 && out.length < 26) {
      out += BASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

const encoder = new TextEncoder();

/** Prefix of the hashed text: names the recipe, so that a later one can never collide with it. */
const DOMAIN = "tidemark-event-id-v1\n";

/**
 * The id of an event given without one: `"h-"` and 26 base32 characters of the SHA-256 of
 * `"tidemark-event-id-v1\n"` followed by the canonical JSON of
 * `{ type, at, precision, recordedAt, data, sources, note, notBefore, notBeforePrecision,
 * version }`, as the timeline stores them (times in epoch ms, aliases resolved, `recordedAt`
 * defaulted to `at`, `note` and the `notBefore` pair left out when absent, `version` left out
 * when it is 1).
 *
 * @example
 * contentId({ type: "Captured", at: 1481414400000, precision: "day",
 *   recordedAt: 1481414400000, sources: [], data: { place: "palmyra", by: "isis" } });
 * // "h-" + 26 characters, the same in every process
 */
export function contentId(event: EventContent): string {
  // canonicalJson of { type, at, precision, recordedAt, data, sources, note }, written out
  // with its keys already in sorted order.
  // `notBefore` sorts before `note`, and is left out when absent, so ids of events without it
  // are what they were before it existed.
  const notBefore =
    event.notBefore === undefined
      ? ""
      : `,"notBefore":${JSON.stringify(event.notBefore)},"notBeforePrecision":${JSON.stringify(event.notBeforePrecision)}`;
  const note = event.note === undefined ? "" : `,"note":${JSON.stringify(event.note)}`;
  // `version` sorts last, and is left out for version 1: ids of events of version 1 are what
  // they were before versions existed, and data of another version never shares their ids.
  const version = event.version === undefined ? "" : `,"version":${JSON.stringify(event.version)}`;
  const text =
    `{"at":${JSON.stringify(event.at)},"data":${canonicalJson(event.data)}${notBefore}${note}` +
    `,"precision":${JSON.stringify(event.precision)},"recordedAt":${JSON.stringify(event.recordedAt)}` +
    `,"sources":${sourcesJson(event.sources)},"type":${JSON.stringify(event.type)}${version}}`;
  return `h-${base32(sha256(encoder.encode(DOMAIN + text)))}`;
}

// Events share their (frozen) lists of sources: each list is written once.
const sourceTexts = new WeakMap<readonly Source[], string>();

function sourcesJson(sources: readonly Source[]): string {
  let text = sourceTexts.get(sources);
  if (text === undefined) {
    text = canonicalJson(sources);
    if (Object.isFrozen(sources)) sourceTexts.set(sources, text);
  }
  return text;
}
