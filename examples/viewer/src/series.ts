// Under the sliders and the map: the time axis, the ticks where events fall, and the chart of
// each side's territory over time.

import type { TerritorySeries, Ticks } from "../../../src/cli/view-model.js";
import { TerritoryChart } from "./chart.js";
import { stop } from "./controls.js";
import type { Window } from "./dataset.js";
import { update } from "./draw.js";
import { showFailure } from "./notices.js";
import {
  $,
  atInput,
  clock,
  colors,
  meta,
  type options,
  snap,
  source,
  view,
  windowOf,
} from "./state.js";
import { formatAt } from "./time.js";
import { fmt, html } from "./words.js";

const chart = new TerritoryChart($("territory"), (at) => {
  stop();
  view.at = at;
  atInput.value = String(snap(at, windowOf(view)));
  void update();
});

/** The axis as last written. */
let axisWritten = "";

/** Labels under the time slider: days (or months, or years) at their starts. */
export function renderAxis(w: Window): void {
  const span = w.end - w.start;
  const day = 86_400_000;
  const labels: string[] = [];
  const at = (t: number, text: string) =>
    labels.push(`<span style="left:${((t - w.start) / span) * 100}%">${html(text)}</span>`);
  const local = (t: number) => new Date(t + clock.offsetMinutes * 60_000);
  if (span <= 16 * day) {
    // Days, thinned to about eight labels: "Sat, 21 Dec" needs some room.
    const every = Math.max(1, Math.ceil(span / day / 8));
    for (let t = w.start, i = 0; t < w.end; t += day, i++) {
      if (i % every === 0) at(t, formatAt(t, "day", clock).replace(/ \d{4}$/, ""));
    }
  } else {
    // Month starts, thinned to about a dozen labels.
    const first = local(w.start);
    const months: number[] = [];
    for (let y = first.getUTCFullYear(), m = first.getUTCMonth(); ; m++) {
      const t = Date.UTC(y, m, 1) - clock.offsetMinutes * 60_000;
      if (t >= w.end) break;
      if (t >= w.start) months.push(t);
    }
    const every = Math.max(1, Math.ceil(months.length / 12));
    months.forEach((t, i) => {
      if (i % every === 0) at(t, formatAt(t, "month", clock));
    });
  }
  // Written again only when the range changes, not at each step of the slider.
  const text = labels.join("");
  if (text !== axisWritten) {
    $("axis").innerHTML = text;
    axisWritten = text;
  }
}

/** The ticks and the territory chart of one view and range, once their answers are in. */
interface Series {
  readonly key: string;
  ticks?: Ticks;
  territory?: TerritorySeries;
}
let series: Series | undefined;

/** Forgets the last dataset's series. */
export function forgetSeries(): void {
  series = undefined;
}

/**
 * Draws the sliders' ticks and the territory chart. They change only with the view's sources,
 * knowledge or range, not with the instant: asked once per view and drawn when they come, so
 * that the map never waits for them (a store's series takes longer than a step of the map).
 */
export function renderSeries(opts: ReturnType<typeof options>, w: Window): void {
  const key = JSON.stringify([opts.asOf ?? null, opts.sources ?? null, w.start, w.end]);
  const drawChart = (territory: TerritorySeries) => {
    chart.update(territory, view.at, windowOf(view), colors, (t) => fmt(t, "day"));
    document.body.dataset.charted = key;
  };
  if (series?.key === key) {
    if (series.territory !== undefined) drawChart(series.territory);
    return;
  }
  const mine: Series = { key };
  series = mine;
  const failed = (error: unknown) => {
    if (series !== mine) return;
    const problem = error instanceof Error ? error.message : String(error);
    showFailure({ file: meta.title, problems: [problem] });
  };
  source.ticks(opts, w).then((ticks) => {
    mine.ticks = ticks;
    if (series === mine) renderTicks(ticks);
  }, failed);
  source.territory(opts, w).then((territory) => {
    mine.territory = territory;
    if (series === mine) drawChart(territory);
  }, failed);
}

export function renderTicks(ticks: Ticks): void {
  const marks = (list: Ticks["at"]) =>
    list.map(([left, kind]) => `<i style="left:${left}%" class="${kind}"></i>`).join("");
  $("at-ticks").innerHTML = marks(ticks.at);
  $("as-of-ticks").innerHTML = marks(ticks.asOf);
}
