/**
 * The store-independent part of read models: which slices a store keeps, which keys each
 * event touches in them, and the bitemporal fold of one key's tail (see docs/read-models.md).
 * Every entry is made by the core's own keyed rules; nothing here knows what a reducer does.
 */
import { sameData } from "../core/equal.js";
import type { TimelineEvent } from "../core/events.js";
import type { KeyedRule } from "../core/key-log.js";
import type { Reducer } from "../core/reducers.js";
import type { Registry } from "../core/registry.js";
import { Resolver } from "../core/registry.js";
import { airstrikesRule, arrestsRule, controlRule } from "../core/slices.js";
import type { Precision } from "../core/time.js";
import { fatalities } from "../formats/fatalities.js";

/**
 * The tag of the built-in slices' logic: bump it when a built-in handler changes, so that the
 * read models of stores written before are known to be stale.
 */
export const BUILTIN_TAG = "builtin:2";

/** One slice a store keeps a read model of. */
export interface SliceModel {
  readonly name: string;
  /** `builtin:N` for the built-ins, the reducer's `version` (as JSON) for the user's. */
  readonly tag: string;
  readonly rule: KeyedRule<unknown>;
  /**
   * The rule of a `sources` view, where the slice's values depend on which sources count
   * (control: the claims folded beside each entry, and so `contested`); else `rule`.
   */
  readonly forSources?: (names: readonly string[]) => KeyedRule<unknown>;
}

/** Where an event lands in a slice: a key, the source (`""` but for claims), its rank. */
export interface Membership {
  readonly key: string;
  readonly source: string;
  readonly sub: number;
}

/** The tag a user's reducer is kept under: its `version`, or `null` when it has none. */
export function reducerTag(reducer: Reducer): string {
  return JSON.stringify(reducer.version ?? null);
}

/**
 * The slices a writer keeps: the built-ins (control with each place's claims), `fatalities`
 * (unless a reducer of that name is given), and the user's keyed reducers (plain reducers have no read model).
 */
export function readModelSlices(
  reducers: Readonly<Record<string, Reducer>> | undefined,
  places: Registry | undefined,
): SliceModel[] {
  const resolver = places === undefined ? undefined : new Resolver("places", places);
  const control = storedRule(controlRule(resolver));
  const slices: SliceModel[] = [
    // Control's values are each place's entry and its claims (with who stands), folded
    // together: claims, claimsAt and contested read them from the same rows.
    {
      name: "control",
      tag: BUILTIN_TAG,
      rule: control,
      forSources: (names) => storedRule(controlRule(resolver, new Set(names))),
    },
    {
      name: "airstrikes",
      tag: BUILTIN_TAG,
      rule: airstrikesRule as KeyedRule<unknown>,
    },
    {
      name: "arrests",
      tag: BUILTIN_TAG,
      rule: arrestsRule as KeyedRule<unknown>,
    },
  ];
  const user = Object.entries(reducers ?? {});
  if (!user.some(([name]) => name === "fatalities")) {
    slices.push({
      name: "fatalities",
      tag: reducerTag(fatalities),
      rule: fatalities.keyed as KeyedRule<unknown>,
    });
  }
  for (const [name, reducer] of user) {
    if (reducer.keyed === undefined) continue;
    slices.push({ name, tag: reducerTag(reducer), rule: reducer.keyed });
  }
  return slices;
}

/**
 * A rule as a store folds it: over values in the shape the store keeps (the rule's `stored`
 * form, JSON-able), so that a value read back from a row steps on as one folded in memory.
 * A rule without a `stored` form is itself.
 */
export function storedRule<V, O>(rule: KeyedRule<V, O>): KeyedRule<unknown> {
  const { stored } = rule;
  if (stored === undefined) return rule as KeyedRule<unknown>;
  // The last value written and the compact one it came from: a key's fold steps on from the
  // value it just wrote, which then is not read back.
  let lastStored: unknown;
  let lastValue: V | undefined;
  const read = (value: unknown): V =>
    value === lastStored ? (lastValue as V) : stored.read(value);
  const write = (value: V): unknown => {
    lastStored = stored.write(value);
    lastValue = value;
    return lastStored;
  };
  const output = stored.output ?? (rule.output && ((value: unknown) => rule.output?.(read(value))));
  return {
    handles: rule.handles,
    keys: rule.keys,
    mayThrow: rule.mayThrow,
    step(prev, event) {
      const before = prev === undefined ? undefined : read(prev);
      const next = rule.step(before, event);
      if (next === before) return prev;
      return next === undefined ? undefined : write(next);
    },
    ...(output === undefined
      ? {}
      : { output: (value: unknown) => (value === undefined ? undefined : output(value)) }),
  };
}

/** The keys (with source and rank) an event touches in a slice. */
export function membershipsOf(slice: SliceModel, event: TimelineEvent): Membership[] {
  if (!slice.rule.handles.includes(event.type)) return [];
  return slice.rule.keys(event).map((key, sub) => ({ key, source: "", sub }));
}

/** One event of a key's tail, with the knowledge interval during which it counts. */
export interface TailEvent {
  readonly pos: number;
  readonly sub: number;
  readonly event: TimelineEvent;
  /** The `recordedAt` of its first retraction; `Infinity` when none. */
  readonly retractedAt: number;
}

/** A row of a key's read model: its entry after one event, for knowledge in [kfrom, kto). */
export interface ModelRow {
  readonly at: number;
  readonly pos: number;
  readonly sub: number;
  readonly precision: Precision;
  readonly kfrom: number;
  /** `Infinity`: from `kfrom` on. */
  readonly kto: number;
  /** `undefined`: the key is absent after the event. */
  readonly value: unknown;
}

/** A row before the tail, as far as it is needed: its entry and knowledge interval. */
export interface PrefixRow {
  readonly at: number;
  readonly pos: number;
  readonly kfrom: number;
  readonly kto: number;
  readonly value: unknown;
}

/**
 * Knowledge times from `from` on not yet covered by the rows given to {@link Coverage.add}:
 * the prefix of a key is read backwards until every knowledge time from the tail's earliest
 * `recordedAt` on has the key's latest entry before the tail.
 */
export class Coverage {
  private gaps: [number, number][];

  constructor(from: number) {
    this.gaps = [[from, Number.POSITIVE_INFINITY]];
  }

  /** Whether the row's interval covers a gap; removes what it covers. */
  add(kfrom: number, kto: number): boolean {
    let used = false;
    const next: [number, number][] = [];
    for (const [a, b] of this.gaps) {
      if (kto <= a || kfrom >= b) {
        next.push([a, b]);
        continue;
      }
      used = true;
      if (a < kfrom) next.push([a, kfrom]);
      if (kto < b) next.push([kto, b]);
    }
    this.gaps = next;
    return used;
  }

  get done(): boolean {
    return this.gaps.length === 0;
  }
}

const same = (a: unknown, b: unknown) =>
  a === b || (a !== undefined && b !== undefined && sameData(a, b));

/**
 * The rows of a key's tail (its events with `at` from some instant on, in timeline order) for
 * every knowledge time from the earliest `recordedAt` among them on: at each knowledge time
 * where the events that count change (an event recorded, or retracted) or the entry before
 * the tail changes, the tail is refolded from the first change, with the key's rule; a row
 * spans the knowledge times over which its event counts with the same entry after it.
 *
 * `prefix`: the rows before the tail, latest `(at, pos)` first, that cover every knowledge
 * time from there on where an entry exists (see {@link Coverage}).
 */
export function foldTail(
  rule: KeyedRule<unknown>,
  tail: readonly TailEvent[],
  prefix: readonly PrefixRow[],
): ModelRow[] {
  if (tail.length === 0) return [];
  const knowledge = knowledgeTimes(tail, prefix);
  const baseAt = (k: number): unknown => {
    for (const row of prefix) if (row.kfrom <= k && k < row.kto) return row.value;
    return undefined;
  };

  const out: ModelRow[] = [];
  /** The open row of each tail event (by index in `tail`): since when, with which entry. */
  const open = new Map<number, { kfrom: number; value: unknown }>();
  const close = (i: number, k: number) => {
    const row = open.get(i);
    if (row === undefined) return;
    open.delete(i);
    if (row.kfrom === k) return;
    const { event, pos, sub } = tail[i] as TailEvent;
    out.push({
      at: event.at,
      pos,
      sub,
      precision: event.precision,
      kfrom: row.kfrom,
      kto: k,
      value: row.value,
    });
  };

  let counted: number[] = [];
  let values: unknown[] = [];
  let base: unknown;
  for (const k of knowledge) {
    const now: number[] = [];
    tail.forEach((e, i) => {
      if (e.event.recordedAt <= k && k < e.retractedAt) now.push(i);
    });
    const nextBase = baseAt(k);
    const { p, s, nextValues } = refoldCounted(rule, tail, {
      now,
      counted,
      values,
      base: nextBase,
      baseSame: same(nextBase, base),
    });
    // Close the rows of events that stopped counting or whose entry changed; open new ones.
    const still = new Set(now);
    for (let j = p; j < counted.length - s; j++) {
      const i = counted[j] as number;
      if (!still.has(i)) close(i, k);
    }
    for (let j = p; j < now.length; j++) {
      const i = now[j] as number;
      const row = open.get(i);
      const value = nextValues[j];
      if (row !== undefined && same(row.value, value)) continue;
      close(i, k);
      open.set(i, { kfrom: k, value });
    }
    counted = now;
    values = nextValues;
    base = nextBase;
  }
  for (const i of [...open.keys()]) close(i, Number.POSITIVE_INFINITY);
  return out;
}

const NONE = Symbol("none");

/** Every knowledge time at which a key's tail may change, from its earliest `recordedAt` on. */
function knowledgeTimes(tail: readonly TailEvent[], prefix: readonly PrefixRow[]): number[] {
  let from = Number.POSITIVE_INFINITY;
  for (const e of tail) if (e.event.recordedAt < from) from = e.event.recordedAt;
  const times = new Set<number>([from]);
  for (const e of tail) {
    if (e.event.recordedAt >= from) times.add(e.event.recordedAt);
    if (Number.isFinite(e.retractedAt) && e.retractedAt > from) times.add(e.retractedAt);
  }
  for (const row of prefix) {
    if (row.kfrom > from) times.add(row.kfrom);
    if (Number.isFinite(row.kto) && row.kto > from) times.add(row.kto);
  }
  return [...times].sort((a, b) => a - b);
}

/**
 * The entries after each event that counts `now` (indexes into the tail), refolded from the
 * first change against the events `counted` before, whose entries were `values`: `p` events
 * at the start and `s` at the end are the same events as before.
 */
function refoldCounted(
  rule: KeyedRule<unknown>,
  tail: readonly TailEvent[],
  at: {
    readonly now: readonly number[];
    readonly counted: readonly number[];
    readonly values: readonly unknown[];
    /** The entry before the tail now, and whether it is the same as before. */
    readonly base: unknown;
    readonly baseSame: boolean;
  },
): { p: number; s: number; nextValues: unknown[] } {
  const { now, counted, values } = at;
  // The events the change leaves alone at either end keep their places (and, before it,
  // their entries).
  let p = 0;
  if (at.baseSame) {
    while (p < now.length && p < counted.length && now[p] === counted[p]) p++;
  }
  let s = 0;
  while (
    s < now.length - p &&
    s < counted.length - p &&
    now[now.length - 1 - s] === counted[counted.length - 1 - s]
  )
    s++;
  const nextValues = values.slice(0, p);
  let prev = p === 0 ? at.base : nextValues[p - 1];
  for (let j = p; j < now.length; j++) {
    const i = now[j] as number;
    // Past the change, an event whose entry comes out as before: so do all after it.
    const old = j >= now.length - s ? values[counted.length - (now.length - j)] : NONE;
    const value = rule.step(prev, (tail[i] as TailEvent).event);
    if (old !== NONE && same(value, old)) {
      for (let r = j; r < now.length; r++)
        nextValues.push(values[counted.length - (now.length - r)]);
      break;
    }
    nextValues.push(value);
    prev = value;
  }
  return { p, s, nextValues };
}
