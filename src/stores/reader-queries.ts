/**
 * The queries of a reader (see reader.ts), each answered by indexed reads of the read models
 * at the reader's version, or in a `sources` view folded in memory from the events citing them.
 */
import {
  type Claim,
  type ContestedPlace,
  isContested,
  NO_CLAIMS,
  type PlaceClaims,
  type StoredControlFold,
} from "../core/claims.js";
import { type DiffEntry, intervalsOfSteps } from "../core/control.js";
import { TimelineValidationError } from "../core/errors.js";
import type { TimelineEvent } from "../core/events.js";
import { deepFreeze } from "../core/json-data.js";
import type { ControlEntry, ControlInterval } from "../core/slices.js";
import type { Precision, TimeInput } from "../core/time.js";
import type { QueryOptions, SourceCount } from "../core/timeline.js";
import type { View } from "../core/views.js";
import type { ReaderEventsQuery } from "./reader-api.js";
import { ReaderSession } from "./reader-session.js";
import { STORED_EVENTS, type Visibility, type VisibleRow } from "./reader-source.js";
import { checksum, StoreCorruptionError } from "./store.js";

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const parse = (value: string | null): unknown =>
  value === null ? undefined : deepFreeze(JSON.parse(value));

/** A reader: the queries of a `Reader` (reader-api.ts), over its session. */
export class ReaderImpl extends ReaderSession {
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
      const fold = folds.get(key) as StoredControlFold | undefined;
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

  /** The events with these ids among the reader's version, by id (see `storedEvents` in reader.ts). */
  async [STORED_EVENTS](ids: readonly string[]): Promise<Map<string, TimelineEvent>> {
    const rows = await this.source.eventsWithIds(ids, this.version);
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
