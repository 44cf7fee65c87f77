// The timeline a command's input is read into, and how events are appended to it in batches:
// shared by every loader.

import { TimelineValidationError, type ValidationIssue } from "../../core/errors.js";
import type { Registry } from "../../core/registry.js";
import { createTimeline, type Timeline } from "../../core/timeline.js";
import { Fatalities, fatalities } from "../../formats/fatalities.js";

/** The custom event definitions the command reads: UCDP GED's `Fatalities`. */
export const EVENTS = [Fatalities] as const;

/** The custom slices the command keeps: UCDP GED's deaths per place (`fatalities`). */
export const REDUCERS = { fatalities } as const;

/** Events appended at a time. */
export const BATCH = 10_000;

/**
 * The one timeline every file is read into: the command's event types and reducers, the
 * registries and the zone given.
 */
export function commandTimeline(options: {
  readonly places?: Registry | undefined;
  readonly actors?: Registry | undefined;
  readonly timeZone?: string | undefined;
}): Timeline {
  return createTimeline({
    events: EVENTS,
    reducers: REDUCERS,
    places: options.places,
    actors: options.actors,
    timeZone: options.timeZone,
  });
}

/** A retraction of an id not stored yet: its target may come later in the file. */
const retractsUnknown = (issue: ValidationIssue) =>
  issue.path.join(".") === "data.eventId" && issue.message.startsWith("cannot retract");

/**
 * Appends events in batches as they are read. A batch with invalid events records every
 * problem, then appends the rest of it, so that one run lists every problem of the file.
 * Retractions of events that come later in the file are tried again at the end.
 */
export class Appender {
  readonly problems: { line: number; message: string }[] = [];
  private deferred: { event: unknown; line: number }[] = [];
  count = 0;

  constructor(readonly timeline: Timeline) {}

  add(events: readonly unknown[], lines: readonly number[], final = false): void {
    if (events.length === 0) return;
    try {
      this.timeline.appendAll(events as never[]);
      this.count += events.length;
      return;
    } catch (error) {
      if (!(error instanceof TimelineValidationError)) throw error;
      const byIndex = new Map<number, ValidationIssue[]>();
      for (const issue of error.issues) {
        byIndex.set(issue.index, [...(byIndex.get(issue.index) ?? []), issue]);
      }
      const rest: unknown[] = [];
      const restLines: number[] = [];
      events.forEach((event, i) => {
        const line = lines[i] ?? 0;
        const issues = byIndex.get(i);
        if (issues === undefined) {
          rest.push(event);
          restLines.push(line);
        } else if (!final && issues.every(retractsUnknown)) {
          this.deferred.push({ event, line });
        } else {
          for (const issue of issues) {
            const path = issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
            this.problems.push({ line, message: `${path}${issue.message}` });
          }
        }
      });
      this.add(rest, restLines, final);
    }
  }

  finish(): void {
    const deferred = this.deferred;
    this.deferred = [];
    this.add(
      deferred.map((d) => d.event),
      deferred.map((d) => d.line),
      true,
    );
  }
}
