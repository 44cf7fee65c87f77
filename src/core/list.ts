import type { TimelineEvent } from "./events.js";
import { lowerBound } from "./search.js";

/** What {@link applyChange} did, for {@link undoChange}. */
export interface ListChange {
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
export function firstChange(
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
export function applyChange(
  list: TimelineEvent[],
  first: number,
  added: readonly TimelineEvent[],
  removed: readonly TimelineEvent[] = [],
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
      const next = added[j] as TimelineEvent;
      // On equal `at`, the stored event comes first: it was appended earlier.
      if (i >= first && (list[i] as TimelineEvent).at > next.at) {
        list[k--] = list[i--] as TimelineEvent;
      } else {
        list[k--] = next;
        j--;
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
export function undoChange(list: TimelineEvent[], change: ListChange): void {
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

/** A list in timeline order with each event's `at` beside it, read once. */
interface Run {
  readonly events: TimelineEvent[];
  readonly ats: Float64Array;
}

/**
 * Merges lists in timeline order, each in timeline order, into one; on equal `at`, a list
 * given earlier comes first. Pairwise, so each event moves once per halving of the count;
 * the times are compared from arrays beside the events, not read from each event again at
 * every pass (the events of a feed in random order lie all over memory).
 */
export function mergeAll(lists: readonly (readonly TimelineEvent[])[]): readonly TimelineEvent[] {
  if (lists.length === 1) return lists[0] as readonly TimelineEvent[];
  let runs = lists.map(runOf);
  while (runs.length > 1) {
    const next: Run[] = [];
    for (let i = 0; i < runs.length; i += 2) {
      const a = runs[i] as Run;
      const b = runs[i + 1];
      next.push(b === undefined ? a : mergeRuns(a, b));
    }
    runs = next;
  }
  return runs[0]?.events ?? [];
}

function runOf(list: readonly TimelineEvent[]): Run {
  return { events: list as TimelineEvent[], ats: Float64Array.from(list, (event) => event.at) };
}

function mergeRuns(a: Run, b: Run): Run {
  const n = a.events.length;
  const m = b.events.length;
  const events: TimelineEvent[] = new Array(n + m);
  const ats = new Float64Array(n + m);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < n && j < m) {
    // On equal `at`, `a` (given earlier) comes first.
    if ((b.ats[j] as number) < (a.ats[i] as number)) {
      ats[k] = b.ats[j] as number;
      events[k++] = b.events[j++] as TimelineEvent;
    } else {
      ats[k] = a.ats[i] as number;
      events[k++] = a.events[i++] as TimelineEvent;
    }
  }
  while (i < n) {
    ats[k] = a.ats[i] as number;
    events[k++] = a.events[i++] as TimelineEvent;
  }
  while (j < m) {
    ats[k] = b.ats[j] as number;
    events[k++] = b.events[j++] as TimelineEvent;
  }
  return { events, ats };
}

/** Merges two lists in timeline order; on equal `at`, `a` (appended earlier) comes first. */
function merge(a: readonly TimelineEvent[], b: readonly TimelineEvent[]): TimelineEvent[] {
  return mergeRuns(runOf(a), runOf(b)).events;
}
