// An append, step by step: each input read, the rules on ids applied to the batch, the new
// events frozen, the change planned, then made by `commit` (stored.ts). A durable timeline
// writes the batch to its store between the plan and the commit.

import { TimelineValidationError, type ValidationIssue } from "./errors.js";
import type { TimelineEvent } from "./events.js";
import { idInUse, sameContent } from "./id-rules.js";
import { type IngestContext, ingest } from "./ingest.js";
import { deepFreeze } from "./json-data.js";
import type { BatchPlan, StoredEvents } from "./stored.js";
import { readStored } from "./stored-event.js";

/**
 * How a batch is read: given to `append`; given to `append` and folded by the custom
 * reducers on a dry run before a store writes it (`"dryRun"`); or read back from a store,
 * validated when it was appended (`"stored"`).
 */
export type BatchMode = "append" | "dryRun" | "stored";

/** A validated batch, planned but not yet made (internal). */
export class PreparedBatch {
  private finished = false;

  constructor(
    /** The stored event for each input (the already stored one for a duplicate). */
    readonly result: readonly TimelineEvent[],
    /** The events the batch adds, in input order (empty when every input is a duplicate). */
    readonly added: readonly TimelineEvent[],
    private readonly plan: BatchPlan,
    private readonly stored: StoredEvents,
  ) {}

  private finish(): void {
    if (this.finished) throw new Error("tidemark: a prepared batch is committed or discarded once");
    this.finished = true;
  }

  /** Makes the change; a reducer that throws leaves the timeline as it was. */
  commit(): void {
    this.finish();
    this.stored.commit(this.plan);
  }

  /** Drops the batch: nothing of it is stored. */
  discard(): void {
    this.finish();
  }
}

/**
 * Validates a batch and plans its change without making it.
 *
 * @throws {TimelineValidationError} listing every problem of the batch; nothing is stored.
 * @throws {ReducerError} in `"dryRun"` mode, when a custom reducer cannot fold the batch.
 */
export function prepareBatch(
  inputs: readonly unknown[],
  mode: BatchMode,
  context: IngestContext,
  stored: StoredEvents,
): PreparedBatch {
  const issues: ValidationIssue[] = [];
  const read = readInputs(inputs, mode, context, issues);
  const { repeats, hashes } = applyIdRules(read, mode, stored, issues);
  if (issues.length > 0) throw new TimelineValidationError(issues);
  const { added, result, addedHashes } = freezeNew(read, repeats, hashes);
  const plan = planChange(added, addedHashes, stored);
  if (mode === "dryRun") stored.dryRun(plan);
  return new PreparedBatch(Object.freeze(result), plan.inInputOrder, plan, stored);
}

/** Step 1: each input validated and normalised into the event it becomes (not yet frozen). */
function readInputs(
  inputs: readonly unknown[],
  mode: BatchMode,
  context: IngestContext,
  issues: ValidationIssue[],
): (TimelineEvent | undefined)[] {
  const read = mode === "stored" ? readStored : ingest;
  const out: (TimelineEvent | undefined)[] = new Array(inputs.length);
  for (let i = 0; i < inputs.length; i++) out[i] = read(inputs[i], i, context, issues);
  return out;
}

/**
 * Step 2, the rules on ids: a repeated id with the same content is the same event (the
 * stored one, or the earlier input's), with other content an error; a retraction names a
 * stored event (or, read back from a store, one later in the batch) that is not itself a
 * retraction. Each id is hashed once, for the batch's table and the timeline's.
 */
function applyIdRules(
  read: readonly (TimelineEvent | undefined)[],
  mode: BatchMode,
  stored: StoredEvents,
  issues: ValidationIssue[],
): { repeats: Map<number, TimelineEvent>; hashes: Int32Array } {
  const { byId } = stored;
  const n = read.length;
  const repeats = new Map<number, TimelineEvent>();
  const hashes = new Int32Array(n);
  // The batch's own ids, by position in the batch.
  const batch = byId.scratch(n, (i) => (read[i] as TimelineEvent).id);
  /** The stored event with this id, else the batch's earlier one, else `undefined`. */
  const find = (id: string, h: number): TimelineEvent | undefined => {
    const s = byId.get(id, h);
    if (s !== -1) return stored.event(s);
    const b = batch.get(id, h);
    return b === -1 ? undefined : read[b];
  };
  for (let i = 0; i < n; i++) {
    const c = read[i];
    if (c === undefined) continue;
    const h = byId.hash(c.id);
    hashes[i] = h;
    const known = find(c.id, h);
    if (known === undefined) batch.add(i, h);
    else if (sameContent(known, c)) repeats.set(i, known);
    else issues.push(idInUse(i, c.id));
    if (c.type === "Retracted") {
      const target = (c.data as { eventId: string }).eventId;
      const type = find(target, byId.hash(target))?.type;
      const later = type === undefined ? read.find((x) => x?.id === target) : undefined;
      // A store is read in chunks: a stored retraction may come before its target.
      if (type === undefined && later === undefined && mode !== "stored") {
        issues.push({
          index: i,
          path: ["data", "eventId"],
          message: `cannot retract "${target}": no stored event has that id`,
        });
      } else if ((type ?? later?.type) === "Retracted") {
        issues.push({
          index: i,
          path: ["data", "eventId"],
          message: `"${target}" is a retraction, which cannot itself be retracted`,
        });
      }
    }
  }
  return { repeats, hashes };
}

/**
 * Step 3: the batch is valid; its new events are frozen (only now, so that a rejected batch
 * leaves inputs as they were), and each input stands for its stored event.
 */
function freezeNew(
  read: readonly (TimelineEvent | undefined)[],
  repeats: ReadonlyMap<number, TimelineEvent>,
  hashes: Int32Array,
): { added: TimelineEvent[]; result: TimelineEvent[]; addedHashes: number[] } {
  const n = read.length;
  const added: TimelineEvent[] = [];
  const addedHashes: number[] = [];
  const result: TimelineEvent[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const repeat = repeats.size === 0 ? undefined : repeats.get(i);
    if (repeat !== undefined) {
      // An earlier input's event is frozen by now: it is the stored event.
      result[i] = repeat;
      continue;
    }
    const event = read[i] as TimelineEvent;
    deepFreeze(event.data);
    Object.freeze(event);
    result[i] = event;
    added.push(event);
    addedHashes.push(hashes[i] as number);
  }
  return { added, result, addedHashes };
}

/**
 * Step 4: the change the batch makes: its events in timeline order (a stable sort, so equal
 * times keep their input order), which of them count, and which stored events its
 * retractions hide. The batch's events are named by their position in `added`.
 */
function planChange(
  added: readonly TimelineEvent[],
  hashes: readonly number[],
  stored: StoredEvents,
): BatchPlan {
  const ats = Float64Array.from(added, (e) => e.at);
  const sorted = Array.from(added, (_, i) => i).sort(
    (a, b) => (ats[a] as number) - (ats[b] as number) || a - b,
  );
  const eventOf = (i: number) => added[i] as TimelineEvent;
  const retractions = sorted.filter((i) => eventOf(i).type === "Retracted");
  const named = new Set(retractions.map((i) => (eventOf(i).data as { eventId: string }).eventId));
  const visible =
    named.size === 0 && !stored.anyRetracted
      ? sorted
      : sorted.filter((i) => {
          const e = eventOf(i);
          return e.type !== "Retracted" && !named.has(e.id) && !stored.isRetracted(e.id);
        });
  const newlyRetracted = new Set([...named].filter((id) => !stored.isRetracted(id)));
  const hidden = [...newlyRetracted].map((id) => stored.byId.get(id)).filter((n) => n !== -1);
  return {
    inInputOrder: Object.freeze([...added]),
    hashes,
    sorted,
    visible,
    hidden,
    retractions,
    newlyRetracted,
  };
}
