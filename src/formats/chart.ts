// An SVG chart of control over time: one band per place, one colour per actor, contested
// spans hatched, a legend and a dated time axis. Browser-safe: builds a string, no DOM.
// What it shows is read in chart-data.ts, its time axis is chart-axis.ts, its SVG chart-svg.ts.

import type { TimelineEvent } from "../core/events.js";
import type { Registry } from "../core/registry.js";
import type { ControlEntry, ControlInterval } from "../core/slices.js";
import type { TimeInput } from "../core/time.js";
import { chartData } from "./chart-data.js";
import { drawChart } from "./chart-svg.js";

/** What {@link renderChart} needs of a timeline (any `Timeline` has it). */
export interface ChartSource {
  /** The control intervals of one place: its band (and, per source, the hatching). */
  history(
    place: string,
    options?: { asOf?: TimeInput; sources?: readonly string[] },
  ): readonly ControlInterval[];
  /** The stored events: the sources that report control, whose disagreements are hatched. */
  events(query?: { asOf?: TimeInput; sources?: readonly string[] }): readonly TimelineEvent[];
  /** The last state: the places control ever reached, the chart's rows. */
  latest(options?: { asOf?: TimeInput; sources?: readonly string[] }): {
    readonly control: Readonly<Record<string, ControlEntry>>;
  };
  /** The timeline's zone: the chart's default. */
  readonly timeZone?: string;
}

/** Options of {@link renderChart}. */
export interface ChartOptions {
  /** Start of the time axis; default: the first control event shown. */
  readonly from?: TimeInput;
  /** End of the time axis; default: a little after the last control event. */
  readonly to?: TimeInput;
  /** Chart what was known at this time (as the `asOf` query option). */
  readonly asOf?: TimeInput;
  /** Chart only events citing these sources (as the `sources` query option). */
  readonly sources?: readonly string[];
  /** Place registry: names for the bands, and their order (registry order). */
  readonly places?: Registry;
  /** Actor registry: names for the legend; its ids fix the colours (see `actorColors`). */
  readonly actors?: Registry;
  /** Place ids to show, in this order; default: every place with control in the window. */
  readonly show?: readonly string[];
  /** Language of the names to print, from the registries' `names` (default: `name`). */
  readonly lang?: string;
  /** Title above the chart; default "Control over time". */
  readonly title?: string;
  /** Width in pixels (default 960). */
  readonly width?: number;
  /**
   * Time zone of the axis, the tooltips and `from`/`to`/`asOf` written without an offset:
   * an IANA name or a fixed offset (default: the timeline's `timeZone`, else UTC).
   */
  readonly timeZone?: string;
  /**
   * Colours by actor id, overriding the palette's: CSS colour syntax only (`#a1b2c3`, `#abc`,
   * `rgb(...)`, `hsl(...)`, a colour name); anything else is a `TypeError`.
   */
  readonly colors?: Readonly<Record<string, string>>;
}

/**
 * An SVG chart of control over time: one band per place, coloured by who held it (one
 * colour-blind-safe colour per actor, stable across charts: see `actorColors`; grey where
 * nobody held it, a pale track where nothing is known), hatched where the sources that speak
 * of the place disagree, with a legend and a dated time axis. Each span has a tooltip
 * (`<title>`) with its controller, times (at their precision) and event id.
 *
 * @example
 * const svg = renderChart(timeline, {
 *   places, actors, from: "2016-12-07", to: "2016-12-13", timeZone: "Asia/Damascus",
 *   title: "Palmyra, December 2016",
 * });
 * await writeFile("palmyra.svg", svg);
 */
export function renderChart(timeline: ChartSource, options: ChartOptions = {}): string {
  return drawChart(chartData(timeline, options), options);
}
