/**
 * A deliberately simple reference implementation of tidemark's queries, written from the
 * documented rules alone (the README and docs/*.md), not from the engine. Every query filters the stored events, sorts them and
 * folds them from scratch with plain mutable objects: no indexes, no checkpoints, no
 * caches of states. The property tests check that the real timeline answers every query
 * exactly as this does.
 *
 * It trusts its input (the tests only give it valid events) and uses the library only for
 * `parseTime` (time parsing is tested on its own) and `TimelineValidationError`.
 */
import { produce } from "immer";
import type { Precision, Registry, Source, TimeInput } from "../../src/index.js";
import { parseTime, TimelineValidationError } from "../../src/index.js";
import { expectedContentId } from "./content-id.js";

/**
 * A reducer as the user writes it: `initial` plus `on` handlers or one `reduce` handler; with
 * `keyBy`, a keyed one (`initial` is then each key's entry).
 */
export interface NaiveReducer {
  readonly initial: unknown;
  readonly keyBy?: Readonly<Record<string, (event: never) => string | readonly string[]>>;
  // `never` parameters accept handlers of any draft and event type.
  readonly on?: Readonly<Record<string, (draft: never, event: never) => unknown>>;
  readonly reduce?: (draft: never, event: never) => unknown;
}

/** Which data keys of a custom event type hold place and actor ids. */
export interface NaiveEventType {
  readonly type: string;
  readonly refs: { readonly places: readonly string[]; readonly actors: readonly string[] };
}

export interface NaiveOptions {
  readonly events?: readonly NaiveEventType[];
  readonly reducers?: Readonly<Record<string, NaiveReducer>>;
  readonly places?: Registry;
  readonly actors?: Registry;
}

export interface NaiveQueryOptions {
  readonly asOf?: TimeInput;
  readonly sources?: readonly string[];
}

/** An event as stored: `{ id, type, at, precision, recordedAt, sources, note?, data }`. */
export interface NaiveEvent {
  readonly id: string;
  readonly type: string;
  readonly at: number;
  readonly precision: Precision;
  readonly recordedAt: number;
  readonly sources: readonly Source[];
  readonly note?: string;
  readonly data: Record<string, unknown>;
}

interface ControlValue {
  controller: string | null;
  since: number;
  eventId: string;
  precision: Precision;
}

interface Interval {
  controller: string | null;
  from: number;
  to: number | null;
  eventId: string;
  fromPrecision: Precision;
  toPrecision: Precision | null;
}

type Rec<V> = Record<string, V>;

// Built-in event types: the data keys that hold place ids and actor ids (`Captured` names its
// place in `place`, its actors in `by` and `from`, ...), resolved through the registries.
const BUILTIN_REFS: Readonly<Record<string, NaiveEventType["refs"]>> = {
  Captured: { places: ["place"], actors: ["by", "from"] },
  Withdrew: { places: ["place", "to"], actors: ["actor", "handedTo"] },
  Airstrike: { places: ["places"], actors: ["by"] },
  Arrests: { places: ["place"], actors: ["by"] },
  Held: { places: ["place"], actors: ["by"] },
  Retracted: { places: [], actors: [] },
};

/** Own-property read, so that names such as "constructor" are ordinary keys. */
function own<V>(record: Rec<V>, key: string): V | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Own-property write that keeps insertion order and works for "__proto__" too. */
function put<V>(record: Rec<V>, key: string, value: V): void {
  Object.defineProperty(record, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

function timeOf(input: TimeInput): number {
  return parseTime(input).at;
}

class Names {
  private readonly ids = new Map<string, string>();
  constructor(private readonly registry: Registry | undefined) {
    for (const [id, entry] of Object.entries(registry ?? {})) {
      this.ids.set(id, id);
      for (const alias of entry.aliases ?? []) this.ids.set(alias, id);
    }
  }
  get given(): boolean {
    return this.registry !== undefined;
  }
  id(name: string): string {
    return this.ids.get(name) ?? name;
  }
  known(name: string): boolean {
    return this.registry === undefined || this.ids.has(name);
  }
  /** The place and everything below it: children in registry order, depth first. */
  withDescendants(place: string): string[] {
    const out = [place];
    const walk = (parent: string) => {
      for (const [id, entry] of Object.entries(this.registry ?? {})) {
        if (entry.parent === parent) {
          out.push(id);
          walk(id);
        }
      }
    };
    walk(place);
    return out;
  }
}

export class NaiveTimeline {
  private readonly stored: NaiveEvent[] = [];
  private readonly reducers: [string, NaiveReducer][];
  private readonly refs = new Map<string, NaiveEventType["refs"]>();
  private readonly places: Names;
  private readonly actors: Names;

  constructor(options: NaiveOptions = {}) {
    this.reducers = Object.entries(options.reducers ?? {});
    for (const [type, refs] of Object.entries(BUILTIN_REFS)) this.refs.set(type, refs);
    for (const definition of options.events ?? []) this.refs.set(definition.type, definition.refs);
    this.places = new Names(options.places);
    this.actors = new Names(options.actors);
  }

  get size(): number {
    return this.stored.length;
  }

  /** Stores each input whose id is new; an input with a stored id is skipped. */
  append(...inputs: readonly Record<string, unknown>[]): NaiveEvent[] {
    const out: NaiveEvent[] = [];
    for (const input of inputs) {
      const id = input.id as string | undefined;
      const existing = this.stored.find((e) => e.id === id);
      if (existing !== undefined) {
        out.push(existing);
        continue;
      }
      let event = this.normalise(id ?? "", input);
      if (id === undefined) {
        const contentId = expectedContentId(event);
        event = { ...event, id: contentId };
        const same = this.stored.find((e) => e.id === contentId);
        if (same !== undefined) {
          out.push(same);
          continue;
        }
      }
      this.stored.push(event);
      out.push(event);
    }
    return out;
  }

  private normalise(id: string, input: Record<string, unknown>): NaiveEvent {
    const type = input.type as string;
    const at = parseTime(input.at as TimeInput);
    const recordedAt =
      input.recordedAt === undefined ? at : parseTime(input.recordedAt as TimeInput);
    const data = structuredClone(input.data) as Record<string, unknown>;
    const refs = this.refs.get(type) ?? { places: [], actors: [] };
    const resolve = (keys: readonly string[], names: Names) => {
      for (const key of keys) {
        const value = data[key];
        if (Array.isArray(value)) data[key] = value.map((v: string) => names.id(v));
        else if (typeof value === "string") data[key] = names.id(value);
      }
    };
    resolve(refs.places, this.places);
    resolve(refs.actors, this.actors);
    const sources = ((input.sources ?? []) as Source[]).map((s) => {
      const source: { name: string; url?: string; note?: string } = { name: s.name };
      if (s.url !== undefined) source.url = s.url;
      if (s.note !== undefined) source.note = s.note;
      return source;
    });
    const event: Record<string, unknown> = {
      id,
      type,
      at: at.at,
      precision: (input.precision as Precision | undefined) ?? at.precision,
      recordedAt: recordedAt.at,
      sources,
    };
    if (input.note !== undefined) event.note = input.note;
    event.data = data;
    return event as unknown as NaiveEvent;
  }

  /** Every stored event in timeline order: `at`, then order of appending. */
  private ordered(): NaiveEvent[] {
    return [...this.stored].sort((a, b) => a.at - b.at);
  }

  /** The events that count under the options, in timeline order. */
  private visible(options: NaiveQueryOptions | undefined): NaiveEvent[] {
    const asOf = options?.asOf === undefined ? undefined : timeOf(options.asOf);
    const accepted = options?.sources;
    const retracted = new Set<string>();
    for (const event of this.stored) {
      if (event.type === "Retracted" && (asOf === undefined || event.recordedAt <= asOf)) {
        retracted.add(event.data.eventId as string);
      }
    }
    return this.ordered().filter(
      (event) =>
        event.type !== "Retracted" &&
        (asOf === undefined || event.recordedAt <= asOf) &&
        (accepted === undefined || event.sources.some((s) => accepted.includes(s.name))) &&
        !retracted.has(event.id),
    );
  }

  /** The places whose control an event may change, in the order the fold writes them. */
  private controlTargets(event: NaiveEvent): string[] {
    // A status report names one place; a change of control reaches its descendants too.
    if (event.type === "Held") return [event.data.place as string];
    if (event.type !== "Captured" && event.type !== "Withdrew") return [];
    return this.places.withDescendants(event.data.place as string);
  }

  /** The control value of a place after `event`, given the value before it. */
  private controlStep(
    before: ControlValue | undefined,
    event: NaiveEvent,
  ): ControlValue | undefined {
    const set = (controller: string | null) => ({
      controller,
      since: event.at,
      eventId: event.id,
      precision: event.precision,
    });
    if (event.type === "Captured") return set(event.data.by as string);
    if (event.type === "Held") {
      return before !== undefined && before.controller === event.data.by
        ? before
        : set(event.data.by as string);
    }
    if (before !== undefined && before.controller === event.data.actor) {
      return set((event.data.handedTo as string | undefined) ?? null);
    }
    return before;
  }

  /** Folds the events from scratch into a fresh state. */
  private fold(events: readonly NaiveEvent[]): Record<string, unknown> {
    const control: Rec<ControlValue> = {};
    const airstrikes: Rec<{ count: number; lastAt: number }> = {};
    const arrests: Rec<{ events: number; detained: number; uncounted: number; lastAt: number }> =
      {};
    const custom = this.reducers.map(([, reducer]) =>
      reducer.keyBy === undefined ? reducer.initial : {},
    );
    for (const event of events) {
      for (const place of this.controlTargets(event)) {
        const before = own(control, place);
        const after = this.controlStep(before, event);
        if (after !== undefined && after !== before) put(control, place, after);
      }
      if (event.type === "Airstrike") {
        for (const place of new Set(event.data.places as string[])) {
          const before = own(airstrikes, place);
          put(airstrikes, place, { count: (before?.count ?? 0) + 1, lastAt: event.at });
        }
      }
      if (event.type === "Arrests") {
        const place = event.data.place as string;
        const before = own(arrests, place);
        const count = event.data.count as number | undefined;
        put(arrests, place, {
          events: (before?.events ?? 0) + 1,
          detained: (before?.detained ?? 0) + (count ?? 0),
          uncounted: (before?.uncounted ?? 0) + (count === undefined ? 1 : 0),
          lastAt: event.at,
        });
      }
      this.reducers.forEach(([, reducer], i) => {
        const handler = (reducer.reduce ?? reducer.on?.[event.type]) as
          | ((draft: unknown, event: NaiveEvent) => unknown)
          | undefined;
        if (handler === undefined) return;
        if (reducer.keyBy === undefined) {
          custom[i] = produce(custom[i], (draft: unknown) => handler(draft, event) as never);
          return;
        }
        const keyBy = reducer.keyBy[event.type] as (event: NaiveEvent) => string | string[];
        const slice = custom[i] as Rec<unknown>;
        for (const key of new Set([keyBy(event)].flat())) {
          const before = own(slice, key);
          const after = produce(before ?? reducer.initial, (draft: unknown) => {
            return handler(draft, event) as never;
          });
          // A key is present from the first event that leaves its entry other than `initial`.
          if (before === undefined && after === reducer.initial) continue;
          put(slice, key, after);
        }
      });
    }
    const state: Record<string, unknown> = { control, airstrikes, arrests };
    this.reducers.forEach(([name], i) => {
      state[name] = custom[i];
    });
    return state;
  }

  stateAt(t: TimeInput, options?: NaiveQueryOptions): Record<string, unknown> {
    const at = timeOf(t);
    return this.fold(this.visible(options).filter((e) => e.at <= at));
  }

  latest(options?: NaiveQueryOptions): Record<string, unknown> {
    return this.fold(this.visible(options));
  }

  events(query: NaiveQueryOptions & { from?: TimeInput; to?: TimeInput } = {}): NaiveEvent[] {
    const from = query.from === undefined ? Number.NEGATIVE_INFINITY : timeOf(query.from);
    const to = query.to === undefined ? Number.POSITIVE_INFINITY : timeOf(query.to);
    return this.visible(query).filter((e) => from <= e.at && e.at <= to);
  }

  toJSON(): { version: 1; events: NaiveEvent[] } {
    return { version: 1, events: this.ordered() };
  }

  private placeId(place: string): string {
    if (!this.places.known(place)) {
      throw new TimelineValidationError([
        { index: 0, path: ["place"], message: `unknown place "${place}"` },
      ]);
    }
    return this.places.id(place);
  }

  /** Control of one place after `events` (undefined: absent). */
  private controlOf(place: string, events: readonly NaiveEvent[]): ControlValue | undefined {
    let value: ControlValue | undefined;
    for (const event of events) {
      if (this.controlTargets(event).includes(place)) value = this.controlStep(value, event);
    }
    return value;
  }

  history(place: string, options?: NaiveQueryOptions): Interval[] {
    const id = this.placeId(place);
    const out: Interval[] = [];
    let value: ControlValue | undefined;
    for (const event of this.visible(options)) {
      if (!this.controlTargets(event).includes(id)) continue;
      const next = this.controlStep(value, event);
      if (next === value || next === undefined) continue;
      value = next;
      const last = out[out.length - 1];
      if (last !== undefined && last.controller === next.controller) continue;
      if (last !== undefined) {
        last.to = event.at;
        last.toPrecision = event.precision;
      }
      out.push({
        controller: next.controller,
        from: event.at,
        to: null,
        eventId: event.id,
        fromPrecision: event.precision,
        toPrecision: null,
      });
    }
    return out;
  }

  diff(a: TimeInput, b: TimeInput, options?: NaiveQueryOptions) {
    const ta = timeOf(a);
    const tb = timeOf(b);
    const before = this.stateAt(ta, options).control as Rec<ControlValue>;
    const after = this.stateAt(tb, options).control as Rec<ControlValue>;
    const later = ta >= tb ? before : after;
    const out: { place: string; before?: string | null; after?: string | null }[] = [];
    for (const place of Object.keys(later)) {
      const x = own(before, place)?.controller;
      const y = own(after, place)?.controller;
      if (x !== y) out.push({ place, before: x, after: y });
    }
    return out;
  }

  claims(place: string, t: TimeInput, options?: NaiveQueryOptions) {
    const id = this.placeId(place);
    const at = timeOf(t);
    const names: string[] = [];
    for (const event of this.visible(options)) {
      if (!this.controlTargets(event).includes(id)) continue;
      for (const source of event.sources) {
        const accepted = options?.sources === undefined || options.sources.includes(source.name);
        if (accepted && !names.includes(source.name)) names.push(source.name);
      }
    }
    const out: object[] = [];
    for (const source of names) {
      const alone = this.visible({ asOf: options?.asOf, sources: [source] });
      const value = this.controlOf(
        id,
        alone.filter((e) => e.at <= at),
      );
      if (value === undefined) continue;
      out.push({ source, ...value });
    }
    return out as {
      source: string;
      controller: string | null;
      since: number;
      eventId: string;
      precision: Precision;
    }[];
  }

  /** Every place that a visible control event names, sorted by id. */
  private claimedPlaces(options: NaiveQueryOptions | undefined): string[] {
    const places = new Set<string>();
    for (const event of this.visible(options)) {
      for (const place of this.controlTargets(event)) places.add(place);
    }
    return [...places].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  claimsAt(t: TimeInput, options?: NaiveQueryOptions) {
    const out: { place: string; claims: ReturnType<NaiveTimeline["claims"]> }[] = [];
    for (const place of this.claimedPlaces(options)) {
      const claims = this.claims(place, t, options);
      if (claims.length > 0) out.push({ place, claims });
    }
    return out;
  }

  contested(t: TimeInput, options?: NaiveQueryOptions) {
    return this.claimsAt(t, options).filter(
      ({ claims }) => new Set(claims.map((c) => c.controller)).size > 1,
    );
  }
}
