// Reading event files: JSON (`toJSON()` output or an array of inputs), NDJSON (one input per
// line) and CSV tables (ACLED exports, ACLED deletion lists, UCDP GED). Browser-safe: the CSV
// parser is csv-parse's self-contained browser build; the CLI feeds the same collectors from
// csv-parse's Node stream instead.

import { parse as parseCsv } from "csv-parse/browser/esm/sync";
import { CsvCollector, type CsvOptions } from "./csv-collector.js";
import { detectFormat } from "./detect.js";
import { parseJson } from "./json-text.js";
import { NdjsonCollector } from "./ndjson.js";
import { BOM, type FileFormat, type ParsedFile } from "./parsed-file.js";

/** Options of {@link parseEventsText}. */
export interface ParseOptions extends CsvOptions {
  /** The format, when known; detected from the text otherwise. */
  readonly format?: FileFormat;
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
