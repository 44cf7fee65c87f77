import { ReducerError } from "./errors.js";
import type { TimelineEvent } from "./events.js";
import { upperBoundNumbers } from "./search.js";

/**
 * How a keyed slice folds: the keys each event touches and one key's value after an event.
 * The built-in slices and the user's keyed reducers are all rules of this shape, folded by
 * one {@link KeyedIndex}.
 */
export interface KeyedRule<V, O = V> {
  /** The event types whose events may touch a key: the timeline hands the rule only those. */
  readonly types: readonly string[];
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
   * For a value that is cheaper to make than to keep: the key's value after `events[i]`,
   * made from its events when read. The index then keeps no values and never refolds;
   * `step` still folds a key from scratch. Every event of such a rule defines its key.
   */
  readonly valueAfter?: (events: readonly TimelineEvent[], i: number) => V;
  /**
   * For a rule that folds more than its slice shows (control folds each source's claims
   * beside the entry): the slice's entry in a value, `undefined` while the key is absent
   * from the slice. Without it, the value is the entry.
   */
  readonly output?: (value: V) => O | undefined;
}

/** One key's events in timeline order, with the value after each. */
interface KeyLog<V> {
  readonly id: string;
  ats: number[];
  events: TimelineEvent[];
  /** `values[i]`: the value after `events[0..i]`; `undefined` while the key is absent. */
  values: (V | undefined)[];
  /** Smallest index whose value must be recomputed, or -1. */
  dirty: number;
  /**
   * From this index on, every event was in the log before the change, with its old value
   * after it: a refold may stop there once a value comes out as it was.
   */
  stopFrom: number;
  /**
   * While dirty, when known: the positions whose values are placeholders (events added since
   * the last fold), in order. Every other position from `dirty` on then holds its old value,
   * so a refold that reaches an old value goes on from the next of these, not from there.
   */
  fresh: number[] | undefined;
  /** Index of the first defined value, or -1: orders keys as a naive fold inserts them. */
  first: number;
  /**
   * From this index on, events came out of order and wait to be put in place when the index
   * is next read (a rule that cannot throw); -1 when there are none.
   */
  tail: number;
}

/** What a change did to one key's log, to put it back when a handler throws. */
interface Saved<V> {
  readonly length: number;
  readonly first: number;
  copy: { ats: number[]; events: TimelineEvent[]; values: (V | undefined)[] } | undefined;
}

// Assigning "__proto__" would set the prototype instead of adding the key.
function put(record: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(record, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    record[key] = value;
  }
}

function valueIndex(log: KeyLog<unknown>, t: number): number {
  const { ats } = log;
  const n = ats.length;
  // Most queries ask about the present: skip the search when `t` is past the last event.
  if (n > 0 && (ats[n - 1] as number) <= t) return n - 1;
  return upperBoundNumbers(ats, t) - 1;
}

/**
 * A keyed slice, indexed per key: each key's events and the value after each. The value of
 * a key at any instant is a binary search; the whole slice at an instant is one per key; a
 * late event refolds only the keys it touches, from where it lands. A rule that may throw
 * is folded at every change; the others when next read ({@link KeyedIndex.settle}), each
 * touched key once from the earliest change, however many batches came in between.
 */
export class KeyedIndex<V, O = V> {
  private readonly logs = new Map<string, KeyLog<V>>();
  /** Logs with a dirty index, each once. */
  private touched: KeyLog<V>[] = [];
  private order: readonly KeyLog<V>[] = [];
  private orderStale = false;

  /**
   * @param slice - the slice's name, for the `ReducerError` of a handler that throws.
   * @param rank - position of an event in the timeline, to order keys first set by events
   *   with the same `at` as a fold from scratch would.
   */
  constructor(
    private readonly slice: string,
    private readonly rule: KeyedRule<V, O>,
    private readonly rank: (event: TimelineEvent) => number,
  ) {}

  /**
   * Removes stored events and adds new ones (in timeline order, each after every stored event
   * with the same `at`). A handler that throws leaves the index as it was, and the error
   * propagates as a `ReducerError`. Returns what puts the index back as it was, for a batch
   * that another slice then fails.
   */
  change(added: readonly TimelineEvent[], removed: readonly TimelineEvent[]): () => void {
    if (!this.rule.mayThrow) {
      // Nothing to undo: the timeline changes the indexes that cannot throw last.
      this.apply(added, removed, undefined, []);
      return NOTHING;
    }
    const undo = new Map<KeyLog<V>, Saved<V>>();
    const created: string[] = [];
    try {
      this.apply(added, removed, undo, created);
      this.refold();
    } catch (error) {
      this.restore(undo, created);
      throw error;
    }
    return () => this.restore(undo, created);
  }

  /** Whether a value puts its key in the slice. */
  private present(value: V | undefined): boolean {
    const { output } = this.rule;
    return value !== undefined && (output === undefined || output(value) !== undefined);
  }

  /** The slice's entry in a value. */
  private out(value: V | undefined): O | undefined {
    const { output } = this.rule;
    return value === undefined || output === undefined ? (value as O | undefined) : output(value);
  }

  /** The event types the rule reads. */
  get types(): readonly string[] {
    return this.rule.types;
  }

  /** Throws what {@link KeyedIndex.change} would throw, and changes nothing. */
  trial(added: readonly TimelineEvent[], removed: readonly TimelineEvent[]): void {
    if (this.rule.mayThrow) this.change(added, removed)();
  }

  private keysOf(event: TimelineEvent): readonly string[] {
    if (!this.rule.mayThrow) return this.rule.keys(event);
    try {
      return this.rule.keys(event);
    } catch (error) {
      throw new ReducerError(this.slice, event.id, error);
    }
  }

  private apply(
    added: readonly TimelineEvent[],
    removed: readonly TimelineEvent[],
    undo: Map<KeyLog<V>, Saved<V>> | undefined,
    created: string[],
  ): void {
    for (const event of removed) {
      for (const key of this.keysOf(event)) {
        const log = this.logs.get(key);
        if (log === undefined) continue;
        if (log.tail !== -1) this.place(log);
        let i = valueIndex(log, event.at);
        while (i >= 0 && log.events[i] !== event) i--;
        if (i < 0) continue;
        if (undo !== undefined) save(undo, log, true);
        log.ats.splice(i, 1);
        log.events.splice(i, 1);
        if (this.rule.valueAfter !== undefined) {
          this.moved(log, i);
          continue;
        }
        log.values.splice(i, 1);
        this.markDirty(log, i);
        log.fresh = undefined;
        log.stopFrom = i < log.stopFrom ? log.stopFrom - 1 : i;
      }
    }
    const keepValues = this.rule.valueAfter === undefined;
    for (const event of added) {
      const at = event.at;
      for (const key of this.keysOf(event)) {
        let log = this.logs.get(key);
        if (log === undefined) {
          log = {
            id: key,
            ats: [],
            events: [],
            values: [],
            dirty: -1,
            stopFrom: 0,
            fresh: undefined,
            first: -1,
            tail: -1,
          };
          this.logs.set(key, log);
          created.push(key);
        }
        const { ats } = log;
        const n = ats.length;
        const inOrder = log.tail === -1 && (n === 0 || (ats[n - 1] as number) <= at);
        if (undo !== undefined) save(undo, log, !inOrder);
        if (inOrder || undo === undefined) {
          ats.push(at);
          log.events.push(event);
          if (!inOrder) {
            if (keepValues) log.values.push(undefined);
            this.leaveUnplaced(log, n);
          } else if (!keepValues) {
            this.moved(log, n);
          } else if (undo === undefined && log.dirty === -1) {
            // An event after every other of a clean key: its value now, while it is at hand.
            const value = this.rule.step(n === 0 ? undefined : log.values[n - 1], event);
            log.values.push(value);
            if (log.first === -1 && this.present(value)) {
              log.first = n;
              this.orderStale = true;
            }
          } else {
            log.values.push(undefined);
            this.markDirty(log, n);
            log.fresh?.push(n);
            log.stopFrom = n + 1;
          }
        } else {
          // A rule that may throw folds at once: the event goes where it belongs now.
          const i = upperBoundNumbers(ats, at);
          ats.splice(i, 0, at);
          log.events.splice(i, 0, event);
          log.values.splice(i, 0, undefined);
          this.markDirty(log, i);
          log.fresh = undefined;
          log.stopFrom = i < log.stopFrom ? log.stopFrom + 1 : i + 1;
        }
      }
    }
  }

  /** Leaves the event just pushed at `n` to be put in place at the next read. */
  private leaveUnplaced(log: KeyLog<V>, n: number): void {
    if (log.tail !== -1) return;
    log.tail = n;
    this.markDirty(log, n);
  }

  /**
   * Puts the events pushed since `log.tail` where they belong, in one merge: a run of late
   * events costs one pass over the key's log, not one per event.
   */
  private place(log: KeyLog<V>): void {
    const { ats, events, values, tail } = log;
    const n = ats.length;
    const order: number[] = [];
    for (let k = tail; k < n; k++) order.push(k);
    // Stable: events with the same `at` keep the order they came in.
    order.sort((a, b) => (ats[a] as number) - (ats[b] as number) || a - b);
    // The first stored event after the earliest pushed one: where the merge starts.
    const p = upperBoundNumbers(ats, ats[order[0] as number] as number, tail);
    const keepValues = this.rule.valueAfter === undefined;
    const oldStop = log.stopFrom;
    // Where the first event after which every old value still holds lands (n: none does).
    let stopAt = oldStop < p ? oldStop : oldStop >= tail ? n : -1;
    let lastNew = -1;
    // The placeholders' positions after the merge: those before it stay, the rest as it goes.
    const oldFresh = log.fresh;
    const fresh = oldFresh?.filter((position) => position < p);
    let q = fresh?.length ?? 0;
    const segAts: number[] = [];
    const segEvents: TimelineEvent[] = [];
    const segValues: (V | undefined)[] = [];
    let i = p;
    let j = 0;
    while (i < tail || j < order.length) {
      const position = p + segAts.length;
      const k = order[j] as number;
      if (j >= order.length || (i < tail && (ats[i] as number) <= (ats[k] as number))) {
        if (i === oldStop) stopAt = position;
        if (oldFresh?.[q] === i) {
          fresh?.push(position);
          q++;
        }
        segAts.push(ats[i] as number);
        segEvents.push(events[i] as TimelineEvent);
        if (keepValues) segValues.push(values[i]);
        i++;
      } else {
        lastNew = position;
        fresh?.push(position);
        segAts.push(ats[k] as number);
        segEvents.push(events[k] as TimelineEvent);
        if (keepValues) segValues.push(undefined);
        j++;
      }
    }
    for (let k = 0; k < segAts.length; k++) {
      ats[p + k] = segAts[k] as number;
      events[p + k] = segEvents[k] as TimelineEvent;
      if (keepValues) values[p + k] = segValues[k];
    }
    log.tail = -1;
    log.fresh = fresh;
    if (p < log.dirty) log.dirty = p;
    log.stopFrom = Math.max(lastNew + 1, stopAt);
  }

  /** After an event at `i` came or went in the log of a rule whose values are made on read. */
  private moved(log: KeyLog<V>, i: number): void {
    const first = log.events.length === 0 ? -1 : 0;
    if (i === 0 || first !== log.first) {
      log.first = first;
      this.orderStale = true;
    }
  }

  /** The value after `log.events[i]`; `undefined` before the first event (`i < 0`). */
  private value(log: KeyLog<V>, i: number): V | undefined {
    const { valueAfter } = this.rule;
    if (valueAfter === undefined) return log.values[i];
    return i < 0 ? undefined : valueAfter(log.events, i);
  }

  private markDirty(log: KeyLog<V>, i: number): void {
    if (log.dirty === -1) {
      log.dirty = i;
      log.stopFrom = 0;
      log.fresh = [];
      this.touched.push(log);
    } else if (i < log.dirty) {
      log.dirty = i;
    }
  }

  /** Folds every key changed since the last fold: what each read does first. */
  settle(): void {
    if (this.touched.length > 0) this.refold();
  }

  private refold(): void {
    const { step, mayThrow, same } = this.rule;
    for (const log of this.touched) {
      if (log.tail !== -1) this.place(log);
      if (this.rule.valueAfter !== undefined) {
        this.moved(log, log.dirty);
        log.dirty = -1;
        continue;
      }
      const from = log.dirty;
      const { events, values, stopFrom, fresh } = log;
      let prev = from > 0 ? values[from - 1] : undefined;
      let i = from;
      let f = 0;
      if (fresh !== undefined) while (f < fresh.length && (fresh[f] as number) < from) f++;
      try {
        for (; i < events.length; i++) {
          const next = step(prev, events[i] as TimelineEvent);
          const old = values[i];
          const isOld = fresh === undefined ? i >= stopFrom : fresh[f] !== i;
          if (!isOld && fresh !== undefined) f++;
          // The value after an old event came out as before: so will every later one up to
          // the next event added since the last fold.
          if (
            isOld &&
            (next === old ||
              (same !== undefined && next !== undefined && old !== undefined && same(next, old)))
          ) {
            if (fresh === undefined || f >= fresh.length) break;
            i = (fresh[f] as number) - 1;
            prev = values[i];
            continue;
          }
          values[i] = next;
          prev = next;
        }
      } catch (error) {
        if (!mayThrow || error instanceof ReducerError) throw error;
        throw new ReducerError(this.slice, (events[i] as TimelineEvent).id, error);
      }
      log.dirty = -1;
      log.fresh = undefined;
      // A change after the first defined value cannot move the key in the key order.
      if (log.first === -1 || from <= log.first) {
        log.first = values.findIndex((v) => this.present(v));
        this.orderStale = true;
      }
    }
    this.touched = [];
  }

  private restore(undo: ReadonlyMap<KeyLog<V>, Saved<V>>, created: readonly string[]): void {
    for (const [log, saved] of undo) {
      if (saved.copy !== undefined) {
        log.ats = saved.copy.ats;
        log.events = saved.copy.events;
        log.values = saved.copy.values;
      } else {
        log.ats.length = saved.length;
        log.events.length = saved.length;
        log.values.length = saved.length;
      }
      log.first = saved.first;
      log.dirty = -1;
      log.fresh = undefined;
    }
    for (const key of created) this.logs.delete(key);
    for (const log of this.touched) {
      log.dirty = -1;
      log.fresh = undefined;
    }
    this.touched = [];
    this.orderStale = true;
  }

  /** Keys with a value, in the order a fold from scratch inserts them. */
  private sortedOrder(): readonly KeyLog<V>[] {
    this.settle();
    if (this.orderStale) {
      const keyed: { log: KeyLog<V>; at: number; seq: number; sub: number }[] = [];
      // An event reaching many keys (a region's capture, an airstrike on 10^4 places) is asked
      // for the position of each of them: its keys are listed once, into one lookup table, and
      // the table is looked up before the rule is asked again, so that this stays linear.
      const positions = new Map<TimelineEvent, Map<string, number>>();
      const position = (event: TimelineEvent, key: string): number => {
        const known = positions.get(event);
        if (known !== undefined) return known.get(key) ?? -1;
        const keys = this.rule.keys(event);
        if (keys.length <= 16) return keys.indexOf(key);
        const table = new Map<string, number>();
        for (let i = keys.length - 1; i >= 0; i--) table.set(keys[i] as string, i);
        positions.set(event, table);
        return table.get(key) ?? -1;
      };
      for (const log of this.logs.values()) {
        if (log.first === -1) continue;
        const event = log.events[log.first] as TimelineEvent;
        keyed.push({ log, at: event.at, seq: this.rank(event), sub: position(event, log.id) });
      }
      keyed.sort((a, b) => a.at - b.at || a.seq - b.seq || a.sub - b.sub);
      this.order = keyed.map((k) => k.log);
      this.orderStale = false;
    }
    return this.order;
  }

  /** The entry of one key after every event with `at <= t`; `undefined` when absent. */
  valueAt(key: string, t: number): O | undefined {
    return this.out(this.foldedAt(key, t));
  }

  /** The folded value of one key after every event with `at <= t` (beyond its entry). */
  foldedAt(key: string, t: number): V | undefined {
    this.settle();
    const log = this.logs.get(key);
    if (log === undefined) return undefined;
    return this.value(log, valueIndex(log, t));
  }

  /** Calls `visit` with each key that has a folded value at `t`, in no particular order. */
  eachFoldedAt(t: number, visit: (key: string, value: V) => void): void {
    this.settle();
    for (const log of this.logs.values()) {
      if (log.ats.length === 0 || (log.ats[0] as number) > t) continue;
      const value = this.value(log, valueIndex(log, t));
      if (value !== undefined) visit(log.id, value);
    }
  }

  /** Keys with a value at `t`, in the order a fold from scratch inserts them. */
  keysUpTo(t: number): string[] {
    const out: string[] = [];
    for (const log of this.sortedOrder()) {
      if ((log.ats[log.first] as number) > t) break;
      out.push(log.id);
    }
    return out;
  }

  /** The frozen slice after every event with `at <= t`: what a fold from scratch gives. */
  record(t: number): Readonly<Record<string, O>> {
    const record: Record<string, O> = {};
    for (const log of this.sortedOrder()) {
      if ((log.ats[log.first] as number) > t) break;
      put(record, log.id, this.out(this.value(log, valueIndex(log, t))));
    }
    return Object.freeze(record);
  }

  /**
   * The slice after `events[0..end)` folded from scratch (for a state whose events have
   * changed since it was taken).
   */
  foldRecord(events: readonly TimelineEvent[], end: number): Readonly<Record<string, O>> {
    const record: Record<string, O> = {};
    const folded = new Map<string, V>();
    const { step } = this.rule;
    for (let i = 0; i < end; i++) {
      const event = events[i] as TimelineEvent;
      for (const key of this.keysOf(event)) {
        const next = step(folded.get(key), event);
        if (next === undefined) continue;
        folded.set(key, next);
        const entry = this.out(next);
        if (entry !== undefined) put(record, key, entry);
      }
    }
    return Object.freeze(record);
  }

  /** Each event of a key with the value after it, in timeline order. */
  steps(key: string): {
    readonly events: readonly TimelineEvent[];
    readonly values: readonly (O | undefined)[];
  } {
    this.settle();
    const log = this.logs.get(key);
    return log === undefined
      ? { events: [], values: [] }
      : {
          events: [...log.events],
          values: log.events.map((_, i) => this.out(this.value(log, i))),
        };
  }
}

const NOTHING = () => {};

function save<V>(undo: Map<KeyLog<V>, Saved<V>>, log: KeyLog<V>, inside: boolean): void {
  let saved = undo.get(log);
  if (saved === undefined) {
    saved = { length: log.ats.length, first: log.first, copy: undefined };
    undo.set(log, saved);
  }
  if (inside && saved.copy === undefined) {
    // A change inside the log rewrites what came before the batch: keep it whole.
    saved.copy = {
      ats: log.ats.slice(0, saved.length),
      events: log.events.slice(0, saved.length),
      values: log.values.slice(0, saved.length),
    };
  }
}
