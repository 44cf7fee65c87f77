// The list of events around the selected instant, under the map: a click moves the map there.

import { noteText } from "../../palmyra/events.js";
import type { StoredEvent } from "./dataset.js";
import { update } from "./draw.js";
import { $, atInput, snap, view, windowOf } from "./state.js";
import { actorName, chip, eventTime, html, placeName } from "./words.js";

/** The ids of the events listed, in order: a step that lists the same ones only marks them. */
let listed: readonly string[] = [];

/** A click (or Enter) on an event moves the map to it: one listener for the whole list. */
function listen(list: HTMLElement): void {
  if (list.dataset.listening === "true") return;
  list.dataset.listening = "true";
  const go = (target: EventTarget | null) => {
    const li = (target as Element | null)?.closest?.("li[data-at]") as HTMLLIElement | null;
    if (li === null || li === undefined) return;
    view.at = Number(li.dataset.at);
    atInput.value = String(snap(view.at, windowOf(view)));
    void update();
  };
  list.addEventListener("click", (e) => go(e.target));
  list.addEventListener("keydown", (e) => {
    if (e.key === "Enter") go(e.target);
  });
}

export function renderEvents(shown: readonly StoredEvent[], total: number): void {
  const list = $("events");
  listen(list);
  const lastAt = shown.filter((e) => e.at <= view.at).at(-1)?.at;
  const classOf = (e: StoredEvent) => {
    const cls = e.at > view.at ? "future" : e.at === lastAt ? "current" : "";
    const involved =
      view.place !== undefined && placesOf(e).includes(view.place) ? " involved" : "";
    return `${cls}${involved}`;
  };
  const ids = shown.map((e) => e.id);
  if (ids.length === listed.length && ids.every((id, i) => id === listed[i])) {
    // The same events (a small step, or the same instant with another place chosen).
    const items = list.children;
    shown.forEach((e, i) => {
      const li = items[i] as HTMLElement | undefined;
      if (li !== undefined && li.className !== classOf(e)) li.className = classOf(e);
    });
  } else {
    list.innerHTML = shown
      .map((e) => {
        const note = noteText(e.note);
        return `<li class="${classOf(e)}" data-at="${e.at}" tabindex="0">
        <span class="time">${html(eventTime(e.id, e.at, e.precision))}</span>
        <span class="what">${summary(e)}${note === undefined ? "" : ` <span class="event-note">· ${html(note)}</span>`}</span>
        <span class="cite">${html(e.sources.map((s) => s.name).join(", ") || "no source named")}</span></li>`;
      })
      .join("");
    listed = ids;
  }
  $("events-title").textContent =
    total === 0
      ? "Events: none counts under these settings"
      : `Events (${total.toLocaleString("en")} count)`;
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
