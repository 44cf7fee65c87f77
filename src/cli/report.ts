// What the command says on stderr about rows it did not turn into events: one reading of a
// file, reported the same way by every command and by `import`.

import type { SkippedRow } from "../formats/acled.js";
import type { PlaceChange } from "../formats/places.js";
import type { InputProblem } from "./input.js";

const plural = (n: number, word: string) =>
  `${n.toLocaleString("en")} ${word}${n === 1 ? "" : "s"}`;

/** Skipped rows counted by reason (the list of mapped kinds left out of each reason). */
export function skippedLines(skipped: readonly SkippedRow[]): string[] {
  const rows = skipped.filter((s) => !s.invalid);
  if (rows.length === 0) return [];
  // Reasons quote the row's labels: "Violence against civilians" and "Violence Against
  // Civilians" are one kind, counted together under the first spelling met.
  const byReason = new Map<string, { reason: string; n: number }>();
  for (const s of rows) {
    const reason = s.reason.replace(/; mapped: .*$/, "");
    const key = reason.toLowerCase().replace(/\s+/g, " ");
    const known = byReason.get(key);
    if (known === undefined) byReason.set(key, { reason, n: 1 });
    else known.n++;
  }
  return [
    `note: ${plural(rows.length, "row")} skipped (not mapped to an event):`,
    ...[...byReason.values()].sort((a, b) => b.n - a.n).map((r) => `  ${r.n} x ${r.reason}`),
  ];
}

/** Rows of a mapped kind left out under --skip-invalid: each listed, with row and reason. */
export function invalidLines(invalid: readonly InputProblem[]): string[] {
  if (invalid.length === 0) return [];
  return [
    `note: ${plural(invalid.length, "invalid row")} left out (--skip-invalid):`,
    ...invalid.map((p) => `  ${p.where}: ${p.message}`),
  ];
}

/** Locations merged with another spelling, or kept apart from a place of their name. */
export function placeLines(changes: readonly PlaceChange[]): string[] {
  const split = changes.filter((c) => c.change === "split");
  const merged = changes.filter((c) => c.change === "merged");
  const lines: string[] = [];
  if (split.length > 0) {
    lines.push(
      `note: ${plural(split.length, "location")} kept apart from a place of the same name more than 25 km away:`,
      ...split.map((c) => `  "${c.name}" is ${c.id} (${c.km} km from ${c.of})`),
    );
  }
  if (merged.length > 0) {
    lines.push(
      `note: ${plural(merged.length, "spelling")} merged into a place of another name within 25 km:`,
      ...merged.map(
        (c) => `  "${c.name}" is ${c.id}${c.km === undefined ? "" : ` (${c.km} km away)`}`,
      ),
    );
  }
  return lines;
}
