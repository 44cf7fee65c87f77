import type { EventColumns } from "./columns.js";
import { foldSlice, type Reducer } from "./reducers.js";

/** Custom slices in a fixed order, each with its reducer. */
export type Slices = readonly (readonly [name: string, reducer: Reducer])[];

/** The states of the plain slices after the first `pos` events. */
interface Mark {
  readonly pos: number;
  readonly states: readonly unknown[];
}

/**
 * The user's plain (unkeyed) custom slices over a list of events: folded forward with one
 * immer `produce` per run of events, with a mark of their states every `interval` events, so
 * that the state at any position is a replay of fewer than `interval` events from a mark.
 */
export class PlainSlices {
  private marks: Mark[];
  /** The furthest position folded so far (a mark too, when it falls on one). */
  private frontier: Mark;

  constructor(
    private readonly slices: Slices,
    private readonly interval: number,
    private readonly columns: EventColumns,
  ) {
    const initial: Mark = { pos: 0, states: slices.map(([, reducer]) => reducer.initial) };
    this.marks = [initial];
    this.frontier = initial;
  }

  /** Whether there is any plain slice. */
  get empty(): boolean {
    return this.slices.length === 0;
  }

  /** What puts the marks back as they are now. */
  save(): () => void {
    const { marks, frontier } = this;
    return () => {
      this.marks = marks;
      this.frontier = frontier;
    };
  }

  /** Forgets every mark past `pos`: the list changed from there. */
  truncate(pos: number): void {
    if (this.frontier.pos <= pos) return;
    let keep = this.marks.length;
    while (keep > 1 && (this.marks[keep - 1] as Mark).pos > pos) keep--;
    this.marks = this.marks.slice(0, keep);
    this.frontier = this.marks[keep - 1] as Mark;
  }

  /** Folds forward until `pos` events of `list` (event numbers) are folded, leaving marks behind. */
  foldTo(list: ArrayLike<number>, pos: number): void {
    while (this.frontier.pos < pos) {
      const from = this.frontier.pos;
      const to = Math.min(pos, (Math.floor(from / this.interval) + 1) * this.interval);
      const states = this.replay(list, this.frontier.states, from, to);
      this.frontier = { pos: to, states };
      if (to % this.interval === 0) this.marks.push(this.frontier);
    }
  }

  /** Each plain slice's state after `list[0..pos)`. */
  statesAt(list: ArrayLike<number>, pos: number): readonly unknown[] {
    if (this.frontier.pos < pos) this.foldTo(list, pos);
    const mark = this.markAt(pos);
    return this.replay(list, mark.states, mark.pos, pos);
  }

  /**
   * Folds the list as a change would make it (`list[0..first)`, then `tail`), keeping nothing:
   * throws the `ReducerError` that the change would throw.
   */
  dryRun(list: ArrayLike<number>, first: number, tail: ArrayLike<number>): void {
    const mark = this.markAt(first);
    const states = this.replay(list, mark.states, mark.pos, first);
    this.replay(tail, states, 0, tail.length);
  }

  /**
   * The states after folding `list[from..to)` from `states`. The events are made as objects
   * for the replay only: at most an interval's worth, short-lived.
   */
  private replay(
    list: ArrayLike<number>,
    states: readonly unknown[],
    from: number,
    to: number,
  ): readonly unknown[] {
    if (from === to) return states;
    const events = this.columns.events(list, from, to);
    return this.slices.map(([name, reducer], i) =>
      foldSlice(name, reducer, states[i], events, 0, events.length),
    );
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
}
