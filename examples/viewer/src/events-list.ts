// The list of events around the selected instant, under the map: a click moves the map there.

import { noteText } from "../../palmyra/events.js";
import type { StoredEvent } from "./dataset.js";
import { update } from "./draw.js";
import { $, atInput, snap, view, windowOf } from "./state.js";
import { actorName, chip, eventTime, html, placeName } from "./words.js";

export function renderEvents(shown: readonly StoredEvent[], total: number): void {
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
