import type { EventColumns } from "./columns.js";
import { grown } from "./grown.js";
import { lowerBound } from "./search.js";

/** What {@link EventList.apply} did, for {@link EventList.undo}. */
interface ListChange {
  /** The first position that changed. */
  readonly first: number;
  /** The events merged in, when the change only added events. */
  readonly inserted: ArrayLike<number> | undefined;
  /** Otherwise the tail from `first` as it was. */
  readonly oldTail: Int32Array;
}

/** Event numbers in timeline order with each one's `at` beside it. */
export interface Run {
  readonly events: Int32Array;
  readonly ats: Float64Array;
}

/** Event numbers in timeline order as a {@link Run}: each one's `at` read once, here. */
export function runOf(events: ArrayLike<number>, at: (n: number) => number): Run {
  const numbers = Int32Array.from(events);
  const ats = new Float64Array(numbers.length);
  for (let i = 0; i < numbers.length; i++) ats[i] = at(numbers[i] as number);
  return { events: numbers, ats };
}

/**
 * Merges runs in timeline order, each in timeline order, into one; on equal `at`, a run
 * given earlier comes first. The runs are laid side by side once, then merged pairwise:
 * each pass moves numbers between typed arrays.
 */
export function mergeAll(runs: readonly Run[]): Run {
  if (runs.length === 1) return runs[0] as Run;
  let total = 0;
  for (const run of runs) total += run.events.length;
  let ats = new Float64Array(total);
  let events = new Int32Array(total);
  let bounds = [0];
  let k = 0;
  for (const run of runs) {
    ats.set(run.ats, k);
    events.set(run.events, k);
    k += run.events.length;
    bounds.push(k);
  }
  let nextAts = new Float64Array(total);
  let nextEvents = new Int32Array(total);
  while (bounds.length > 2) {
    const nextBounds = [0];
    for (let r = 0; r + 1 < bounds.length; r += 2) {
      const from = bounds[r] as number;
      const mid = bounds[r + 1] as number;
      const to = r + 2 < bounds.length ? (bounds[r + 2] as number) : mid;
      let i = from;
      let j = mid;
      let w = from;
      while (i < mid && j < to) {
        // On equal `at`, the run given earlier comes first.
        if ((ats[j] as number) < (ats[i] as number)) {
          nextAts[w] = ats[j] as number;
          nextEvents[w++] = events[j++] as number;
        } else {
          nextAts[w] = ats[i] as number;
          nextEvents[w++] = events[i++] as number;
        }
      }
      for (; i < mid; i++, w++) {
        nextAts[w] = ats[i] as number;
        nextEvents[w] = events[i] as number;
      }
      for (; j < to; j++, w++) {
        nextAts[w] = ats[j] as number;
        nextEvents[w] = events[j] as number;
      }
      nextBounds.push(to);
    }
    [ats, nextAts] = [nextAts, ats];
    [events, nextEvents] = [nextEvents, events];
    bounds = nextBounds;
  }
  return { events, ats };
}

/**
 * The events of a timeline (or of one view of it) in timeline order, as event numbers in a
 * typed array (their times read from the columns): the one place where such a list is
 * edited. A batch after every event is pushed; a batch that reaches inside waits as a run
 * and every waiting run is merged in once, when the list is next read (unless the change is
 * made now, as a removal or a plain slice's fold needs).
 */
export class EventList {
  private items: Int32Array;
  private length: number;
  private pending: Run[] = [];
  private pendingSize = 0;
  /** `at` of the last event, merged or pending. */
  private lastAt: number;
  private readonly at: (n: number) => number;

  /** @param events - the events to start from, in timeline order (copied). */
  constructor(
    private readonly columns: EventColumns,
    events: ArrayLike<number> = [],
  ) {
    this.items = new Int32Array(Math.max(16, events.length));
    this.items.set(events);
    this.length = events.length;
    this.at = (n) => columns.at(n);
    this.lastAt = this.lastItemAt();
  }

  /** `at` of the list's last event (pending ones aside), or -Infinity when it has none. */
  private lastItemAt(): number {
    return this.length === 0
      ? Number.NEGATIVE_INFINITY
      : this.columns.at(this.items[this.length - 1] as number);
  }

  /** Number of events, pending ones included. */
  get size(): number {
    return this.length + this.pendingSize;
  }

  /** The events in timeline order, the pending batches merged in first (a view: read it now). */
  read(): Int32Array {
    if (this.pending.length > 0) {
      const { events: added, ats } = mergeAll(this.pending);
      this.pending = [];
      this.pendingSize = 0;
      this.apply(this.firstChange(added, []), added, [], ats);
    }
    return this.items.subarray(0, this.length);
  }

  /**
   * The first position of the list that adding events (in timeline order, after every stored
   * one with the same `at`) and removing stored ones changes; its length when they only append.
   */
  private firstChange(added: ArrayLike<number>, removed: ArrayLike<number>): number {
    const { items, length: n, columns } = this;
    const last = this.lastItemAt();
    if (removed.length === 0 && (added.length === 0 || columns.at(added[0] as number) >= last)) {
      return n;
    }
    // `added` is in timeline order: its first event is its earliest.
    let minAt = added.length === 0 ? Number.POSITIVE_INFINITY : columns.at(added[0] as number);
    for (let i = 0; i < removed.length; i++) {
      const at = columns.at(removed[i] as number);
      if (at < minAt) minAt = at;
    }
    return lowerBound(n, minAt, (i) => columns.at(items[i] as number));
  }

  /** The list's tail from `first` once the change is made. */
  private newTail(first: number, added: ArrayLike<number>, removed: ArrayLike<number>): Int32Array {
    let kept = this.items.slice(first, this.length);
    if (removed.length > 0) {
      const gone = new Set(Array.from(removed));
      kept = kept.filter((n) => !gone.has(n));
    }
    return mergeAll([runOf(kept, this.at), runOf(added, this.at)]).events;
  }

  private ensure(capacity: number): void {
    if (capacity <= this.items.length) return;
    this.items = grown(this.items, Math.max(capacity, this.items.length * 2));
  }

  private push(events: ArrayLike<number>): void {
    this.ensure(this.length + events.length);
    if (events instanceof Int32Array) this.items.set(events, this.length);
    else for (let i = 0; i < events.length; i++) this.items[this.length + i] = events[i] as number;
    this.length += events.length;
  }

  /**
   * Makes the change in place, touching only the list from `first` on: appends push; late
   * events are merged in from the back; a change with removals rebuilds the tail.
   */
  private apply(
    first: number,
    added: ArrayLike<number>,
    removed: ArrayLike<number>,
    addedAts?: Float64Array,
  ): ListChange {
    const none = new Int32Array(0);
    if (first === this.length) {
      this.push(added);
      return { first, inserted: undefined, oldTail: none };
    }
    if (removed.length === 0) {
      const { columns } = this;
      this.ensure(this.length + added.length);
      const items = this.items;
      let i = this.length - 1;
      let j = added.length - 1;
      let k = this.length + added.length - 1;
      this.length = k + 1;
      while (j >= 0) {
        const at =
          addedAts === undefined ? columns.at(added[j] as number) : (addedAts[j] as number);
        // On equal `at`, the stored event comes first: it was appended earlier.
        if (i >= first && columns.at(items[i] as number) > at) {
          items[k--] = items[i--] as number;
        } else {
          items[k--] = added[j--] as number;
        }
      }
      return { first, inserted: added, oldTail: none };
    }
    const oldTail = this.items.slice(first, this.length);
    const tail = this.newTail(first, added, removed);
    this.length = first;
    this.push(tail);
    return { first, inserted: undefined, oldTail };
  }

  /** Puts the list back as it was before {@link EventList.apply}. */
  private undo(change: ListChange): void {
    const { items } = this;
    if (change.inserted !== undefined) {
      const inserted = new Set(Array.from(change.inserted));
      let k = change.first;
      for (let i = change.first; i < this.length; i++) {
        const n = items[i] as number;
        if (!inserted.has(n)) items[k++] = n;
      }
      this.length = k;
    } else {
      this.length = change.first;
      this.push(change.oldTail);
    }
  }

  /**
   * The first position a change would touch (the list's length when it only appends), and the
   * list's tail from there once made: what a dry run folds, changing nothing.
   */
  preview(
    added: ArrayLike<number>,
    removed: ArrayLike<number>,
  ): { first: number; tail: ArrayLike<number> } {
    this.read();
    const first = this.firstChange(added, removed);
    return {
      first,
      tail: first === this.length ? added : this.newTail(first, added, removed),
    };
  }

  /**
   * Adds events (in timeline order, each after every stored event with the same `at`) and
   * removes stored ones. `now`: make the change in the list at once rather than when next read.
   * Returns the first position that changed when the change was made now (else `undefined`),
   * and what puts the list back as it was.
   */
  change(
    added: ArrayLike<number>,
    removed: ArrayLike<number>,
    now: boolean,
  ): { first: number | undefined; undo: () => void } {
    const lastAt = this.lastAt;
    const { columns } = this;
    if (removed.length > 0 || now) {
      this.read();
      const first = this.firstChange(added, removed);
      const made = this.apply(first, added, removed);
      this.lastAt = this.lastItemAt();
      return {
        first,
        undo: () => {
          this.undo(made);
          this.lastAt = lastAt;
        },
      };
    }
    if (added.length === 0) return { first: undefined, undo: () => {} };
    this.lastAt = Math.max(lastAt, columns.at(added[added.length - 1] as number));
    if (this.pending.length === 0 && columns.at(added[0] as number) >= lastAt) {
      // After every stored event: an append, as cheap now as later.
      const made = this.apply(this.length, added, []);
      return {
        first: undefined,
        undo: () => {
          this.undo(made);
          this.lastAt = lastAt;
        },
      };
    }
    // Each `at` read now, while the batch is in cache, not when merged.
    this.pending.push(runOf(added, this.at));
    this.pendingSize += added.length;
    return {
      first: undefined,
      undo: () => {
        this.pending.pop();
        this.pendingSize -= added.length;
        this.lastAt = lastAt;
      },
    };
  }
}
