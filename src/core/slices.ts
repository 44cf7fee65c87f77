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
  /** Precision of `since`: that of the event that set this value. */
  readonly precision: Precision;
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
  /** Number of events that gave no `count`: arrests of an unknown number, never read as zero. */
  readonly uncounted: number;
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
  /** Precision of `from`: that of the event that began the interval. */
  readonly fromPrecision: Precision;
  /** Precision of `to`, `null` while it lasts. */
  readonly toPrecision: Precision | null;
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
  /** `values[i]`: the value after `events[0..i]`. */
  readonly values: (S | undefined)[];
  /** Smallest index whose value must be recomputed, or -1. */
  dirty: number;
  /** Index of the first defined value, or -1; orders places as a naive fold would. */
  first: number;
}

function valueIndex(log: PlaceLog<unknown>, t: number): number {
  return upperBoundNumbers(log.ats, t) - 1;
}

/**
 * A built-in slice kept per place: each place's events and the value after each, so that
 * the value of one place at any instant is a binary search (history, diff, claims), and a
 * late event refolds only its place.
 */
export class PlaceIndex<S> {
  private readonly logs = new Map<string, PlaceLog<S>>();
  private readonly touched = new Set<PlaceLog<S>>();
  private order: readonly string[] = [];
  private orderStale = false;

  /**
   * @param rank - position of an event in the timeline, to order places first set by
   *   events with the same `at` as a fold from scratch would.
   */
  constructor(
    private readonly rule: PlaceRule<S>,
    private readonly rank: (event: TimelineEvent) => number,
  ) {}

  /** Adds events (in timeline order, each after every stored event with the same `at`). */
  insert(events: readonly TimelineEvent[]): void {
    for (const event of events) {
      for (const place of this.rule.places(event)) {
        let log = this.logs.get(place);
        if (log === undefined) {
          log = { id: place, ats: [], events: [], values: [], dirty: -1, first: -1 };
          this.logs.set(place, log);
        }
        const at = event.at;
        const n = log.ats.length;
        const i = n === 0 || (log.ats[n - 1] as number) <= at ? n : upperBoundNumbers(log.ats, at);
        if (i === n) {
          log.ats.push(at);
          log.events.push(event);
          log.values.push(undefined);
        } else {
          log.ats.splice(i, 0, at);
          log.events.splice(i, 0, event);
          log.values.splice(i, 0, undefined);
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
        let i = valueIndex(log, event.at);
        while (i >= 0 && log.events[i] !== event) i--;
        if (i < 0) continue;
        log.ats.splice(i, 1);
        log.events.splice(i, 1);
        log.values.splice(i, 1);
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
      let prev = from > 0 ? log.values[from - 1] : undefined;
      for (let i = from; i < log.events.length; i++) {
        prev = this.rule.step(prev, log.events[i] as TimelineEvent);
        log.values[i] = prev;
      }
      // A change after the first defined value cannot move the place in the key order.
      if (log.first === -1 || from <= log.first) {
        log.first = log.values.findIndex((v) => v !== undefined);
        this.orderStale = true;
      }
    }
    this.touched.clear();
  }

  private sortedOrder(): readonly string[] {
    if (this.orderStale) {
      const keyed: { id: string; at: number; seq: number; sub: number }[] = [];
      for (const log of this.logs.values()) {
        if (log.first === -1) continue;
        const event = log.events[log.first] as TimelineEvent;
        keyed.push({
          id: log.id,
          at: event.at,
          seq: this.rank(event),
          sub: this.rule.places(event).indexOf(log.id),
        });
      }
      keyed.sort((a, b) => a.at - b.at || a.seq - b.seq || a.sub - b.sub);
      this.order = keyed.map((k) => k.id);
      this.orderStale = false;
    }
    return this.order;
  }

  /** The value of one place after every event with `at <= t`; `undefined` when absent. */
  valueAt(place: string, t: number): S | undefined {
    const log = this.logs.get(place);
    if (log === undefined) return undefined;
    return log.values[valueIndex(log, t)];
  }

  /** Places in the order of their first value, up to `t`. */
  placesUpTo(t: number): string[] {
    const out: string[] = [];
    for (const id of this.sortedOrder()) {
      const log = this.logs.get(id) as PlaceLog<S>;
      if ((log.ats[log.first] as number) > t) break;
      out.push(id);
    }
    return out;
  }

  /** Each event of a place with the value after it, in timeline order. */
  steps(place: string): {
    readonly events: readonly TimelineEvent[];
    readonly values: readonly (S | undefined)[];
  } {
    const log = this.logs.get(place);
    return log === undefined
      ? { events: [], values: [] }
      : { events: [...log.events], values: [...log.values] };
  }
}
