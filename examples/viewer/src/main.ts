// The tidemark viewer: a timeline on a map, at any instant, as known at any time, according to
// any sources. Everything the map shows comes from the calls a map app makes, asked through a
// Source (dataset.ts): `stateAt(t, { asOf, sources })`, `toGeoJSON(state, places)`,
// `controlAreas(state, places)`, `contested(t, options)`, `claims`, `history`; the play button
// steps through the starts and ends of `toGeoJSONHistory(timeline, places)`, and the chart
// under the map shows each side's territory over time. The data is the Palmyra example, a file
// (opened, dropped, or named by `?file=`), or what `tidemark view` serves.

import {
  type ArrestsEntry,
  actorColors,
  type Claim,
  type ControlInterval,
  NOBODY_COLOR,
  type Precision,
  parseTime,
} from "tidemark";
import type {
  PlaceStory,
  TerritorySeries,
  Ticks,
  ViewFrame,
  ViewMeta,
} from "../../../src/cli/view-model.js";
import { noteText, timeWords } from "../../palmyra/events.js";
import { TerritoryChart } from "./chart.js";
import {
  type LoadFailure,
  loadFiles,
  palmyraSource,
  type Source,
  type StoredEvent,
  serverSource,
  type Window,
} from "./dataset.js";
import { MapView } from "./map.js";
import { type Clock, formatAt, formatOffset, isoMinute } from "./time.js";

/** What the page shows; all of it is kept in the URL. */
interface View {
  /** Valid time: what happened by this instant (epoch ms). */
  at: number;
  /** Knowledge time: only what was recorded by then; `undefined`: everything recorded. */
  asOf: number | undefined;
  /** Accepted source names; `undefined`: every source (and events that cite none). */
  sources: readonly string[] | undefined;
  place: string | undefined;
  range: "recent" | "all";
}

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const node = document.getElementById(id);
  if (node === null) throw new Error(`#${id} is missing from index.html`);
  return node as T;
};

const atInput = $<HTMLInputElement>("at");
const asOfInput = $<HTMLInputElement>("as-of");

// Set at the bottom of this module, once every helper is defined.
let source: Source;
let meta: ViewMeta;
let clock: Clock;
let view: View;
/** Events the answers have carried so far, by id (for their sources, notes and types). */
const known = new Map<string, StoredEvent>();
/** The map as last drawn, for the tooltip. */
let frame: ViewFrame | undefined;
let colors: Record<string, string> = {};
const map = new MapView($("map"), {
  select(place) {
    view.place = view.place === place ? undefined : place;
    void update();
  },
  hover: showTooltip,
});
const chart = new TerritoryChart($("territory"), (at) => {
  stop();
  view.at = at;
  atInput.value = String(snap(at, windowOf(view)));
  void update();
});

// ------------------------------------------------------------------ names and words

/** A record's own entry: a place named `constructor` is not `Object`. */
const own = <T>(record: Readonly<Record<string, T>>, key: string): T | undefined =>
  Object.hasOwn(record, key) ? record[key] : undefined;
const placeName = (id: string) => own(meta.places, id)?.name ?? id;
const actorName = (id: string) => {
  const entry = own(meta.actors, id);
  return entry?.names?.en ?? entry?.name ?? id;
};
const who = (controller: string | null | undefined) =>
  controller === undefined ? "no report" : controller === null ? "nobody" : actorName(controller);
const fmt = (at: number, precision: Precision, words?: string) =>
  formatAt(at, precision, clock, words);
const sliderPrecision = (w: Window): Precision => (w.step < 86_400_000 ? "minute" : "day");
const windowOf = (v: View) => (v.range === "all" ? meta.full : meta.recent);
const options = (v: View): { asOf?: number; sources?: readonly string[] } => ({
  ...(v.asOf === undefined ? {} : { asOf: v.asOf }),
  ...(v.sources === undefined ? {} : { sources: v.sources }),
});
const sourcesOf = (eventId: string) => {
  const names = known.get(eventId)?.sources.map((s) => s.name) ?? [];
  return names.length > 0 ? names.join(", ") : "no source named";
};
/**
 * An instant an event set (a control entry's `since`, a claim's, an interval's ends), with the
 * event's own words for its time ("[dawn] …" in its note) when the event is at that instant.
 */
const eventTime = (eventId: string | undefined, at: number, precision: Precision) => {
  const event = eventId === undefined ? undefined : known.get(eventId);
  const time = fmt(at, precision, event?.at === at ? timeWords(event.note) : undefined);
  // An event known only between two times ("on the 8th or later") prints as that span.
  if (event?.notBefore === undefined || event.at !== at) return time;
  return `${fmt(event.notBefore, event.notBeforePrecision ?? precision)} – ${time}`;
};

/**
 * When a value was set: "since <time>"; for a `Held` report "reported holding, <time>", since
 * a report that an actor holds a place is a status at that time, not a capture.
 */
function sinceText(eventId: string, since: number, precision: Precision): string {
  const time = eventTime(eventId, since, precision);
  return known.get(eventId)?.type === "Held" ? `reported holding, ${time}` : `since ${time}`;
}

/** Arrests as reported: a number only where the reports give one, never 0 for unknown. */
function arrestsText(a: ArrestsEntry): string {
  const reports = `${a.events} arrest report${a.events === 1 ? "" : "s"}`;
  const counted = a.events - a.uncounted;
  if (counted === 0) return `${reports}, number unknown`;
  const more =
    a.uncounted === 0
      ? ""
      : `, and more in ${a.uncounted} report${a.uncounted === 1 ? "" : "s"} giving no number`;
  return `${reports}: ${a.detained} detained${more}`;
}

/** A colour chip and a name, as HTML. */
function chip(controller: string | null | undefined): string {
  return `${dot(controller)}${html(who(controller))}`;
}

/** A colour chip, as HTML. */
function dot(controller: string | null | undefined): string {
  const color =
    controller === undefined
      ? "#ffffff"
      : controller === null
        ? NOBODY_COLOR
        : (own(colors, controller) ?? "#555555");
  return `<span class="chip" style="--chip:${color}"></span>`;
}

function html(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );
}

// ------------------------------------------------------------------ URL

function readUrl(d: ViewMeta): View {
  const params = new URLSearchParams(location.search);
  const time = (name: string): number | undefined => {
    const value = params.get(name);
    if (value === null || value === "" || value === "latest") return undefined;
    try {
      return parseTime(value).at;
    } catch {
      return undefined;
    }
  };
  const at = time("at");
  const asOf = time("asOf");
  const sourcesParam = params.get("sources");
  const known = new Set(d.sources.map((s) => s.name));
  const sources =
    sourcesParam === null ? undefined : sourcesParam.split(",").filter((s) => known.has(s));
  const place = params.get("place") ?? undefined;
  const inRecent = (t: number | undefined) =>
    t === undefined || (t >= d.recent.start && t <= d.recent.end);
  const range =
    params.get("range") === "all" || !inRecent(at) || !inRecent(asOf) ? "all" : "recent";
  return {
    at: at ?? defaultAt(d),
    asOf,
    sources: sources !== undefined && sources.length === d.sources.length ? undefined : sources,
    place: place !== undefined && Object.hasOwn(d.places, place) ? place : (d.busiest ?? undefined),
    range,
  };
}

function writeUrl(): void {
  if (!source.linkable) return; // a dropped file cannot be linked to
  const enc = (v: string) =>
    encodeURIComponent(v).replace(/%3A/g, ":").replace(/%2C/g, ",").replace(/%20/g, "+");
  const parts = [`at=${enc(isoMinute(view.at, clock.offsetMinutes))}`];
  if (view.asOf !== undefined) parts.push(`asOf=${enc(isoMinute(view.asOf, clock.offsetMinutes))}`);
  if (view.sources !== undefined) parts.push(`sources=${view.sources.map(enc).join(",")}`);
  if (view.place !== undefined) parts.push(`place=${enc(view.place)}`);
  if (view.range === "all") parts.push("range=all");
  // The file the URL names stays named.
  const given = new URLSearchParams(location.search);
  for (const name of ["actors", "places", "file"]) {
    const value = given.get(name);
    if (value !== null) parts.unshift(`${name}=${enc(value)}`);
  }
  history.replaceState(null, "", `?${parts.join("&")}`);
}

/** The last instant with an event, on the slider's grid. */
function defaultAt(d: ViewMeta): number {
  const w = d.recent;
  const last = Math.max(d.lastAt ?? w.start, w.start);
  const snapped = w.start + Math.ceil((last - w.start) / w.step) * w.step;
  return Math.min(Math.max(snapped, w.start), w.end);
}

/** Whether the map shows a place: it has coordinates or an area. */
function onMap(place: string): boolean {
  const entry = own(meta.places, place);
  return entry?.coordinates !== undefined || entry?.geometry !== undefined;
}

// ------------------------------------------------------------------ set-up per dataset

function setUp(given: Source, isExample: boolean): void {
  source = given;
  meta = given.meta;
  series = undefined;
  clock = { offsetMinutes: meta.offsetMinutes, labels: new Map(meta.labels) };
  known.clear();
  colors = actorColors(meta.actorIds);
  $("title").textContent = meta.title;
  $("subtitle").textContent = meta.subtitle;
  $("example").hidden = isExample;
  $("zone").textContent =
    `Times in ${formatOffset(clock.offsetMinutes)}${isExample ? ", local time in Syria" : ""}.`;
  document.title = `${meta.title} · tidemark viewer`;
  map.setPlaces(meta.places, new Set(meta.named));
  setUpSliders();
  setUpSources();
  showNotices();
}

function setUpSliders(): void {
  const w = windowOf(view);
  for (const input of [atInput, asOfInput]) {
    input.min = String(w.start);
    input.max = String(w.end);
    input.step = String(w.step);
  }
  atInput.value = String(snap(view.at, w));
  asOfInput.value = String(view.asOf === undefined ? w.end : snap(view.asOf, w));
  const choice = $("range-choice");
  choice.replaceChildren();
  if (meta.full.start !== meta.recent.start || meta.full.end !== meta.recent.end) {
    const other = view.range === "all" ? "recent" : "all";
    const button = document.createElement("button");
    button.type = "button";
    button.className = "link";
    button.id = "range-toggle";
    const d = (t: number) => fmt(t, "day");
    button.textContent =
      other === "all"
        ? `Show the whole timeline (${d(meta.full.start)} – ${d(meta.full.end - 1)})`
        : `Zoom to the last days (${d(meta.recent.start)} – ${d(meta.recent.end - 1)})`;
    button.addEventListener("click", () => {
      view.range = other;
      const next = windowOf(view);
      view.at = Math.min(Math.max(view.at, next.start), next.end);
      if (view.asOf !== undefined && (view.asOf < next.start || view.asOf >= next.end)) {
        view.asOf = undefined;
      }
      setUpSliders();
      void update();
    });
    choice.append(button);
  }
}

const snap = (t: number, w: Window) =>
  Math.min(Math.max(w.start + Math.round((t - w.start) / w.step) * w.step, w.start), w.end);

function setUpSources(): void {
  const box = $("sources");
  box.replaceChildren();
  for (const { name, events } of meta.sources) {
    const label = document.createElement("label");
    const input = document.createElement("input");
    input.type = "checkbox";
    input.value = name;
    input.checked = view.sources === undefined || view.sources.includes(name);
    input.addEventListener("change", () => {
      const ticked = [...box.querySelectorAll<HTMLInputElement>("input:checked")].map(
        (i) => i.value,
      );
      view.sources = ticked.length === meta.sources.length ? undefined : ticked;
      void update();
    });
    label.append(input, ` ${name} `);
    const count = document.createElement("span");
    count.className = "count";
    count.textContent = String(events);
    label.append(count);
    box.append(label);
  }
  if (meta.sources.length === 0) box.textContent = "No event names a source.";
  else if (meta.unsourced > 0) {
    const note = document.createElement("span");
    note.className = "note";
    note.textContent = `${meta.unsourced} events name no source: they count only while every box is ticked.`;
    box.append(note);
  }
}

atInput.addEventListener("input", () => {
  stop();
  view.at = Number(atInput.value);
  void update();
});

// ------------------------------------------------------------------ play, timed GeoJSON

const playButton = $<HTMLButtonElement>("play");
let playing: ReturnType<typeof setInterval> | undefined;

/** The instants at which a place on the map changes hands, in the sliders' range. */
function changesOfHand(): Promise<number[]> {
  return source.changes(options(view), windowOf(view));
}

/** Moves "what happened by" to the next change of hand; false when there is none. */
async function step(): Promise<boolean> {
  const next = (await changesOfHand()).find((t) => t > view.at);
  if (next === undefined) return false;
  view.at = next;
  atInput.value = String(snap(next, windowOf(view)));
  await update();
  return true;
}

function stop(): void {
  if (playing !== undefined) clearInterval(playing);
  playing = undefined;
  playButton.textContent = "▶ Play";
  playButton.setAttribute("aria-pressed", "false");
}

playButton.addEventListener("click", async () => {
  if (playing !== undefined) {
    stop();
    return;
  }
  const changes = await changesOfHand();
  if (changes.length === 0) return;
  // From the start when the last change is already shown.
  if (!changes.some((t) => t > view.at)) {
    view.at = changes[0] as number;
    atInput.value = String(snap(view.at, windowOf(view)));
    await update();
  } else await step();
  playButton.textContent = "❚❚ Pause";
  playButton.setAttribute("aria-pressed", "true");
  playing = setInterval(async () => {
    if (!(await step())) stop();
  }, 1200);
});

$("timed").addEventListener("click", async () => {
  const timed = await source.timed(options(view));
  const link = document.createElement("a");
  link.href = URL.createObjectURL(
    new Blob([JSON.stringify(timed, null, 1)], { type: "application/geo+json" }),
  );
  link.download = `${meta.title.replace(/[^\w.-]+/g, "-")}-history.geojson`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
});
asOfInput.addEventListener("input", () => {
  const value = Number(asOfInput.value);
  view.asOf = value >= Number(asOfInput.max) ? undefined : value;
  void update();
});

// ------------------------------------------------------------------ the view

let drawing: Promise<void> | undefined;
let drawn = 0;
let again = false;

/**
 * Redraws for the current view. While an answer is awaited, moves of the slider are merged:
 * the page then draws the latest view once, never a queue of stale ones.
 */
function update(): Promise<void> {
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
  const [shown, around, story] = await Promise.all([
    source.frame(q),
    source.events(q),
    view.place === undefined ? undefined : source.place(view.place, q),
  ]);
  for (const e of [...around.events, ...(story?.events ?? [])]) known.set(e.id, e as StoredEvent);
  frame = shown;
  const contested = new Map(shown.contested);
  map.update({
    geojson: shown.geojson,
    areas: shown.areas,
    colors,
    nobodyColor: NOBODY_COLOR,
    contested,
    airstrikes: new Map(shown.airstrikes),
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
  const contestedList = [...contested].map(
    ([place, claims]) =>
      `${placeName(place)} (${claims.map((c) => `${c.source}: ${who(c.controller)}`).join("; ")})`,
  );
  const contestedText =
    contestedList.length > 5
      ? `${contestedList.slice(0, 5).join(", ")} and ${contestedList.length - 5} more places`
      : contestedList.join(", ");
  $("status").innerHTML = `<strong>${html(fmt(view.at, sliderPrecision(w)))}</strong>, ${
    view.asOf === undefined ? "everything recorded" : `as known at ${html(knownText)}`
  }, ${html(sourcesText)}: ${held} place${held === 1 ? "" : "s"} held${
    contested.size > 0
      ? `; <span class="contested-text">contested: ${html(contestedText)}</span>`
      : "; no place contested"
  }.`;

  renderUnmapped(shown);
  renderPlace(story, contested);
  renderEvents(around.events as readonly StoredEvent[], around.total);
  writeUrl();
  drawn += 1;
  // For scripts and the end-to-end test: each redraw, counted.
  document.body.dataset.drawn = String(drawn);
  document.body.dataset.ready = "true";
}

/** Places the events name that have no coordinates: listed under the map, still selectable. */
function renderUnmapped(drawn: ViewFrame): void {
  const box = $("unmapped");
  const ids = meta.named.filter((id) => !onMap(id));
  const control = new Map(
    drawn.geojson.features.map((f) => [f.properties.id, f.properties.controller] as const),
  );
  box.hidden = ids.length === 0;
  if (ids.length === 0) return;
  const shown = ids.slice(0, 60);
  box.innerHTML = `<span class="label-text">Not on the map (no coordinates, no area):</span> ${shown
    .map((id) => {
      const c = control.get(id);
      return `<button type="button" class="place-chip${view.place === id ? " selected" : ""}" data-unmapped="${html(id)}" data-controller="${c === undefined ? "" : html(c ?? "nobody")}">${dot(c)}${html(placeName(id))}</button>`;
    })
    .join(" ")}${ids.length > shown.length ? ` … and ${ids.length - shown.length} more` : ""}`;
  for (const button of box.querySelectorAll<HTMLButtonElement>("button[data-unmapped]")) {
    button.addEventListener("click", () => {
      const id = button.dataset.unmapped;
      view.place = view.place === id ? undefined : id;
      void update();
    });
  }
}

/** Labels under the time slider: days (or months, or years) at their starts. */
function renderAxis(w: Window): void {
  const span = w.end - w.start;
  const day = 86_400_000;
  const labels: string[] = [];
  const at = (t: number, text: string) =>
    labels.push(`<span style="left:${((t - w.start) / span) * 100}%">${html(text)}</span>`);
  const local = (t: number) => new Date(t + clock.offsetMinutes * 60_000);
  if (span <= 16 * day) {
    for (let t = w.start; t < w.end; t += day) {
      at(t, formatAt(t, "day", clock).replace(/ \d{4}$/, ""));
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
  $("axis").innerHTML = labels.join("");
}

/** The ticks and the territory chart of one view and range, once their answers are in. */
interface Series {
  readonly key: string;
  ticks?: Ticks;
  territory?: TerritorySeries;
}
let series: Series | undefined;

/**
 * Draws the sliders' ticks and the territory chart. They change only with the view's sources,
 * knowledge or range, not with the instant: asked once per view and drawn when they come, so
 * that the map never waits for them (a store's series takes longer than a step of the map).
 */
function renderSeries(opts: ReturnType<typeof options>, w: Window): void {
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

function renderTicks(ticks: Ticks): void {
  const marks = (list: Ticks["at"]) =>
    list.map(([left, kind]) => `<i style="left:${left}%" class="${kind}"></i>`).join("");
  $("at-ticks").innerHTML = marks(ticks.at);
  $("as-of-ticks").innerHTML = marks(ticks.asOf);
}

function renderLegend(): void {
  const controllers = new Set(meta.controllers);
  const swatch = (cls: string, style = "") =>
    `<svg class="swatch ${cls}" viewBox="0 0 20 20" aria-hidden="true"><circle cx="10" cy="10" r="7" style="${style}"/></svg>`;
  const items = [...controllers]
    .sort()
    .map(
      (id) =>
        `<li>${swatch("held", `fill:${own(colors, id) ?? "#555"}`)}${html(actorName(id))}</li>`,
    );
  const hatchColors = [...controllers]
    .sort()
    .slice(0, 2)
    .map((id) => own(colors, id) ?? "#555");
  if (hatchColors.length < 2) hatchColors.push(NOBODY_COLOR);
  const stripes = hatchColors
    .map((c, i) => `<rect x="${i * 4}" width="4" height="8" fill="${c}"/>`)
    .join("");
  items.push(
    `<li>${swatch("nobody", `fill:${NOBODY_COLOR}`)}nobody holds it</li>`,
    `<li>${swatch("unknown", "fill:#fff")}no report yet</li>`,
    `<li><svg class="swatch contested" viewBox="0 0 20 20" aria-hidden="true"><defs><pattern id="legend-hatch" patternUnits="userSpaceOnUse" width="${4 * hatchColors.length}" height="8" patternTransform="rotate(45)">${stripes}</pattern></defs><circle cx="10" cy="10" r="7" fill="url(#legend-hatch)"/></svg>contested: sources disagree</li>`,
    `<li><svg class="swatch" viewBox="0 0 20 20" aria-hidden="true"><path class="strike" d="M10 2 L11.6 6.3 L15.7 4.3 L13.7 8.4 L18 10 L13.7 11.6 L15.7 15.7 L11.6 13.7 L10 18 L8.4 13.7 L4.3 15.7 L6.3 11.6 L2 10 L6.3 8.4 L4.3 4.3 L8.4 6.3 Z"/></svg>air strikes reported by then</li>`,
    `<li><svg class="swatch cluster-swatch" viewBox="0 0 20 20" aria-hidden="true"><circle cx="10" cy="10" r="8" fill="#fff" stroke="#555" stroke-width="2.5"/><text x="10" y="13" text-anchor="middle" font-size="8">12</text></svg>a cluster of places, ringed by who holds them</li>`,
  );
  const outlines = meta.uncontrolled;
  if (outlines.length > 0) {
    const names = outlines.slice(0, 3).map((id) => placeName(id));
    const more = outlines.length > 3 ? ` and ${outlines.length - 3} more` : "";
    items.push(
      `<li class="outline-only" data-outline-only="${outlines.length}"><svg class="swatch" viewBox="0 0 20 20" aria-hidden="true"><rect x="3" y="3" width="14" height="14" fill="none" stroke="#3e4c59" stroke-width="1.6" stroke-dasharray="4 3"/></svg>outline only: no control event names ${html(names.join(", "))}${more}, nor a place around it, so nobody is shown holding it</li>`,
    );
  }
  $("legend").innerHTML = items.join("");
}

function renderPlace(
  story: PlaceStory | undefined,
  contested: ReadonlyMap<string, readonly Claim[]>,
): void {
  const panel = $("place");
  const id = story?.id;
  const w = windowOf(view);
  if (story === undefined || id === undefined) {
    panel.innerHTML = `<p class="empty">Select a place on the map to see its history and what each source claims.</p>`;
    return;
  }
  const entry = own(meta.places, id);
  const control = story.control ?? undefined;
  const claims = story.claims;
  const history = story.history;
  const arabic = entry?.names?.ar;
  const english = entry?.names?.en;
  const heading = `<h2><span class="en">${html(entry?.name ?? id)}</span>${
    arabic === undefined ? "" : ` <span class="ar" lang="ar" dir="rtl">${html(arabic)}</span>`
  }</h2>
  <p class="kind">${html([english !== entry?.name ? english : undefined, entry?.kind].filter(Boolean).join(" · "))}</p>`;

  const now =
    control === undefined
      ? `<p class="holder">${chip(undefined)} of who held it by ${html(fmt(view.at, sliderPrecision(w)))}</p>`
      : `<p class="holder" data-controller="${html(control.controller ?? "nobody")}">${chip(control.controller)}
         <span class="since">${html(sinceText(control.eventId, control.since, control.precision))}</span>
         <span class="cite">${html(sourcesOf(control.eventId))}</span></p>`;
  const disagree = contested.has(id) ? `<p class="warn">Sources disagree at this instant.</p>` : "";

  const claimRows = claims
    .map(
      (
        c,
      ) => `<tr data-source="${html(c.source)}" data-controller="${html(c.controller ?? "nobody")}">
        <th scope="row">${html(c.source)}</th>
        <td><div class="who">${chip(c.controller)}</div>
        <div class="time">${html(sinceText(c.eventId, c.since, c.precision))}${html(c.left === undefined ? "" : `, ${c.left} left`)}${c.standing ? "" : " · overtaken by a later report"}</div></td></tr>`,
    )
    .join("");
  const claimsHtml =
    claims.length === 0
      ? `<p class="empty">No source says who held it by then.</p>`
      : `<table class="claims"><tbody>${claimRows}</tbody></table>`;

  const strikes = story.airstrikes ?? undefined;
  const arrests = story.arrests ?? undefined;
  const deaths = story.deaths ?? undefined;
  const activity = [
    strikes === undefined
      ? undefined
      : `${strikes.count} air strike report${strikes.count === 1 ? "" : "s"}, last ${fmt(strikes.lastAt, strikes.lastPrecision)}`,
    arrests === undefined ? undefined : arrestsText(arrests),
    deaths === undefined
      ? undefined
      : `${deaths.best} killed by UCDP's best estimate (low ${deaths.low}, high ${deaths.high})`,
  ].filter((x): x is string => x !== undefined);

  const span = (i: ControlInterval, next: ControlInterval | undefined) =>
    `${eventTime(i.eventId, i.from, i.fromPrecision)} → ${
      i.to === null || i.toPrecision === null ? "…" : eventTime(next?.eventId, i.to, i.toPrecision)
    }`;
  const historyRows = history
    .map((i, n) => {
      const current = i.from <= view.at && (i.to === null || view.at < i.to);
      const future = i.from > view.at;
      return `<li class="${current ? "current" : future ? "future" : ""}">
        <div class="who">${chip(i.controller)}${
          known.get(i.eventId)?.type === "Held" ? " (reported holding)" : ""
        }</div>
        <div class="time">${html(span(i, history[n + 1]))}</div><div class="cite">${html(sourcesOf(i.eventId))}</div></li>`;
    })
    .join("");

  panel.innerHTML = `${heading}
    <section><h3>At ${html(fmt(view.at, sliderPrecision(w)))}</h3>${now}${disagree}
      ${activity.length > 0 ? `<p class="activity">${html(activity.join("; "))}</p>` : ""}</section>
    <section><h3>Each source’s claim</h3>${claimsHtml}</section>
    <section><h3>History of control</h3><p class="fine">All reports combined, latest wins; each
      interval cites the report that opened it.</p>${
        history.length === 0
          ? `<p class="empty">No control event for this place.</p>`
          : `<ol class="history">${historyRows}</ol>`
      }<p class="fine">${
        view.asOf === undefined
          ? "Everything recorded"
          : `As known at ${html(fmt(view.asOf, sliderPrecision(w)))}`
      }${view.sources === undefined ? "" : `, ${html(view.sources.join(", ") || "no source")} only`}.</p></section>`;
}

function renderEvents(shown: readonly StoredEvent[], total: number): void {
  const list = $("events");
  const lastAt = shown.filter((e) => e.at <= view.at).at(-1)?.at;
  list.innerHTML = shown
    .map((e) => {
      const note = noteText(e.note);
      const cls = e.at > view.at ? "future" : e.at === lastAt ? "current" : "";
      const involved =
        view.place !== undefined && placesOf(e).includes(view.place) ? " involved" : "";
      return `<li class="${cls}${involved}" data-at="${e.at}" tabindex="0">
        <span class="time">${html(eventTime(e.id, e.at, e.precision))}</span>
        <span class="what">${summary(e)}${note === undefined ? "" : ` <span class="event-note">· ${html(note)}</span>`}</span>
        <span class="cite">${html(e.sources.map((s) => s.name).join(", ") || "no source named")}</span></li>`;
    })
    .join("");
  $("events-title").textContent =
    total === 0
      ? "Events: none counts under these settings"
      : `Events (${total.toLocaleString("en")} count)`;
  for (const li of list.querySelectorAll<HTMLLIElement>("li")) {
    const go = () => {
      view.at = Number(li.dataset.at);
      atInput.value = String(snap(view.at, windowOf(view)));
      void update();
    };
    li.addEventListener("click", go);
    li.addEventListener("keydown", (e) => {
      if (e.key === "Enter") go();
    });
  }
  // Keep the latest event by then in sight, scrolling the list only (never the page).
  const current = [...list.querySelectorAll<HTMLElement>(".current")].at(-1);
  if (current !== undefined) {
    const top = current.offsetTop;
    const bottom = top + current.offsetHeight;
    if (bottom > list.scrollTop + list.clientHeight) list.scrollTop = bottom - list.clientHeight;
    else if (top < list.scrollTop) list.scrollTop = top;
  }
}

function placesOf(e: StoredEvent): string[] {
  if (e.type === "Airstrike") return [...e.data.places];
  if (e.type === "Retracted") return [];
  if (e.type === "Withdrew" && e.data.to !== undefined) return [e.data.place, e.data.to];
  return [e.data.place];
}

function summary(e: StoredEvent): string {
  const place = (id: string) => `<b>${html(placeName(id))}</b>`;
  switch (e.type) {
    case "Captured":
      return `${place(e.data.place)} → ${chip(e.data.by)}${e.data.from === undefined ? "" : ` from ${html(actorName(e.data.from))}`}`;
    case "Withdrew":
      return `${html(actorName(e.data.actor))} leaves ${place(e.data.place)}${
        e.data.handedTo === undefined ? "" : ` → ${chip(e.data.handedTo)}`
      }${e.data.to === undefined ? "" : ` (towards ${html(placeName(e.data.to))})`}`;
    case "Airstrike":
      return `air strikes by ${html(actorName(e.data.by))} on ${e.data.places.map(place).join(", ")}`;
    case "Held":
      return `${chip(e.data.by)} reported holding ${place(e.data.place)}`;
    case "Arrests":
      return `arrests by ${html(actorName(e.data.by))} in ${place(e.data.place)}${
        e.data.count === undefined ? ", number unknown" : `, ${e.data.count} detained`
      }`;
    case "Fatalities":
      return `${e.data.best} killed (low ${e.data.low}, high ${e.data.high}) in ${place(e.data.place)}: ${html(
        actorName(e.data.sideA),
      )} – ${html(actorName(e.data.sideB))}, ${html(e.data.violence)}`;
    default:
      return html(e.type);
  }
}

// ------------------------------------------------------------------ tooltip

function showTooltip(place: string | undefined, anchor: DOMRect | undefined): void {
  const tip = $("tooltip");
  if (place === undefined || anchor === undefined) {
    tip.hidden = true;
    return;
  }
  const entry = own(meta.places, place);
  const control = frame?.geojson.features.find((f) => f.properties.id === place)?.properties;
  const contested = frame?.contested
    .map(([p, claims]) => ({ place: p, claims }))
    .find((c) => c.place === place);
  const arabic = entry?.names?.ar;
  const lines = [
    `<strong>${html(entry?.name ?? place)}</strong>${
      arabic === undefined ? "" : ` <span class="ar" lang="ar" dir="rtl">${html(arabic)}</span>`
    }`,
    contested !== undefined
      ? `contested: ${contested.claims.map((c) => `${html(c.source)} says ${html(who(c.controller))}`).join(", ")}`
      : control?.controller === undefined || control.since === undefined
        ? "no report yet"
        : `${chip(control.controller)} since ${html(fmt(control.since, control.precision ?? "day"))}`,
  ];
  tip.innerHTML = lines.map((l) => `<div>${l}</div>`).join("");
  tip.hidden = false;
  const host = $("map").getBoundingClientRect();
  const left = anchor.left + anchor.width / 2 - host.left;
  const top = anchor.top - host.top;
  tip.style.left = `${Math.min(Math.max(left, 8), host.width - 8)}px`;
  tip.style.top = `${top}px`;
  tip.classList.toggle("below", top < 70);
  if (top < 70) tip.style.top = `${anchor.bottom - host.top}px`;
}

// ------------------------------------------------------------------ messages, files

/** Rows of the file that are not on the map: one line, opening into the command's report. */
function showNotices(): void {
  const box = $("messages");
  box.querySelector(".notice")?.remove();
  const skipped = meta.skipped;
  if (skipped === null) return;
  const details = document.createElement("details");
  details.className = "notice";
  details.innerHTML = `<summary>${html(skipped.summary)}: show the report</summary><pre>${html(skipped.lines.join("\n"))}</pre>`;
  box.prepend(details);
}

function showFailure(failure: LoadFailure | undefined): void {
  const box = $("messages");
  box.querySelector(".error")?.remove();
  if (failure === undefined) return;
  const div = document.createElement("div");
  div.className = "error";
  div.setAttribute("role", "alert");
  const n = failure.problems.length;
  const shown = failure.problems.slice(0, 20).map((p) => `<li>${html(p)}</li>`);
  const more = n > 20 ? `<li>… and ${n - 20} more</li>` : "";
  div.innerHTML = `<button type="button" class="close" aria-label="Dismiss">×</button>
    <p><strong>${html(failure.file)} was not loaded</strong>: ${n} problem${n === 1 ? "" : "s"}. The page still shows ${html(meta.title)}.</p>
    <ul class="problems">${shown.join("")}${more}</ul>`;
  div.querySelector(".close")?.addEventListener("click", () => div.remove());
  box.append(div);
}

async function openFiles(files: readonly File[]): Promise<void> {
  if (files.length === 0) return;
  let result: Source | LoadFailure;
  try {
    const given = await Promise.all(
      files.map(async (f) => ({ name: f.name, text: await f.text() })),
    );
    result = loadFiles(given);
  } catch (error) {
    const problem = error instanceof Error ? error.message : String(error);
    result = { file: files.map((f) => f.name).join(" + "), problems: [problem] };
  }
  if ("problems" in result) {
    showFailure(result);
    return;
  }
  showFailure(undefined);
  history.replaceState(null, "", location.pathname);
  await show(result, false, false);
}

/** Shows a new source, on the view the URL names (when it can) or its default view. */
function show(given: Source, isExample: boolean, fromUrl: boolean): Promise<void> {
  const d = given.meta;
  view = fromUrl
    ? readUrl(d)
    : {
        at: defaultAt(d),
        asOf: undefined,
        sources: undefined,
        place: d.busiest ?? undefined,
        range: "recent",
      };
  setUp(given, isExample);
  return update();
}

$<HTMLInputElement>("file").addEventListener("change", (e) => {
  const input = e.target as HTMLInputElement;
  void openFiles([...(input.files ?? [])]);
  input.value = "";
});
$("example").addEventListener("click", () => {
  showFailure(undefined);
  history.replaceState(null, "", location.pathname);
  void show(palmyraSource(), true, true);
});

const overlay = $("drop-overlay");
let dragDepth = 0;
window.addEventListener("dragenter", (e) => {
  if (!e.dataTransfer?.types.includes("Files")) return;
  dragDepth++;
  overlay.hidden = false;
});
window.addEventListener("dragleave", () => {
  dragDepth = Math.max(0, dragDepth - 1);
  if (dragDepth === 0) overlay.hidden = true;
});
window.addEventListener("dragover", (e) => e.preventDefault());
window.addEventListener("drop", (e) => {
  e.preventDefault();
  dragDepth = 0;
  overlay.hidden = true;
  void openFiles([...(e.dataTransfer?.files ?? [])]);
});

window.tidemarkViewer = { project: (lon, lat) => map.project(lon, lat) };

/**
 * The first data: a file the URL names (`?file=events.csv&places=places.json`, relative to
 * the page), else what `tidemark view` serves, else the Palmyra example.
 */
async function start(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const file = params.get("file");
  if (file === null) {
    const served = await serverSource();
    await show(served ?? palmyraSource(), served === undefined, true);
    return;
  }
  const names = [file, params.get("places"), params.get("actors")].filter(
    (n): n is string => n !== null && n !== "",
  );
  let result: Source | LoadFailure;
  try {
    const given = await Promise.all(
      names.map(async (name) => {
        const response = await fetch(name);
        if (!response.ok) throw new Error(`${name}: ${response.status} ${response.statusText}`);
        return { name: name.replace(/^.*\//, ""), text: await response.text() };
      }),
    );
    result = loadFiles(given);
  } catch (error) {
    result = { file, problems: [error instanceof Error ? error.message : String(error)] };
  }
  if (!("problems" in result)) {
    await show({ ...result, linkable: true }, false, true);
    return;
  }
  // The example behind the file's problems, so that the page has something to show.
  await show(palmyraSource(), true, false);
  showFailure(result);
}

void start();
