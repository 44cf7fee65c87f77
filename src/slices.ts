import type { TimelineEvent } from "./events.js";
import type { Precision } from "./time.js";

/** Who controls a place, since when, and by which event. */
export interface ControlEntry {
  /** The actor holding the place, or `null` when nobody does. */
  readonly controller: string | null;
  /** `at` of the event that set this value. */
  readonly since: number;
  /** Id of that event. */
  readonly eventId: string;
}

/** Airstrikes on a place so far. */
export interface AirstrikeEntry {
  /** Number of `Airstrike` events naming the place. */
  readonly count: number;
  /** `at` of the latest one. */
  readonly lastAt: number;
}

/** Arrests in a place so far. */
export interface ArrestsEntry {
  /** Number of `Arrests` events. */
  readonly events: number;
  /** Sum of the known `count`s. */
  readonly detained: number;
  /** `at` of the latest one. */
  readonly lastAt: number;
}

/** The built-in slices of every state. */
export interface BuiltinState {
  readonly control: Readonly<Record<string, ControlEntry>>;
  readonly airstrikes: Readonly<Record<string, AirstrikeEntry>>;
  readonly arrests: Readonly<Record<string, ArrestsEntry>>;
}

/** Names of the built-in slices, which custom reducers may not take. */
export const BUILTIN_SLICES = Object.freeze(["control", "airstrikes", "arrests"] as const);

/** One interval of a place's control, as returned by `history`. */
export interface ControlInterval {
  /** The actor holding the place, or `null` when nobody did. */
  readonly controller: string | null;
  /** Start, epoch ms: `at` of the event that began the interval. */
  readonly from: number;
  /** End, epoch ms: `at` of the event that ended it; `null` while it lasts. */
  readonly to: number | null;
  /** Id of the event that began the interval. */
  readonly eventId: string;
  /** Precision of `from` (non-enumerable, so intervals compare and serialise as the four fields above). */
  readonly fromPrecision: Precision;
  /** Precision of `to`, `null` while it lasts (non-enumerable). */
  readonly toPrecision: Precision | null;
}

// Order of events in the timeline, kept on each stored event without showing in it.
export const SEQ: unique symbol = Symbol("tidemark.seq");

/** The append sequence number of a stored event. */
export function seqOf(event: TimelineEvent): number {
  return (event as unknown as { [SEQ]: number })[SEQ];
}

/** Index of the first element of a sorted `events` whose `at` is greater than `t`. */
export function upperBound(events: readonly { readonly at: number }[], t: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((events[mid] as { at: number }).at <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first element of a sorted `events` whose `at` is not less than `t`. */
export function lowerBound(events: readonly { readonly at: number }[], t: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((events[mid] as { at: number }).at < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBoundNumbers(values: readonly number[], t: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((values[mid] as number) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** How a built-in slice folds the events of one place. */
export interface PlaceRule<S> {
  /** Places the event touches, each once, in the order a naive fold would write them. */
  readonly places: (event: TimelineEvent) => readonly string[];
  /** The place's value after the event; `prev` is `undefined` while the place is absent. */
  readonly step: (prev: S | undefined, event: TimelineEvent) => S | undefined;
}

interface PlaceLog<S> {
  readonly id: string;
  readonly ats: number[];
  readonly events: TimelineEvent[];
  /** `states[i]`: the value after `events[0..i]`. */
  readonly states: (S | undefined)[];
  /** Smallest index whose state must be recomputed, or -1. */
  dirty: number;
  /** Index of the first defined state, or -1; orders places as a naive fold would. */
  first: number;
}

/**
 * A built-in slice kept per place: each place's events and the value after each, so that
 * the value at any instant is a binary search, and a late event refolds only its place.
 */
export class PlaceIndex<S> {
  private readonly logs = new Map<string, PlaceLog<S>>();
  private readonly touched = new Set<PlaceLog<S>>();
  private order: PlaceLog<S>[] = [];
  private orderStale = false;

  constructor(private readonly rule: PlaceRule<S>) {}

  /** Adds events (in timeline order, each after every stored event with the same `at`). */
  insert(events: readonly TimelineEvent[]): void {
    for (const event of events) {
      for (const place of this.rule.places(event)) {
        let log = this.logs.get(place);
        if (log === undefined) {
          log = { id: place, ats: [], events: [], states: [], dirty: -1, first: -1 };
          this.logs.set(place, log);
        }
        const at = event.at;
        const n = log.ats.length;
        const i = n === 0 || (log.ats[n - 1] as number) <= at ? n : upperBoundNumbers(log.ats, at);
        if (i === n) {
          log.ats.push(at);
          log.events.push(event);
          log.states.push(undefined);
        } else {
          log.ats.splice(i, 0, at);
          log.events.splice(i, 0, event);
          log.states.splice(i, 0, undefined);
        }
        this.markDirty(log, i);
      }
    }
    this.refold();
  }

  /** Removes stored events (a retraction). */
  remove(events: readonly TimelineEvent[]): void {
    for (const event of events) {
      for (const place of this.rule.places(event)) {
        const log = this.logs.get(place);
        if (log === undefined) continue;
        let i = upperBoundNumbers(log.ats, event.at) - 1;
        while (i >= 0 && log.events[i] !== event) i--;
        if (i < 0) continue;
        log.ats.splice(i, 1);
        log.events.splice(i, 1);
        log.states.splice(i, 1);
        this.markDirty(log, i);
      }
    }
    this.refold();
  }

  private markDirty(log: PlaceLog<S>, i: number): void {
    if (log.dirty === -1 || i < log.dirty) log.dirty = i;
    this.touched.add(log);
  }

  private refold(): void {
    for (const log of this.touched) {
      const from = log.dirty;
      log.dirty = -1;
      let prev = from > 0 ? log.states[from - 1] : undefined;
      for (let i = from; i < log.events.length; i++) {
        prev = this.rule.step(prev, log.events[i] as TimelineEvent);
        log.states[i] = prev;
      }
      // A change after the first defined value cannot move the place in the key order.
      if (log.first === -1 || from <= log.first) {
        log.first = log.states.findIndex((s) => s !== undefined);
        this.orderStale = true;
      }
    }
    this.touched.clear();
  }

  private sortedOrder(): readonly PlaceLog<S>[] {
    if (this.orderStale) {
      const key = (log: PlaceLog<S>) => {
        const event = log.events[log.first] as TimelineEvent;
        return { at: event.at, seq: seqOf(event), sub: this.rule.places(event).indexOf(log.id) };
      };
      this.order = [...this.logs.values()]
        .filter((log) => log.first !== -1)
        .map((log) => ({ log, k: key(log) }))
        .sort((a, b) => a.k.at - b.k.at || a.k.seq - b.k.seq || a.k.sub - b.k.sub)
        .map(({ log }) => log);
      this.orderStale = false;
    }
    return this.order;
  }

  /** The value of one place after every event with `at <= t`; `undefined` when absent. */
  valueAt(place: string, t: number): S | undefined {
    const log = this.logs.get(place);
    if (log === undefined) return undefined;
    const i = upperBoundNumbers(log.ats, t) - 1;
    return i < 0 ? undefined : log.states[i];
  }

  /**
   * The slice after every event with `at <= t`: a frozen record whose keys come in the order
   * a fold from scratch would have inserted them.
   */
  recordAt(t: number): Readonly<Record<string, S>> {
    const record: Record<string, S> = {};
    for (const log of this.sortedOrder()) {
      if ((log.ats[log.first] as number) > t) break;
      const value = log.states[upperBoundNumbers(log.ats, t) - 1];
      if (value !== undefined) record[log.id] = value;
    }
    return Object.freeze(record);
  }

  /** Places in the order of their first value, up to `t`. */
  placesUpTo(t: number): string[] {
    const out: string[] = [];
    for (const log of this.sortedOrder()) {
      if ((log.ats[log.first] as number) > t) break;
      out.push(log.id);
    }
    return out;
  }

  /** Each event of a place with the value after it, in timeline order. */
  steps(place: string): {
    readonly events: readonly TimelineEvent[];
    readonly states: readonly (S | undefined)[];
  } {
    const log = this.logs.get(place);
    return log === undefined ? { events: [], states: [] } : log;
  }
}
