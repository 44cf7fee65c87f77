// Reading CSV tables (ACLED exports, ACLED deletion lists, UCDP GED) record by record, from
// csv-parse's sync parser or its Node stream.

import type { Registry } from "../core/registry.js";
import {
  AcledDeletionsReader,
  AcledReader,
  type DateOrder,
  type EventSource,
  type SkippedRow,
} from "./acled.js";
import { Collector } from "./collector.js";
import { type CsvTable, detectCsvTable, otherSeparator } from "./csv-table.js";
import type { ParsedFile } from "./parsed-file.js";
import { UcdpReader } from "./ucdp.js";

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
