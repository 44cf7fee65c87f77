/**
 * What every store does with a batch before writing it: checks the records' shape, and keeps
 * each id once, by the one duplicate-id rule of the core (a repeat with the same content is
 * the same event, with other content an error).
 */
import { TimelineValidationError, type ValidationIssue } from "../core/errors.js";
import { idInUse } from "../core/id-rules.js";
import type { EventRecord } from "./store.js";

/** @throws {TypeError} unless `records` is an array of `{ id, content, checksum }` strings. */
export function checkRecords(records: readonly EventRecord[]): void {
  if (!Array.isArray(records)) throw new TypeError("append: expected an array of records");
  for (const r of records) {
    if (
      typeof r?.id !== "string" ||
      typeof r.content !== "string" ||
      typeof r.checksum !== "string"
    ) {
      throw new TypeError("append: each record is { id, content, checksum }, all strings");
    }
  }
}

/**
 * The records of a batch to write: those whose id neither `stored` (the content a store holds
 * for an id) nor an earlier record of the batch has. A repeat with the same content is
 * skipped.
 *
 * @throws {TimelineValidationError} naming every record whose id is used with other content.
 */
export function newRecords(
  records: readonly EventRecord[],
  stored: (id: string) => string | undefined,
): EventRecord[] {
  const batch = new Map<string, string>();
  const out: EventRecord[] = [];
  const issues: ValidationIssue[] = [];
  records.forEach((record, index) => {
    const known = batch.get(record.id) ?? stored(record.id);
    if (known === undefined) {
      batch.set(record.id, record.content);
      out.push(record);
    } else if (known !== record.content) {
      issues.push(idInUse(index, record.id));
    }
  });
  if (issues.length > 0) throw new TimelineValidationError(issues);
  return out;
}
