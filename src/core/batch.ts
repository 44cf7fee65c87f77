import { TimelineValidationError, type ValidationIssue } from "./errors.js";
import type { TimelineEvent } from "./events.js";
import { idInUse } from "./id-rules.js";
import type { IdTable } from "./id-table.js";
import {
  type Candidate,
  deepFreeze,
  type IngestContext,
  ingest,
  restore,
  sameContent,
} from "./ingest.js";

/** How a batch is read: given to `append`, checked before a store writes it, or read back. */
export type BatchMode = "append" | "check" | "restore";

/**
 * Validates a batch and makes its stored events, without storing them: `added` are the new
 * events (in input order), `result` the stored event each input stands for (the stored one
 * for an input that repeats an event). Applies the rules on ids: a repeated id with the same
 * content is the same event, with other content an error; a retraction names a stored event
 * (or, read back from a store, one later in the batch) that is not itself a retraction.
 * `hashes[i]` is the id hash of `added[i]` in `byId`, for storing it without hashing again.
 *
 * @throws {TimelineValidationError} listing every problem of the batch.
 */
export function readBatch(
  inputs: readonly unknown[],
  mode: BatchMode,
  context: IngestContext,
  byId: IdTable,
): { added: TimelineEvent[]; result: TimelineEvent[]; hashes: readonly number[] } {
  const n = inputs.length;
  const issues: ValidationIssue[] = [];
  const candidates: (Candidate | undefined)[] = new Array(n);
  const read = mode === "restore" ? restore : ingest;
  for (let i = 0; i < n; i++) candidates[i] = read(inputs[i], i, context, issues);
  // Inputs that repeat an event: the stored event, or the earlier input's candidate.
  const repeats = new Map<number, Candidate | TimelineEvent>();
  // Each id hashed once, for this batch's table and the timeline's (and again when stored).
  const hashes = new Int32Array(n);
  const batch = byId.scratch(n);
  for (let i = 0; i < n; i++) {
    const c = candidates[i];
    if (c === undefined) continue;
    const h = byId.hash(c.id);
    hashes[i] = h;
    const stored = byId.get(c.id, h);
    const earlier =
      stored === undefined ? (batch.get(c.id, h) as Candidate | undefined) : undefined;
    if (stored === undefined && earlier === undefined) {
      batch.add(c as TimelineEvent, h);
    } else if (sameContent(stored ?? (earlier as Candidate), c)) {
      repeats.set(i, stored ?? (earlier as Candidate));
    } else {
      issues.push(idInUse(i, c.id));
    }
    if (c.type === "Retracted") {
      const target = (c.data as { eventId: string }).eventId;
      const known = byId.get(target)?.type ?? batch.get(target)?.type;
      const later = known === undefined && candidates.some((x) => x?.id === target);
      // A store is read in chunks: a stored retraction may come before its target.
      if (known === undefined && !later && mode !== "restore") {
        issues.push({
          index: i,
          path: ["data", "eventId"],
          message: `cannot retract "${target}": no stored event has that id`,
        });
      } else if ((known ?? candidates.find((x) => x?.id === target)?.type) === "Retracted") {
        issues.push({
          index: i,
          path: ["data", "eventId"],
          message: `"${target}" is a retraction, which cannot itself be retracted`,
        });
      }
    }
  }
  if (issues.length > 0) throw new TimelineValidationError(issues);

  const added: TimelineEvent[] = [];
  const addedHashes: number[] = [];
  const result: TimelineEvent[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const repeat = repeats.size === 0 ? undefined : repeats.get(i);
    if (repeat !== undefined) {
      // An earlier input's candidate is frozen by now: it is the stored event.
      result[i] = repeat as TimelineEvent;
      continue;
    }
    const event = candidates[i] as Candidate;
    // Frozen only now that the whole batch is valid: a rejected batch leaves inputs as they were.
    deepFreeze(event.data);
    Object.freeze(event);
    result[i] = event as TimelineEvent;
    added.push(event as TimelineEvent);
    addedHashes.push(hashes[i] as number);
  }
  return { added, result, hashes: addedHashes };
}
