// The story of an area, under the map: each side's territory over the sliders' range (km² of
// `controlAreas` where places have areas, else the number of places held), one line per side
// in its map colour, a marker at the selected instant; a click seeks the time slider there.

import { NOBODY_COLOR } from "tidemark";
import type { TerritorySeries, Window } from "../../../src/cli/view-model.js";

const SVG = "http://www.w3.org/2000/svg";
const HEIGHT = 120;
const PAD = { left: 56, right: 12, top: 10, bottom: 20 };

const number = (n: number) =>
  n >= 10_000
    ? `${Math.round(n / 1000).toLocaleString("en")}k`
    : Math.round(n).toLocaleString("en");

export class TerritoryChart {
  private window: Window | undefined;
  /** What the chart was last drawn from. */
  private drawn:
    | {
        series: TerritorySeries;
        width: number;
        colors: Readonly<Record<string, string>>;
        start: number;
        end: number;
      }
    | undefined;

  constructor(
    private readonly host: HTMLElement,
    seek: (at: number) => void,
  ) {
    // A new width draws the chart again at the next update.
    new ResizeObserver(() => {
      if (this.drawn !== undefined && Math.max(this.host.clientWidth, 320) !== this.drawn.width) {
        this.drawn = undefined;
      }
    }).observe(host);
    host.addEventListener("click", (event) => {
      const svg = host.querySelector("svg");
      if (svg === null || this.window === undefined) return;
      const box = svg.getBoundingClientRect();
      const width = box.width - PAD.left - PAD.right;
      const x = Math.min(Math.max(event.clientX - box.left - PAD.left, 0), width);
      const w = this.window;
      seek(Math.round(w.start + ((w.end - w.start) * x) / width));
    });
  }

  /** Draws `series` over `w`, with a marker at `at`. */
  update(
    series: TerritorySeries,
    at: number,
    w: Window,
    colors: Readonly<Record<string, string>>,
    day: (t: number) => string,
  ): void {
    this.window = w;
    const clamped = Math.min(Math.max(at, w.start), w.end);
    // A step of the slider over the same chart moves its marker only (and reads no width: that
    // would lay out the page again in the middle of a step).
    const now = this.host.querySelector<SVGLineElement>("line.now");
    if (
      now !== null &&
      this.drawn?.series === series &&
      this.drawn.colors === colors &&
      this.drawn.start === w.start &&
      this.drawn.end === w.end
    ) {
      const inner = this.drawn.width - PAD.left - PAD.right;
      const left = PAD.left + ((clamped - w.start) / (w.end - w.start)) * inner;
      now.setAttribute("x1", String(left));
      now.setAttribute("x2", String(left));
      now.dataset.now = String(at);
      return;
    }
    const width = Math.max(this.host.clientWidth, 320);
    const inner = width - PAD.left - PAD.right;
    const height = HEIGHT - PAD.top - PAD.bottom;
    const x = (t: number) => PAD.left + ((t - w.start) / (w.end - w.start)) * inner;
    this.drawn = { series, width, colors, start: w.start, end: w.end };
    const sides = series.sides.filter((s) => s.values.some((v) => v > 0));
    const max = Math.max(1, ...sides.flatMap((s) => s.values));
    const y = (v: number) => PAD.top + height - (v / max) * height;
    const colorOf = (c: string | null) =>
      c === null ? NOBODY_COLOR : Object.hasOwn(colors, c) ? (colors[c] as string) : "#555555";
    // Steps, not slopes: control changes at an instant.
    const lines = sides.map((s) => {
      let d = "";
      s.values.forEach((v, i) => {
        const t = series.times[i] as number;
        d +=
          i === 0
            ? `M${x(t).toFixed(1)} ${y(v).toFixed(1)}`
            : `H${x(t).toFixed(1)}V${y(v).toFixed(1)}`;
      });
      return `<path d="${d}" fill="none" stroke="${colorOf(s.controller)}" stroke-width="2.2" data-side="${s.controller ?? "nobody"}"/>`;
    });
    const unit = series.unit === "km²" ? "km²" : "places";
    const title =
      series.unit === "km²"
        ? "Territory held, km² (areas of places)"
        : "Places held (no place has an area)";
    this.host.innerHTML = `<svg xmlns="${SVG}" width="${width}" height="${HEIGHT}" viewBox="0 0 ${width} ${HEIGHT}" role="img" aria-label="${title}">
      <title>${title}; click to move the time slider</title>
      <line x1="${PAD.left}" x2="${width - PAD.right}" y1="${y(0)}" y2="${y(0)}" class="axis"/>
      <line x1="${PAD.left}" x2="${width - PAD.right}" y1="${y(max)}" y2="${y(max)}" class="grid"/>
      <text x="${PAD.left - 6}" y="${y(max) + 4}" text-anchor="end" class="tick">${number(max)}</text>
      <text x="${PAD.left - 6}" y="${y(0)}" text-anchor="end" class="tick">0 ${unit}</text>
      <text x="${PAD.left}" y="${HEIGHT - 4}" class="tick">${day(w.start)}</text>
      <text x="${width - PAD.right}" y="${HEIGHT - 4}" text-anchor="end" class="tick">${day(w.end - 1)}</text>
      ${lines.join("")}${
        series.note === undefined
          ? ""
          : `<text x="${PAD.left + 8}" y="${PAD.top + height / 2}" class="tick note">${series.note.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)}</text>`
      }
      <line x1="${x(clamped)}" x2="${x(clamped)}" y1="${PAD.top - 4}" y2="${y(0)}" class="now" data-now="${at}"/>
    </svg>`;
    this.host.dataset.unit = series.unit;
  }
}
