// Reading the file an import stores: a store, or an event file in any format, each event with
// its line or row, and an ACLED file reconciled with the events already in the store.

import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import type { Registry } from "../core/registry.js";
import type { SkippedRow } from "../formats/acled.js";
import type { CsvTable } from "../formats/csv-table.js";
import { detectFormat } from "../formats/detect.js";
import { NdjsonCollector } from "../formats/ndjson.js";
import type { FileFormat, ParsedFile } from "../formats/parsed-file.js";
import type { PlaceChange } from "../formats/places.js";
import type { DurableTimeline } from "../stores/durable.js";
import { isStoreLocation } from "../stores/open.js";
import { decodedInput } from "./decode.js";
import type { ImportRequest } from "./import.js";
import {
  formatFromName,
  type InputProblem,
  isEmptyInput,
  loadInput,
  openStream,
  Progress,
  peek,
  readCsv,
  splitInvalid,
} from "./input.js";
import { readJsonFile } from "./json-file.js";

/** A file read for import: its events with their lines, and what it said about its rows. */
export interface ReadForImport {
  readonly label: string;
  readonly format: FileFormat | "store";
  readonly table?: CsvTable;
  readonly events: readonly unknown[];
  readonly lines: readonly number[];
  readonly problems: readonly InputProblem[];
  readonly invalid: readonly InputProblem[];
  readonly skipped: readonly SkippedRow[];
  readonly rows?: number;
  readonly places?: Registry;
  readonly actors?: Registry;
  readonly placeChanges: readonly PlaceChange[];
  /** Where a line or row is, for messages. */
  where(line: number): string;
}

/** Reads the file to import, reconciling an ACLED file with `timeline` (the store's events). */
export async function readForImport(
  request: ImportRequest,
  timeline: DurableTimeline | undefined,
  known: { places?: Registry; actors?: Registry },
): Promise<ReadForImport> {
  const { file } = request;
  if (isStoreLocation(file)) return readStore(request);
  const label = file === "-" ? "<stdin>" : file;
  const opened = await openStream(file, request.stdin);
  const { size } = opened;
  const { stream } = await decodedInput(opened.stream, label);
  const first = await peek(stream, label);
  if (isEmptyInput(first, size)) {
    stream.destroy();
    return emptyFile(label, request.format ?? formatFromName(file) ?? "ndjson");
  }
  const format = request.format ?? formatFromName(file) ?? detectFormat(first);
  const progress = new Progress(request.progress, label);
  let parsed: ParsedFile | undefined;
  if (format === "csv") {
    parsed = await readCsv(
      stream,
      {
        ...known,
        ...(request.dateOrder === undefined ? {} : { dateOrder: request.dateOrder }),
        ...(timeline === undefined ? {} : { timeline }),
      },
      progress,
      (bytes) => (size !== undefined && size > 0 && bytes !== undefined ? bytes / size : undefined),
    );
  } else if (format === "json") {
    parsed = await readJsonFile(stream, first, size);
  } else {
    parsed = await readNdjson(stream);
  }
  progress.done();
  // Blank lines only, on standard input or past the first bytes: as empty as no bytes.
  if (parsed === undefined) return emptyFile(label, format);
  return located(label, format, parsed, request.skipInvalid);
}

/** A store's events, to import into another store. */
async function readStore(request: ImportRequest): Promise<ReadForImport> {
  const { file } = request;
  const input = await loadInput(file, {
    ...(request.places === undefined ? {} : { places: request.places }),
    ...(request.actors === undefined ? {} : { actors: request.actors }),
  });
  const events = input.timeline.toJSON().events;
  await input.close();
  return {
    label: file,
    format: "store",
    events,
    lines: events.map((_, i) => i + 1),
    problems: [],
    invalid: [],
    skipped: [],
    ...(input.places === undefined ? {} : { places: input.places }),
    ...(input.actors === undefined ? {} : { actors: input.actors }),
    placeChanges: [],
    where: (line) => `${file}: event ${line}`,
  };
}

/** An NDJSON stream read line by line; `undefined` when it holds blank lines only. */
async function readNdjson(stream: Readable): Promise<ParsedFile | undefined> {
  const collector = new NdjsonCollector();
  let n = 0;
  let blank = true;
  for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
    collector.line(line, ++n);
    if (blank && line.trim() !== "") blank = false;
  }
  return blank ? undefined : collector.result();
}

/** A parsed file's events and problems, each problem placed at its line or row. */
function located(
  label: string,
  format: FileFormat,
  parsed: ParsedFile,
  skipInvalid: boolean,
): ReadForImport {
  const where = (line: number) => {
    if (format !== "csv") return `${label}:${line}`;
    if (line === 0) return `${label}: header (line 1)`;
    const fileLine = parsed.rowLines?.[line - 1];
    return `${label}: row ${line}${fileLine === undefined ? "" : ` (line ${fileLine})`}`;
  };
  const locate = (p: { line: number; message: string }) => ({
    line: p.line,
    where: where(p.line),
    message: p.message,
  });
  const sorted = splitInvalid(parsed, skipInvalid);
  return {
    label,
    format,
    ...(parsed.table === undefined ? {} : { table: parsed.table }),
    events: parsed.events,
    lines: parsed.lines,
    problems: sorted.problems.map(locate),
    invalid: sorted.invalid.map(locate),
    skipped: parsed.skipped,
    ...(parsed.rows === undefined ? {} : { rows: parsed.rows }),
    ...(parsed.places === undefined ? {} : { places: parsed.places }),
    ...(parsed.actors === undefined ? {} : { actors: parsed.actors }),
    placeChanges: parsed.placeChanges ?? [],
    where,
  };
}

/** A file with nothing in it, or only blanks: one problem, "empty input" (exit code 1). */
function emptyFile(label: string, format: FileFormat): ReadForImport {
  return {
    label,
    format,
    events: [],
    lines: [],
    problems: [{ line: 0, where: label, message: "empty input" }],
    invalid: [],
    skipped: [],
    placeChanges: [],
    where: () => label,
  };
}
