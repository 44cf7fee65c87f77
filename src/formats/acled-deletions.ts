// ACLED's list of deleted events, as retractions of the versions a timeline holds.

import type { TimelineEvent } from "../core/events.js";
import type { AcledRow, EventSource, RetractedInput, SkippedRow } from "./acled.js";
import { ColumnIndex } from "./acled-columns.js";
import { epochMs } from "./acled-dates.js";
import { currentVersions } from "./acled-revisions.js";

/** What {@link acledDeletions} returns. */
export interface AcledDeletions {
  /** One `Retracted` per deleted event (of the timeline's current version, when given). */
  readonly events: RetractedInput[];
  /** Rows that are not read, and events the timeline does not hold (`invalid: false`). */
  readonly skipped: SkippedRow[];
}

/** Reads a deletions list row by row (what {@link acledDeletions} and the CLI use). */
export class AcledDeletionsReader {
  private readonly columns = new ColumnIndex();
  private readonly current: Map<string, TimelineEvent> | undefined;
  private readonly events: RetractedInput[] = [];
  private readonly eventRows: number[] = [];
  private readonly skipped: SkippedRow[] = [];
  private count = 0;

  constructor(timeline?: EventSource) {
    this.current = timeline === undefined ? undefined : currentVersions(timeline.events());
  }

  private text(column: string): string {
    return this.columns.get(column);
  }

  /** Reads one row (numbered from 1 in the order given). */
  read(row: AcledRow): void {
    const n = ++this.count;
    if (typeof row !== "object" || row === null) {
      this.skipped.push({ row: n, reason: "not an object keyed by column names", invalid: true });
      return;
    }
    this.columns.use(row);
    const id = this.text("event_id_cnty");
    const stamp = this.text("deleted_timestamp");
    const problems: string[] = [];
    if (id === "") problems.push("event_id_cnty is empty");
    const at = epochMs(stamp);
    if (!/^\d+$/.test(stamp) || !Number.isSafeInteger(at)) {
      problems.push(`deleted_timestamp "${stamp}" is not epoch seconds (or milliseconds)`);
    }
    if (problems.length > 0) {
      this.skipped.push({ row: n, reason: problems.join("; "), invalid: true });
      return;
    }
    const target = this.current === undefined ? id : this.current.get(id)?.id;
    if (target === undefined) {
      this.skipped.push({ row: n, reason: `event ${id} is not in the timeline`, invalid: false });
      return;
    }
    this.events.push({
      type: "Retracted",
      at,
      recordedAt: at,
      data: { eventId: target, reason: "deleted by ACLED" },
    });
    this.eventRows.push(n);
  }

  /** Everything read, with the row of each event. */
  finish(): AcledDeletions & { readonly eventRows: readonly number[] } {
    return { events: this.events, eventRows: this.eventRows, skipped: this.skipped };
  }
}

/**
 * Turns ACLED's list of deleted events (columns `event_id_cnty`, `deleted_timestamp` in
 * epoch seconds) into `Retracted` events recorded at the deletion. With `timeline`, each
 * retracts the version the timeline holds (`SYR1`, or a revision `SYR1@1700000000`), and a
 * deleted event it does not hold (or holds retracted already) is skipped, not invalid.
 *
 * @example
 * const { events } = acledDeletions(deletedRows, { timeline });
 * timeline.appendAll(events); // an earlier asOf still sees the deleted events
 */
export function acledDeletions(
  rows: Iterable<AcledRow>,
  options: { readonly timeline?: EventSource } = {},
): AcledDeletions {
  const reader = new AcledDeletionsReader(options.timeline);
  for (const row of rows) reader.read(row);
  const { eventRows: _, ...result } = reader.finish();
  return result;
}
