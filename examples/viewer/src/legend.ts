// The legend: a swatch per side, then nobody, no report, contested, air strikes, clusters, and
// the areas shown in outline only.

import { NOBODY_COLOR } from "tidemark";
import { own } from "./own.js";
import { $, colors, meta } from "./state.js";
import { actorName, html, placeName } from "./words.js";

/** The legend as last written. */
let written = "";

export function renderLegend(): void {
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
  // The same at every step of the slider: written again only when it changes (a new dataset).
  const text = items.join("");
  if (text !== written) {
    $("legend").innerHTML = text;
    written = text;
  }
}
