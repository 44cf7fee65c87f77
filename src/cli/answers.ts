// What the read commands ask of their input, asked the same way of a file and of a store: a
// file is folded in memory (its timeline answers at once), a store is read through a reader
// (store-answers.ts), which answers from the read models its writers keep.

import type { Claim, ContestedPlace, PlaceClaims } from "../core/claims.js";
import type { DiffEntry } from "../core/control.js";
import type { TimelineEvent } from "../core/events.js";
import type { Registry } from "../core/registry.js";
import type { ControlInterval } from "../core/slices.js";
import type { SourceCount } from "../core/timeline.js";
import type { QueryTimeline } from "./input.js";

/** `--as-of` and `--source`, as the command line reads them. */
export interface CliQuery {
  readonly asOf?: number;
  readonly sources?: readonly string[];
}

/** The state that `state` and `geojson` print (built-in slices and UCDP GED's deaths). */
export type CliState = ReturnType<QueryTimeline["stateAt"]>;

/** The queries of the read commands, each answered asynchronously. */
export interface Answers {
  /** The zone the input's dates were read in (a store's or a `toJSON()` file's), if any. */
  readonly timeZone: string | undefined;
  /** The state at `at`, or after every event when `at` is undefined. */
  state(at: number | undefined, query: CliQuery): Promise<CliState>;
  history(place: string, query: CliQuery): Promise<readonly ControlInterval[]>;
  diff(a: number, b: number, query: CliQuery): Promise<readonly DiffEntry[]>;
  claims(place: string, at: number, query: CliQuery): Promise<readonly Claim[]>;
  claimsAt(at: number, query: CliQuery): Promise<readonly PlaceClaims[]>;
  contested(at: number, query: CliQuery): Promise<readonly ContestedPlace[]>;
  sources(query: CliQuery): Promise<readonly SourceCount[]>;
  /** The stored events with these ids (retracted ones included), by id: for their notBefore. */
  eventsById(ids: Iterable<string>): Promise<ReadonlyMap<string, TimelineEvent>>;
  /** The events that count, in timeline order. */
  events(query: CliQuery): AsyncIterable<TimelineEvent>;
  /** The places the data speaks of (control, air strikes, arrests), for a --place by name. */
  knownPlaces(): Promise<readonly string[]>;
  /** A file's timeline, which answers synchronously (a chart asks it directly). */
  readonly timeline?: QueryTimeline;
}

/** The answers of a file, folded in memory: its timeline answers each query at once. */
export function timelineAnswers(timeline: QueryTimeline): Answers {
  let byId: Map<string, TimelineEvent> | undefined;
  return {
    timeline,
    timeZone: timeline.timeZone,
    state: async (at, query) =>
      at === undefined ? timeline.latest(query) : timeline.stateAt(at, query),
    history: async (place, query) => timeline.history(place, query),
    diff: async (a, b, query) => timeline.diff(a, b, query),
    claims: async (place, at, query) => timeline.claims(place, at, query),
    claimsAt: async (at, query) => timeline.claimsAt(at, query),
    contested: async (at, query) => timeline.contested(at, query),
    sources: async (query) => timeline.sources(query),
    eventsById: async () => {
      byId ??= new Map(timeline.toJSON().events.map((e) => [e.id, e]));
      return byId;
    },
    events: (query) => {
      const events = timeline.events(query);
      return (async function* () {
        yield* events;
      })();
    },
    knownPlaces: async () => {
      const state = timeline.latest();
      return [
        ...Object.keys(state.control),
        ...Object.keys(state.airstrikes),
        ...Object.keys(state.arrests),
      ];
    },
  };
}

/** A query's key in {@link HistoryCache}: the place, `asOf` and the sources that count. */
const historyKey = (place: string, query: { asOf?: unknown; sources?: readonly string[] }) =>
  JSON.stringify([place, query.asOf ?? null, query.sources ?? null]);

/**
 * Control histories fetched ahead (asynchronously, from a store), answered synchronously to
 * a function that asks a timeline (`renderChart`, `toGeoJSONHistory`). A history not fetched
 * is a bug, never an empty answer.
 */
export class HistoryCache {
  private readonly kept = new Map<string, readonly ControlInterval[]>();

  constructor(private readonly answers: Answers) {}

  /** Fetches the histories of `places` under `query`. */
  async fetch(places: Iterable<string>, query: CliQuery): Promise<void> {
    for (const place of places) {
      this.kept.set(historyKey(place, query), await this.answers.history(place, query));
    }
  }

  history(
    place: string,
    query: { asOf?: unknown; sources?: readonly string[] } = {},
  ): readonly ControlInterval[] {
    const found = this.kept.get(historyKey(place, query));
    if (found === undefined) throw new Error(`history of ${place} was not fetched`);
    return found;
  }
}

/** A read command's input: its answers, the registries that name its places, its release. */
export interface AnsweringInput {
  readonly answers: Answers;
  readonly places?: Registry;
  readonly actors?: Registry;
  close(): Promise<void>;
}
