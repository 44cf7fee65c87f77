// The viewer's vocabulary, as plain JSON: the queries it asks, and the answers that the page
// (in the browser) and `tidemark view` (over HTTP) give alike.
// Browser-safe: no Node built-ins (the page bundles this file).

import type { Registry } from "../core/registry.js";
import type {
  AirstrikeEntry,
  ArrestsEntry,
  ControlEntry,
  ControlInterval,
} from "../core/slices.js";
import type { Precision } from "../core/time.js";
import type { Claim, QueryOptions } from "../core/timeline.js";
import type { AreaFeatureCollection } from "../formats/areas.js";
import type { PlaceFeatureCollection } from "../formats/geojson.js";

/** A stored event as the page receives it (the types it knows are narrowed there). */
export interface ViewEvent {
  readonly id: string;
  readonly type: string;
  readonly at: number;
  readonly precision: Precision;
  readonly recordedAt: number;
  readonly sources: readonly { readonly name: string; readonly url?: string }[];
  readonly note?: string;
  readonly data: unknown;
}

/** The queries the viewer asks: an in-memory timeline and a store both answer them. */
export interface ViewTimeline {
  stateAt(at: number, options?: QueryOptions): ViewState;
  events(query?: QueryOptions & { from?: number; to?: number }): readonly ViewEvent[];
  history(place: string, options?: QueryOptions): readonly ControlInterval[];
  claims(place: string, at: number, options?: QueryOptions): readonly Claim[];
  contested(
    at: number,
    options?: QueryOptions,
  ): readonly { place: string; claims: readonly Claim[] }[];
  toJSON(): { readonly events: readonly ViewEvent[] };
}

/** The slices the viewer reads (UCDP GED's `fatalities` when the timeline keeps it). */
export interface ViewState {
  readonly control: Readonly<Record<string, ControlEntry>>;
  readonly airstrikes: Readonly<Record<string, AirstrikeEntry>>;
  readonly arrests: Readonly<Record<string, ArrestsEntry>>;
  readonly fatalities?: Readonly<Record<string, Deaths>>;
}

/** UCDP GED's deaths in a place, summed by the `fatalities` reducer. */
export interface Deaths {
  readonly best: number;
  readonly low: number;
  readonly high: number;
}

/** A range of instants (epoch ms), with the step of the sliders over it. */
export interface Window {
  readonly start: number;
  readonly end: number;
  readonly step: number;
}

/** Which instant, as known when, according to which sources. */
export interface ViewQuery {
  readonly at: number;
  readonly asOf?: number | undefined;
  readonly sources?: readonly string[] | undefined;
}

/** Rows of the input that are not on the map: one line to show, the full report under it. */
export interface SkippedReport {
  readonly summary: string;
  readonly lines: readonly string[];
}

/** What the viewer knows of its data before any instant is chosen. */
export interface ViewMeta {
  readonly title: string;
  readonly subtitle: string;
  readonly places: Registry;
  readonly actors: Registry;
  /** Source names in order of first citation, with the number of events citing each. */
  readonly sources: readonly { readonly name: string; readonly events: number }[];
  /** Events that cite no source (they count only when every source is ticked). */
  readonly unsourced: number;
  /** Actor ids that can appear on the map: the registry's and every controller named. */
  readonly actorIds: readonly string[];
  /** Actors that a control event makes controllers (the legend's colours). */
  readonly controllers: readonly string[];
  /** Places that events name: the map is framed on them. */
  readonly named: readonly string[];
  /** Places that events name but no control event touches (drawn as outlines only). */
  readonly uncontrolled: readonly string[];
  /** The place most events name (one on the map if any): the story's centre. */
  readonly busiest: string | null;
  /** `at` of the last event (not a retraction); null when there is none. */
  readonly lastAt: number | null;
  /** The whole timeline, and its busiest last days (the sliders' default range). */
  readonly full: Window;
  readonly recent: Window;
  /** Whether some place has an area: the chart then counts km², else places. */
  readonly hasAreas: boolean;
  /** Number of stored events, retractions included. */
  readonly events: number;
  /** How to print times: a fixed offset east of UTC, and words for some instants. */
  readonly offsetMinutes: number;
  readonly labels: readonly (readonly [number, string])[];
  readonly skipped: SkippedReport | null;
}

/** The map at one instant. */
export interface ViewFrame {
  /** `toGeoJSON(state, places)`. */
  readonly geojson: PlaceFeatureCollection;
  /** `controlAreas(state, places)`. */
  readonly areas: AreaFeatureCollection;
  /** Places whose sources disagree, with each claim's source and controller. */
  readonly contested: readonly (readonly [string, readonly SourceClaim[]])[];
  readonly airstrikes: readonly (readonly [string, number])[];
  /** Number of places held by someone. */
  readonly held: number;
}

/** What the map shows of a claim: whose it is and whom it names. */
export type SourceClaim = Pick<Claim, "source" | "controller">;

/**
 * The map at one instant as the JSON API sends it: the control entries instead of their
 * GeoJSON, which the page makes from the places it already has ({@link expandFrame}), so that
 * a step of the slider sends no geometry; and each distinct claim of the contested places once
 * (thousands of places contested by the same few sources cost a few numbers each).
 */
export interface CompactFrame extends Omit<ViewFrame, "geojson" | "contested"> {
  /** The distinct (source, controller) pairs of the contested places' claims. */
  readonly claims: readonly (readonly [source: string, controller: string | null])[];
  /** Each contested place, with its claims as indexes into `claims`, in order. */
  readonly contested: readonly (readonly [place: string, claims: readonly number[]])[];
  /** Each place's control entry: id, controller, since, precision, contested (when known). */
  readonly control: readonly (readonly [
    id: string,
    controller: string | null,
    since: number,
    precision: Precision,
    contested?: boolean,
  ])[];
}

/** One place at one instant, with its whole story. */
export interface PlaceStory {
  readonly id: string;
  readonly control: ControlEntry | null;
  readonly claims: readonly Claim[];
  readonly history: readonly ControlInterval[];
  readonly airstrikes: AirstrikeEntry | null;
  readonly arrests: ArrestsEntry | null;
  readonly deaths: Deaths | null;
  /** The events that the story cites, by id. */
  readonly events: readonly ViewEvent[];
}

/** The events around an instant: up to 250 before it and 50 after. */
export interface EventsAround {
  readonly total: number;
  readonly events: readonly ViewEvent[];
}

/** Positions on a slider (per cent of its range), each with the kind of its events. */
export interface Ticks {
  readonly at: readonly (readonly [number, string])[];
  readonly asOf: readonly (readonly [number, string])[];
}

/** Each side's territory over a window: km² of areas, or counts of places. */
export interface TerritorySeries {
  readonly unit: "km²" | "places";
  readonly times: readonly number[];
  readonly sides: readonly {
    readonly controller: string | null;
    readonly values: readonly number[];
  }[];
  /** Why the series is empty, when it is left out. */
  readonly note?: string;
}

/** Presentation of the data, given by whoever loaded it. */
export interface ViewInfo {
  readonly title: string;
  readonly subtitle: string;
  readonly places: Registry;
  readonly actors: Registry;
  readonly skipped?: SkippedReport | null;
  readonly offsetMinutes?: number;
  readonly labels?: readonly (readonly [number, string])[];
}
