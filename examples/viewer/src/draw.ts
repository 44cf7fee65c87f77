// The view, drawn: the map and everything around it, redrawn for each change of the view.

import { NOBODY_COLOR } from "tidemark";
import type { StoredEvent } from "./dataset.js";
import { renderEvents } from "./events-list.js";
import { renderLegend } from "./legend.js";
import { MapView } from "./map.js";
import { showFailure } from "./notices.js";
import { renderPlace } from "./place-panel.js";
import { renderAxis, renderSeries } from "./series.js";
import {
  $,
  asOfInput,
  atInput,
  colors,
  known,
  meta,
  options,
  setFrame,
  sliderPrecision,
  source,
  view,
  windowOf,
} from "./state.js";
import { showTooltip } from "./tooltip.js";
import { renderUnmapped } from "./unmapped.js";
import { writeUrl } from "./url.js";
import { fmt, html, placeName, who } from "./words.js";

export const map = new MapView($("map"), {
  select(place) {
    view.place = view.place === place ? undefined : place;
    void update();
  },
  hover: showTooltip,
});

let drawing: Promise<void> | undefined;
let drawn = 0;
let mapped = 0;
let again = false;

/**
 * Redraws for the current view. While an answer is awaited, moves of the slider are merged:
 * the page then draws the latest view once, never a queue of stale ones.
 */
export function update(): Promise<void> {
  if (drawing !== undefined) {
    again = true;
    return drawing;
  }
  drawing = (async () => {
    try {
      do {
        again = false;
        await draw();
      } while (again);
    } catch (error) {
      const problem = error instanceof Error ? error.message : String(error);
      showFailure({ file: meta.title, problems: [problem] });
    } finally {
      drawing = undefined;
    }
  })();
  return drawing;
}

async function draw(): Promise<void> {
  const opts = options(view);
  const w = windowOf(view);
  const q = { at: view.at, ...opts };
  // Asked together, the map first; the map is drawn as soon as its answer is in, the lists
  // beside it when theirs are (on a large store they take longer than the map).
  const framed = source.frame(q);
  const listed = Promise.all([
    source.events(q),
    view.place === undefined ? undefined : source.place(view.place, q),
  ]);
  // A failed map is reported once (below); the lists' answers are then not awaited.
  listed.catch(() => undefined);
  const shown = await framed;
  // The page's own part of a step, for the browser's developer tools and bench/view.ts.
  performance.mark("tidemark:map-answer");
  setFrame(shown);
  const contested = shown.contested;
  map.update({
    control: shown.control,
    areaPlaces: shown.areaPlaces,
    areas: shown.areas,
    colors,
    nobodyColor: NOBODY_COLOR,
    contested,
    airstrikes: shown.airstrikes,
    selected: view.place,
  });

  $("at-value").textContent = fmt(view.at, sliderPrecision(w));
  atInput.setAttribute("aria-valuetext", fmt(view.at, sliderPrecision(w)));
  const knownText =
    view.asOf === undefined ? "latest: everything recorded" : fmt(view.asOf, sliderPrecision(w));
  $("as-of-value").textContent = knownText;
  asOfInput.setAttribute("aria-valuetext", knownText);
  renderAxis(w);
  renderLegend();
  renderSeries(opts, w);

  const held = shown.held;
  const sourcesText =
    view.sources === undefined
      ? "all sources"
      : view.sources.length === 0
        ? "no source ticked"
        : `according to ${view.sources.join(", ")}`;
  // The first five, and how many more: thousands of places can be contested at once.
  const contestedList = [...contested.entries()]
    .slice(0, 5)
    .map(
      ([place, claims]) =>
        `${placeName(place)} (${claims.map((c) => `${c.source}: ${who(c.controller)}`).join("; ")})`,
    );
  const contestedText =
    contested.size > 5
      ? `${contestedList.join(", ")} and ${contested.size - 5} more places`
      : contestedList.join(", ");
  $("status").innerHTML = `<strong>${html(fmt(view.at, sliderPrecision(w)))}</strong>, ${
    view.asOf === undefined ? "everything recorded" : `as known at ${html(knownText)}`
  }, ${html(sourcesText)}: ${held} place${held === 1 ? "" : "s"} held${
    contested.size > 0
      ? `; <span class="contested-text">contested: ${html(contestedText)}</span>`
      : "; no place contested"
  }.`;

  renderUnmapped(shown);
  performance.measure("tidemark:map-drawn", "tidemark:map-answer");
  mapped += 1;
  // For scripts and the timing of a step: the map of this view, drawn.
  document.body.dataset.mapped = String(mapped);

  const [around, story] = await listed;
  for (const e of [...around.events, ...(story?.events ?? [])]) known.set(e.id, e as StoredEvent);
  renderPlace(story, contested);
  renderEvents(around.events as readonly StoredEvent[], around.total);
  writeUrl();
  drawn += 1;
  // For scripts and the end-to-end test: each redraw, counted.
  document.body.dataset.drawn = String(drawn);
  document.body.dataset.ready = "true";
}
