import {
  type ControlFold,
  citedNames,
  foldEntry,
  foldFromStored,
  isContestedFold,
  NO_FOLD,
  type StoredControlFold,
  sameFold,
  stepClaims,
  storedFold,
  withEntry,
} from "./claims.js";
import type { TimelineEvent } from "./events.js";
import type { KeyedRule } from "./key-log.js";
import type { Resolver } from "./registry.js";
import type { Precision } from "./time.js";

/** Who controls a place, since when, and by which event. */
export interface ControlEntry {
  /** The actor holding the place, or `null` when nobody does. */
  readonly controller: string | null;
  /**
   * When the current holding began: `at` of the event that made `controller` what it is. A
   * capture or report by the holder confirms it and leaves `since` as it was, so `since`
   * always equals the `from` of the place's current `history` interval.
   */
  readonly since: number;
  /** Id of that event. */
  readonly eventId: string;
  /** Precision of `since`: that of the event that set this value. */
  readonly precision: Precision;
  /**
   * Whether, in the query's view, two standing claims name different controllers at this
   * instant (see `claims`): the blended `controller` is then one side of a disagreement.
   */
  readonly contested: boolean;
}

/** Airstrikes on a place so far. */
export interface AirstrikeEntry {
  /** Number of `Airstrike` events naming the place. */
  readonly count: number;
  /** `at` of the latest one. */
  readonly lastAt: number;
  /** Precision of `lastAt`: that of the latest one, so a day's strike never prints an hour. */
  readonly lastPrecision: Precision;
}

/** Arrests in a place so far. */
export interface ArrestsEntry {
  /** Number of `Arrests` events. */
  readonly events: number;
  /** Sum of the known `count`s. */
  readonly detained: number;
  /** Number of events that gave no `count`: arrests of an unknown number, never read as zero. */
  readonly uncounted: number;
  /** `at` of the latest one. */
  readonly lastAt: number;
  /** Precision of `lastAt`: that of the latest one. */
  readonly lastPrecision: Precision;
}

/** The built-in slices of every state. */
export interface BuiltinState {
  readonly control: Readonly<Record<string, ControlEntry>>;
  readonly airstrikes: Readonly<Record<string, AirstrikeEntry>>;
  readonly arrests: Readonly<Record<string, ArrestsEntry>>;
}

/** Names of the built-in slices, which custom reducers may not take. */
export const BUILTIN_SLICES = Object.freeze(["control", "airstrikes", "arrests"] as const);

/** One interval of a place's control, as returned by `history`. */
export interface ControlInterval {
  /** The actor holding the place, or `null` when nobody did. */
  readonly controller: string | null;
  /** Start, epoch ms: `at` of the event that began the interval. */
  readonly from: number;
  /** End, epoch ms: `at` of the event that ended it; `null` while it lasts. */
  readonly to: number | null;
  /** Id of the event that began the interval. */
  readonly eventId: string;
  /** Precision of `from`: that of the event that began the interval. */
  readonly fromPrecision: Precision;
  /** Precision of `to`, `null` while it lasts. */
  readonly toPrecision: Precision | null;
  /**
   * Present where the event that began the interval has one: the earliest it can have
   * happened (epoch ms), so that output prints the start as a span (`formatSpan`).
   */
  readonly notBefore?: number;
  /** Precision of `notBefore`; present with it. */
  readonly notBeforePrecision?: Precision;
}

const CONTROL_TYPES = Object.freeze(["Captured", "Withdrew", "Held"]);

// Returned for every event a slice ignores, rather than a new empty array each time.
const NONE: readonly string[] = Object.freeze([]);

export type { ControlFold };

/**
 * `control` as a keyed rule: the places a `Captured` or `Withdrew` reaches (the place and its
 * descendants) or the one place a `Held` names, and each place's entry and claims after the
 * event. `accepted`: the source names the view counts, when it names any.
 */
export function controlRule(
  places: Resolver | undefined,
  accepted?: ReadonlySet<string>,
): KeyedRule<ControlFold, ControlEntry> {
  // A region's place and descendants, listed once: replays ask for them again and again.
  const reach = new Map<string, readonly string[]>();
  const single = new Map<string, readonly string[]>();
  // The last step (by the event's id: an event may be made anew each time it is read), for
  // the descendants of a region that share the value before it.
  let lastId: string | undefined;
  let lastPrev: ControlFold | undefined;
  let lastNext: ControlFold | undefined;
  const step = (prev: ControlFold | undefined, event: TimelineEvent): ControlFold | undefined => {
    const before = prev ?? NO_FOLD;
    const entry = foldEntry(before);
    const names = citedNames(event, accepted, single);
    const claimed = names.length === 0 ? undefined : stepClaims(before, event, names);
    let controller: string | null | undefined;
    switch (event.type) {
      case "Withdrew": {
        const { actor, handedTo } = event.data as { actor: string; handedTo?: string };
        // Handing the place to the holder itself is no change either.
        if (entry !== undefined && entry.controller === actor && handedTo !== actor)
          controller = handedTo ?? null;
        break;
      }
      default: {
        // A capture or report by the holder confirms the holding: no new `since`.
        const { by } = event.data as { by: string };
        if (entry === undefined || entry.controller !== by) controller = by;
      }
    }
    if (controller === undefined && claimed === undefined) return prev;
    const contested =
      claimed === undefined && entry !== undefined
        ? entry.contested
        : isContestedFold(claimed ?? before);
    let next: ControlEntry | undefined = entry;
    if (controller !== undefined) {
      next = Object.freeze({
        controller,
        since: event.at,
        eventId: event.id,
        precision: event.precision,
        contested,
      });
    } else if (entry !== undefined && entry.contested !== contested) {
      next = Object.freeze({ ...entry, contested });
    }
    return withEntry(before, claimed, next);
  };
  return {
    handles: CONTROL_TYPES,
    mayThrow: false,
    output: foldEntry,
    // Values after the same event that say the same are interchangeable.
    same: sameFold,
    // The stores keep each value as it was kept before it was compacted: the entry and the
    // claims as the API reads them (docs/read-models.md).
    stored: {
      write: storedFold,
      read: (stored) => foldFromStored(stored as StoredControlFold),
      output: (stored) => (stored as StoredControlFold).entry,
    },
    keys(event) {
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
      // The descendants of a region that share a value before the event share it after.
      if (event.id === lastId && prev === lastPrev) return lastNext;
      const next = step(prev, event);
      lastId = event.id;
      lastPrev = prev;
      lastNext = next;
      return next;
    },
  };
}

/** `airstrikes` as a keyed rule: one per `Airstrike` naming the place. */
export const airstrikesRule: KeyedRule<AirstrikeEntry> = {
  handles: Object.freeze(["Airstrike"]),
  mayThrow: false,
  keys(event) {
    if (event.type !== "Airstrike") return NONE;
    const places = (event.data as { places: readonly string[] }).places;
    return places.length === 1 ? places : [...new Set(places)];
  },
  step: (prev, event) =>
    Object.freeze({
      count: (prev?.count ?? 0) + 1,
      lastAt: event.at,
      lastPrecision: event.precision,
    }),
};

/** `arrests` as a keyed rule: events, known counts summed, unknown ones counted apart. */
export const arrestsRule: KeyedRule<ArrestsEntry> = {
  handles: Object.freeze(["Arrests"]),
  mayThrow: false,
  keys: (event) => (event.type === "Arrests" ? [(event.data as { place: string }).place] : NONE),
  step(prev, event) {
    const { count } = event.data as { count?: number };
    return Object.freeze({
      events: (prev?.events ?? 0) + 1,
      detained: (prev?.detained ?? 0) + (count ?? 0),
      uncounted: (prev?.uncounted ?? 0) + (count === undefined ? 1 : 0),
      lastAt: event.at,
      lastPrecision: event.precision,
    });
  },
};

/** The rule of each built-in slice, by name: what a timeline's indexes fold. */
export interface BuiltinRules {
  readonly control: KeyedRule<ControlFold, ControlEntry>;
  readonly airstrikes: KeyedRule<AirstrikeEntry>;
  readonly arrests: KeyedRule<ArrestsEntry>;
}

/**
 * The built-in slices' rules for one view (`accepted`: the source names it counts, when it
 * names any), to be read in the order of {@link BUILTIN_SLICES}.
 */
export function builtinRules(
  places: Resolver | undefined,
  accepted?: ReadonlySet<string>,
): BuiltinRules {
  return {
    control: controlRule(places, accepted),
    airstrikes: airstrikesRule,
    arrests: arrestsRule,
  };
}
