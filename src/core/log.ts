import { ClaimsIndex } from "./claims.js";
import type { TimelineEvent } from "./events.js";
import { KeyedIndex, type KeyedRule } from "./keyed.js";
import { applyChange, firstChange, newTail, undoChange } from "./list.js";
import { foldSlice, type Reducer } from "./reducers.js";
import type { Resolver } from "./registry.js";
import { lowerBound, upperBound } from "./search.js";
import { airstrikesRule, arrestsRule, type ControlEntry, controlRule } from "./slices.js";

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

/** A frozen state object: the built-in slices plus one per custom reducer. */
export type AnyState = Readonly<Record<string, unknown>>;

/**
 * The events that count for one view of a timeline (all of them, or those known at some
 * time from some sources), in timeline order, with everything that makes queries on them
 * fast: a per-key index for every keyed slice (the built-ins and the user's keyed reducers)
 * and checkpoints for the plain custom slices.
 */
export class Log {
  private readonly list: TimelineEvent[] = [];
  private readonly rank: (event: TimelineEvent) => number;
  private readonly controlRule: KeyedRule<ControlEntry>;
  /** Per-place control: what `stateAt`, `history` and `diff` read. */
  readonly control: KeyedIndex<ControlEntry>;
  /** The built-in slices, then the user's, each with its index: all kept up to date. */
  private readonly keyed: readonly (readonly [name: string, index: KeyedIndex<unknown>])[];
  /** Slice names in state order, each with its index or the position of its plain slice. */
  private readonly layout: readonly (readonly [name: string, at: KeyedIndex<unknown> | number])[];
  private readonly plain: Slices;
  private marks: Mark[];
  private frontier: Mark;
  private readonly states = new Map<number, AnyState>();
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
  /** Built on the first claims query after a change. */
  private claimsIndex: ClaimsIndex | undefined;

  constructor(
    slices: Slices,
    places: Resolver | undefined,
    private readonly interval: number,
  ) {
    this.rank = (event: TimelineEvent) => {
      let i = lowerBound(this.list, event.at);
      while (i < this.list.length && this.list[i] !== event) i++;
      return i;
    };
    this.controlRule = controlRule(places);
    this.control = new KeyedIndex("control", this.controlRule, this.rank);
    const keyed: [string, KeyedIndex<unknown>][] = [
      ["control", this.control as KeyedIndex<unknown>],
      ["airstrikes", new KeyedIndex("airstrikes", airstrikesRule as KeyedRule<unknown>, this.rank)],
      ["arrests", new KeyedIndex("arrests", arrestsRule as KeyedRule<unknown>, this.rank)],
    ];
    const layout: [string, KeyedIndex<unknown> | number][] = [...keyed];
    const plain: (readonly [string, Reducer])[] = [];
    for (const [name, reducer] of slices) {
      if (reducer.keyed === undefined) {
        layout.push([name, plain.length]);
        plain.push([name, reducer]);
      } else {
        const index = new KeyedIndex(name, reducer.keyed, this.rank);
        keyed.push([name, index]);
        layout.push([name, index]);
      }
    }
    this.keyed = keyed;
    this.layout = layout;
    this.plain = plain;
    const initial: Mark = { pos: 0, states: plain.map(([, reducer]) => reducer.initial) };
    this.marks = [initial];
    this.frontier = initial;
  }

  /**
   * Each source's own fold of control: what `claims`, `claimsAt` and `contested` read.
   * `accepted` is the view's source names (the same for every call on one log).
   */
  claims(accepted: ReadonlySet<string> | undefined): ClaimsIndex {
    this.claimsIndex ??= new ClaimsIndex(this.list, this.controlRule, accepted);
    return this.claimsIndex;
  }

  /** The events that count, in timeline order. */
  get events(): readonly TimelineEvent[] {
    return this.list;
  }

  /**
   * Adds and removes events. Custom reducers fold the new events before anything else
   * changes; if one throws, the log is left exactly as it was and the error propagates.
   * The list changes in place: only the tail from the first changed position is rebuilt.
   * `eager`: fold the plain custom slices to the end now (rather than on the first query).
   */
  change(added: readonly TimelineEvent[], removed: readonly TimelineEvent[], eager: boolean): void {
    // States handed out so far answer for the events as they are now.
    const list = this.list;
    this.newEra(added, removed);
    const first = firstChange(list, added, removed);
    const undo = applyChange(list, first, added, removed);
    const saved = { marks: this.marks, frontier: this.frontier };
    const rollbacks: (() => void)[] = [];
    try {
      this.truncate(first);
      if (eager) this.foldTo(list.length);
      for (const [, index] of this.keyed) rollbacks.push(index.change(added, removed));
    } catch (error) {
      for (const rollback of rollbacks.reverse()) rollback();
      this.marks = saved.marks;
      this.frontier = saved.frontier;
      undoChange(list, undo);
      throw error;
    }
    this.states.clear();
    this.claimsIndex = undefined;
  }

  /**
   * Folds the custom slices over the list as {@link Log.change} would make it, changing
   * nothing: throws the `ReducerError` that `change` would throw. A durable timeline calls it
   * before writing a batch, so that a stored event can always be folded.
   */
  check(added: readonly TimelineEvent[], removed: readonly TimelineEvent[]): void {
    for (const [, index] of this.keyed) index.trial(added, removed);
    if (this.plain.length === 0) return;
    const list = this.list;
    const first = firstChange(list, added, removed);
    const tail = first === list.length ? added : newTail(list, first, added, removed);
    const mark = this.markAt(first);
    const states = replay(this.plain, list, mark.states, mark.pos, first);
    replay(this.plain, tail, states, 0, tail.length);
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
    const list = this.list;
    const last =
      list.length === 0 ? Number.NEGATIVE_INFINITY : (list[list.length - 1] as TimelineEvent).at;
    const inside = removed.length > 0 || minAt < last;
    if (inside && this.sharing.length > 0) {
      const copy = list.slice();
      for (const shared of this.sharing) shared.frozen = copy;
      this.sharing = [];
    }
    if (minAt <= this.liveMaxT) {
      // Appends keep the list's prefix: the eras before them read the live list until a
      // change inside it hands them a copy.
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
    return upperBound(this.list, t);
  }

  /**
   * The frozen state after every event with `at <= t`; the same object for the same events.
   * Each slice is built on first access (most callers read one or two); a slice first read
   * after a change that reached `t` is folded from the list as it was, so later appends
   * never change a state.
   */
  stateAt(t: number): AnyState {
    const pos = this.position(t);
    const cached = this.states.get(pos);
    if (cached !== undefined) return cached;
    const state = {};
    const lazy = (name: string, build: () => unknown) => {
      let value: unknown;
      let built = false;
      const get = () => {
        if (!built) {
          value = build();
          built = true;
        }
        return value;
      };
      Object.defineProperty(state, name, { enumerable: true, get });
    };
    let plainStates: readonly unknown[] | undefined;
    if (this.plain.length > 0 && this.frontier.pos < pos) this.foldTo(pos);
    const mark = this.plain.length > 0 ? this.markAt(pos) : undefined;
    const era = this.era;
    if (t > this.liveMaxT) this.liveMaxT = t;
    for (const [name, at] of this.layout) {
      if (typeof at !== "number") {
        lazy(name, () => {
          const frozen = this.frozenFor(era, t);
          return frozen === undefined
            ? at.record(t)
            : at.foldRecord(frozen.frozen as TimelineEvent[], pos);
        });
      } else {
        lazy(name, () => {
          const list = this.frozenFor(era, t)?.frozen ?? this.list;
          plainStates ??= replay(this.plain, list, (mark as Mark).states, (mark as Mark).pos, pos);
          return plainStates[at];
        });
      }
    }
    // console.log in Node would print "[Getter]" for each slice; show the values instead.
    Object.defineProperty(state, INSPECT, { value: () => ({ ...state }) });
    Object.freeze(state);
    if (this.states.size >= 64) this.states.delete(this.states.keys().next().value as number);
    this.states.set(pos, state);
    return state;
  }
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
