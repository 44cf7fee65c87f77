// The time controls: the sliders of "what happened by" and "as known at", the range they
// cover, the sources' boxes, play, and the timed GeoJSON download.

import { update } from "./draw.js";
import { $, asOfInput, atInput, meta, options, snap, source, view, windowOf } from "./state.js";
import { fmt } from "./words.js";

export function setUpSliders(): void {
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

export function setUpSources(): void {
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

export function stop(): void {
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
