// The `source` cell of an ACLED row, split into the names of its sources.

import type { Source } from "../core/events.js";

/**
 * The sources of a `source` cell. ACLED separates sources with ";" (today's exports, and
 * ACLED's own R package splits on it), so a comma inside a ";" list belongs to a name
 * ("Ministry of Defence, Russia"). Exports of the pre-2019 layout that use no ";" anywhere
 * separated sources with "," ("Radio Free Asia, Eleven Myanmar"): `commas` says the file is
 * one of those. See docs/formats-acled-sources.md.
 */
export function splitSources(text: string, commas: boolean): Source[] {
  const sources: Source[] = [];
  for (const name of text.split(commas ? /[;,]/ : ";")) {
    const trimmed = name.trim();
    if (trimmed !== "" && !sources.some((s) => s.name === trimmed)) {
      sources.push({ name: trimmed });
    }
  }
  return sources;
}
