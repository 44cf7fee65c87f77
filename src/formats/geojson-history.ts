import { formatTime } from "../core/format-time.js";
import type { Registry } from "../core/registry.js";
import type { ControlInterval } from "../core/slices.js";
import { type Precision, queryTime, type TimeInput } from "../core/time.js";
import type { QueryOptions } from "../core/timeline.js";
import { type PlaceFeature, placeGeometry } from "./geojson.js";

/** Options of {@link toGeoJSONHistory}: those of queries, plus bounds on the intervals' times. */
export interface HistoryOptions extends QueryOptions {
  /** Only intervals still open at or after this instant. */
  readonly from?: TimeInput;
  /** Only intervals begun at or before this instant. */
  readonly to?: TimeInput;
  /** The zone the `*Iso` properties are written in. Default `"UTC"`. */
  readonly timeZone?: string;
}

/** `properties` of each feature {@link toGeoJSONHistory} writes: one interval of control. */
export interface IntervalProperties {
  /** The place id. */
  readonly id: string;
  /** The registry's `name` of the place. */
  readonly name: string;
  /** Who held it over the interval: an actor id, or `null` when nobody did. */
  readonly controller: string | null;
  /** When the interval began, ISO 8601 in UTC (`2016-12-10T16:00:00.000Z`). */
  readonly start: string;
  /** When it ended, ISO 8601 in UTC; absent while it lasts. */
  readonly end?: string;
  /** How precise `start` is (the precision of the event that began the interval). */
  readonly fromPrecision: Precision;
  /** How precise `end` is; absent with `end`. */
  readonly toPrecision?: Precision;
  /** `start` in epoch ms, as `history` gives it. */
  readonly from: number;
  /** `end` in epoch ms; absent with `end`. */
  readonly to?: number;
  /** `start` as ISO 8601 cut to `fromPrecision` (`formatTime`, in the `timeZone` option). */
  readonly fromIso: string;
  /** `end` as ISO 8601 cut to `toPrecision`; absent with `end`. */
  readonly toIso?: string;
  /**
   * Where the event that began the interval is known only between two times: the earliest
   * (epoch ms), its precision, and as ISO 8601 at that precision. Absent otherwise.
   */
  readonly notBefore?: number;
  readonly notBeforePrecision?: Precision;
  readonly notBeforeIso?: string;
}

/** A place's area or point over one interval of control. */
export interface IntervalFeature {
  readonly type: "Feature";
  /** `<place id>/<n>`: the place's n-th interval (from 0), unique in the collection. */
  readonly id: string;
  readonly geometry: PlaceFeature["geometry"];
  readonly properties: IntervalProperties;
}

/** A GeoJSON FeatureCollection (RFC 7946) of intervals of control. */
export interface IntervalFeatureCollection {
  readonly type: "FeatureCollection";
  readonly features: readonly IntervalFeature[];
}

/**
 * The history of control as timed GeoJSON, the form that time-slider map plugins read
 * (leaflet.timeline, timemap, a MapLibre filter on `start`/`end`): one feature per place (that
 * has a `geometry` or `coordinates`) and interval of `timeline.history(place, options)`, in
 * registry order then time order, with `properties: { id, name, controller, start, end,
 * fromPrecision, toPrecision, from, to, fromIso, toIso }` and, where the interval's first event
 * is known only between two times, `notBefore`, `notBeforePrecision`, `notBeforeIso`. `start`/
 * `end` are full ISO 8601 instants in UTC (what time-slider plugins parse); beside them, as
 * the CLI's `--json` writes times, `from`/`to` in epoch ms and `fromIso`/`toIso` in ISO 8601
 * cut to their precision (in `timeZone`, default UTC), for printing. `end`, `to`, `toIso` and
 * `toPrecision` are absent while the interval lasts. `from`/`to` keep the intervals that overlap them,
 * unclipped: an interval's start and end stay what the events say.
 *
 * @example
 * const timed = toGeoJSONHistory(timeline, places, { sources: ["SOHR"], from: "2016-12-08" });
 * L.timeline(timed).addTo(map); // leaflet.timeline reads `start` and `end`
 */
export function toGeoJSONHistory(
  timeline: {
    history(place: string, options?: QueryOptions): readonly ControlInterval[];
  },
  places: Registry,
  options: HistoryOptions = {},
): IntervalFeatureCollection {
  const { from, to, timeZone, ...query } = options;
  const iso = (at: number, precision: Precision) => formatTime(at, precision, { timeZone });
  const start = from === undefined ? Number.NEGATIVE_INFINITY : queryTime(from, "from");
  const end = to === undefined ? Number.POSITIVE_INFINITY : queryTime(to, "to");
  const features: IntervalFeature[] = [];
  for (const [id, place] of Object.entries(places)) {
    const geometry = placeGeometry(place);
    if (geometry === undefined) continue;
    timeline.history(id, query).forEach((interval, n) => {
      if (interval.from > end || (interval.to !== null && interval.to <= start)) return;
      const properties: IntervalProperties = {
        id,
        name: place.name,
        controller: interval.controller,
        start: new Date(interval.from).toISOString(),
        ...(interval.to === null ? {} : { end: new Date(interval.to).toISOString() }),
        fromPrecision: interval.fromPrecision,
        ...(interval.toPrecision === null ? {} : { toPrecision: interval.toPrecision }),
        from: interval.from,
        ...(interval.to === null ? {} : { to: interval.to }),
        fromIso: iso(interval.from, interval.fromPrecision),
        ...(interval.to === null
          ? {}
          : { toIso: iso(interval.to, interval.toPrecision ?? "millisecond") }),
        ...(interval.notBefore === undefined
          ? {}
          : {
              notBefore: interval.notBefore,
              notBeforePrecision: interval.notBeforePrecision ?? interval.fromPrecision,
              notBeforeIso: iso(
                interval.notBefore,
                interval.notBeforePrecision ?? interval.fromPrecision,
              ),
            }),
      };
      features.push({ type: "Feature", id: `${id}/${n}`, geometry, properties });
    });
  }
  return { type: "FeatureCollection", features };
}
