import { PlainSlices, type Slices } from "./checkpoints.js";
import {
  type Claim,
  claimCount,
  foldClaims,
  isContestedFold,
  NO_CLAIMS,
  type PlaceClaims,
} from "./claims.js";
import type { EventColumns } from "./columns.js";
import { KeyedIndex, type KeyedRule, put } from "./keyed.js";
import { EventList } from "./list.js";
import type { Resolver } from "./registry.js";
import { upperBound } from "./search.js";
import { BUILTIN_SLICES, builtinRules, type ControlEntry, type ControlFold } from "./slices.js";

export type { Slices };

const NONE: readonly number[] = Object.freeze([]);

/** A frozen state object: the built-in slices plus one per custom reducer. */
export type AnyState = Readonly<Record<string, unknown>>;

/** How many states an index keeps for repeated queries. */
const RECENT = 4;

/**
 * The events that count for one view of a timeline (all of them, or those known at some
 * time from some sources), in timeline order as event numbers (the events themselves are
 * in the timeline's {@link EventColumns}), with everything that makes queries on them
 * fast: a per-key index for every keyed slice (the built-ins and the user's keyed reducers)
 * and checkpoints for the plain custom slices.
 */
export class ViewIndex {
  private readonly list: EventList;
  /** Per-place control and claims: what `stateAt`, `history`, `diff` and `claims` read. */
  readonly control: KeyedIndex<ControlFold, ControlEntry>;
  /** The user's keyed slices, then the built-in ones, each with its index. */
  private readonly keyed: readonly (readonly [name: string, index: KeyedIndex<unknown>])[];
  /** For each event type, the positions in `keyed` of the indexes whose rule reads it. */
  private readonly byType: ReadonlyMap<string, readonly number[]>;
  /** Slice names in state order, each with its index or the position of its plain slice. */
  private readonly layout: readonly (readonly [name: string, at: KeyedIndex<unknown> | number])[];
  private readonly plain: PlainSlices;
  /**
   * The last states handed out, by position, in a ring: a repeated query gets the same object,
   * and a state handed out long ago is not kept.
   */
  private readonly recent = {
    positions: new Array<number>(RECENT).fill(-1),
    states: new Array<AnyState | undefined>(RECENT).fill(undefined),
    next: 0,
  };

  /**
   * @param slices - the user's custom slices, in state order.
   * @param accepted - the source names the view counts, when it names any: only they make
   *   claims.
   */
  constructor(
    private readonly columns: EventColumns,
    slices: Slices,
    places: Resolver | undefined,
    interval: number,
    accepted?: ReadonlySet<string>,
  ) {
    this.list = new EventList(columns);
    const rules = builtinRules(places, accepted);
    this.control = new KeyedIndex("control", rules.control, columns);
    const builtins = BUILTIN_SLICES.map((name): [string, KeyedIndex<unknown>] => [
      name,
      (name === "control"
        ? this.control
        : new KeyedIndex(
            name,
            rules[name] as KeyedRule<unknown>,
            columns,
          )) as unknown as KeyedIndex<unknown>,
    ]);
    const layout: [string, KeyedIndex<unknown> | number][] = [...builtins];
    const users: [string, KeyedIndex<unknown>][] = [];
    const plain: (readonly [string, (typeof slices)[number][1]])[] = [];
    for (const [name, reducer] of slices) {
      if (reducer.keyed === undefined) {
        layout.push([name, plain.length]);
        plain.push([name, reducer]);
      } else {
        const index = new KeyedIndex(name, reducer.keyed, columns);
        users.push([name, index]);
        layout.push([name, index]);
      }
    }
    // The user's indexes, which may throw, change before the built-in ones, which then
    // never have a change to take back.
    const keyed = [...users, ...builtins];
    const byType = new Map<string, number[]>();
    keyed.forEach(([, index], i) => {
      for (const type of index.handles) byType.set(type, [...(byType.get(type) ?? []), i]);
    });
    this.byType = byType;
    this.keyed = keyed;
    this.layout = layout;
    this.plain = new PlainSlices(plain, interval, columns);
  }

  /** The claims on one place at `t`, in the order its control events first cite each source. */
  claimsOf(place: string, t: number): readonly Claim[] {
    const fold = this.control.foldedAt(place, t);
    return fold === undefined ? NO_CLAIMS : foldClaims(fold);
  }

  /**
   * Every place with at least one claim at `t`, sorted by id (UTF-16 code units); with
   * `contestedOnly`, those where two standing claims differ (a place that no event has given
   * a controller has no control entry, and may still be contested).
   */
  claimsAt(t: number, contestedOnly: boolean): readonly PlaceClaims[] {
    const out: PlaceClaims[] = [];
    this.control.eachFoldedAt(t, (place, fold) => {
      if (claimCount(fold) === 0 || (contestedOnly && !isContestedFold(fold))) return;
      out.push(Object.freeze({ place, claims: foldClaims(fold) }));
    });
    out.sort((a, b) => (a.place < b.place ? -1 : a.place > b.place ? 1 : 0));
    return Object.freeze(out);
  }

  /** The events that count, in timeline order (event numbers: a view, to read at once). */
  get events(): Int32Array {
    return this.list.read();
  }

  /** Number of events that count. */
  get size(): number {
    return this.list.size;
  }

  /**
   * Adds and removes events. If a custom reducer throws, the index is left exactly as it was
   * and the error propagates. The list changes at once when a removal or a plain slice needs
   * it, else when next read. `eager`: fold the plain custom slices to the end now (rather
   * than at the first query).
   */
  change(added: ArrayLike<number>, removed: ArrayLike<number>, eager: boolean): void {
    const now = removed.length > 0 || !this.plain.empty;
    const { first, undo } = this.list.change(added, removed, now);
    if (first !== undefined) this.plain.truncate(first);
    const restorePlain = this.plain.save();
    const rollbacks: (() => void)[] = [];
    try {
      if (eager && !this.plain.empty) this.plain.foldTo(this.list.read(), this.list.size);
      const adds = this.split(added);
      const removes = removed.length === 0 ? undefined : this.split(removed);
      this.keyed.forEach(([, index], i) => {
        const a = adds[i] as number[];
        const r = removes?.[i] ?? NONE;
        if (a.length > 0 || r.length > 0) rollbacks.push(index.change(a, r));
      });
    } catch (error) {
      for (const rollback of rollbacks.reverse()) rollback();
      restorePlain();
      undo();
      throw error;
    }
    this.recent.positions.fill(-1);
    this.recent.states.fill(undefined);
  }

  /**
   * Folds the custom slices as {@link ViewIndex.change} would, changing nothing: throws the
   * `ReducerError` that `change` would throw. A durable timeline calls it before writing a
   * batch, so that a stored event can always be folded.
   */
  dryRun(added: ArrayLike<number>, removed: ArrayLike<number>): void {
    const adds = this.split(added);
    const removes = this.split(removed);
    this.keyed.forEach(([, index], i) => {
      index.dryRun(adds[i] as number[], removes[i] as number[]);
    });
    if (this.plain.empty) return;
    const { first, tail } = this.list.preview(added, removed);
    this.plain.dryRun(this.list.read(), first, tail);
  }

  /** The events each keyed index reads, in the order given. */
  private split(events: ArrayLike<number>): number[][] {
    const out: number[][] = this.keyed.map(() => []);
    for (let k = 0; k < events.length; k++) {
      const n = events[k] as number;
      const targets = this.byType.get(this.columns.type(n));
      if (targets === undefined) continue;
      for (const i of targets) (out[i] as number[]).push(n);
    }
    return out;
  }

  /** Number of events with `at <= t`. */
  position(t: number): number {
    const list = this.list.read();
    const { columns } = this;
    return upperBound(list.length, t, (i) => columns.at(list[i] as number));
  }

  /**
   * The frozen state after every event with `at <= t`, as plain data: each keyed slice's
   * record made in one pass over its keys, each plain slice replayed from its nearest
   * checkpoint. The same object for the same events.
   */
  stateAt(t: number): AnyState {
    const pos = this.position(t);
    const { recent } = this;
    const slot = recent.positions.indexOf(pos);
    if (slot !== -1) return recent.states[slot] as AnyState;
    const state: Record<string, unknown> = {};
    let plainStates: readonly unknown[] | undefined;
    for (const [name, at] of this.layout) {
      if (typeof at === "number") {
        plainStates ??= this.plain.statesAt(this.list.read(), pos);
        put(state, name, plainStates[at]);
      } else {
        put(state, name, at.record(t));
      }
    }
    Object.freeze(state);
    recent.positions[recent.next] = pos;
    recent.states[recent.next] = state;
    recent.next = (recent.next + 1) % RECENT;
    return state;
  }
}
