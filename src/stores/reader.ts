/**
 * `openReader`: the queries of a timeline, answered from a store's read models (see
 * docs/read-models.md) at one version, without replaying the log.
 */
import {
  type Claim,
  type ClaimsState,
  type ContestedPlace,
  isContested,
  NO_CLAIMS,
  type PlaceClaims,
} from "../core/claims.js";
import { type DiffEntry, intervalsOfSteps } from "../core/control.js";
import { TimelineValidationError } from "../core/errors.js";
import type { AnyEventDefinition, EventOf, TimelineEvent } from "../core/events.js";
import { deepFreeze } from "../core/json-data.js";
import type { Reducer } from "../core/reducers.js";
import type { ControlEntry, ControlInterval } from "../core/slices.js";
import { type Precision, queryTime, type TimeInput } from "../core/time.js";
import type {
  DefinitionsFor,
  EventsQuery,
  QueryOptions,
  SourceCount,
  StateFor,
} from "../core/timeline.js";
import { type StoredEventReader, storedEventReader } from "../core/upcast.js";
import { readView, type View } from "../core/views.js";
import { readZone, type Zone } from "../core/zone.js";
import { readModelSlices, type SliceModel } from "./read-model.js";
import {
  keepsReadModels,
  LOG_SLICE,
  OPEN_READ_MODEL,
  type ReadModelConnection,
  type ReadModelSource,
  type SliceStatus,
  STORED_EVENTS,
  type Visibility,
  type VisibleRow,
} from "./reader-source.js";
import { checksum, type EventStore, StoreCorruptionError } from "./store.js";

/** Options of {@link openReader}. */
export interface OpenReaderOptions<
  E extends readonly AnyEventDefinition[] = readonly AnyEventDefinition[],
  R extends Readonly<Record<string, Reducer>> = Readonly<Record<string, Reducer>>,
> {
  /** The store to read: `sqliteStore(path)`; it is opened read-only, whatever its options. */
  readonly store: EventStore;
  /**
   * Custom event definitions of the store's events (for their types): events stored under an
   * older `version` of their definition are read upcast to the current one.
   */
  readonly events?: E;
  /** The keyed reducers whose slices to answer, each kept in the store under its `version`. */
  readonly reducers?: R;
}

/** Options of {@link Reader.events}: bounds on `at`, a place, and {@link QueryOptions}. */
export interface ReaderEventsQuery extends EventsQuery {
  /** Only events that touch this place in a built-in slice (a region's capture reaches it). */
  readonly place?: string;
}

/**
 * A timeline's queries answered from a store's read models, at one version: the one it
 * opened at or last refreshed to ({@link Reader.version}), whatever writers append meanwhile.
 * Every answer equals that of an in-memory timeline of the store's first `version` events.
 */
export interface Reader<
  D extends AnyEventDefinition = DefinitionsFor<[]>,
  S = StateFor<Record<never, never>>,
> {
  /** The state after every event with `at <= t` (a slice's keys are listed by id). */
  stateAt(t: TimeInput, options?: QueryOptions): Promise<S>;
  /** Control intervals of a place; a new one only where the controller changes. */
  history(place: string, options?: QueryOptions): Promise<readonly ControlInterval[]>;
  /** Places whose controller differs between `stateAt(a)` and `stateAt(b)`. */
  diff(a: TimeInput, b: TimeInput, options?: QueryOptions): Promise<readonly DiffEntry[]>;
  /** The control of a place at `t` according to each source that reports on it. */
  claims(place: string, t: TimeInput, options?: QueryOptions): Promise<readonly Claim[]>;
  /** Every place's claims at `t`, sorted by id. */
  claimsAt(t: TimeInput, options?: QueryOptions): Promise<readonly PlaceClaims[]>;
  /** Places whose sources disagree about their controller at `t`, sorted by id. */
  contested(t: TimeInput, options?: QueryOptions): Promise<readonly ContestedPlace[]>;
  /** Every source name cited by the events that count, with how many cite it, by name. */
  sources(options?: QueryOptions): Promise<readonly SourceCount[]>;
  /** The events that count, in timeline order, streamed from the store. */
  events(query?: ReaderEventsQuery): AsyncIterable<EventOf<D>>;
  /** Events stored when the reader opened or last refreshed. */
  readonly version: number;
  /** Moves the reader to the store's current version; resolves to it. */
  refresh(): Promise<number>;
  /**
   * Follows writers: refreshes whenever one appends (PostgreSQL: LISTEN/NOTIFY; SQLite:
   * polling), then calls `onChange` with the new {@link Reader.version}, as a durable
   * timeline's `watch` does. Errors of a refresh go to `onError`; a PostgreSQL watch resumes
   * by itself once the server is back. Resolves to a function that stops watching;
   * `close()` stops every watch.
   *
   * @throws {TypeError} when the store cannot watch (then call `refresh()` yourself).
   * @example
   * import { openReader } from "tidemark";
   * import { postgresStore } from "tidemark/postgres";
   * const reader = await openReader({ store: postgresStore(process.env.DATABASE_URL ?? "") });
   * const stop = await reader.watch(async (version) => {
   *   console.log(version, (await reader.stateAt(Date.now())).control.palmyra);
   * });
   * await stop();
   */
  watch(
    onChange?: (version: number) => void,
    onError?: (error: unknown) => void,
  ): Promise<() => Promise<void>>;
  /** Stops every watch and closes the reader's connection. */
  close(): Promise<void>;
}

/**
 * Thrown when a store's read model of a slice is missing (a store written before read
 * models, or a reducer never given to its writers) or stale (kept under another `version`,
 * or behind the log). The message names the slice and the remedy.
 */
export class ReadModelError extends Error {
  override readonly name = "ReadModelError";
  /** The slice whose read model cannot answer. */
  readonly slice: string;
  /** `"missing"`: never kept; `"stale"`: kept under another version or behind the log. */
  readonly reason: "missing" | "stale";

  constructor(slice: string, reason: "missing" | "stale", detail: string) {
    super(
      `The store's read model of "${slice}" is ${reason} (${detail}): rebuild it with \`await reindex({ store, reducers })\` or \`tidemark reindex STORE\``,
    );
    this.slice = slice;
    this.reason = reason;
  }
}

const BUILTIN_STATE = ["control", "airstrikes", "arrests"] as const;

function isReducer(value: unknown): value is Reducer {
  return (
    typeof value === "object" &&
    value !== null &&
    "initial" in value &&
    typeof (value as { apply?: unknown }).apply === "function"
  );
}

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const parse = (value: string | null): unknown =>
  value === null ? undefined : deepFreeze(JSON.parse(value));

class ReaderImpl {
  private current = 0;
  private statuses = new Map<string, SliceStatus>();
  private closed = false;
  /** Refreshes, one at a time, so that a slower one never moves the reader back. */
  private refreshing: Promise<unknown> = Promise.resolve();
  private readonly watchers = new Set<() => Promise<void>>();

  constructor(
    private readonly connection: ReadModelConnection,
    private readonly zone: Zone,
    /** Slice models by name (the rules fold a key in memory for a `sources` query). */
    private readonly models: ReadonlyMap<string, SliceModel>,
    /** Slices of a state, in state order. */
    private readonly layout: readonly string[],
    /** Reads a stored event, upcast to its definition's current version. */
    private readonly read: StoredEventReader,
  ) {}

  private get source(): ReadModelSource {
    if (this.closed) throw new Error("tidemark: this reader is closed");
    return this.connection.source;
  }

  get version(): number {
    return this.current;
  }

  refresh(): Promise<number> {
    const run = this.refreshing.then(async () => {
      const source = this.source;
      const head = await source.head();
      const statuses = await source.slices();
      // Never back to an older version (a pool over lagging replicas may report one).
      if (head >= this.current) {
        this.statuses = new Map(statuses.map((s) => [s.slice, s] as const));
        this.current = head;
      }
      return this.current;
    });
    this.refreshing = run.catch(() => undefined);
    return run;
  }

  async watch(
    onChange?: (version: number) => void,
    onError?: (error: unknown) => void,
  ): Promise<() => Promise<void>> {
    if (this.closed) throw new Error("tidemark: this reader is closed");
    const watch = this.connection.watch;
    if (watch === undefined) {
      throw new TypeError("This store cannot watch for changes: call refresh() instead");
    }
    let stopped = false;
    let seen = this.current;
    const update = () => {
      if (stopped || this.closed) return;
      this.refresh().then(
        (version) => {
          if (stopped || version === seen) return;
          seen = version;
          onChange?.(version);
        },
        (error: unknown) => {
          if (!stopped) onError?.(error);
        },
      );
    };
    const stopStore = await watch(update, (error) => onError?.(error));
    const stop = async () => {
      if (stopped) return;
      stopped = true;
      this.watchers.delete(stop);
      await stopStore();
    };
    this.watchers.add(stop);
    // Whatever was appended before the watch began.
    update();
    return stop;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    for (const stop of [...this.watchers]) await stop().catch(() => undefined);
    this.closed = true;
    await this.refreshing;
    await this.connection.close();
  }

  /** Throws a {@link ReadModelError} unless every slice named is kept up to this version. */
  private need(...slices: string[]): void {
    for (const slice of [LOG_SLICE, ...slices]) {
      const status = this.statuses.get(slice);
      const model = this.models.get(slice);
      const name = slice === LOG_SLICE ? "events" : slice;
      if (status === undefined) {
        throw new ReadModelError(name, "missing", "the store keeps no read model of it");
      }
      if (model !== undefined && status.tag !== model.tag) {
        throw new ReadModelError(
          name,
          "stale",
          `kept under version ${status.tag}, the reducer given is ${model.tag}`,
        );
      }
      if (status.upto < this.current) {
        throw new ReadModelError(
          name,
          "stale",
          `kept up to event ${status.upto} of ${this.current}: a writer did not keep it`,
        );
      }
    }
  }

  private view(options: QueryOptions | undefined): { visibility: Visibility; view?: View } {
    const view = readView(options, this.zone);
    return { visibility: { version: this.current, asOf: view?.asOf }, view };
  }

  private time(t: TimeInput, name: string): number {
    return queryTime(t, name, this.zone);
  }

  /**
   * A slice's entry in a stored value: the value itself, or for a rule that folds more than
   * its slice shows (control keeps claims beside the entry), the part the slice shows.
   */
  private entry(slice: string, value: unknown): unknown {
    if (value === undefined) return undefined;
    const output = (this.models.get(slice) as SliceModel).rule.output;
    return output === undefined ? value : output(value);
  }

  /**
   * The keys of a slice, each with its events and the entry after each, folded in memory from
   * the events that count and cite one of `names` (a `sources` query: see the docs).
   */
  private async foldCited(
    slice: string,
    visibility: Visibility,
    names: readonly string[],
    only?: string,
  ): Promise<
    Map<
      string,
      {
        events: { at: number; precision: Precision; sub: number; pos: number }[];
        values: unknown[];
      }
    >
  > {
    const model = this.models.get(slice) as SliceModel;
    const rule = model.forSources?.(names) ?? model.rule;
    const out = new Map<
      string,
      {
        events: { at: number; precision: Precision; sub: number; pos: number }[];
        values: unknown[];
      }
    >();
    const parsed = new Map<number, TimelineEvent>();
    for (const step of await this.source.citedSteps(slice, visibility, names)) {
      if (only !== undefined && step.key !== only) continue;
      let event = parsed.get(step.pos);
      if (event === undefined) {
        event = this.read(step.content);
        parsed.set(step.pos, event);
      }
      let log = out.get(step.key);
      if (log === undefined) {
        log = { events: [], values: [] };
        out.set(step.key, log);
      }
      const prev = log.values.length === 0 ? undefined : log.values[log.values.length - 1];
      log.events.push({ at: step.at, precision: event.precision, sub: step.sub, pos: step.pos });
      log.values.push(rule.step(prev, event));
    }
    return out;
  }

  private async record(slice: string, t: number, visibility: Visibility, view: View | undefined) {
    const record: Record<string, unknown> = {};
    // A defined property only where assigning would not make a key ("__proto__"): defining
    // every key costs more than the rest of reading a slice of 10^4 keys.
    const put = (key: string, value: unknown) => {
      if (key !== "__proto__") record[key] = value;
      else
        Object.defineProperty(record, key, {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
    };
    if (view?.names !== undefined) {
      const logs = await this.foldCited(slice, visibility, view.names);
      for (const key of [...logs.keys()].sort(byCodeUnits)) {
        const log = logs.get(key) as { events: { at: number }[]; values: unknown[] };
        const value = this.entry(slice, valueAt(log, t));
        if (value !== undefined) put(key, deepFreeze(value));
      }
    } else {
      const rows = [...(await this.source.sliceAt(slice, t, visibility))].sort((a, b) =>
        byCodeUnits(a.key, b.key),
      );
      for (const row of rows) {
        const value = this.entry(slice, parse(row.value));
        if (value !== undefined) put(row.key, value);
      }
    }
    return Object.freeze(record);
  }

  async stateAt(t: TimeInput, options?: QueryOptions): Promise<Readonly<Record<string, unknown>>> {
    const at = this.time(t, "t");
    const { visibility, view } = this.view(options);
    this.need(...this.layout);
    const state: Record<string, unknown> = {};
    for (const slice of this.layout) state[slice] = await this.record(slice, at, visibility, view);
    return Object.freeze(state);
  }

  async history(place: string, options?: QueryOptions): Promise<readonly ControlInterval[]> {
    const id = placeId(place);
    const { visibility, view } = this.view(options);
    this.need("control");
    if (view?.names !== undefined) {
      const log = (await this.foldCited("control", visibility, view.names, id)).get(id);
      if (log === undefined) return Object.freeze([]);
      return this.withNotBefore(
        intervalsOfSteps(
          log.events,
          log.values.map((v) => this.entry("control", v) as ControlEntry | undefined),
        ),
      );
    }
    const rows = await this.source.keyRows("control", "", id, visibility);
    return this.withNotBefore(
      intervalsOfSteps(
        rows.map((r) => ({ at: r.at, precision: r.precision as Precision })),
        rows.map((r) => this.entry("control", parse(r.value)) as ControlEntry | undefined),
      ),
    );
  }

  /**
   * Intervals with the `notBefore` of the event that began each (a capture known only between
   * two times), as a timeline gives them: the rows keep no event's content, the log does.
   */
  private async withNotBefore(
    intervals: readonly ControlInterval[],
  ): Promise<readonly ControlInterval[]> {
    const events = await this[STORED_EVENTS](intervals.map((i) => i.eventId));
    return Object.freeze(
      intervals.map((interval) => {
        const notBefore = events.get(interval.eventId)?.notBefore;
        if (notBefore === undefined) return interval;
        const precision = events.get(interval.eventId)?.notBeforePrecision;
        return Object.freeze({
          ...interval,
          notBefore,
          notBeforePrecision: precision ?? interval.fromPrecision,
        });
      }),
    );
  }

  async diff(a: TimeInput, b: TimeInput, options?: QueryOptions): Promise<readonly DiffEntry[]> {
    const ta = this.time(a, "a");
    const tb = this.time(b, "b");
    const { visibility, view } = this.view(options);
    this.need("control");
    const changes: {
      place: string;
      before: string | null | undefined;
      after: string | null | undefined;
      first: [number, number, number];
    }[] = [];
    if (view?.names !== undefined) {
      const logs = await this.foldCited("control", visibility, view.names);
      for (const [place, log] of logs) {
        const before = (this.entry("control", valueAt(log, ta)) as ControlEntry | undefined)
          ?.controller;
        const after = (this.entry("control", valueAt(log, tb)) as ControlEntry | undefined)
          ?.controller;
        if (before === after) continue;
        const i = log.values.findIndex((v) => this.entry("control", v) !== undefined);
        const e = log.events[i] as { at: number; pos: number; sub: number };
        changes.push({ place, before, after, first: [e.at, e.pos, e.sub] });
      }
    } else {
      const controllers = async (t: number) =>
        new Map(
          (await this.source.sliceAt("control", t, visibility)).flatMap((row) => {
            const entry = this.entry("control", JSON.parse(row.value)) as ControlEntry | undefined;
            return entry === undefined ? [] : [[row.key, entry.controller] as const];
          }),
        );
      const before = await controllers(ta);
      const after = await controllers(tb);
      for (const place of new Set([...before.keys(), ...after.keys()])) {
        const x = before.get(place);
        const y = after.get(place);
        if (x === y) continue;
        // Ordered as the timeline orders keys: by the first event that gave the place an
        // entry (an event may give it claims only, which the slice does not show).
        const rows = await this.source.keyRows("control", "", place, visibility);
        const first = rows.find(
          (r) => this.entry("control", parse(r.value)) !== undefined,
        ) as VisibleRow;
        changes.push({ place, before: x, after: y, first: [first.at, first.pos, first.sub] });
      }
    }
    changes.sort((x, y) => compareFirst(x.first, y.first));
    return Object.freeze(
      changes.map(({ place, before, after }) => Object.freeze({ place, before, after })),
    );
  }

  /**
   * Each place's claims at `t` (one place, or every place), sorted by place: read from the
   * control fold, which keeps them beside each entry (in a `sources` view, folded from the
   * events citing those sources, since who stands depends on which sources count).
   */
  private async placeClaims(
    t: TimeInput,
    options: QueryOptions | undefined,
    place?: string,
  ): Promise<PlaceClaims[]> {
    const at = this.time(t, "t");
    const { visibility, view } = this.view(options);
    this.need("control");
    const folds = new Map<string, unknown>();
    if (view?.names !== undefined) {
      for (const [key, log] of await this.foldCited("control", visibility, view.names, place))
        folds.set(key, valueAt(log, at));
    } else if (place !== undefined) {
      const rows = await this.source.keyRows("control", "", place, visibility);
      const log = { events: rows, values: rows.map((r) => parse(r.value)) };
      folds.set(place, valueAt(log, at));
    } else {
      for (const row of await this.source.sliceAt("control", at, visibility))
        folds.set(row.key, parse(row.value));
    }
    const out: PlaceClaims[] = [];
    for (const key of [...folds.keys()].sort(byCodeUnits)) {
      const fold = folds.get(key) as { claims?: ClaimsState } | undefined;
      const claims = fold?.claims?.claims ?? NO_CLAIMS;
      if (claims.length > 0) out.push(Object.freeze({ place: key, claims: deepFreeze(claims) }));
    }
    return out;
  }

  async claims(place: string, t: TimeInput, options?: QueryOptions): Promise<readonly Claim[]> {
    const id = placeId(place);
    const [found] = await this.placeClaims(t, options, id);
    return found?.claims ?? Object.freeze([]);
  }

  async claimsAt(t: TimeInput, options?: QueryOptions): Promise<readonly PlaceClaims[]> {
    return Object.freeze(await this.placeClaims(t, options));
  }

  async contested(t: TimeInput, options?: QueryOptions): Promise<readonly ContestedPlace[]> {
    return Object.freeze((await this.placeClaims(t, options)).filter((p) => isContested(p.claims)));
  }

  async sources(options?: QueryOptions): Promise<readonly SourceCount[]> {
    const { visibility, view } = this.view(options);
    this.need();
    const counts = [...(await this.source.sourceCounts(visibility, view?.names))].sort(([a], [b]) =>
      byCodeUnits(a, b),
    );
    return Object.freeze(counts.map(([name, events]) => Object.freeze({ name, events })));
  }

  /** The events with these ids among the reader's version, by id (see {@link storedEvents}). */
  async [STORED_EVENTS](ids: readonly string[]): Promise<Map<string, TimelineEvent>> {
    const rows = await this.source.eventsWithIds(ids, this.current);
    return new Map(
      rows.map((row) => {
        // The log's content is read here, so it is checked as a timeline checks it.
        if (checksum(row.content) !== row.checksum) {
          throw new StoreCorruptionError(
            `The event at version ${row.pos} is damaged: its content does not match its checksum`,
            row.pos,
          );
        }
        const event = deepFreeze(JSON.parse(row.content) as TimelineEvent);
        return [event.id, event] as const;
      }),
    );
  }

  async *events(query: ReaderEventsQuery = {}): AsyncGenerator<TimelineEvent> {
    if (typeof query !== "object" || query === null) {
      throw new TimelineValidationError([
        { index: 0, path: [], message: "expected { from?, to?, place?, asOf?, sources? }" },
      ]);
    }
    const from = query.from === undefined ? -Number.MAX_VALUE : this.time(query.from, "from");
    const to = query.to === undefined ? Number.MAX_VALUE : this.time(query.to, "to");
    const place = query.place === undefined ? undefined : placeId(query.place);
    const { asOf, sources } = query;
    const { visibility, view } = this.view(
      asOf === undefined && sources === undefined ? undefined : { asOf, sources },
    );
    this.need();
    for await (const row of this.source.events(from, to, visibility, view?.names, place)) {
      yield deepFreeze(this.read(row.content));
    }
  }
}

/**
 * The stored events with these ids that a reader opened by {@link openReader} sees (retracted
 * ones included), by id: an indexed read of the log, for printing the event behind an entry.
 */
export function storedEvents(
  reader: Reader<AnyEventDefinition, unknown>,
  ids: Iterable<string>,
): Promise<ReadonlyMap<string, TimelineEvent>> {
  return (reader as unknown as ReaderImpl)[STORED_EVENTS]([...new Set(ids)]);
}

function placeId(place: string): string {
  if (typeof place !== "string") {
    throw new TimelineValidationError([
      { index: 0, path: ["place"], message: "expected a place id (a string)" },
    ]);
  }
  return place;
}

function compareFirst(
  a: readonly [number, number, number],
  b: readonly [number, number, number],
): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** The entry after the last event with `at <= t`. */
function valueAt(
  log: { events: readonly { at: number }[]; values: readonly unknown[] },
  t: number,
) {
  let i = log.events.length - 1;
  while (i >= 0 && (log.events[i] as { at: number }).at > t) i--;
  return i < 0 ? undefined : log.values[i];
}

/**
 * Opens a reader on a store: the queries of a timeline, answered from the read models its
 * writers keep (indexed reads), at the store's current version until `refresh()`. It never
 * writes, and never loads the whole log.
 *
 * @throws {TypeError} for a plain (non-keyed) reducer, which only `openTimeline` can fold, or
 *   a store that keeps no read models.
 * @example
 * import { openReader } from "tidemark";
 * import { sqliteStore } from "tidemark/sqlite";
 * const reader = await openReader({ store: sqliteStore("palmyra.db") });
 * (await reader.stateAt("2016-12-12")).control.palmyra?.controller; // "isis"
 * await reader.close();
 */
export async function openReader<
  const E extends readonly AnyEventDefinition[] = [],
  R extends Readonly<Record<string, Reducer>> = Record<never, never>,
>(options: OpenReaderOptions<E, R>): Promise<Reader<DefinitionsFor<E>, StateFor<R>>> {
  if (typeof options !== "object" || options === null || typeof options.store !== "object") {
    throw new TypeError("openReader: options.store must be a store (sqliteStore(path), ...)");
  }
  const { store, reducers = {} } = options;
  for (const [name, reducer] of Object.entries(reducers)) {
    if (!isReducer(reducer)) {
      throw new TypeError(`openReader: reducers.${name} is not a reducer (use defineReducer)`);
    }
    if (reducer.keyed === undefined) {
      throw new TypeError(
        `openReader: reducers.${name} is a plain (non-keyed) reducer, which no read model keeps: fold it in memory with openTimeline({ store, reducers })`,
      );
    }
    if ((BUILTIN_STATE as readonly string[]).includes(name)) {
      throw new TypeError(`openReader: "${name}" is a built-in slice; name the reducer otherwise`);
    }
  }
  if (!keepsReadModels(store)) {
    throw new TypeError(
      "openReader: this store keeps no read models (a store of your own): use openTimeline({ store })",
    );
  }
  const models = new Map(readModelSlices(reducers, undefined).map((m) => [m.name, m] as const));
  const layout = [...BUILTIN_STATE, ...Object.keys(reducers)];
  const connection = await store[OPEN_READ_MODEL]();
  try {
    const zone = readZone(connection.timeZone ?? "UTC");
    if (typeof zone === "string")
      throw new TimelineValidationError([{ index: 0, path: ["timeZone"], message: zone }]);
    const reader = new ReaderImpl(
      connection,
      zone,
      models,
      layout,
      storedEventReader(options.events),
    );
    await reader.refresh();
    return reader as unknown as Reader<DefinitionsFor<E>, StateFor<R>>;
  } catch (error) {
    await connection.close().catch(() => undefined);
    throw error;
  }
}
