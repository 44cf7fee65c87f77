import type { TimelineEvent } from "./events.js";
import { foldSlice, type Reducer } from "./reducers.js";
import type { Resolver } from "./registry.js";
import {
  type AirstrikeEntry,
  type ArrestsEntry,
  type ControlEntry,
  lowerBound,
  PlaceIndex,
  type PlaceRule,
  seqOf,
  upperBound,
} from "./slices.js";

/** The custom slices of a timeline, in a fixed order. */
export type Slices = readonly (readonly [name: string, reducer: Reducer])[];

interface Mark {
  /** Number of events folded. */
  readonly pos: number;
  readonly states: readonly unknown[];
}

function controlRule(places: Resolver | undefined): PlaceRule<ControlEntry> {
  return {
    places(event) {
      if (event.type !== "Captured" && event.type !== "Withdrew") return [];
      const place = (event.data as { place: string }).place;
      const below = places?.descendants(place) ?? [];
      return below.length === 0 ? [place] : [place, ...below];
    },
    step(prev, event) {
      if (event.type === "Captured") {
        const { by } = event.data as { by: string };
        return Object.freeze({ controller: by, since: event.at, eventId: event.id });
      }
      const { actor, handedTo } = event.data as { actor: string; handedTo?: string };
      if (prev === undefined || prev.controller !== actor) return prev;
      return Object.freeze({ controller: handedTo ?? null, since: event.at, eventId: event.id });
    },
  };
}

const airstrikeRule: PlaceRule<AirstrikeEntry> = {
  places(event) {
    if (event.type !== "Airstrike") return [];
    const places = (event.data as { places: readonly string[] }).places;
    return places.length === 1 ? places : [...new Set(places)];
  },
  step(prev, event) {
    return Object.freeze({ count: (prev?.count ?? 0) + 1, lastAt: event.at });
  },
};

const arrestsRule: PlaceRule<ArrestsEntry> = {
  places(event) {
    return event.type === "Arrests" ? [(event.data as { place: string }).place] : [];
  },
  step(prev, event) {
    const count = (event.data as { count?: number }).count ?? 0;
    return Object.freeze({
      events: (prev?.events ?? 0) + 1,
      detained: (prev?.detained ?? 0) + count,
      lastAt: event.at,
    });
  },
};

/** A frozen state object: the built-in slices plus one per custom reducer. */
export type AnyState = Readonly<Record<string, unknown>>;

/**
 * The events that count for one view of a timeline (all of them, or those known at some
 * time from some sources), in timeline order, with everything that makes queries on them
 * fast: per-place indexes for the built-in slices and checkpoints for the custom ones.
 */
export class Log {
  readonly events: TimelineEvent[] = [];
  readonly control: PlaceIndex<ControlEntry>;
  readonly airstrikes = new PlaceIndex(airstrikeRule);
  readonly arrests = new PlaceIndex(arrestsRule);
  private marks: Mark[];
  private frontier: Mark;
  private readonly states = new Map<number, AnyState>();

  constructor(
    private readonly slices: Slices,
    places: Resolver | undefined,
    private readonly interval: number,
  ) {
    this.control = new PlaceIndex(controlRule(places));
    const initial: Mark = { pos: 0, states: slices.map(([, reducer]) => reducer.initial) };
    this.marks = [initial];
    this.frontier = initial;
  }

  /**
   * Adds and removes events. Custom reducers fold the new events before anything else
   * changes; if one throws, the log is left exactly as it was and the error propagates.
   */
  change(added: readonly TimelineEvent[], removed: readonly TimelineEvent[], eager: boolean): void {
    const events = this.events;
    const n = events.length;
    let first = n;
    const last = n === 0 ? Number.NEGATIVE_INFINITY : (events[n - 1] as TimelineEvent).at;
    if (removed.length === 0 && (added.length === 0 || (added[0] as TimelineEvent).at >= last)) {
      for (const event of added) events.push(event);
    } else {
      // Every event before `first` keeps its position, so marks up to it stay valid.
      for (const event of [...removed, ...added])
        first = Math.min(first, lowerBound(events, event.at));
      first = Math.max(0, first - removed.length);
      const gone = new Set(removed);
      const merged = merge(gone.size === 0 ? events : events.filter((e) => !gone.has(e)), added);
      events.length = 0;
      for (const event of merged) events.push(event);
    }
    const saved = { marks: this.marks, frontier: this.frontier };
    this.truncate(first);
    if (eager) {
      try {
        this.foldTo(events.length);
      } catch (error) {
        this.marks = saved.marks;
        this.frontier = saved.frontier;
        const added_ = new Set(added);
        const restored = merge(
          events.filter((e) => !added_.has(e)),
          removed,
        );
        events.length = 0;
        for (const event of restored) events.push(event);
        throw error;
      }
    }
    if (removed.length > 0) {
      this.control.remove(removed);
      this.airstrikes.remove(removed);
      this.arrests.remove(removed);
    }
    this.control.insert(added);
    this.airstrikes.insert(added);
    this.arrests.insert(added);
    this.states.clear();
  }

  private truncate(pos: number): void {
    if (this.frontier.pos <= pos) return;
    let keep = this.marks.length;
    while (keep > 1 && (this.marks[keep - 1] as Mark).pos > pos) keep--;
    this.marks = this.marks.slice(0, keep);
    this.frontier = this.marks[keep - 1] as Mark;
  }

  /** Folds the custom slices forward until `pos` events are folded, leaving marks behind. */
  private foldTo(pos: number): void {
    if (this.slices.length === 0) {
      this.frontier = { pos, states: this.frontier.states };
      return;
    }
    while (this.frontier.pos < pos) {
      const from = this.frontier.pos;
      const to = Math.min(pos, (Math.floor(from / this.interval) + 1) * this.interval);
      const states = this.replay(this.frontier.states, from, to);
      this.frontier = { pos: to, states };
      if (to % this.interval === 0) this.marks.push(this.frontier);
    }
  }

  private replay(states: readonly unknown[], from: number, to: number): readonly unknown[] {
    if (from === to) return states;
    return this.slices.map(([name, reducer], i) =>
      foldSlice(name, reducer, states[i], this.events, from, to),
    );
  }

  private customAt(pos: number): readonly unknown[] {
    if (this.frontier.pos < pos) this.foldTo(pos);
    if (this.frontier.pos === pos) return this.frontier.states;
    let lo = 0;
    let hi = this.marks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((this.marks[mid] as Mark).pos <= pos) lo = mid;
      else hi = mid - 1;
    }
    const mark = this.marks[lo] as Mark;
    return this.replay(mark.states, mark.pos, pos);
  }

  /** Number of events with `at <= t`. */
  position(t: number): number {
    return upperBound(this.events, t);
  }

  /** The frozen state after every event with `at <= t`; the same object for the same events. */
  stateAt(t: number): AnyState {
    const pos = this.position(t);
    let state = this.states.get(pos);
    if (state === undefined) {
      const custom = this.customAt(pos);
      const bound =
        pos === 0 ? Number.NEGATIVE_INFINITY : (this.events[pos - 1] as TimelineEvent).at;
      const built: Record<string, unknown> = {
        control: this.control.recordAt(bound),
        airstrikes: this.airstrikes.recordAt(bound),
        arrests: this.arrests.recordAt(bound),
      };
      this.slices.forEach(([name], i) => {
        built[name] = custom[i];
      });
      state = Object.freeze(built);
      if (this.states.size >= 64) this.states.delete(this.states.keys().next().value as number);
      this.states.set(pos, state);
    }
    return state;
  }
}

/** Merges two lists, each in timeline order, into one in timeline order. */
function merge(a: readonly TimelineEvent[], b: readonly TimelineEvent[]): TimelineEvent[] {
  const out: TimelineEvent[] = new Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as TimelineEvent;
    const y = b[j] as TimelineEvent;
    if (y.at < x.at || (y.at === x.at && seqOf(y) < seqOf(x))) {
      out[k++] = y;
      j++;
    } else {
      out[k++] = x;
      i++;
    }
  }
  while (i < a.length) out[k++] = a[i++] as TimelineEvent;
  while (j < b.length) out[k++] = b[j++] as TimelineEvent;
  return out;
}
