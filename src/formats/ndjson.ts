// Reading NDJSON: one event input per line.

import { Collector } from "./collector.js";
import { BOM, type ParsedFile } from "./parsed-file.js";

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
