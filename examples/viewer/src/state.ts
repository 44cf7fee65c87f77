// What the page shows and the data it shows it from, shared by the viewer's modules. The
// dataset's values are set by `useSource` (a new source) and read everywhere else as live
// bindings.

import { actorColors, type Precision } from "tidemark";
import type { ViewMeta } from "../../../src/cli/view-model.js";
import type { Source, StoredEvent, Window } from "./dataset.js";
import type { Shown } from "./shown.js";
import type { Clock } from "./time.js";

/** What the page shows; all of it is kept in the URL. */
export interface View {
  /** Valid time: what happened by this instant (epoch ms). */
  at: number;
  /** Knowledge time: only what was recorded by then; `undefined`: everything recorded. */
  asOf: number | undefined;
  /** Accepted source names; `undefined`: every source (and events that cite none). */
  sources: readonly string[] | undefined;
  place: string | undefined;
  range: "recent" | "all";
}

export const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const node = document.getElementById(id);
  if (node === null) throw new Error(`#${id} is missing from index.html`);
  return node as T;
};

export const atInput = $<HTMLInputElement>("at");
export const asOfInput = $<HTMLInputElement>("as-of");

export let source: Source;
export let meta: ViewMeta;
export let clock: Clock;
export let view: View;
/** Events the answers have carried so far, by id (for their sources, notes and types). */
export const known = new Map<string, StoredEvent>();
/** The map as last drawn, for the tooltip. */
export let frame: Shown | undefined;
export let colors: Record<string, string> = {};

/** Takes a new dataset: its meta, clock and colours; forgets the events of the last one. */
export function useSource(given: Source): void {
  source = given;
  meta = given.meta;
  clock = { offsetMinutes: meta.offsetMinutes, labels: new Map(meta.labels) };
  known.clear();
  colors = actorColors(meta.actorIds);
}

export function setView(next: View): void {
  view = next;
}

export function setFrame(drawn: Shown): void {
  frame = drawn;
}

export const sliderPrecision = (w: Window): Precision => (w.step < 86_400_000 ? "minute" : "day");
export const windowOf = (v: View) => (v.range === "all" ? meta.full : meta.recent);
export const options = (v: View): { asOf?: number; sources?: readonly string[] } => ({
  ...(v.asOf === undefined ? {} : { asOf: v.asOf }),
  ...(v.sources === undefined ? {} : { sources: v.sources }),
});

export const snap = (t: number, w: Window) =>
  Math.min(Math.max(w.start + Math.round((t - w.start) / w.step) * w.step, w.start), w.end);
