import { type BatchMode, type PreparedBatch, prepareBatch } from "./batch.js";
import type { Claim, ContestedPlace, PlaceClaims } from "./claims.js";
import { controlDiff, type DiffEntry, intervalsOf } from "./control.js";
import { TimelineValidationError } from "./errors.js";
import type {
  AnyEventDefinition,
  BuiltinDefinition,
  EventOf,
  InputOf,
  Retracted,
  TimelineEvent,
} from "./events.js";
import type { IngestContext } from "./ingest.js";
import { readOptions } from "./options.js";
import type { Reducer, SliceOf } from "./reducers.js";
import type { Registry, Resolver } from "./registry.js";
import { lowerBound, upperBound } from "./search.js";
import type { BuiltinState, ControlInterval } from "./slices.js";
import { StoredEvents } from "./stored.js";
import { queryTime, type TimeInput } from "./time.js";
import type { AnyState, ViewIndex } from "./view-index.js";
import { type QueryOptions, readView } from "./views.js";
import type { Zone } from "./zone.js";

/** Options of {@link Timeline.events}: inclusive bounds on `at`, plus {@link QueryOptions}. */
export interface EventsQuery extends QueryOptions {
  readonly from?: TimeInput;
  readonly to?: TimeInput;
}

/** A source name and the number of events that cite it (see {@link Timeline.sources}). */
export interface SourceCount {
  readonly name: string;
  readonly events: number;
}

/** What {@link Timeline.toJSON} returns and {@link fromJSON} reads. */
export interface TimelineJSON<E extends TimelineEvent = TimelineEvent> {
  readonly version: 1;
  /** The timeline's `timeZone`, when it is not UTC. */
  readonly timeZone?: string;
  readonly events: readonly E[];
}

/** Options of {@link createTimeline} and {@link fromJSON}. */
export interface TimelineOptions<
  E extends readonly AnyEventDefinition[] = readonly AnyEventDefinition[],
  R extends Readonly<Record<string, Reducer>> = Readonly<Record<string, Reducer>>,
> {
  /** Custom event definitions, added to the built-ins. */
  readonly events?: E;
  /** Custom slices, added to the built-in ones (`control`, `airstrikes`, `arrests`). */
  readonly reducers?: R;
  /** Place registry keyed by id: when given, unknown places are rejected and aliases resolved. */
  readonly places?: Registry;
  /** Actor registry keyed by id: when given, unknown actors are rejected and aliases resolved. */
  readonly actors?: Registry;
  /** Events between two checkpoints of the custom slices (default 256). */
  readonly checkpointInterval?: number;
  /**
   * The zone that dates (`"2016-12-11"`) and date-times without an offset are read in, in
   * events and in query arguments alike: an IANA name (`"Asia/Damascus"`, from the platform's
   * `Intl`) or a fixed offset (`"+02:00"`). Default `"UTC"`. An offset in the string always
   * wins; numbers and `Date`s are instants. A time of day the zone skips is invalid; one it
   * repeats is the earlier instant.
   */
  readonly timeZone?: string;
}

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The state type for a set of custom reducers: the built-in slices plus one per reducer. */
export type StateFor<R> = Simplify<BuiltinState & { readonly [K in keyof R]: SliceOf<R[K]> }>;

/** Every definition a timeline with custom definitions `E` accepts. */
export type DefinitionsFor<E extends readonly AnyEventDefinition[]> =
  | BuiltinDefinition
  | typeof Retracted
  | E[number];

/**
 * An event-sourced timeline: append events in any order, ask for the state at any instant.
 * Every query equals a fold from scratch of the events that count, in timeline order
 * (`at`, then order of appending).
 */
export interface Timeline<
  D extends AnyEventDefinition = DefinitionsFor<[]>,
  S = StateFor<Record<never, never>>,
> {
  /**
   * Validates every input, then stores them all, or none. Returns the stored event for each
   * input (the already stored one for a duplicate).
   *
   * @throws {TimelineValidationError} listing every problem; nothing is appended.
   * @throws {ReducerError} when a custom reducer throws; nothing is appended.
   */
  append(...inputs: InputOf<D>[]): readonly EventOf<D>[];
  /** {@link Timeline.append} for a list too long to spread into arguments. */
  appendAll(inputs: Iterable<InputOf<D>>): readonly EventOf<D>[];
  /** The deep-frozen state after every event with `at <= t`. */
  stateAt(t: TimeInput, options?: QueryOptions): S;
  /** The state after every event. */
  latest(options?: QueryOptions): S;
  /** Stored events that count, in timeline order, with `from <= at <= to`. */
  events(query?: EventsQuery): readonly EventOf<D>[];
  /** Control intervals of a place; a new one only where the controller changes. */
  history(place: string, options?: QueryOptions): readonly ControlInterval[];
  /** Places whose controller differs between `stateAt(a)` and `stateAt(b)`. */
  diff(a: TimeInput, b: TimeInput, options?: QueryOptions): readonly DiffEntry[];
  /** The control of a place at `t` according to each source that reports on it. */
  claims(place: string, t: TimeInput, options?: QueryOptions): readonly Claim[];
  /**
   * Every place's claims at `t` in one call: each place that at least one source claims at
   * `t`, sorted by id, with {@link Timeline.claims} of that place. Costs one lookup per place
   * and source, where calling `claims` for each place would repeat the work per call.
   *
   * @example
   * for (const { place, claims } of timeline.claimsAt("2016-12-11")) {
   *   console.log(place, claims.map((c) => `${c.source}: ${c.controller}`).join("; "));
   * }
   */
  claimsAt(t: TimeInput, options?: QueryOptions): readonly PlaceClaims[];
  /** Places whose sources disagree about their controller at `t`, sorted by id. */
  contested(t: TimeInput, options?: QueryOptions): readonly ContestedPlace[];
  /**
   * Every source name cited by the events that count under `options` (retracted events and
   * retractions do not), with the number of those events that cite it, sorted by name
   * (UTF-16 code unit order). With `sources`, the events that count are those citing one of
   * them, and every name they cite is listed.
   *
   * @example
   * timeline.sources({ asOf: "2016-12-11" }); // [{ name: "Russian MoD", events: 2 }, { name: "SOHR", events: 9 }]
   */
  sources(options?: QueryOptions): readonly SourceCount[];
  /** Number of stored events (retractions and retracted events included). */
  readonly size: number;
  /** The zone that local dates and times are read in: the `timeZone` option, else `"UTC"`. */
  readonly timeZone: string;
  /** Every stored event, for {@link fromJSON}. */
  toJSON(): TimelineJSON<EventOf<D>>;
}

export type { Claim, ContestedPlace, DiffEntry, PlaceClaims };

/** The state type of a timeline: `StateOf<typeof timeline>`. */
export type StateOf<T> = T extends {
  /** Any timeline's `latest()`, whose return type is the state. */
  latest(): infer S;
}
  ? S
  : never;

export type { BatchMode, PreparedBatch, QueryOptions };

/**
 * The in-memory timeline (exported for durable timelines, which prepare a batch, write it to
 * their store, then commit it). `D` and `S` are the types {@link createTimeline} gives it.
 */
export class TimelineImpl<D extends AnyEventDefinition = AnyEventDefinition, S = AnyState>
  implements Timeline<D, S>
{
  private readonly places: Resolver | undefined;
  private readonly context: IngestContext;
  private readonly zone: Zone;
  private readonly stored: StoredEvents;

  constructor(options?: TimelineOptions) {
    const { definitions, slices, places, actors, interval, zone } = readOptions(options);
    this.places = places;
    this.zone = zone;
    this.context = {
      definitions,
      places,
      actors,
      zone,
      sourceLists: new Map(),
      singleSources: new Map(),
    };
    this.stored = new StoredEvents(slices, places, interval);
  }

  get size(): number {
    return this.stored.size;
  }

  /** The zone that local dates and times are read in (`"UTC"` unless given). */
  get timeZone(): string {
    return this.zone.name;
  }

  append(...inputs: InputOf<D>[]): readonly EventOf<D>[] {
    return this.appendAll(inputs);
  }

  appendAll(inputs: Iterable<InputOf<D>>): readonly EventOf<D>[] {
    const batch = this.prepareBatch(inputs, "append");
    batch.commit();
    return batch.result as readonly EventOf<D>[];
  }

  /**
   * Validates a batch and plans its change without making it (internal: a durable timeline
   * writes the batch to its store between this and `commit`, and nothing else may change
   * the timeline in between). See {@link BatchMode} and batch.ts for the steps.
   */
  prepareBatch(inputs: Iterable<unknown>, mode: BatchMode): PreparedBatch {
    const list = Array.isArray(inputs) ? inputs : [...inputs];
    return prepareBatch(list, mode, this.context, this.stored);
  }

  /** The index of the events that count under `options`. */
  private view(options: QueryOptions | undefined): ViewIndex {
    return this.stored.view(readView(options, this.zone));
  }

  private place(place: string): string {
    if (typeof place !== "string") {
      throw new TimelineValidationError([
        { index: 0, path: ["place"], message: "expected a place id (a string)" },
      ]);
    }
    if (this.places === undefined) return place;
    const id = this.places.resolve(place);
    if (id === undefined) {
      throw new TimelineValidationError([
        {
          index: 0,
          path: ["place"],
          message: `unknown place "${place}" (not in the places registry)`,
        },
      ]);
    }
    return id;
  }

  stateAt(t: TimeInput, options?: QueryOptions): S {
    const at = queryTime(t, "t", this.zone);
    return this.view(options).stateAt(at) as S;
  }

  latest(options?: QueryOptions): S {
    return this.view(options).stateAt(Number.POSITIVE_INFINITY) as S;
  }

  events(query: EventsQuery = {}): readonly EventOf<D>[] {
    if (typeof query !== "object" || query === null) {
      throw new TimelineValidationError([
        { index: 0, path: [], message: "expected { from?, to?, asOf?, sources? }" },
      ]);
    }
    const from = query.from === undefined ? undefined : queryTime(query.from, "from", this.zone);
    const to = query.to === undefined ? undefined : queryTime(query.to, "to", this.zone);
    const { asOf, sources } = query;
    const events = this.view(
      asOf === undefined && sources === undefined ? undefined : ({ asOf, sources } as QueryOptions),
    ).events;
    const { columns } = this.stored;
    const at = (i: number) => columns.at(events[i] as number);
    const start = from === undefined ? 0 : lowerBound(events.length, from, at);
    const end = to === undefined ? events.length : upperBound(events.length, to, at);
    return Object.freeze(
      columns.events(events, start, Math.max(start, end)),
    ) as unknown as readonly EventOf<D>[];
  }

  history(place: string, options?: QueryOptions): readonly ControlInterval[] {
    const id = this.place(place);
    return Object.freeze(intervalsOf(this.view(options).control, id));
  }

  diff(a: TimeInput, b: TimeInput, options?: QueryOptions): readonly DiffEntry[] {
    const ta = queryTime(a, "a", this.zone);
    const tb = queryTime(b, "b", this.zone);
    return Object.freeze(controlDiff(this.view(options).control, ta, tb));
  }

  claims(place: string, t: TimeInput, options?: QueryOptions): readonly Claim[] {
    const id = this.place(place);
    const at = queryTime(t, "t", this.zone);
    return this.view(options).claimsOf(id, at);
  }

  claimsAt(t: TimeInput, options?: QueryOptions): readonly PlaceClaims[] {
    const at = queryTime(t, "t", this.zone);
    return this.view(options).claimsAt(at, false);
  }

  contested(t: TimeInput, options?: QueryOptions): readonly ContestedPlace[] {
    const at = queryTime(t, "t", this.zone);
    return this.view(options).claimsAt(at, true);
  }

  sources(options?: QueryOptions): readonly SourceCount[] {
    const counts = new Map<string, number>();
    const { columns } = this.stored;
    for (const n of this.view(options).events) {
      // An event that names a source twice still counts once for it.
      for (const name of new Set(columns.sources(n).map((s) => s.name)))
        counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    return Object.freeze(
      [...counts]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([name, events]) => Object.freeze({ name, events })),
    );
  }

  toJSON(): TimelineJSON<EventOf<D>> {
    const events = Object.freeze(
      this.stored.columns.events(this.stored.events),
    ) as unknown as readonly EventOf<D>[];
    return Object.freeze(
      this.zone.name === "UTC"
        ? { version: 1, events }
        : { version: 1, timeZone: this.zone.name, events },
    );
  }
}

/**
 * Creates an in-memory timeline with the built-in events and slices, plus your own.
 *
 * @example
 * const timeline = createTimeline({ events: [Clashes], reducers: { claimedKilled } });
 * timeline.append({ type: "Captured", at: "2016-12-10T18:00+02:00", data: { place: "palmyra", by: "isis" } });
 * timeline.stateAt("2016-12-11").control.palmyra; // { controller: "isis", since: ..., eventId: ... }
 */
export function createTimeline<
  const E extends readonly AnyEventDefinition[] = [],
  R extends Readonly<Record<string, Reducer>> = Record<never, never>,
>(options?: TimelineOptions<E, R>): Timeline<DefinitionsFor<E>, StateFor<R>> {
  return new TimelineImpl<DefinitionsFor<E>, StateFor<R>>(options as TimelineOptions);
}

/**
 * Rebuilds a timeline from {@link Timeline.toJSON} output (an object or its JSON text).
 * Options are those of {@link createTimeline}; ids, times and sources are kept.
 *
 * @throws {TimelineValidationError} when the JSON or any event in it is invalid.
 * @example
 * const copy = fromJSON(JSON.stringify(timeline), { events: [Clashes], reducers: { claimedKilled } });
 */
export function fromJSON<
  const E extends readonly AnyEventDefinition[] = [],
  R extends Readonly<Record<string, Reducer>> = Record<never, never>,
>(
  json: TimelineJSON | string,
  options?: TimelineOptions<E, R>,
): Timeline<DefinitionsFor<E>, StateFor<R>> {
  let value: unknown = json;
  if (typeof json === "string") {
    try {
      value = JSON.parse(json);
    } catch (error) {
      throw new TimelineValidationError([
        { index: 0, path: [], message: `not valid JSON: ${(error as Error).message}` },
      ]);
    }
  }
  const data = value as { version?: unknown; timeZone?: unknown; events?: unknown };
  if (
    typeof value !== "object" ||
    value === null ||
    data.version !== 1 ||
    !Array.isArray(data.events) ||
    (data.timeZone !== undefined && typeof data.timeZone !== "string")
  ) {
    throw new TimelineValidationError([
      {
        index: 0,
        path: [],
        message:
          "expected { version: 1, timeZone?, events: [...] } as written by timeline.toJSON()",
      },
    ]);
  }
  // Stored events are instants: the zone only reads later inputs and queries, so a zone
  // given in the options wins over the one in the JSON.
  const timeZone = options?.timeZone ?? (data.timeZone as string | undefined);
  const timeline = createTimeline(
    timeZone === undefined ? options : ({ ...options, timeZone } as TimelineOptions<E, R>),
  );
  timeline.appendAll(writtenAs(data.events, options?.events) as never[]);
  return timeline;
}

/**
 * Events of a `toJSON` file as inputs: an event without a `version` was written for version 1
 * of its definition (or before versions existed), where an input without one is of the
 * current version; so such events name version 1, and are upcast on the way in.
 */
function writtenAs(
  events: readonly unknown[],
  definitions: readonly AnyEventDefinition[] | undefined,
): readonly unknown[] {
  const versioned = new Set((definitions ?? []).filter((d) => d.version !== 1).map((d) => d.type));
  if (versioned.size === 0) return events;
  return events.map((event) => {
    const e = event as { type?: unknown; version?: unknown } | null;
    return typeof e === "object" &&
      e !== null &&
      e.version === undefined &&
      versioned.has(e.type as string)
      ? { ...e, version: 1 }
      : event;
  });
}
