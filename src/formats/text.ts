// Reading event files: JSON (`toJSON()` output or an array of inputs), NDJSON (one input per
// line) and CSV tables (ACLED exports, ACLED deletion lists, UCDP GED). Browser-safe: the CSV
// parser is csv-parse's self-contained browser build; the CLI feeds the same collectors from
// csv-parse's Node stream instead.

import { parse as parseCsv } from "csv-parse/browser/esm/sync";
import type { Registry } from "../core/registry.js";
import {
  AcledDeletionsReader,
  AcledReader,
  type DateOrder,
  type EventSource,
  type SkippedRow,
} from "./acled.js";
import { columnKey } from "./acled-columns.js";
import { JsonScanner, jsonErrorOffset } from "./json-scan.js";
import type { PlaceChange } from "./places.js";
import { UcdpReader } from "./ucdp.js";

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

/** Options of {@link parseEventsText}. */
export interface ParseOptions extends CsvOptions {
  /** The format, when known; detected from the text otherwise. */
  readonly format?: FileFormat;
}

/** How CSV tables are read (ACLED's `fromAcled` options). */
export interface CsvOptions {
  /** The order of an ACLED file's numeric dates, when none of its dates settles it. */
  readonly dateOrder?: DateOrder;
  /** ACLED: the timeline a newer export or a deletions list updates. */
  readonly timeline?: EventSource;
  /** Registries already known: their ids are reused, and new places join them. */
  readonly places?: Registry;
  readonly actors?: Registry;
}

/**
 * The tables a CSV file can be, told apart by their header: an ACLED export, ACLED's list of
 * deleted events, or UCDP's Georeferenced Event Dataset.
 */
export type CsvTable = "acled" | "acled-deletions" | "ucdp-ged";

const TABLES: readonly { table: CsvTable; columns: readonly string[]; any?: readonly string[] }[] =
  [
    {
      table: "ucdp-ged",
      columns: ["id", "date_start", "type_of_violence", "side_a", "side_b", "best"],
    },
    { table: "acled-deletions", columns: ["event_id_cnty", "deleted_timestamp"] },
    {
      table: "acled",
      columns: ["event_id_cnty", "event_date", "actor1", "location"],
      any: ["sub_event_type", "event_type"],
    },
  ];

/**
 * The table a CSV header names (columns compared as ACLED's reader does: any case, older
 * names), or what an ACLED header lacks.
 */
export function detectCsvTable(
  header: readonly string[],
): CsvTable | { readonly missing: string[] } {
  const keys = new Set(header.map(columnKey));
  for (const { table, columns, any } of TABLES) {
    if (columns.every((c) => keys.has(c)) && (any === undefined || any.some((c) => keys.has(c)))) {
      return table;
    }
  }
  const acled = TABLES[2] as (typeof TABLES)[number];
  const missing = acled.columns.filter((c) => !keys.has(c));
  if (!acled.any?.some((c) => keys.has(c))) missing.push((acled.any ?? []).join(" or "));
  return { missing };
}

const BOM = "\ufeff";

/** The separator a one-column header is really split by, when it names a table so split. */
function otherSeparator(column: string): string | undefined {
  for (const [separator, name] of [
    [";", "semicolons (;)"],
    ["\t", "tabs"],
    ["|", "vertical bars (|)"],
  ] as const) {
    const split = column.split(separator).map((c) => c.trim().replace(/^"(.*)"$/, "$1"));
    if (split.length > 1 && typeof detectCsvTable(split) === "string") return name;
  }
  return undefined;
}

/**
 * The format of an event file from its text: `[` or a `{ version, events }` object is JSON,
 * other text starting with `{` is NDJSON, anything else is CSV.
 */
export function detectFormat(text: string): FileFormat {
  const start = text.startsWith(BOM) ? text.slice(1).trimStart() : text.trimStart();
  if (start.startsWith("[")) return "json";
  if (!start.startsWith("{")) return start === "" ? "ndjson" : "csv";
  // One object over several lines is JSON; one object per line is NDJSON.
  const end = start.search(/[\r\n]/);
  const first = end === -1 ? start : start.slice(0, end);
  let value: unknown;
  try {
    value = JSON.parse(first);
  } catch {
    return "json";
  }
  return typeof value === "object" && value !== null && "version" in value && "events" in value
    ? "json"
    : "ndjson";
}

/**
 * Parses an event file: JSON (`timeline.toJSON()` output, or an array of event inputs), NDJSON
 * (one input per line; blank lines are ignored) or a CSV table told by its header: an ACLED
 * export (read with `fromAcled`'s rules), ACLED's deletions list (`acledDeletions`) or a UCDP
 * GED file (`fromUcdpGed`; append its events to a timeline made with `events: [Fatalities]`).
 * BOM, CRLF and quoted newlines are handled. Never throws on bad data: every problem is in
 * `problems` with its line (or CSV row); a row of a mapped kind that cannot be read is a
 * problem, a row of a kind that is not mapped is only in `skipped`.
 *
 * @example
 * const file = parseEventsText(await (await fetch("events.ndjson")).text());
 * if (file.problems.length === 0) timeline.appendAll(file.events as EventInput[]);
 */
export function parseEventsText(text: string, options: ParseOptions = {}): ParsedFile {
  const body = text.startsWith(BOM) ? text.slice(1) : text;
  const format = options.format ?? detectFormat(body);
  if (body.trim() === "") {
    // Nothing to read is a problem to report, not a file of no events (as the CLI says too).
    return {
      format,
      events: [],
      lines: [],
      skipped: [],
      problems: [{ line: 1, message: "empty input" }],
    };
  }
  if (format === "json") return parseJson(body);
  if (format === "ndjson") {
    const collector = new NdjsonCollector();
    // Line breaks as the CLI reads them: "\n", "\r\n" and a lone "\r" (old Mac files).
    const lines = body.split(/\r\n|\r|\n/);
    lines.forEach((line, i) => {
      collector.line(line, i + 1);
    });
    return collector.result();
  }
  const collector = new CsvCollector(options);
  try {
    parseCsv(body, collector.options());
  } catch (error) {
    collector.syntaxError(error);
  }
  return collector.result();
}

// ---------------------------------------------------------------------------- JSON

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

function parseJson(text: string): ParsedFile {
  const result = (problems: FileProblem[], events: unknown[] = [], lines: number[] = []) => ({
    format: "json" as const,
    events,
    lines,
    skipped: [],
    problems,
  });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // JSON.parse's message gives a position in some engine versions only: find it ourselves.
    return result([
      {
        line: lineOf(text, jsonErrorOffset(text)),
        message: `not valid JSON: ${(error as Error).message}`,
      },
    ]);
  }
  const offsets = eventOffsets(text);
  const lines = lineNumbers(text, offsets);
  if (Array.isArray(value)) return result([], value, lines);
  if (typeof value === "object" && value !== null) {
    const object = value as {
      version?: unknown;
      events?: unknown;
      type?: unknown;
      timeZone?: unknown;
    };
    if (Array.isArray(object.events)) {
      if (object.version !== 1) {
        return result([
          {
            line: 1,
            message: `version ${JSON.stringify(object.version)} is not 1 (toJSON output)`,
          },
        ]);
      }
      const zone = typeof object.timeZone === "string" ? { timeZone: object.timeZone } : {};
      return { ...result([], object.events, lines), ...zone };
    }
    if (typeof object.type === "string")
      return result([], [value], [lineOf(text, text.indexOf("{"))]);
  }
  return result([
    {
      line: 1,
      message: "expected an array of events, or { version: 1, events: [...] } from toJSON()",
    },
  ]);
}

function lineNumbers(text: string, offsets: readonly number[]): number[] {
  const out: number[] = [];
  let line = 1;
  let at = 0;
  for (const offset of offsets) {
    for (let i = text.indexOf("\n", at); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
      line++;
      at = i + 1;
    }
    out.push(line);
  }
  return out;
}

/**
 * Offsets where the elements of the events array begin: the top-level array, or the array
 * under the top-level key "events". The text is valid JSON (it has been parsed).
 */
function eventOffsets(text: string): number[] {
  const offsets: number[] = [];
  const scanner = new JsonScanner();
  // Per open bracket: whether it is an array, and whether it is the events array.
  const open: { array: boolean; target: boolean }[] = [];
  let state: "value" | "key" | "colon" | "after" = "value";
  let keyStart = -1;
  let key: string | undefined;
  scanner.scan(text, (c, i) => {
    const top = open[open.length - 1];
    if (state === "value" && c !== 0x5d && top?.array && top.target) offsets.push(i);
    if (state === "colon" && c === 0x3a) {
      // The key just read, at the top level: is it "events"?
      if (open.length === 1) key = JSON.parse(text.slice(keyStart, i).trimEnd()) as string;
      state = "value";
    } else if (c === 0x5b) {
      open.push({
        array: true,
        target: open.length === 0 || (open.length === 1 && key === "events"),
      });
      state = "value";
    } else if (c === 0x7b) {
      open.push({ array: false, target: false });
      state = "key";
    } else if (c === 0x5d || c === 0x7d) {
      open.pop();
      state = "after";
    } else if (c === 0x2c) {
      state = top?.array ? "value" : "key";
    } else if (c === 0x22 && state === "key") {
      keyStart = i;
      state = "colon";
    } else if (state !== "colon") {
      state = "after";
    }
    return false;
  });
  return offsets;
}

// ---------------------------------------------------------------------------- NDJSON

/** What the NDJSON and CSV collectors share: the events read so far, their lines, problems. */
abstract class Collector {
  protected events: unknown[] = [];
  /** The line (NDJSON) or row (CSV) of each event. */
  protected lines: number[] = [];
  protected readonly problems: FileProblem[] = [];

  /** The events read since the last call, with their lines (for appending as a stream goes). */
  drain(): { events: unknown[]; lines: number[] } {
    const out = { events: this.events, lines: this.lines };
    this.events = [];
    this.lines = [];
    return out;
  }

  /** Problems so far. */
  get problemList(): readonly FileProblem[] {
    return this.problems;
  }
}

/** Reads NDJSON line by line (also from a stream): one event input per non-blank line. */
export class NdjsonCollector extends Collector {
  /** One line of the file (with or without its line break), numbered from 1. */
  line(text: string, line: number): void {
    const trimmed = (line === 1 && text.startsWith(BOM) ? text.slice(1) : text).trim();
    if (trimmed === "") return;
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (error) {
      this.problems.push({ line, message: `not valid JSON: ${(error as Error).message}` });
      return;
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      this.problems.push({ line, message: "expected one event object per line" });
      return;
    }
    this.events.push(value);
    this.lines.push(line);
  }

  /** Everything read (the events not yet drained). */
  result(): ParsedFile {
    return {
      format: "ndjson",
      events: this.events,
      lines: this.lines,
      skipped: [],
      problems: this.problems,
    };
  }
}

// ---------------------------------------------------------------------------- CSV

type CsvParserOptions = {
  bom: true;
  relax_column_count: true;
  record_delimiter: string[];
  max_record_size: number;
  skip_records_with_error: true;
  on_record: (record: string[]) => null;
  on_skip: (error: unknown) => undefined;
};

/** The longest CSV record read (csv-parse's `max_record_size`, in characters). */
const MAX_RECORD = 64 * 1024 * 1024;

type TableReader = AcledReader | AcledDeletionsReader | UcdpReader;

/**
 * Reads a CSV table record by record, from csv-parse in either form (the sync parser here, the
 * Node stream in the CLI): numbers rows and their file lines, tells the table by its header,
 * checks field counts, and maps rows with the table's reader.
 */
export class CsvCollector extends Collector {
  private header: string[] | undefined;
  private table: CsvTable | undefined;
  private reader: TableReader | undefined;
  private readonly skipped: SkippedRow[] = [];
  private readonly rowLines: number[] = [];
  /** The file row of each row given to the reader (rows with a wrong field count are not). */
  private readonly readerRows: number[] = [];
  /** File line where the next record starts. */
  private nextLine = 1;
  private rows = 0;
  private stopped = false;
  private finished: ParsedFile | undefined;

  constructor(private readonly csv: CsvOptions = {}) {
    super();
  }

  /** csv-parse options that feed this collector (records are consumed, not returned). */
  options(): CsvParserOptions {
    return {
      bom: true,
      relax_column_count: true,
      record_delimiter: ["\r\n", "\n", "\r"],
      max_record_size: MAX_RECORD,
      skip_records_with_error: true,
      on_record: (record) => {
        this.record(record);
        return null;
      },
      on_skip: (error) => {
        this.syntaxError(error);
        return undefined;
      },
    };
  }

  /** Number of data rows read so far. */
  get rowCount(): number {
    return this.rows;
  }

  /** One parsed record (the header first), in file order. */
  record(fields: readonly string[]): void {
    if (this.stopped) return;
    const line = this.nextLine;
    let breaks = 0;
    for (const field of fields) {
      if (field.length > 0 && (field.includes("\n") || field.includes("\r"))) {
        breaks += field.match(/\r\n|\r|\n/g)?.length ?? 0;
      }
    }
    this.nextLine += 1 + breaks;
    if (fields.length === 1 && fields[0] === "") return; // an empty line
    if (this.header === undefined) {
      this.readHeader(fields);
      return;
    }
    const row = ++this.rows;
    this.rowLines.push(line);
    if (fields.length !== this.header.length) {
      const reason = `has ${fields.length} fields; the header has ${this.header.length}`;
      this.skipped.push({ row, reason, invalid: true });
      this.problems.push({ line: row, message: reason });
      return;
    }
    const object: Record<string, string> = {};
    const header = this.header;
    for (let i = 0; i < header.length; i++) object[header[i] as string] = fields[i] as string;
    this.readerRows.push(row);
    this.reader?.read(object);
  }

  private readHeader(fields: readonly string[]): void {
    const header = fields.map((f) => f.trim());
    const detected = detectCsvTable(header);
    const seen = new Set<string>();
    const twice = header.filter((column) => column !== "" && seen.size === seen.add(column).size);
    if (typeof detected !== "string" || twice.length > 0) {
      const parts: string[] = [];
      if (typeof detected !== "string") {
        const { missing } = detected;
        parts.push(`no ${missing.join(", ")} column${missing.length > 1 ? "s" : ""}`);
      }
      if (twice.length > 0) parts.push(`column ${[...new Set(twice)].join(", ")} given twice`);
      const separator = header.length === 1 ? otherSeparator(header[0] as string) : undefined;
      this.problems.push({
        line: 0,
        message:
          separator === undefined
            ? `not an ACLED export, ACLED deletions list or UCDP GED header: ${parts.join("; ")}`
            : `the header's columns are separated by ${separator}, not commas: save the file as comma-separated CSV (a spreadsheet in a locale with decimal commas writes semicolons)`,
      });
      this.stopped = true;
      return;
    }
    this.header = header;
    this.table = detected;
    this.reader =
      detected === "acled"
        ? new AcledReader(this.csv)
        : detected === "acled-deletions"
          ? new AcledDeletionsReader(this.csv.timeline)
          : new UcdpReader(this.csv);
  }

  /** A CSV syntax error: reported at the record where it starts; the rest is not read. */
  syntaxError(error: unknown): void {
    if (this.stopped) return;
    const tooLong = (error as { code?: unknown } | null)?.code === "CSV_MAX_RECORD_SIZE";
    const message = (
      tooLong
        ? `a record longer than ${MAX_RECORD / 1024 / 1024} MiB (an unclosed quote, or not a CSV file)`
        : error instanceof Error
          ? error.message
          : String(error)
    )
      .replace(/ at line \d+/, "")
      .replace(/:? ?the parsing is finished with/, ": the file ends with");
    const row = this.header === undefined ? 0 : this.rows + 1;
    if (row > 0) this.rowLines.push(this.nextLine);
    this.problems.push({ line: row, message: `CSV syntax: ${message}; nothing after it is read` });
    this.stopped = true;
  }

  /** Everything read, with the registries (settles the file: call it once all rows are in). */
  result(): ParsedFile {
    if (this.finished !== undefined) return this.finished;
    if (this.header === undefined && this.problems.length === 0) {
      this.problems.push({ line: 0, message: "no header row: the file is empty" });
    }
    const read = this.reader?.finish();
    const fileRow = (n: number) => this.readerRows[n - 1] ?? n;
    const skipped = [
      ...this.skipped,
      ...(read?.skipped ?? []).map((s) => ({ ...s, row: fileRow(s.row) })),
    ].sort((a, b) => a.row - b.row);
    for (const s of read?.skipped ?? []) {
      if (s.invalid) this.problems.push({ line: fileRow(s.row), message: s.reason });
    }
    this.problems.sort((a, b) => a.line - b.line);
    this.finished = {
      format: "csv",
      ...(this.table === undefined ? {} : { table: this.table }),
      events: read?.events ?? [],
      lines: (read?.eventRows ?? []).map(fileRow),
      ...(read !== undefined && "places" in read
        ? { places: read.places, actors: read.actors }
        : {}),
      skipped,
      ...(read !== undefined && "placeChanges" in read ? { placeChanges: read.placeChanges } : {}),
      rows: this.rows,
      problems: this.problems,
      rowLines: this.rowLines,
    };
    return this.finished;
  }
}
