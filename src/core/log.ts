import { ClaimsIndex } from "./claims.js";
import type { TimelineEvent } from "./events.js";
import { RecordMarks, type RecordRule } from "./records.js";
import { foldSlice, type Reducer } from "./reducers.js";
import type { Resolver } from "./registry.js";
import {
  type AirstrikeEntry,
  type ArrestsEntry,
  type ControlEntry,
  lowerBound,
  PlaceIndex,
  type PlaceRule,
  upperBound,
} from "./slices.js";

/** The custom slices of a timeline, in a fixed order. */
export type Slices = readonly (readonly [name: string, reducer: Reducer])[];

interface Mark {
  /** Number of events folded. */
  readonly pos: number;
  readonly states: readonly unknown[];
}

// Returned for every event a slice ignores, rather than a new empty array each time.
const NONE: readonly string[] = Object.freeze([]);

function controlRule(places: Resolver | undefined): PlaceRule<ControlEntry> {
  // A region's place and descendants, listed once: replays ask for them again and again.
  const reach = new Map<string, readonly string[]>();
  let lastEvent: TimelineEvent | undefined;
  let lastEntry: ControlEntry | undefined;
  return {
    places(event) {
      if (event.type === "Held") return [(event.data as { place: string }).place];
      if (event.type !== "Captured" && event.type !== "Withdrew") return NONE;
      const place = (event.data as { place: string }).place;
      let list = reach.get(place);
      if (list === undefined) {
        const below = places?.descendants(place) ?? NONE;
        list = Object.freeze(below.length === 0 ? [place] : [place, ...below]);
        reach.set(place, list);
      }
      return list;
    },
    step(prev, event) {
      if (event.type === "Withdrew") {
        const { actor } = event.data as { actor: string };
        if (prev === undefined || prev.controller !== actor) return prev;
      } else if (event.type === "Held") {
        // A report that the holder still holds the place is no change of control.
        if (prev !== undefined && prev.controller === (event.data as { by: string }).by)
          return prev;
      }
      // An event gives every place it reaches (a region's descendants) the same entry.
      if (event !== lastEvent) {
        const data = event.data as { by?: string; handedTo?: string };
        const controller =
          event.type === "Withdrew" ? (data.handedTo ?? null) : (data.by as string);
        lastEntry = Object.freeze({
          controller,
          since: event.at,
          eventId: event.id,
          precision: event.precision,
        });
        lastEvent = event;
      }
      return lastEntry;
    },
  };
}

function airstrikePlaces(event: TimelineEvent): readonly string[] {
  if (event.type !== "Airstrike") return NONE;
  const places = (event.data as { places: readonly string[] }).places;
  return places.length === 1 ? places : [...new Set(places)];
}

function arrestsPlaces(event: TimelineEvent): readonly string[] {
  return event.type === "Arrests" ? [(event.data as { place: string }).place] : NONE;
}

const airstrikeRecord: RecordRule<AirstrikeEntry> = {
  places: airstrikePlaces,
  advance: (prev, event) => Object.freeze({ count: (prev?.count ?? 0) + 1, lastAt: event.at }),
};

const arrestsRecord: RecordRule<ArrestsEntry> = {
  places: arrestsPlaces,
  advance: (prev, event) =>
    Object.freeze({
      events: (prev?.events ?? 0) + 1,
      detained: (prev?.detained ?? 0) + ((event.data as { count?: number }).count ?? 0),
      uncounted:
        (prev?.uncounted ?? 0) + ((event.data as { count?: number }).count === undefined ? 1 : 0),
      lastAt: event.at,
    }),
};

// Marks of the built-in records are this many times sparser than the checkpoints of custom
// slices (1,024 events by default): a mark holds a whole record, a checkpoint shares structure.
const RECORD_SPACING_FACTOR = 4;

const INSPECT = Symbol.for("nodejs.util.inspect.custom");

/** The list as the states made since the last change inside it read it. */
interface ListView {
  /** A copy of the list, made when a change inside it came after these states. */
  frozen: readonly TimelineEvent[] | undefined;
  /** Whether any state reads this view. */
  handedOut: boolean;
}

function isControl(event: TimelineEvent): boolean {
  return event.type === "Captured" || event.type === "Withdrew" || event.type === "Held";
}

/** A frozen state object: the built-in slices plus one per custom reducer. */
export type AnyState = Readonly<Record<string, unknown>>;

/**
 * The events that count for one view of a timeline (all of them, or those known at some
 * time from some sources), in timeline order, with everything that makes queries on them
 * fast: per-place indexes for the built-in slices and checkpoints for the custom ones.
 */
export class Log {
  private readonly list: TimelineEvent[] = [];
  private readonly controlRule: PlaceRule<ControlEntry>;
  private readonly rank: (event: TimelineEvent) => number;
  /** Built on the first place query (history, diff, claims), then kept up to date. */
  private places: PlaceIndex<ControlEntry> | undefined;
  /** Built on the first claims query after a change. */
  private claimsIndex: ClaimsIndex | undefined;
  private marks: Mark[];
  private frontier: Mark;
  private readonly states = new Map<number, AnyState>();
  /** What states made since the last change inside the list read (see {@link Log.stateAt}). */
  private view: ListView = { frozen: undefined, handedOut: false };
  private readonly spacing: number;
  private readonly records: {
    readonly control: RecordMarks<ControlEntry>;
    readonly airstrikes: RecordMarks<AirstrikeEntry>;
    readonly arrests: RecordMarks<ArrestsEntry>;
  };

  constructor(
    private readonly slices: Slices,
    places: Resolver | undefined,
    private readonly interval: number,
  ) {
    this.rank = (event: TimelineEvent) => {
      let i = lowerBound(this.list, event.at);
      while (i < this.list.length && this.list[i] !== event) i++;
      return i;
    };
    const control = controlRule(places);
    this.controlRule = control;
    this.spacing = interval * RECORD_SPACING_FACTOR;
    this.records = {
      control: new RecordMarks({ places: control.places, advance: control.step }, this.spacing),
      airstrikes: new RecordMarks(airstrikeRecord, this.spacing),
      arrests: new RecordMarks(arrestsRecord, this.spacing),
    };
    const initial: Mark = { pos: 0, states: slices.map(([, reducer]) => reducer.initial) };
    this.marks = [initial];
    this.frontier = initial;
  }

  /** Makes the marks of every built-in record up to `pos`. */
  private rollMarks(pos: number): void {
    for (const records of Object.values(this.records)) records.markFor(pos, this.list);
  }

  /** Per-place control logs: what `history`, `diff`, `claims` and `contested` read. */
  get control(): PlaceIndex<ControlEntry> {
    if (this.places === undefined) {
      this.places = new PlaceIndex(this.controlRule, this.rank);
      this.places.insert(this.list.filter(isControl));
    }
    return this.places;
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
   */
  change(added: readonly TimelineEvent[], removed: readonly TimelineEvent[], eager: boolean): void {
    const list = this.list;
    const first = firstChange(list, added, removed);
    if (first < list.length) {
      // States handed out so far keep the list as it is now.
      if (this.view.handedOut) this.view.frozen = list.slice();
      this.view = { frozen: undefined, handedOut: false };
    }
    const undo = applyChange(list, first, added, removed);
    const saved = { marks: this.marks, frontier: this.frontier };
    this.truncate(first);
    for (const records of Object.values(this.records)) records.invalidate(first);
    if (eager) {
      try {
        this.foldTo(list.length);
      } catch (error) {
        this.marks = saved.marks;
        this.frontier = saved.frontier;
        undoChange(list, undo);
        throw error;
      }
    }
    if (this.places !== undefined) {
      if (removed.length > 0) this.places.remove(removed);
      this.places.insert(added.filter(isControl));
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
    if (this.slices.length === 0) return;
    const list = this.list;
    const first = firstChange(list, added, removed);
    const tail = first === list.length ? added : newTail(list, first, added, removed);
    const mark = this.markAt(first);
    const states = replay(this.slices, list, mark.states, mark.pos, first);
    replay(this.slices, tail, states, 0, tail.length);
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
      const states = replay(this.slices, this.list, this.frontier.states, from, to);
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

  /** Number of events with `at <= t`. */
  position(t: number): number {
    return upperBound(this.list, t);
  }

  /**
   * The frozen state after every event with `at <= t`; the same object for the same events.
   * Each slice is built on first access (most callers read one or two), from snapshots
   * taken now, so later appends never change it.
   */
  stateAt(t: number): AnyState {
    const pos = this.position(t);
    const cached = this.states.get(pos);
    if (cached !== undefined) return cached;
    const state = {};
    const lazy = (name: string, build: () => unknown) => {
      let value: unknown;
      let built = false;
      Object.defineProperty(state, name, {
        enumerable: true,
        get() {
          if (!built) {
            value = build();
            built = true;
          }
          return value;
        },
      });
    };
    // States read the list while it keeps its prefix (appends at the end do); a change
    // inside it first hands the states made so far a copy. Marks are made when a state is
    // first read (all three slices in one pass): a state nobody reads costs no fold.
    const view = this.view;
    view.handedOut = true;
    for (const name of ["control", "airstrikes", "arrests"] as const) {
      const records = this.records[name] as RecordMarks<unknown>;
      const mark = records.markFor(pos);
      lazy(name, () => {
        if (view.frozen !== undefined)
          return records.record(mark, view.frozen.slice(mark.pos, pos));
        if (pos - mark.pos > this.spacing) this.rollMarks(pos);
        const near = records.markFor(pos);
        return records.record(near, this.list.slice(near.pos, pos));
      });
    }
    if (this.slices.length > 0) {
      if (this.frontier.pos < pos) this.foldTo(pos);
      const mark = this.markAt(pos);
      const { slices } = this;
      let custom: readonly unknown[] | undefined;
      slices.forEach(([name], i) => {
        lazy(name, () => {
          custom ??= replay(slices, view.frozen ?? this.list, mark.states, mark.pos, pos);
          return custom[i];
        });
      });
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

/** What {@link applyChange} did, for {@link undoChange}. */
interface ListChange {
  /** The first position that changed. */
  readonly first: number;
  /** The events spliced in, when the change was a few late events. */
  readonly spliced: readonly TimelineEvent[] | undefined;
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
  let first = n;
  for (const event of removed) first = Math.min(first, lowerBound(list, event.at));
  for (const event of added) first = Math.min(first, lowerBound(list, event.at));
  return first;
}

/** The list's tail from `first` once the change is made. */
function newTail(
  list: readonly TimelineEvent[],
  first: number,
  added: readonly TimelineEvent[],
  removed: readonly TimelineEvent[],
): TimelineEvent[] {
  const gone = new Set(removed);
  return merge(
    list.slice(first).filter((e) => !gone.has(e)),
    added,
  );
}

/**
 * Makes the change in place, touching only the list from `first` on: appends push, a few
 * late events are spliced in, anything else rebuilds the tail.
 */
export function applyChange(
  list: TimelineEvent[],
  first: number,
  added: readonly TimelineEvent[],
  removed: readonly TimelineEvent[] = [],
): ListChange {
  if (first === list.length) {
    for (const event of added) list.push(event);
    return { first, spliced: undefined, oldTail: [] };
  }
  if (removed.length === 0 && added.length <= 16) {
    for (const event of added) list.splice(upperBound(list, event.at), 0, event);
    return { first, spliced: added, oldTail: [] };
  }
  const oldTail = list.slice(first);
  const tail = newTail(list, first, added, removed);
  list.length = first;
  for (const event of tail) list.push(event);
  return { first, spliced: undefined, oldTail };
}

/** Puts the list back as it was before {@link applyChange}. */
function undoChange(list: TimelineEvent[], change: ListChange): void {
  if (change.spliced !== undefined) {
    for (const event of change.spliced) list.splice(list.lastIndexOf(event), 1);
  } else {
    list.length = change.first;
    for (const event of change.oldTail) list.push(event);
  }
}

/** Merges two lists in timeline order; on equal `at`, `a` (appended earlier) comes first. */
function merge(a: readonly TimelineEvent[], b: readonly TimelineEvent[]): TimelineEvent[] {
  const out: TimelineEvent[] = new Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as TimelineEvent;
    const y = b[j] as TimelineEvent;
    if (y.at < x.at) {
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
