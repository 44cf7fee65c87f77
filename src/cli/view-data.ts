// What `tidemark view` shows: the data, read as every command reads it (loadInput: the same
// loader, errors and skipped-row report), wrapped in the viewer's questions (view-model.ts).
//
// A store is opened with `openTimeline` for now, as the other read commands open it. This module
// is the one place that knows how: when stores keep read models (`openReader`), the store
// branch switches to the reader and the JSON API does not change.

import { basename } from "node:path";
import { readOffset } from "../core/zone.js";
import { type LoadedInput, type LoadOptions, loadInput } from "./input.js";
import { invalidLines, placeLines, skippedLines } from "./report.js";
import { type SkippedReport, ViewModel, type ViewTimeline } from "./view-model.js";

/** The data behind the page, and how to let go of it. */
export interface ViewData {
  readonly model: ViewModel;
  /** What the command printed on stderr about rows left out (also on the page). */
  readonly notes: readonly string[];
  close(): Promise<void>;
}

/** A fixed offset in minutes for a zone given as an offset (`+02:00`); 0 (UTC) for anything else. */
function offsetOf(zone: string): number {
  const offset = readOffset(zone);
  return typeof offset === "number" ? offset / 60_000 : 0;
}

function describe(input: LoadedInput): string {
  if (input.format === "store") return `a store of ${input.events.toLocaleString("en")} events`;
  const what =
    input.format === "csv"
      ? input.table === "ucdp-ged"
        ? "a UCDP GED CSV file"
        : "an ACLED CSV export"
      : input.format === "ndjson"
        ? "NDJSON"
        : "JSON";
  return `${input.events.toLocaleString("en")} events read from ${what}`;
}

/** The rows left out, as the command reports them: a line to show and the report under it. */
export function skippedReport(input: LoadedInput): SkippedReport | null {
  const lines = [
    ...skippedLines(input.skipped),
    ...invalidLines(input.invalid),
    ...placeLines(input.placeChanges ?? []),
  ];
  if (lines.length === 0) return null;
  const parts: string[] = [];
  const skipped = input.skipped.filter((s) => !s.invalid).length;
  const plural = (n: number, word: string) =>
    `${n.toLocaleString("en")} ${word}${n === 1 ? "" : "s"}`;
  if (skipped > 0) parts.push(`${plural(skipped, "row")} skipped (not mapped to an event)`);
  if (input.invalid.length > 0) {
    parts.push(`${plural(input.invalid.length, "invalid row")} left out (--skip-invalid)`);
  }
  const changes = input.placeChanges?.length ?? 0;
  if (changes > 0) parts.push(`${plural(changes, "location")} merged or kept apart`);
  return { summary: parts.join("; "), lines };
}

/**
 * Reads `path` (a file or a store) for the viewer. Problems with the data are in
 * `input.problems`, for the caller to print as every command does.
 */
export async function openViewData(
  path: string,
  options: LoadOptions,
): Promise<{ input: LoadedInput; data: ViewData }> {
  const input = await loadInput(path, options);
  const skipped = skippedReport(input);
  const model = new ViewModel(input.timeline as unknown as ViewTimeline, {
    title: input.format === "store" ? path : basename(path),
    subtitle: describe(input),
    places: input.places ?? {},
    actors: input.actors ?? {},
    skipped,
    offsetMinutes: offsetOf(input.timeline.timeZone),
  });
  return { input, data: { model, notes: skipped?.lines ?? [], close: () => input.close() } };
}
