// The tooltip of the place under the pointer (or focused): its names and who holds it.

import { own } from "./own.js";
import { $, frame, meta } from "./state.js";
import { chip, fmt, html, who } from "./words.js";

/** Shows the tooltip of `place` above `anchor` (below it near the map's top); hides it without. */
export function showTooltip(place: string | undefined, anchor: DOMRect | undefined): void {
  const tip = $("tooltip");
  if (place === undefined || anchor === undefined) {
    tip.hidden = true;
    return;
  }
  const entry = own(meta.places, place);
  const control = frame?.control.get(place);
  const claims = frame?.contested.get(place);
  const arabic = entry?.names?.ar;
  const lines = [
    `<strong>${html(entry?.name ?? place)}</strong>${
      arabic === undefined ? "" : ` <span class="ar" lang="ar" dir="rtl">${html(arabic)}</span>`
    }`,
    claims !== undefined
      ? `contested: ${claims.map((c) => `${html(c.source)} says ${html(who(c.controller))}`).join(", ")}`
      : control === undefined
        ? "no report yet"
        : `${chip(control.controller)} since ${html(fmt(control.since, control.precision))}`,
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
