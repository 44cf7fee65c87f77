// Places the events name that the map cannot show: a row of chips under the map.

import type { ViewFrame } from "../../../src/cli/view-model.js";
import { update } from "./draw.js";
import { own } from "./own.js";
import { $, meta, view } from "./state.js";
import { dot, html, placeName } from "./words.js";

/** Whether the map shows a place: it has coordinates or an area. */
function onMap(place: string): boolean {
  const entry = own(meta.places, place);
  return entry?.coordinates !== undefined || entry?.geometry !== undefined;
}

/** Places the events name that have no coordinates: listed under the map, still selectable. */
export function renderUnmapped(drawn: ViewFrame): void {
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
