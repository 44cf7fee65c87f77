// What reading an event file gives, whatever its format: the events with their lines, and
// every problem found, each at its line or row.

import type { Registry } from "../core/registry.js";
import type { SkippedRow } from "./acled.js";
import type { CsvTable } from "./csv-table.js";
import type { PlaceChange } from "./places.js";

/** The formats {@link parseEventsText} reads. */
export type FileFormat = "json" | "ndjson" | "csv";

/** A problem in a file: its 1-based line (JSON, NDJSON) or data row (CSV; 0 is the header). */
export interface FileProblem {
  readonly line: number;
  readonly message: string;
}

/** What {@link parseEventsText} returns. */
export interface ParsedFile {
  readonly format: FileFormat;
  /** Event inputs in file order (not validated yet: append them to find out). */
  readonly events: unknown[];
  /** Line (JSON, NDJSON) or row (CSV) of each event, to number validation problems. */
  readonly lines: number[];
  /** CSV: the registries of the places and actors the events name (see `fromAcled`). */
  readonly places?: Registry;
  readonly actors?: Registry;
  /** CSV: which table the header says the file is. */
  readonly table?: CsvTable;
  /** CSV: rows that did not map to an event, with the reason (`invalid`: a mapped kind). */
  readonly skipped: SkippedRow[];
  /** CSV: locations merged with another spelling, or kept apart beyond 25 km. */
  readonly placeChanges?: PlaceChange[];
  /** CSV: number of data rows read. */
  readonly rows?: number;
  /** What cannot be read, each with its line or row. Invalid rows are also in `skipped`. */
  readonly problems: FileProblem[];
  /** CSV: the 1-based file line where each data row starts (`rowLines[row - 1]`). */
  readonly rowLines?: number[];
  /** JSON: the `timeZone` of `toJSON()` output that has one. */
  readonly timeZone?: string;
}

/** The byte order mark some editors write at the start of a text file. */
export const BOM = "\ufeff";
