import { type Claim, isContested, NO_CLAIMS, type PlaceClaims } from "./claims.js";
import type { TimelineEvent } from "./events.js";
import { KeyedIndex, type KeyedRule } from "./keyed.js";
import {
  applyChange,
  firstChange,
  type ListChange,
  mergeAll,
  newTail,
  type Run,
  runOf,
  undoChange,
} from "./list.js";
import { foldSlice, type Reducer } from "./reducers.js";
import type { Resolver } from "./registry.js";
import { lowerBound, upperBound } from "./search.js";
import {
  airstrikesRule,
  arrestsRule,
  type ControlEntry,
  type ControlFold,
  controlRule,
} from "./slices.js";

/** The custom slices of a timeline, in a fixed order. */
export type Slices = readonly (readonly [name: string, reducer: Reducer])[];

/**
 * The states made between two changes. A change that reaches their instant (`at <= t`) keeps
 * the list as it was, so that a slice first read afterwards still answers for the events the
 * state was taken on.
 */
interface Era {
  /** Earliest `at` the change that ended the era added or removed. */
  changedAt: number;
  /**
   * The list before that change, when the change reached a
   * state's instant; the live list itself while changes only append to it.
   */
  frozen: readonly TimelineEvent[] | undefined;
  next: Era | undefined;
}

/** A checkpoint of the plain (unkeyed) custom slices. */
interface Mark {
  /** Number of events folded. */
  readonly pos: number;
  readonly states: readonly unknown[];
}

const INSPECT = Symbol.for("nodejs.util.inspect.custom");
const NONE: readonly TimelineEvent[] = Object.freeze([]);

/** A frozen state object: the built-in slices plus one per custom reducer. */
export type AnyState = Readonly<Record<string, unknown>>;

/**
 * The events that count for one view of a timeline (all of them, or those known at some
 * time from some sources), in timeline order, with everything that makes queries on them
 * fast: a per-key index for every keyed slice (the built-ins and the user's keyed reducers)
 * and checkpoints for the plain custom slices.
 */
export class Log {
  /** The events in timeline order, but for the pending batches: read through `merged()`. */
  private readonly list: TimelineEvent[] = [];
  /**
   * Batches added since the list was last read, each in timeline order: a run of batches in
   * any order is merged into the list once, when next read, rather than moving the list's
   * tail at each (the keyed indexes need no list to change).
   */
  private pending: Run[] = [];
  private pendingSize = 0;
  /** `at` of the last event, merged or pending. */
  private lastAt = Number.NEGATIVE_INFINITY;
  private readonly rank: (event: TimelineEvent) => number;
  /** Per-place control and claims: what `stateAt`, `history`, `diff` and `claims` read. */
  readonly control: KeyedIndex<ControlFold, ControlEntry>;
  /** The user's keyed slices, then the built-in ones, each with its index. */
  private readonly keyed: readonly (readonly [name: string, index: KeyedIndex<unknown>])[];
  /** For each event type, the positions in `keyed` of the indexes whose rule reads it. */
  private readonly byType: ReadonlyMap<string, readonly number[]>;
  /** Slice names in state order, each with its index or the position of its plain slice. */
  private readonly layout: readonly (readonly [name: string, at: KeyedIndex<unknown> | number])[];
  private readonly plain: Slices;
  private marks: Mark[];
  private frontier: Mark;
  /**
   * The last states handed out, by position, in a ring: a repeated query gets the same object,
   * and a state handed out long ago is not kept (a `Map` whose oldest entry is deleted keeps
   * far more of them alive in V8, and each one kept holds the records it has built).
   */
  private readonly recent = {
    positions: new Array<number>(RECENT).fill(-1),
    states: new Array<AnyState | undefined>(RECENT).fill(undefined),
    next: 0,
  };
  /** The era of the states made since the last change. */
  private era: Era = {
    changedAt: Number.POSITIVE_INFINITY,
    frozen: undefined,
    next: undefined,
  };
  /** No state handed out and not yet affected by a change has a `t` above this. */
  private liveMaxT = Number.NEGATIVE_INFINITY;
  /** Eras whose `frozen` is the live list, until a change inside it. */
  private sharing: Era[] = [];
  /**
   * @param accepted - the source names the view counts, when it names any: only they make
   *   claims.
   */
  constructor(
    slices: Slices,
    places: Resolver | undefined,
    private readonly interval: number,
    accepted?: ReadonlySet<string>,
  ) {
    this.rank = (event: TimelineEvent) => {
      const list = this.merged();
      let i = lowerBound(list, event.at);
      while (i < list.length && list[i] !== event) i++;
      return i;
    };
    this.control = new KeyedIndex("control", controlRule(places, accepted), this.rank);
    const builtins: [string, KeyedIndex<unknown>][] = [
      ["control", this.control as unknown as KeyedIndex<unknown>],
      ["airstrikes", new KeyedIndex("airstrikes", airstrikesRule as KeyedRule<unknown>, this.rank)],
      ["arrests", new KeyedIndex("arrests", arrestsRule as KeyedRule<unknown>, this.rank)],
    ];
    const layout: [string, KeyedIndex<unknown> | number][] = [...builtins];
    const users: [string, KeyedIndex<unknown>][] = [];
    const plain: (readonly [string, Reducer])[] = [];
    for (const [name, reducer] of slices) {
      if (reducer.keyed === undefined) {
        layout.push([name, plain.length]);
        plain.push([name, reducer]);
      } else {
        const index = new KeyedIndex(name, reducer.keyed, this.rank);
        users.push([name, index]);
        layout.push([name, index]);
      }
    }
    // The user's indexes, which may throw, change before the built-in ones, which then
    // never have a change to take back.
    const keyed = [...users, ...builtins];
    const byType = new Map<string, number[]>();
    keyed.forEach(([, index], i) => {
      for (const type of index.types) byType.set(type, [...(byType.get(type) ?? []), i]);
    });
    this.byType = byType;
    this.keyed = keyed;
    this.layout = layout;
    this.plain = plain;
    const initial: Mark = { pos: 0, states: plain.map(([, reducer]) => reducer.initial) };
    this.marks = [initial];
    this.frontier = initial;
  }

  /** The claims on one place at `t`, in the order its control events first cite each source. */
  claimsOf(place: string, t: number): readonly Claim[] {
    return this.control.foldedAt(place, t)?.claims.claims ?? NO_CLAIMS;
  }

  /**
   * Every place with at least one claim at `t`, sorted by id (UTF-16 code units); with
   * `contestedOnly`, those where two standing claims differ (a place that no event has given
   * a controller has no control entry, and may still be contested).
   */
  claimsAt(t: number, contestedOnly: boolean): readonly PlaceClaims[] {
    const out: PlaceClaims[] = [];
    this.control.eachFoldedAt(t, (place, { claims: { claims } }) => {
      if (claims.length === 0 || (contestedOnly && !isContested(claims))) return;
      out.push(Object.freeze({ place, claims }));
    });
    out.sort((a, b) => (a.place < b.place ? -1 : a.place > b.place ? 1 : 0));
    return Object.freeze(out);
  }

  /** The events that count, in timeline order. */
  get events(): readonly TimelineEvent[] {
    return this.merged();
  }

  /** Number of events that count. */
  get size(): number {
    return this.list.length + this.pendingSize;
  }

  /** The list with the pending batches merged in. */
  private merged(): TimelineEvent[] {
    if (this.pending.length > 0) {
      const { events: added, ats } = mergeAll(this.pending);
      this.pending = [];
      this.pendingSize = 0;
      applyChange(this.list, firstChange(this.list, added), added, [], ats);
    }
    return this.list;
  }

  /**
   * Adds and removes events. Custom reducers fold the new events before anything else
   * changes; if one throws, the log is left exactly as it was and the error propagates.
   * The list changes in place: only the tail from the first changed position is rebuilt,
   * and only when it is needed (plain custom slices fold it, removals edit it); otherwise
   * the batch waits to be merged when the list is next read.
   * `eager`: fold the plain custom slices to the end now (rather than on the first query).
   */
  change(added: readonly TimelineEvent[], removed: readonly TimelineEvent[], eager: boolean): void {
    // States handed out so far answer for the events as they are now.
    this.newEra(added, removed);
    const lastAt = this.lastAt;
    let undo: ListChange | undefined;
    if (removed.length > 0 || this.plain.length > 0) {
      const list = this.merged();
      const first = firstChange(list, added, removed);
      undo = applyChange(list, first, added, removed);
      this.lastAt =
        list.length === 0 ? Number.NEGATIVE_INFINITY : (list[list.length - 1] as TimelineEvent).at;
      this.truncate(first);
    } else if (added.length > 0) {
      if (this.pending.length === 0 && (added[0] as TimelineEvent).at >= lastAt) {
        // After every stored event: an append, as cheap now as later.
        undo = applyChange(this.list, this.list.length, added);
      } else {
        // Each `at` read now, while the batch is in cache, not when merged.
        this.pending.push(runOf(added));
        this.pendingSize += added.length;
      }
      this.lastAt = Math.max(lastAt, (added[added.length - 1] as TimelineEvent).at);
    }
    const saved = { marks: this.marks, frontier: this.frontier };
    const rollbacks: (() => void)[] = [];
    try {
      if (eager && this.plain.length > 0) this.foldTo(this.list.length);
      const adds = this.split(added);
      const removes = removed.length === 0 ? undefined : this.split(removed);
      this.keyed.forEach(([, index], i) => {
        const a = adds[i] as TimelineEvent[];
        const r = removes?.[i] ?? NONE;
        if (a.length > 0 || r.length > 0) rollbacks.push(index.change(a, r));
      });
    } catch (error) {
      for (const rollback of rollbacks.reverse()) rollback();
      this.marks = saved.marks;
      this.frontier = saved.frontier;
      if (undo !== undefined) {
        undoChange(this.list, undo);
      } else if (added.length > 0) {
        this.pending.pop();
        this.pendingSize -= added.length;
      }
      this.lastAt = lastAt;
      throw error;
    }
    this.recent.positions.fill(-1);
    this.recent.states.fill(undefined);
  }

  /**
   * Folds the custom slices over the list as {@link Log.change} would make it, changing
   * nothing: throws the `ReducerError` that `change` would throw. A durable timeline calls it
   * before writing a batch, so that a stored event can always be folded.
   */
  check(added: readonly TimelineEvent[], removed: readonly TimelineEvent[]): void {
    const adds = this.split(added);
    const removes = this.split(removed);
    this.keyed.forEach(([, index], i) => {
      index.trial(adds[i] as TimelineEvent[], removes[i] as TimelineEvent[]);
    });
    if (this.plain.length === 0) return;
    const list = this.merged();
    const first = firstChange(list, added, removed);
    const tail = first === list.length ? added : newTail(list, first, added, removed);
    const mark = this.markAt(first);
    const states = replay(this.plain, list, mark.states, mark.pos, first);
    replay(this.plain, tail, states, 0, tail.length);
  }

  /** The events each keyed index reads, in the order given. */
  private split(events: readonly TimelineEvent[]): TimelineEvent[][] {
    const out: TimelineEvent[][] = this.keyed.map(() => []);
    for (const event of events) {
      const targets = this.byType.get(event.type);
      if (targets === undefined) continue;
      for (const i of targets) (out[i] as TimelineEvent[]).push(event);
    }
    return out;
  }

  private truncate(pos: number): void {
    if (this.frontier.pos <= pos) return;
    let keep = this.marks.length;
    while (keep > 1 && (this.marks[keep - 1] as Mark).pos > pos) keep--;
    this.marks = this.marks.slice(0, keep);
    this.frontier = this.marks[keep - 1] as Mark;
  }

  /** Folds the plain custom slices forward until `pos` events are folded, leaving marks behind. */
  private foldTo(pos: number): void {
    if (this.plain.length === 0) {
      this.frontier = { pos, states: this.frontier.states };
      return;
    }
    while (this.frontier.pos < pos) {
      const from = this.frontier.pos;
      const to = Math.min(pos, (Math.floor(from / this.interval) + 1) * this.interval);
      const states = replay(this.plain, this.list, this.frontier.states, from, to);
      this.frontier = { pos: to, states };
      if (to % this.interval === 0) this.marks.push(this.frontier);
    }
  }

  /** The nearest mark at or before `pos` (the frontier counts as one). */
  private markAt(pos: number): Mark {
    if (this.frontier.pos <= pos) return this.frontier;
    let lo = 0;
    let hi = this.marks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((this.marks[mid] as Mark).pos <= pos) lo = mid;
      else hi = mid - 1;
    }
    return this.marks[lo] as Mark;
  }

  /**
   * Closes the era of the states made so far before a change: when the change reaches the
   * instant of one of them (`at <= t`), the list as it was is kept for them to read.
   */
  private newEra(added: readonly TimelineEvent[], removed: readonly TimelineEvent[]): void {
    let minAt = Number.POSITIVE_INFINITY;
    for (const event of added) if (event.at < minAt) minAt = event.at;
    for (const event of removed) if (event.at < minAt) minAt = event.at;
    const era = this.era;
    const inside = removed.length > 0 || minAt < this.lastAt;
    if (inside && this.sharing.length > 0) {
      const copy = this.merged().slice();
      for (const shared of this.sharing) shared.frozen = copy;
      this.sharing = [];
    }
    if (minAt <= this.liveMaxT) {
      // Appends keep the list's prefix: the eras before them read the live list until a
      // change inside it hands them a copy.
      const list = this.merged();
      era.frozen = inside ? list.slice() : list;
      if (!inside) this.sharing.push(era);
    }
    era.changedAt = minAt;
    era.next = {
      changedAt: Number.POSITIVE_INFINITY,
      frozen: undefined,
      next: undefined,
    };
    this.era = era.next;
    // The states at `t >= minAt` now read their frozen list; the others are still live.
    if (minAt < this.liveMaxT) this.liveMaxT = minAt;
  }

  /** The era whose frozen list a state of `era` at `t` reads, when a change has reached `t` since. */
  private frozenFor(era: Era, t: number): Era | undefined {
    for (let e: Era | undefined = era; e !== undefined && e !== this.era; e = e.next) {
      if (e.changedAt <= t) return e;
    }
    return undefined;
  }

  /** Number of events with `at <= t`. */
  position(t: number): number {
    return upperBound(this.merged(), t);
  }

  /**
   * The frozen state after every event with `at <= t`; the same object for the same events.
   * Each slice is built on first access (most callers read one or two); a slice first read
   * after a change that reached `t` is folded from the list as it was, so later appends
   * never change a state.
   */
  stateAt(t: number): AnyState {
    const pos = this.position(t);
    const { recent } = this;
    const slot = recent.positions.indexOf(pos);
    if (slot !== -1) return recent.states[slot] as AnyState;
    // Fold what changed now rather than when a slice is first read: no cold first read.
    for (const [, index] of this.keyed) index.settle();
    if (this.plain.length > 0 && this.frontier.pos < pos) this.foldTo(pos);
    const mark = this.plain.length > 0 ? this.markAt(pos) : undefined;
    const era = this.era;
    if (t > this.liveMaxT) this.liveMaxT = t;
    const { layout } = this;
    const values: unknown[] = new Array(layout.length).fill(UNREAD);
    let plainStates: readonly unknown[] | undefined;
    const read = (i: number): unknown => {
      if (values[i] !== UNREAD) return values[i];
      const at = (layout[i] as (typeof layout)[number])[1];
      const frozen = this.frozenFor(era, t);
      if (typeof at !== "number") {
        values[i] =
          frozen === undefined
            ? at.record(t)
            : at.foldRecord(frozen.frozen as TimelineEvent[], pos);
      } else {
        const list = frozen?.frozen ?? this.list;
        plainStates ??= replay(this.plain, list, (mark as Mark).states, (mark as Mark).pos, pos);
        values[i] = plainStates[at];
      }
      return values[i];
    };
    const state = {};
    Object.defineProperty(state, READ, { value: Object.freeze(read) });
    for (let i = 0; i < layout.length; i++) {
      const [name] = layout[i] as (typeof layout)[number];
      Object.defineProperty(state, name, { enumerable: true, get: sliceGetter(i) });
    }
    Object.defineProperty(state, INSPECT, { value: inspectState });
    Object.freeze(state);
    recent.positions[recent.next] = pos;
    recent.states[recent.next] = state;
    recent.next = (recent.next + 1) % RECENT;
    return state;
  }
}

/** How many states a log keeps for repeated queries. */
const RECENT = 4;

/** A slice not read yet (a plain reducer's state may be `undefined`). */
const UNREAD = Symbol("unread");

/** Where a state keeps the function that builds and keeps its slices. */
const READ = Symbol("tidemark.read");

/**
 * The getter of the slice at position `i` of a state, one for every state: V8 keeps an
 * accessor in the hidden class of its object, in the old generation, so a getter made per
 * state would keep each state's slices alive until the next full collection (a query loop
 * then promotes every record it makes, and the young collections that copy them slow down).
 */
const sliceGetters: (() => unknown)[] = [];
function sliceGetter(i: number): () => unknown {
  let get = sliceGetters[i];
  if (get === undefined) {
    get = function (this: { readonly [READ]: (i: number) => unknown }) {
      return this[READ](i);
    };
    sliceGetters[i] = get;
  }
  return get;
}

/** console.log in Node would print "[Getter]" for each slice; show the values instead. */
function inspectState(this: AnyState): AnyState {
  return { ...this };
}

function replay(
  slices: Slices,
  events: readonly TimelineEvent[],
  states: readonly unknown[],
  from: number,
  to: number,
): readonly unknown[] {
  if (from === to) return states;
  return slices.map(([name, reducer], i) => foldSlice(name, reducer, states[i], events, from, to));
}
