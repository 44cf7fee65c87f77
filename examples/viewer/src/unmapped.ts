// Places the events name that the map cannot show: a row of chips under the map.

import { update } from "./draw.js";
import { own } from "./own.js";
import type { Shown } from "./shown.js";
import { $, meta, view } from "./state.js";
import { dot, html, placeName } from "./words.js";

/** Whether the map shows a place: it has coordinates or an area. */
function onMap(place: string): boolean {
  const entry = own(meta.places, place);
  return entry?.coordinates !== undefined || entry?.geometry !== undefined;
}

/** The places a dataset's events name that the map cannot show, found once per dataset. */
const unmapped = new WeakMap<object, readonly string[]>();

/** Places the events name that have no coordinates: listed under the map, still selectable. */
export function renderUnmapped(drawn: Shown): void {
  const box = $("unmapped");
  let ids = unmapped.get(meta);
  if (ids === undefined) {
    ids = meta.named.filter((id) => !onMap(id));
    unmapped.set(meta, ids);
  }
  box.hidden = ids.length === 0;
  if (ids.length === 0) return;
  const shown = ids.slice(0, 60);
  box.innerHTML = `<span class="label-text">Not on the map (no coordinates, no area):</span> ${shown
    .map((id) => {
      const c = drawn.control.get(id)?.controller;
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
