import type { TimelineEvent } from "./events.js";
import type { KeyedRule } from "./keyed.js";
import type { Resolver } from "./registry.js";
import type { Precision } from "./time.js";

/** Who controls a place, since when, and by which event. */
export interface ControlEntry {
  /** The actor holding the place, or `null` when nobody does. */
  readonly controller: string | null;
  /** `at` of the event that set this value. */
  readonly since: number;
  /** Id of that event. */
  readonly eventId: string;
  /** Precision of `since`: that of the event that set this value. */
  readonly precision: Precision;
}

/** Airstrikes on a place so far. */
export interface AirstrikeEntry {
  /** Number of `Airstrike` events naming the place. */
  readonly count: number;
  /** `at` of the latest one. */
  readonly lastAt: number;
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
}

const CONTROL_TYPES = Object.freeze(["Captured", "Withdrew", "Held"]);

// Returned for every event a slice ignores, rather than a new empty array each time.
const NONE: readonly string[] = Object.freeze([]);

/**
 * `control` as a keyed rule: the places a `Captured` or `Withdrew` reaches (the place and its
 * descendants) or the one place a `Held` names, and each place's entry after the event.
 */
export function controlRule(places: Resolver | undefined): KeyedRule<ControlEntry> {
  // A region's place and descendants, listed once: replays ask for them again and again.
  const reach = new Map<string, readonly string[]>();
  // The entry an event sets, shared by every place it reaches (a region's descendants).
  let lastEvent: TimelineEvent | undefined;
  let lastEntry: ControlEntry | undefined;
  const entryOf = (event: TimelineEvent, controller: string | null): ControlEntry => {
    if (event !== lastEvent || lastEntry === undefined) {
      lastEntry = Object.freeze({
        controller,
        since: event.at,
        eventId: event.id,
        precision: event.precision,
      });
      lastEvent = event;
    }
    return lastEntry;
  };
  return {
    types: CONTROL_TYPES,
    mayThrow: false,
    // Entries set by the same event to the same controller are the same entry.
    same: (a, b) => a.eventId === b.eventId && a.controller === b.controller,
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
      switch (event.type) {
        case "Captured":
          return entryOf(event, (event.data as { by: string }).by);
        case "Held": {
          // A report that the holder still holds the place is no change of control.
          const { by } = event.data as { by: string };
          return prev !== undefined && prev.controller === by ? prev : entryOf(event, by);
        }
        default: {
          const { actor, handedTo } = event.data as { actor: string; handedTo?: string };
          if (prev === undefined || prev.controller !== actor) return prev;
          return entryOf(event, handedTo ?? null);
        }
      }
    },
  };
}

/** `airstrikes` as a keyed rule: one per `Airstrike` naming the place. */
export const airstrikesRule: KeyedRule<AirstrikeEntry> = {
  types: Object.freeze(["Airstrike"]),
  mayThrow: false,
  keys(event) {
    if (event.type !== "Airstrike") return NONE;
    const places = (event.data as { places: readonly string[] }).places;
    return places.length === 1 ? places : [...new Set(places)];
  },
  step: (prev, event) => Object.freeze({ count: (prev?.count ?? 0) + 1, lastAt: event.at }),
  // The count is the position in the place's log: nothing to keep per event.
  valueAfter: (events, i) =>
    Object.freeze({ count: i + 1, lastAt: (events[i] as TimelineEvent).at }),
};

/** `arrests` as a keyed rule: events, known counts summed, unknown ones counted apart. */
export const arrestsRule: KeyedRule<ArrestsEntry> = {
  types: Object.freeze(["Arrests"]),
  mayThrow: false,
  keys: (event) => (event.type === "Arrests" ? [(event.data as { place: string }).place] : NONE),
  step(prev, event) {
    const { count } = event.data as { count?: number };
    return Object.freeze({
      events: (prev?.events ?? 0) + 1,
      detained: (prev?.detained ?? 0) + (count ?? 0),
      uncounted: (prev?.uncounted ?? 0) + (count === undefined ? 1 : 0),
      lastAt: event.at,
    });
  },
};
