import type { EventColumns } from "./columns.js";
import { ReducerError } from "./errors.js";
import type { TimelineEvent } from "./events.js";
import type { LogBlocks } from "./log-blocks.js";
import { upperBoundNumbers } from "./search.js";

/**
 * How a keyed slice folds: the keys each event touches and one key's value after an event.
 * The built-in slices and the user's keyed reducers are all rules of this shape, folded by
 * one `KeyedIndex` (keyed.ts).
 */
export interface KeyedRule<V, O = V> {
  /** The event types whose events may touch a key: the timeline hands the rule only those. */
  readonly handles: readonly string[];
  /** Keys the event touches, each once, in the order a naive fold would write them. */
  readonly keys: (event: TimelineEvent) => readonly string[];
  /** The key's value after the event; `prev` is `undefined` while the key is absent. */
  readonly step: (prev: V | undefined, event: TimelineEvent) => V | undefined;
  /**
   * Whether `keys` or `step` run the user's code, which may throw. Such a rule is folded at
   * every change, so that a batch it cannot fold is refused whole; the others are folded
   * when next read, so that a run of batches in any order costs one refold of each key.
   */
  readonly mayThrow: boolean;
  /**
   * Whether two values after the same event are interchangeable (beyond being the same
   * object): a refold that reaches a value equal to the one before stops there.
   */
  readonly same?: (a: V, b: V) => boolean;
  /**
   * For a rule that folds more than its slice shows (control folds each source's claims
   * beside the entry): the slice's entry in a value, `undefined` while the key is absent
   * from the slice. Without it, the value is the entry.
   */
  readonly output?: (value: V) => O | undefined;
  /**
   * For a rule whose values are kept in memory in a compact form: how the stores keep them
   * (`write`: a JSON-able value; `read`: a value back from it). Without it, a value is stored
   * as its JSON. Stores fold with the rule as seen through it (read-model.ts `storedRule`).
   */
  readonly stored?: {
    readonly write: (value: V) => unknown;
    readonly read: (stored: unknown) => V;
    /** The slice's entry in a stored value, read without making the value again. */
    readonly output?: (stored: unknown) => O | undefined;
  };
}

/**
 * One key's events (their numbers) in timeline order, with the value after each. The times,
 * filing counters and event numbers lie in a block of the index's {@link LogBlocks}: entry
 * `i` at `start + i`.
 */
export interface KeyLog<V> {
  readonly key: string;
  /** Where the log's block begins in the shared arrays, and how long it is. */
  start: number;
  capacity: number;
  /** Number of events. */
  length: number;
  /** `values[i]`: the value after events `0..i`; `undefined` while the key is absent. */
  values: (V | undefined)[];
  /** Smallest index whose value must be folded again, or -1 when every value is folded. */
  refoldFrom: number;
  /**
   * From this index on, every event was in the log before the change, with its old value
   * after it: a refold may stop there once a value comes out as it was.
   */
  keptFrom: number;
  /**
   * While a refold is due, when known: the positions whose values are placeholders (events
   * added since the last fold), in order. Every other position from `refoldFrom` on then
   * holds its old value, so a refold that reaches an old value goes on from the next of
   * these, not from there.
   */
  placeholders: number[] | undefined;
  /** Index of the first value that puts the key in the slice, or -1. */
  firstPresent: number;
  /**
   * From this index on, events came out of order and wait to be put in place when the index
   * is next read (a rule that cannot throw); -1 when there are none.
   */
  unplacedFrom: number;
}

/** Entries a new key's block holds. */
const FIRST_BLOCK = 4;

export function newKeyLog<V>(key: string, blocks: LogBlocks): KeyLog<V> {
  return {
    key,
    start: blocks.alloc(FIRST_BLOCK),
    capacity: FIRST_BLOCK,
    length: 0,
    values: [],
    refoldFrom: -1,
    keptFrom: 0,
    placeholders: undefined,
    firstPresent: -1,
    unplacedFrom: -1,
  };
}

/** Makes room in the log's block for `length` entries, moving it to a longer block if need be. */
export function reserve(blocks: LogBlocks, log: KeyLog<unknown>, length: number): void {
  if (length <= log.capacity) return;
  let capacity = log.capacity * 2;
  while (capacity < length) capacity *= 2;
  const start = blocks.alloc(capacity);
  const from = log.start;
  const to = from + log.length;
  blocks.ats.copyWithin(start, from, to);
  blocks.seqs.copyWithin(start, from, to);
  blocks.events.copyWithin(start, from, to);
  blocks.release(from, log.capacity);
  log.start = start;
  log.capacity = capacity;
}

/** Appends an entry (its value pushed by the caller). */
export function pushEntry(
  blocks: LogBlocks,
  log: KeyLog<unknown>,
  at: number,
  seq: number,
  event: number,
): void {
  reserve(blocks, log, log.length + 1);
  const k = log.start + log.length;
  blocks.ats[k] = at;
  blocks.seqs[k] = seq;
  blocks.events[k] = event;
  log.length++;
}

/** Inserts an entry at index `i` (its value spliced in by the caller). */
export function insertEntry(
  blocks: LogBlocks,
  log: KeyLog<unknown>,
  i: number,
  at: number,
  seq: number,
  event: number,
): void {
  reserve(blocks, log, log.length + 1);
  const k = log.start + i;
  const end = log.start + log.length;
  blocks.ats.copyWithin(k + 1, k, end);
  blocks.seqs.copyWithin(k + 1, k, end);
  blocks.events.copyWithin(k + 1, k, end);
  blocks.ats[k] = at;
  blocks.seqs[k] = seq;
  blocks.events[k] = event;
  log.length++;
}

/** Removes the entry at index `i` (its value spliced out by the caller). */
export function removeEntry(blocks: LogBlocks, log: KeyLog<unknown>, i: number): void {
  const k = log.start + i;
  const end = log.start + log.length;
  blocks.ats.copyWithin(k, k + 1, end);
  blocks.seqs.copyWithin(k, k + 1, end);
  blocks.events.copyWithin(k, k + 1, end);
  log.length--;
}

/** Index of the last event with `at <= t`, or -1. */
export function valueIndex(blocks: LogBlocks, log: KeyLog<unknown>, t: number): number {
  const { ats } = blocks;
  const { start, length } = log;
  // Most queries ask about the present: skip the search when `t` is past the last event.
  if (length > 0 && (ats[start + length - 1] as number) <= t) return length - 1;
  return upperBoundNumbers(ats, t, start, start + length) - start - 1;
}

/**
 * Puts the events pushed since `log.unplacedFrom` where they belong, in one merge: a run of
 * late events costs one pass over the key's log, not one per event.
 */
export function placeUnplaced<V>(blocks: LogBlocks, log: KeyLog<V>): void {
  const { values, unplacedFrom: tail, start: s, length: n } = log;
  const { ats, seqs, events } = blocks;
  const order: number[] = [];
  for (let k = tail; k < n; k++) order.push(k);
  // Stable: events with the same `at` keep the order they came in.
  order.sort((a, b) => (ats[s + a] as number) - (ats[s + b] as number) || a - b);
  // The first stored event after the earliest pushed one: where the merge starts.
  const p = upperBoundNumbers(ats, ats[s + (order[0] as number)] as number, s, s + tail) - s;
  const oldKept = log.keptFrom;
  // Where the first event after which every old value still holds lands (n: none does).
  let keptAt = oldKept < p ? oldKept : oldKept >= tail ? n : -1;
  let lastNew = -1;
  // The placeholders' positions after the merge: those before it stay, the rest as it goes.
  const oldPlaceholders = log.placeholders;
  const placeholders = oldPlaceholders?.filter((position) => position < p);
  let q = placeholders?.length ?? 0;
  const size = n - p;
  const segAts = new Float64Array(size);
  const segSeqs = new Int32Array(size);
  const segEvents = new Int32Array(size);
  const segValues: (V | undefined)[] = new Array(size);
  let i = p;
  let j = 0;
  let w = 0;
  while (i < tail || j < order.length) {
    const position = p + w;
    const k = order[j] as number;
    if (j >= order.length || (i < tail && (ats[s + i] as number) <= (ats[s + k] as number))) {
      if (i === oldKept) keptAt = position;
      if (oldPlaceholders?.[q] === i) {
        placeholders?.push(position);
        q++;
      }
      segAts[w] = ats[s + i] as number;
      segSeqs[w] = seqs[s + i] as number;
      segEvents[w] = events[s + i] as number;
      segValues[w] = values[i];
      i++;
    } else {
      lastNew = position;
      placeholders?.push(position);
      segAts[w] = ats[s + k] as number;
      segSeqs[w] = seqs[s + k] as number;
      segEvents[w] = events[s + k] as number;
      segValues[w] = undefined;
      j++;
    }
    w++;
  }
  ats.set(segAts, s + p);
  seqs.set(segSeqs, s + p);
  events.set(segEvents, s + p);
  for (let k = 0; k < size; k++) values[p + k] = segValues[k];
  log.unplacedFrom = -1;
  log.placeholders = placeholders;
  if (p < log.refoldFrom) log.refoldFrom = p;
  log.keptFrom = Math.max(lastNew + 1, keptAt);
}

/**
 * Folds a key's values again from `log.refoldFrom`, stopping where an old value comes out as
 * it was (and going on from the next placeholder, if any). Leaves the log folded. Each event
 * is made from the columns as the refold reaches it (a short-lived object).
 *
 * @throws {ReducerError} when a rule that may throw fails on an event.
 */
export function refoldLog<V, O>(
  log: KeyLog<V>,
  rule: KeyedRule<V, O>,
  slice: string,
  columns: EventColumns,
  blocks: LogBlocks,
): void {
  const { step, mayThrow, same } = rule;
  const from = log.refoldFrom;
  const { values, keptFrom, placeholders, start, length } = log;
  const { events } = blocks;
  let prev = from > 0 ? values[from - 1] : undefined;
  let i = from;
  let f = 0;
  if (placeholders !== undefined) {
    while (f < placeholders.length && (placeholders[f] as number) < from) f++;
  }
  try {
    for (; i < length; i++) {
      const next = step(prev, columns.event(events[start + i] as number));
      const old = values[i];
      const isOld = placeholders === undefined ? i >= keptFrom : placeholders[f] !== i;
      if (!isOld && placeholders !== undefined) f++;
      // The value after an old event came out as before: so will every later one up to
      // the next event added since the last fold.
      if (
        isOld &&
        (next === old ||
          (same !== undefined && next !== undefined && old !== undefined && same(next, old)))
      ) {
        if (placeholders === undefined || f >= placeholders.length) break;
        i = (placeholders[f] as number) - 1;
        prev = values[i];
        continue;
      }
      values[i] = next;
      prev = next;
    }
  } catch (error) {
    if (!mayThrow || error instanceof ReducerError) throw error;
    throw new ReducerError(slice, columns.id(events[start + i] as number), error);
  }
  log.refoldFrom = -1;
  log.placeholders = undefined;
}
