// What an import says: the problems of a refused file, and the report of a stored one.

import type { TimelineValidationError } from "../core/errors.js";
import type { TimelineEvent } from "../core/events.js";
import type { CsvTable } from "../formats/csv-table.js";
import type { ReadForImport } from "./import-read.js";
import { invalidLines, placeLines, skippedLines } from "./report.js";

const TABLE_NAMES: Readonly<Record<CsvTable, string>> = {
  acled: "ACLED export",
  "acled-deletions": "ACLED deletions list",
  "ucdp-ged": "UCDP GED file",
};

/** Writes each problem of a refused append where the user can find it, then the summary. */
export function tell(
  error: TimelineValidationError,
  file: ReadForImport,
  into: string,
  say: (line: string) => void,
  note = "",
): void {
  for (const issue of error.issues) {
    if (issue.path[0] === "places" || issue.path[0] === "actors") {
      say(`${into}: ${issue.message}`);
      continue;
    }
    const path = issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
    say(`${file.where(file.lines[issue.index] ?? issue.index + 1)}: ${path}${issue.message}`);
  }
  say(
    `${error.issues.length} problem${error.issues.length === 1 ? "" : "s"} in ${file.label}; nothing imported into ${into}${note}`,
  );
}

/** The import report: rows read, events, skipped rows by reason, places merged or split. */
export function report(
  file: ReadForImport,
  stored: readonly TimelineEvent[],
  added: number,
  say: (line: string) => void,
): void {
  const what = file.table === undefined ? file.format : TABLE_NAMES[file.table];
  const rows = file.rows === undefined ? "" : `${file.rows.toLocaleString("en")} rows, `;
  say(`read ${file.label} (${what}): ${rows}${file.events.length.toLocaleString("en")} events`);
  for (const line of skippedLines(file.skipped)) say(line);
  for (const line of invalidLines(file.invalid)) say(line);
  for (const line of placeLines(file.placeChanges)) say(line);
  if (added > 0) {
    const retractions = stored.filter((e) => e.type === "Retracted");
    const revised = retractions.filter((e) =>
      String((e.data as { reason?: string }).reason).startsWith("revised"),
    ).length;
    const deleted = retractions.length - revised;
    if (revised > 0)
      say(
        `note: ${revised} events revised (the earlier version stays visible with an earlier --as-of)`,
      );
    if (deleted > 0) say(`note: ${deleted} events retracted`);
  }
}
