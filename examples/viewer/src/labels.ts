// Labels beside single markers, where they overlap no marker, no other label and no sea.

import type { Registry } from "tidemark";
import type { LandMask } from "./basemap.js";
import { own } from "./own.js";
import type { Placed } from "./spread.js";
import { el } from "./svg.js";

const LABEL_FONT = 14;

/** Places each label beside its marker where it overlaps nothing (greedy, 8 positions). */
export function placeLabels(
  layer: SVGGElement,
  placed: readonly Placed[],
  places: Registry,
  land: LandMask,
  width: number,
  height: number,
): void {
  type Box = { x: number; y: number; w: number; h: number };
  const boxes: Box[] = placed.map((p) => ({
    x: p.x - p.r - 2,
    y: p.y - p.r - 2,
    w: 2 * p.r + 4,
    h: 2 * p.r + 4,
  }));
  const overlap = (a: Box, b: Box) =>
    Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x)) *
    Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
  const outside = (a: Box) => a.w * a.h - overlap(a, { x: 2, y: 2, w: width - 4, h: height - 4 });
  placed.forEach((p, index) => {
    const name = own(places, p.id)?.name ?? p.id;
    const text = el("text", { class: "label", "data-label": p.id }, layer);
    text.textContent = name;
    const w = textWidth(name, getComputedStyle(layer).fontFamily);
    const h = LABEL_FONT + 2;
    const gap = p.r + 7;
    // [dx of the box's left edge, dy of its top edge] for each candidate position.
    const candidates: [number, number][] = [
      [gap, -h / 2],
      [-gap - w, -h / 2],
      [-w / 2, -gap - h],
      [-w / 2, gap],
      [gap * 0.7, -gap * 0.7 - h],
      [gap * 0.7, gap * 0.7],
      [-gap * 0.7 - w, -gap * 0.7 - h],
      [-gap * 0.7 - w, gap * 0.7],
    ];
    let best: Box | undefined;
    let bestCost = Number.POSITIVE_INFINITY;
    for (const [dx, dy] of candidates) {
      const box = { x: p.x + dx, y: p.y + dy, w, h };
      const corners = [
        [box.x, box.y],
        [box.x + box.w, box.y],
        [box.x, box.y + box.h],
        [box.x + box.w, box.y + box.h],
        [box.x + box.w / 2, box.y + box.h / 2],
      ] as const;
      const sea = corners.filter(([cx, cy]) => land.atSea(cx, cy)).length;
      const cost =
        boxes.reduce((sum, b, i) => (i === index ? sum : sum + overlap(box, b)), 0) +
        outside(box) * 4 +
        sea * w * h;
      if (cost < bestCost) {
        best = box;
        bestCost = cost;
      }
      if (cost === 0) break;
    }
    // A label that would overlap another or a marker is left out (the name shows on hover).
    if (bestCost > 20) {
      text.remove();
      return;
    }
    const box = best as Box;
    text.setAttribute("x", String(box.x));
    text.setAttribute("y", String(box.y + h - 4));
    boxes.push(box);
  });
}

let measure: CanvasRenderingContext2D | null | undefined;

/**
 * The width of a label in pixels, measured on a canvas: asking the SVG text for its length
 * would lay the page out again for each of hundreds of labels.
 */
function textWidth(text: string, family: string): number {
  measure ??= document.createElement("canvas").getContext("2d");
  if (measure === null) return text.length * LABEL_FONT * 0.55;
  measure.font = `${LABEL_FONT}px ${family}`;
  return measure.measureText(text).width;
}
