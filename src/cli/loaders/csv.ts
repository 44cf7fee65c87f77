// A CSV table as a command's input: an ACLED export, ACLED's deletions list or a UCDP GED file,
// told apart by its header (CsvCollector), streamed through csv-parse.

import type { Readable } from "node:stream";
import { finished } from "node:stream/promises";
import { parse as csvStream } from "csv-parse";
import { CsvCollector } from "../../formats/csv-collector.js";
import type { ParsedFile } from "../../formats/parsed-file.js";
import type { LoadedInput, LoadOptions } from "../input.js";
import { InputError } from "../input-error.js";
import type { Progress } from "../progress.js";
import { bytesRead, located, type Source } from "./source.js";
import { Appender, BATCH, commandTimeline } from "./timeline.js";

/**
 * Reads the table, then makes the timeline: the registries are only known once every row is
 * read, and the timeline needs them first; so rows are mapped as they stream in and the events
 * appended at the end.
 */
export async function loadCsv(source: Source): Promise<LoadedInput> {
  const { label, options, progress } = source;
  const parsed = await readCsv(source.stream, options, progress, source.share);
  const sorted = splitInvalid(parsed, options.skipInvalid === true);
  const places = options.places ?? parsed.places;
  const actors = options.actors ?? parsed.actors;
  const timeline = commandTimeline({ places, actors, timeZone: options.timeZone });
  const appender = new Appender(timeline);
  const total = parsed.events.length.toLocaleString("en");
  for (let i = 0; i < parsed.events.length; i += BATCH) {
    appender.add(parsed.events.slice(i, i + BATCH), parsed.lines.slice(i, i + BATCH));
    progress.update(
      "checking",
      appender.count,
      `of ${total} events`,
      appender.count / parsed.events.length,
    );
  }
  appender.finish();
  progress.done();
  const where = (p: { line: number; message: string }) =>
    located(label, "csv", p.line, p.message, parsed.rowLines);
  const problems = [...sorted.problems, ...appender.problems]
    .map(where)
    .sort((a, b) => a.line - b.line);
  return {
    timeline,
    label,
    close: async () => {},
    format: "csv",
    ...(places === undefined ? {} : { places }),
    ...(actors === undefined ? {} : { actors }),
    skipped: parsed.skipped.filter((s) => !s.invalid),
    problems,
    invalid: sorted.invalid.map(where),
    ...(parsed.table === undefined ? {} : { table: parsed.table }),
    rows: parsed.rows ?? 0,
    placeChanges: parsed.placeChanges ?? [],
    events: appender.count,
  };
}

/**
 * A file's problems, with the rows of a mapped kind that cannot be read taken apart when
 * `skipInvalid` (they are listed, not failures).
 */
export function splitInvalid(
  parsed: ParsedFile,
  skipInvalid: boolean,
): { problems: ParsedFile["problems"]; invalid: ParsedFile["problems"] } {
  if (!skipInvalid) return { problems: parsed.problems, invalid: [] };
  const invalidRows = new Set(parsed.skipped.filter((s) => s.invalid).map((s) => s.row));
  return {
    problems: parsed.problems.filter((p) => !invalidRows.has(p.line)),
    invalid: parsed.problems.filter((p) => invalidRows.has(p.line)),
  };
}

/** Reads a CSV table from a stream with csv-parse's Node parser (see {@link CsvCollector}). */
export async function readCsv(
  stream: Readable,
  options: LoadOptions,
  progress: Progress,
  share: (bytes: number | undefined) => number | undefined,
): Promise<ParsedFile> {
  const collector = new CsvCollector({
    ...(options.dateOrder === undefined ? {} : { dateOrder: options.dateOrder }),
    ...(options.timeline === undefined ? {} : { timeline: options.timeline }),
    ...(options.places === undefined ? {} : { places: options.places }),
    ...(options.actors === undefined ? {} : { actors: options.actors }),
  });
  const csvOptions = collector.options();
  const onRecord = csvOptions.on_record;
  let rows = 0;
  csvOptions.on_record = (record) => {
    if (++rows % 1000 === 0) progress.update("reading", rows, "rows", share(bytesRead(stream)));
    return onRecord(record);
  };
  const parser = csvStream(csvOptions);
  stream.on("error", (error) => parser.destroy(error));
  stream.pipe(parser);
  parser.resume();
  try {
    await finished(parser);
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") throw new InputError(String(error));
    if (error instanceof InputError) throw error;
    collector.syntaxError(error);
  }
  return collector.result();
}
