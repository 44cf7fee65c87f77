// What the NDJSON and CSV collectors share.

import type { FileProblem } from "./parsed-file.js";

/** What the NDJSON and CSV collectors share: the events read so far, their lines, problems. */
export abstract class Collector {
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
