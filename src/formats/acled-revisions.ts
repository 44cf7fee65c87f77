// A newer ACLED export against what a timeline holds: each row is the stored event unchanged,
// a new event, or a revision (the stored version retracted, the new one appended under
// `ID@timestamp`), so that `asOf` still sees what was known before.

import type { TimelineEvent } from "../core/events.js";
import { deepEqual } from "../core/json-data.js";
import type { AcledEvent, SkippedRow } from "./acled.js";

/** The base ACLED id of a stored event's id: "SYR1@1700000000" → "SYR1". */
function baseId(id: string): string {
  const at = id.indexOf("@");
  return at === -1 ? id : id.slice(0, at);
}

/**
 * Half a day and more: a date-only `at` is midnight in the timeline's zone, which is less than
 * 15 hours from midnight UTC anywhere, while another day is 24 hours away.
 */
const SAME_DAY = 15 * 3_600_000;

function sameAsStored(input: AcledEvent, stored: TimelineEvent): boolean {
  if (input.type !== stored.type || input.type === "Retracted") return false;
  const at = Date.parse(`${input.at as string}T00:00:00Z`);
  return (
    Math.abs(stored.at - at) < SAME_DAY &&
    (input.precision ?? "day") === stored.precision &&
    (input.note ?? undefined) === stored.note &&
    deepEqual(input.sources ?? [], stored.sources) &&
    deepEqual(input.data, stored.data)
  );
}

/**
 * A newer export against what a timeline holds: the current version of each ACLED id (the
 * latest not retracted), and for each row an unchanged event, a new one, or a revision.
 */
export function reconcile(
  events: readonly AcledEvent[],
  rows: readonly number[],
  stored: readonly TimelineEvent[],
): { events: AcledEvent[]; rows: number[]; stale: SkippedRow[] } {
  const current = currentVersions(stored);
  const out: AcledEvent[] = [];
  const outRows: number[] = [];
  const stale: SkippedRow[] = [];
  events.forEach((event, i) => {
    const row = rows[i] as number;
    const known = current.get(event.id as string);
    if (known === undefined) {
      out.push(event);
      outRows.push(row);
    } else if (sameAsStored(event, known)) {
      out.push(known as AcledEvent);
      outRows.push(row);
    } else if (typeof event.recordedAt === "number" && event.recordedAt < known.recordedAt) {
      // An older release read after a newer one: its version is not news.
      stale.push({
        row,
        reason: `event ${event.id as string} is older than the version the timeline holds (${known.id})`,
        invalid: false,
      });
    } else {
      const recordedAt = (event.recordedAt as number | undefined) ?? Date.now();
      const version = `${event.id as string}@${Math.floor(recordedAt / 1000)}`;
      if (version === known.id) {
        // Revised again without a new timestamp: the stored version stands (appending the
        // row would fail on its id), so nothing changes.
        out.push(known as AcledEvent);
        outRows.push(row);
        return;
      }
      out.push({
        type: "Retracted",
        at: recordedAt,
        recordedAt,
        data: { eventId: known.id, reason: `revised by ACLED (${version})` },
      });
      out.push({ ...event, id: version, recordedAt } as AcledEvent);
      outRows.push(row, row);
    }
  });
  return { events: out, rows: outRows, stale };
}

/** The version of each ACLED id that counts now: the latest stored and not retracted. */
export function currentVersions(stored: readonly TimelineEvent[]): Map<string, TimelineEvent> {
  const retracted = new Set<string>();
  for (const e of stored) {
    if (e.type === "Retracted") retracted.add((e.data as { eventId: string }).eventId);
  }
  const current = new Map<string, TimelineEvent>();
  for (const event of stored) {
    if (event.type === "Retracted" || retracted.has(event.id)) continue;
    const base = baseId(event.id);
    const known = current.get(base);
    if (known === undefined || event.recordedAt >= known.recordedAt) current.set(base, event);
  }
  return current;
}
