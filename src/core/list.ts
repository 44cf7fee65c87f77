import type { TimelineEvent } from "./events.js";
import { lowerBound } from "./search.js";

/** What {@link applyChange} did, for {@link undoChange}. */
interface ListChange {
  /** The first position that changed. */
  readonly first: number;
  /** The events merged in, when the change only added events. */
  readonly inserted: readonly TimelineEvent[] | undefined;
  /** Otherwise the tail from `first` as it was. */
  readonly oldTail: readonly TimelineEvent[];
}

/**
 * The first position of a list in timeline order that adding events (appended later, in
 * timeline order) and removing stored ones changes; its length when the events only append.
 */
function firstChange(
  list: readonly TimelineEvent[],
  added: readonly TimelineEvent[],
  removed: readonly TimelineEvent[] = [],
): number {
  const n = list.length;
  const last = n === 0 ? Number.NEGATIVE_INFINITY : (list[n - 1] as TimelineEvent).at;
  if (removed.length === 0 && (added.length === 0 || (added[0] as TimelineEvent).at >= last)) {
    return n;
  }
  // `added` is in timeline order: its first event is its earliest.
  let minAt = added.length === 0 ? Number.POSITIVE_INFINITY : (added[0] as TimelineEvent).at;
  for (const event of removed) if (event.at < minAt) minAt = event.at;
  return lowerBound(list, minAt);
}

/** The list's tail from `first` once the change is made. */
export function newTail(
  list: readonly TimelineEvent[],
  first: number,
  added: readonly TimelineEvent[],
  removed: readonly TimelineEvent[],
): TimelineEvent[] {
  const kept = list.slice(first);
  if (removed.length === 0) return merge(kept, added);
  const gone = new Set(removed);
  return merge(
    kept.filter((e) => !gone.has(e)),
    added,
  );
}

/**
 * Makes the change in place, touching only the list from `first` on: appends push; late
 * events are merged in from the back, without copying the list (a batch in random order
 * must not allocate a list-sized array per batch); a change with removals rebuilds the tail.
 */
function applyChange(
  list: TimelineEvent[],
  first: number,
  added: readonly TimelineEvent[],
  removed: readonly TimelineEvent[] = [],
  addedAts?: Float64Array,
): ListChange {
  if (first === list.length) {
    for (const event of added) list.push(event);
    return { first, inserted: undefined, oldTail: [] };
  }
  if (removed.length === 0) {
    let i = list.length - 1;
    let j = added.length - 1;
    let k = list.length + added.length - 1;
    list.length = k + 1;
    while (j >= 0) {
      const at = addedAts === undefined ? (added[j] as TimelineEvent).at : (addedAts[j] as number);
      // On equal `at`, the stored event comes first: it was appended earlier.
      if (i >= first && (list[i] as TimelineEvent).at > at) {
        list[k--] = list[i--] as TimelineEvent;
      } else {
        list[k--] = added[j--] as TimelineEvent;
      }
    }
    return { first, inserted: added, oldTail: [] };
  }
  const oldTail = list.slice(first);
  const tail = newTail(list, first, added, removed);
  list.length = first;
  for (const event of tail) list.push(event);
  return { first, inserted: undefined, oldTail };
}

/** Puts the list back as it was before {@link applyChange}. */
function undoChange(list: TimelineEvent[], change: ListChange): void {
  if (change.inserted !== undefined) {
    const inserted = new Set(change.inserted);
    let k = change.first;
    for (let i = change.first; i < list.length; i++) {
      const event = list[i] as TimelineEvent;
      if (!inserted.has(event)) list[k++] = event;
    }
    list.length = k;
  } else {
    list.length = change.first;
    for (const event of change.oldTail) list.push(event);
  }
}

/** Events in timeline order with each one's `at` beside it, read once. */
export interface Run {
  readonly events: readonly TimelineEvent[];
  readonly ats: Float64Array;
}

/** A list in timeline order as a {@link Run}: each event's `at` read once, here. */
export function runOf(events: readonly TimelineEvent[]): Run {
  return { events, ats: Float64Array.from(events, (event) => event.at) };
}

/**
 * Merges runs in timeline order, each in timeline order, into one; on equal `at`, a run
 * given earlier comes first. The events are laid side by side once, with their times; the
 * merge then sorts positions into them, pairwise, by the times: each pass moves numbers
 * between typed arrays, and each event is put in place once, at the end (the events of a
 * feed in random order lie all over memory, and a pointer moved is a pointer the collector
 * must be told about).
 */
export function mergeAll(runs: readonly Run[]): Run {
  if (runs.length === 1) return runs[0] as Run;
  let total = 0;
  for (const run of runs) total += run.events.length;
  const all: TimelineEvent[] = new Array(total);
  let ats = new Float64Array(total);
  let bounds = [0];
  let k = 0;
  for (const run of runs) {
    ats.set(run.ats, k);
    for (const event of run.events) all[k++] = event;
    bounds.push(k);
  }
  let order = new Int32Array(total);
  for (let i = 0; i < total; i++) order[i] = i;
  let nextAts = new Float64Array(total);
  let nextOrder = new Int32Array(total);
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
          nextOrder[w++] = order[j++] as number;
        } else {
          nextAts[w] = ats[i] as number;
          nextOrder[w++] = order[i++] as number;
        }
      }
      for (; i < mid; i++, w++) {
        nextAts[w] = ats[i] as number;
        nextOrder[w] = order[i] as number;
      }
      for (; j < to; j++, w++) {
        nextAts[w] = ats[j] as number;
        nextOrder[w] = order[j] as number;
      }
      nextBounds.push(to);
    }
    [ats, nextAts] = [nextAts, ats];
    [order, nextOrder] = [nextOrder, order];
    bounds = nextBounds;
  }
  const events: TimelineEvent[] = new Array(total);
  for (let i = 0; i < total; i++) events[i] = all[order[i] as number] as TimelineEvent;
  return { events, ats };
}

/** Merges two lists in timeline order; on equal `at`, `a` (appended earlier) comes first. */
function merge(a: readonly TimelineEvent[], b: readonly TimelineEvent[]): TimelineEvent[] {
  return mergeAll([runOf(a), runOf(b)]).events as TimelineEvent[];
}

/**
 * The events of a timeline (or of one view of it) in timeline order: the one place where such
 * a list is edited. A batch after every event is pushed; a batch that reaches inside waits as
 * a run and every waiting run is merged in once, when the list is next read (unless the
 * change is made now, as a removal or a plain slice's fold needs).
 */
export class EventList {
  private readonly items: TimelineEvent[];
  private pending: Run[] = [];
  private pendingSize = 0;
  /** `at` of the last event, merged or pending. */
  private lastAt: number;

  /** @param events - the events to start from, in timeline order (copied). */
  constructor(events: readonly TimelineEvent[] = []) {
    this.items = [...events];
    this.lastAt =
      events.length === 0
        ? Number.NEGATIVE_INFINITY
        : (events[events.length - 1] as TimelineEvent).at;
  }

  /** Number of events, pending ones included. */
  get size(): number {
    return this.items.length + this.pendingSize;
  }

  /** The events in timeline order, the pending batches merged in first. */
  read(): readonly TimelineEvent[] {
    if (this.pending.length > 0) {
      const { events: added, ats } = mergeAll(this.pending);
      this.pending = [];
      this.pendingSize = 0;
      applyChange(this.items, firstChange(this.items, added), added, [], ats);
    }
    return this.items;
  }

  /**
   * The first position a change would touch (the list's length when it only appends), and the
   * list's tail from there once made: what a dry run folds, changing nothing.
   */
  preview(
    added: readonly TimelineEvent[],
    removed: readonly TimelineEvent[],
  ): { first: number; tail: readonly TimelineEvent[] } {
    const list = this.read();
    const first = firstChange(list, added, removed);
    return {
      first,
      tail: first === list.length ? added : newTail(list, first, added, removed),
    };
  }

  /**
   * Adds events (in timeline order, each after every stored event with the same `at`) and
   * removes stored ones. `now`: make the change in the list at once rather than when next read.
   * Returns the first position that changed when the change was made now (else `undefined`),
   * and what puts the list back as it was.
   */
  change(
    added: readonly TimelineEvent[],
    removed: readonly TimelineEvent[],
    now: boolean,
  ): { first: number | undefined; undo: () => void } {
    const lastAt = this.lastAt;
    if (removed.length > 0 || now) {
      const list = this.read() as TimelineEvent[];
      const first = firstChange(list, added, removed);
      const made = applyChange(list, first, added, removed);
      this.lastAt =
        list.length === 0 ? Number.NEGATIVE_INFINITY : (list[list.length - 1] as TimelineEvent).at;
      return {
        first,
        undo: () => {
          undoChange(this.items, made);
          this.lastAt = lastAt;
        },
      };
    }
    if (added.length === 0) return { first: undefined, undo: () => {} };
    this.lastAt = Math.max(lastAt, (added[added.length - 1] as TimelineEvent).at);
    if (this.pending.length === 0 && (added[0] as TimelineEvent).at >= lastAt) {
      // After every stored event: an append, as cheap now as later.
      const made = applyChange(this.items, this.items.length, added);
      return {
        first: undefined,
        undo: () => {
          undoChange(this.items, made);
          this.lastAt = lastAt;
        },
      };
    }
    // Each `at` read now, while the batch is in cache, not when merged.
    this.pending.push(runOf(added));
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
