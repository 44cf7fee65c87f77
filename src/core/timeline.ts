import { type BatchMode, readBatch } from "./batch.js";
import type { Claim, ContestedPlace, PlaceClaims } from "./claims.js";
import { controlDiff, type DiffEntry, intervalsOf } from "./control.js";
import { TimelineValidationError } from "./errors.js";
import {
  type AnyEventDefinition,
  BUILTIN_EVENTS,
  type BuiltinDefinition,
  type EventOf,
  type InputOf,
  type Retracted,
  type TimelineEvent,
} from "./events.js";
import { IdTable } from "./id-table.js";
import type { IngestContext } from "./ingest.js";
import { applyChange, firstChange } from "./list.js";
import { type AnyState, Log, type Slices } from "./log.js";
import type { Reducer, SliceOf } from "./reducers.js";
import { type Registry, Resolver } from "./registry.js";
import { lowerBound, upperBound } from "./search.js";
import { BUILTIN_SLICES, type BuiltinState, type ControlInterval } from "./slices.js";
import { queryTime, type TimeInput } from "./time.js";
import { type QueryOptions, readView, ViewCache, visibleEvents } from "./views.js";
import { readZone, type Zone } from "./zone.js";

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

export type { BatchMode, QueryOptions };

/** A validated batch, planned but not yet made (internal). */
export interface PreparedBatch {
  /** The stored event for each input (the already stored one for a duplicate). */
  readonly result: readonly TimelineEvent[];
  /** The events the batch adds, in input order (empty when every input is a duplicate). */
  readonly added: readonly TimelineEvent[];
  /** Makes the change; a reducer that throws leaves the timeline as it was. */
  commit(): void;
  /** Drops the batch: nothing of it is stored. */
  discard(): void;
}

const DEFAULT_INTERVAL = 256;

function isReducer(value: unknown): value is Reducer {
  return (
    typeof value === "object" &&
    value !== null &&
    "initial" in value &&
    typeof (value as { apply?: unknown }).apply === "function"
  );
}

function isDefinition(value: unknown): value is AnyEventDefinition {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { type?: unknown }).type === "string" &&
    "schema" in value
  );
}

/** The in-memory timeline; users see it as a {@link Timeline} (exported for durable timelines). */
export class TimelineImpl {
  private readonly definitions = new Map<string, AnyEventDefinition>();
  private readonly slices: Slices;
  private readonly places: Resolver | undefined;
  private readonly actors: Resolver | undefined;
  private readonly interval: number;
  private readonly context: IngestContext;
  private readonly zone: Zone;
  /**
   * Every stored event in timeline order, retractions and retracted ones included; kept
   * apart from the main log's list only from the first retraction on (until then they are
   * the same events).
   */
  private all: TimelineEvent[] | undefined;
  private readonly byId = new IdTable();
  private readonly retractions: TimelineEvent[] = [];
  private readonly retracted = new Set<string>();
  private readonly main: Log;
  private readonly views = new ViewCache();

  constructor(options: TimelineOptions = {}) {
    if (typeof options !== "object" || options === null) {
      throw new TypeError("createTimeline: options must be an object");
    }
    const register = (definition: unknown, where: string) => {
      if (!isDefinition(definition))
        throw new TypeError(
          `createTimeline: ${where} is not an event definition (use defineEvent)`,
        );
      const known = this.definitions.get(definition.type);
      if (known !== undefined && known !== definition) {
        throw new TypeError(
          `createTimeline: two different definitions of event type "${definition.type}"`,
        );
      }
      this.definitions.set(definition.type, definition);
    };
    for (const definition of BUILTIN_EVENTS) register(definition, "a built-in");
    for (const [i, definition] of (options.events ?? []).entries())
      register(definition, `events[${i}]`);

    const slices: [string, Reducer][] = [];
    for (const [name, reducer] of Object.entries(options.reducers ?? {})) {
      if (!isReducer(reducer))
        throw new TypeError(
          `createTimeline: reducers.${name} is not a reducer (use defineReducer)`,
        );
      if ((BUILTIN_SLICES as readonly string[]).includes(name)) {
        throw new TypeError(
          `createTimeline: "${name}" is a built-in slice; name the reducer otherwise`,
        );
      }
      for (const [i, definition] of reducer.events.entries()) {
        register(definition, `reducers.${name}.events[${i}]`);
      }
      if (reducer.handles !== "*") {
        for (const type of reducer.handles) {
          if (!this.definitions.has(type) || type === "Retracted") {
            throw new TypeError(
              `createTimeline: reducers.${name} handles "${type}", which is not an event type of this timeline (add its definition to \`events\`)`,
            );
          }
        }
      }
      slices.push([name, reducer]);
    }
    this.slices = slices;
    this.places = options.places === undefined ? undefined : new Resolver("places", options.places);
    this.actors = options.actors === undefined ? undefined : new Resolver("actors", options.actors);
    const interval = options.checkpointInterval ?? DEFAULT_INTERVAL;
    if (!Number.isInteger(interval) || interval < 1) {
      throw new TypeError("createTimeline: checkpointInterval must be a positive integer");
    }
    this.interval = interval;
    const zone = options.timeZone === undefined ? readZone("UTC") : readZone(options.timeZone);
    if (typeof zone === "string") {
      throw new TimelineValidationError([{ index: 0, path: ["timeZone"], message: zone }]);
    }
    this.zone = zone;
    this.context = {
      definitions: this.definitions,
      places: this.places,
      actors: this.actors,
      zone,
      sourceLists: new Map(),
      singleSources: new Map(),
    };
    this.main = this.newLog();
  }

  /** @param names - the source names the view counts, when it names any. */
  private newLog(names?: readonly string[]): Log {
    return new Log(
      this.slices,
      this.places,
      this.interval,
      names === undefined ? undefined : new Set(names),
    );
  }

  /** Every stored event in timeline order. */
  private get stored(): readonly TimelineEvent[] {
    return this.all ?? this.main.events;
  }

  get size(): number {
    return this.all?.length ?? this.main.size;
  }

  append(...inputs: unknown[]): readonly TimelineEvent[] {
    return this.appendAll(inputs);
  }

  appendAll(iterable: Iterable<unknown>): readonly TimelineEvent[] {
    const batch = this.prepareBatch(iterable, "append");
    batch.commit();
    return batch.result;
  }

  /**
   * Validates a batch and plans its change without making it (internal: a durable timeline
   * writes the batch to its store between this and `commit`, and nothing else may change
   * the timeline in between).
   *
   * - `"append"`: what {@link Timeline.appendAll} does, in two steps.
   * - `"check"`: the same, and the custom reducers fold the batch on trial first, so that a
   *   `ReducerError` is thrown here rather than by `commit`.
   * - `"restore"`: events read back from a store, validated when they were appended (see
   *   `restore` in ingest.ts).
   */
  prepareBatch(iterable: Iterable<unknown>, mode: BatchMode): PreparedBatch {
    const inputs = Array.isArray(iterable) ? iterable : [...iterable];
    const { added, result, hashes } = readBatch(inputs, mode, this.context, this.byId);
    const inInputOrder = Object.freeze([...added]);
    // A stable sort: events with the same `at` keep the order they were given in.
    added.sort((a, b) => a.at - b.at);

    const newRetractions = added.filter((e) => e.type === "Retracted");
    const newlyRetracted = new Set(
      newRetractions.map((e) => (e.data as { eventId: string }).eventId),
    );
    const visibleAdded =
      newlyRetracted.size === 0 && this.retracted.size === 0
        ? added
        : added.filter(
            (e) => e.type !== "Retracted" && !newlyRetracted.has(e.id) && !this.retracted.has(e.id),
          );
    const hidden = [...newlyRetracted]
      .filter((id) => !this.retracted.has(id))
      .map((id) => this.byId.get(id))
      .filter((e): e is TimelineEvent => e !== undefined);
    if (mode === "check") {
      this.main.check(visibleAdded, hidden);
    }
    let settled = false;
    const settle = () => {
      if (settled) throw new Error("tidemark: a prepared batch is committed or discarded once");
      settled = true;
    };
    return {
      result: Object.freeze(result),
      added: inInputOrder,
      commit: () => {
        settle();
        if (this.all === undefined && newRetractions.length > 0) this.all = [...this.main.events];
        this.main.change(visibleAdded, hidden, true);
        if (this.all !== undefined) applyChange(this.all, firstChange(this.all, added), added);
        for (let i = 0; i < inInputOrder.length; i++) {
          this.byId.add(inInputOrder[i] as TimelineEvent, hashes[i]);
        }
        for (const event of newRetractions) this.retractions.push(event);
        for (const id of newlyRetracted) this.retracted.add(id);
        this.views.clear();
      },
      discard: settle,
    };
  }

  /** The log of the events that count under `options`, built once per view and cached. */
  private view(options: QueryOptions | undefined): Log {
    const view = readView(options, this.zone);
    if (view === undefined) return this.main;
    return this.views.get(view, () => {
      const log = this.newLog(view.names);
      log.change(visibleEvents(this.stored, this.retractions, view), [], false);
      return log;
    });
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

  stateAt(t: TimeInput, options?: QueryOptions): AnyState {
    const at = queryTime(t, "t", this.zone);
    return this.view(options).stateAt(at);
  }

  latest(options?: QueryOptions): AnyState {
    return this.view(options).stateAt(Number.POSITIVE_INFINITY);
  }

  events(query: EventsQuery = {}): readonly TimelineEvent[] {
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
    const start = from === undefined ? 0 : lowerBound(events, from);
    const end = to === undefined ? events.length : upperBound(events, to);
    return Object.freeze(events.slice(start, Math.max(start, end)));
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
    for (const event of this.view(options).events) {
      // An event that names a source twice still counts once for it.
      for (const name of new Set(event.sources.map((s) => s.name)))
        counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    return Object.freeze(
      [...counts]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([name, events]) => Object.freeze({ name, events })),
    );
  }

  /** The zone that local dates and times are read in (`"UTC"` unless given). */
  get timeZone(): string {
    return this.zone.name;
  }

  toJSON(): TimelineJSON {
    const events = Object.freeze([...this.stored]);
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
  return new TimelineImpl(options as TimelineOptions) as unknown as Timeline<
    DefinitionsFor<E>,
    StateFor<R>
  >;
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
