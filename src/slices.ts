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
export interface PlaceRule<S, Out> {
  /** Places the event touches, each once, in the order a naive fold would write them. */
  readonly places: (event: TimelineEvent) => readonly string[];
  /** The place's value after the event; `prev` is `undefined` while the place is absent. */
  readonly step: (prev: S | undefined, event: TimelineEvent) => S | undefined;
  /** The entry a state shows for a value, given the index of the last event and its `at`. */
  readonly entry: (value: S, index: number, at: number) => Out;
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
  /** The index generation this log belongs to; older logs are shared with snapshots. */
  readonly generation: number;
}

function valueIndex(log: PlaceLog<unknown>, t: number): number {
  return upperBoundNumbers(log.ats, t) - 1;
}

/**
 * A frozen view of a place index, as it was when taken: what a state's lazily built slices
 * read, so that appending later never changes a state already handed out.
 */
export class PlaceSnapshot<S, Out> {
  private readonly logs: readonly PlaceLog<S>[];

  constructor(
    private readonly rule: PlaceRule<S, Out>,
    logs: ReadonlyMap<string, PlaceLog<S>>,
    order: readonly string[],
  ) {
    this.logs = order.map((id) => logs.get(id) as PlaceLog<S>);
  }

  /** The slice after every event with `at <= t`, keys in the order of a fold from scratch. */
  recordAt(t: number): Readonly<Record<string, Out>> {
    const record: Record<string, Out> = {};
    const entry = this.rule.entry;
    for (const log of this.logs) {
      const ats = log.ats;
      if ((ats[log.first] as number) > t) break;
      const i = upperBoundNumbers(ats, t) - 1;
      const value = log.values[i];
      if (value === undefined) continue;
      if (log.id === "__proto__") {
        // Assigning would set the record's prototype instead of adding the place.
        Object.defineProperty(record, log.id, {
          value: entry(value, i, ats[i] as number),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } else {
        record[log.id] = entry(value, i, ats[i] as number);
      }
    }
    return Object.freeze(record);
  }
}

/**
 * A built-in slice kept per place: each place's events and the value after each, so that
 * the value at any instant is a binary search, and a late event refolds only its place.
 * Snapshots share its logs; the first change after a snapshot copies what it touches.
 */
export class PlaceIndex<S, Out> {
  private logs = new Map<string, PlaceLog<S>>();
  private readonly touched = new Set<PlaceLog<S>>();
  private order: readonly string[] = [];
  private orderStale = false;
  private generation = 0;
  private pinned = false;
  private last: PlaceSnapshot<S, Out> | undefined;

  /**
   * @param rank - position of an event in the timeline, to order places first set by
   *   events with the same `at` as a fold from scratch would.
   */
  constructor(
    private readonly rule: PlaceRule<S, Out>,
    private readonly rank: (event: TimelineEvent) => number,
  ) {}

  /** A view of the index as it is now, unaffected by later changes. */
  snapshot(): PlaceSnapshot<S, Out> {
    if (this.pinned && this.last !== undefined && !this.orderStale) return this.last;
    const order = this.sortedOrder();
    this.pinned = true;
    this.last = new PlaceSnapshot(this.rule, this.logs, order);
    return this.last;
  }

  private writable(log: PlaceLog<S>): PlaceLog<S> {
    if (log.generation === this.generation) return log;
    const copy: PlaceLog<S> = {
      id: log.id,
      ats: [...log.ats],
      events: [...log.events],
      values: [...log.values],
      dirty: log.dirty,
      first: log.first,
      generation: this.generation,
    };
    this.logs.set(log.id, copy);
    return copy;
  }

  private beginChange(): void {
    if (!this.pinned) return;
    this.logs = new Map(this.logs);
    this.generation++;
    this.pinned = false;
  }

  /** Adds events (in timeline order, each after every stored event with the same `at`). */
  insert(events: readonly TimelineEvent[]): void {
    this.beginChange();
    for (const event of events) {
      for (const place of this.rule.places(event)) {
        const existing = this.logs.get(place);
        let log: PlaceLog<S>;
        if (existing === undefined) {
          log = {
            id: place,
            ats: [],
            events: [],
            values: [],
            dirty: -1,
            first: -1,
            generation: this.generation,
          };
          this.logs.set(place, log);
        } else {
          log = this.writable(existing);
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
    this.beginChange();
    for (const event of events) {
      for (const place of this.rule.places(event)) {
        const existing = this.logs.get(place);
        if (existing === undefined) continue;
        let i = valueIndex(existing, event.at);
        while (i >= 0 && existing.events[i] !== event) i--;
        if (i < 0) continue;
        const log = this.writable(existing);
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

  /** The entry of one place after every event with `at <= t`; `undefined` when absent. */
  valueAt(place: string, t: number): Out | undefined {
    const log = this.logs.get(place);
    if (log === undefined) return undefined;
    const i = valueIndex(log, t);
    const value = log.values[i];
    return value === undefined ? undefined : this.rule.entry(value, i, log.ats[i] as number);
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
