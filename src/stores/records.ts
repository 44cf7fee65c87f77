/**
 * What every store does with a batch before writing it: checks the records' shape, and keeps
 * each id once, by the one duplicate-id rule of the core (a repeat with the same content is
 * the same event, with other content an error).
 */
import { TimelineValidationError, type ValidationIssue } from "../core/errors.js";
import { idInUse, idProblem } from "../core/id-rules.js";
import { canonicalJson } from "../core/ids.js";
import type { EventRecord, RegistryRecord } from "./store.js";

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

/** Whether two JSON texts hold the same value (keys in any order). */
function sameJson(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    return canonicalJson(JSON.parse(a)) === canonicalJson(JSON.parse(b));
  } catch {
    return false;
  }
}

/**
 * Checks registry records before a store looks them up: each is `{ registry, id, entry }`, and
 * its id, its entry's `parent` and `aliases` follow the one id rule (`idProblem`), so that an id
 * that PostgreSQL cannot hold (U+0000) is refused alike by every store, before any query.
 *
 * @throws {TypeError} unless `entries` are `{ registry, id, entry }` records.
 * @throws {TimelineValidationError} naming each id that breaks the rule.
 */
export function checkRegistryRecords(entries: readonly RegistryRecord[]): void {
  if (!Array.isArray(entries)) throw new TypeError("append: expected an array of registry records");
  const issues: ValidationIssue[] = [];
  entries.forEach((record, index) => {
    if (
      (record?.registry !== "places" && record?.registry !== "actors") ||
      typeof record.id !== "string" ||
      typeof record.entry !== "string"
    ) {
      throw new TypeError(
        'append: each registry record is { registry: "places" | "actors", id, entry }',
      );
    }
    const { registry, id } = record;
    const wrong = (path: (string | number)[], text: unknown) => {
      const message = typeof text === "string" ? idProblem(text) : undefined;
      if (message !== undefined) issues.push({ index, path: [registry, ...path], message });
    };
    wrong([id], id);
    let entry: unknown;
    try {
      entry = JSON.parse(record.entry);
    } catch {
      return;
    }
    if (typeof entry !== "object" || entry === null) return;
    const { parent, aliases } = entry as { parent?: unknown; aliases?: unknown };
    wrong([id, "parent"], parent);
    if (Array.isArray(aliases)) {
      aliases.forEach((alias, i) => {
        wrong([id, "aliases", i], alias);
      });
    }
  });
  if (issues.length > 0) throw new TimelineValidationError(issues);
}

/**
 * The registry entries of an append to write: those whose id the store does not hold yet
 * (`stored` gives the JSON a store holds for an id), each once. The one registry rule of every
 * store: an entry stored with the same value is skipped; with another value, the append is
 * refused, since the events stored already were checked against the first.
 *
 * @throws {TypeError} unless `entries` are `{ registry, id, entry }` records.
 * @throws {TimelineValidationError} naming each entry that conflicts with a stored one or an
 *   earlier one of the batch, or whose ids break the id rule (`checkRegistryRecords`).
 */
export function newRegistryEntries(
  entries: readonly RegistryRecord[],
  stored: (registry: RegistryRecord["registry"], id: string) => string | undefined,
): RegistryRecord[] {
  checkRegistryRecords(entries);
  const batch = new Map<string, string>();
  const out: RegistryRecord[] = [];
  const issues: ValidationIssue[] = [];
  entries.forEach((record, index) => {
    const { registry, id, entry } = record;
    const key = `${registry}\u0000${id}`;
    const known = batch.get(key) ?? stored(registry, id);
    if (known === undefined) {
      batch.set(key, entry);
      out.push(record);
    } else if (!sameJson(known, entry)) {
      issues.push({
        index,
        path: [registry, id],
        message: `${registry === "places" ? "place" : "actor"} "${id}" is stored with another entry; a store keeps the first entry of each id, which its events were checked against`,
      });
    }
  });
  if (issues.length > 0) throw new TimelineValidationError(issues);
  return out;
}
