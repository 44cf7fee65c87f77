import type { EventColumns } from "./columns.js";
import { TimelineValidationError, type ValidationIssue } from "./errors.js";
import { readQueryTime, type TimeInput } from "./time.js";
import type { ViewIndex } from "./view-index.js";
import type { Zone } from "./zone.js";

/**
 * Which events a query counts. Without options, every event counts that has not been
 * retracted.
 */
export interface QueryOptions {
  /** Count only what was known at this time: events (and retractions) with `recordedAt <= asOf`. */
  readonly asOf?: TimeInput;
  /** Count only events that cite at least one of these source names. */
  readonly sources?: readonly string[];
}

/** A view, read from {@link QueryOptions}: what was known at `asOf`, from `names`. */
export interface View {
  readonly asOf: number | undefined;
  /** Distinct source names, sorted; `undefined` for every source. */
  readonly names: readonly string[] | undefined;
}

const CACHED = 8;

/**
 * Reads query options into a view; `undefined` when they count every event.
 *
 * @throws {TimelineValidationError} for options that are not `{ asOf?, sources? }`.
 */
export function readView(options: QueryOptions | undefined, zone: Zone): View | undefined {
  if (options === undefined) return undefined;
  if (typeof options !== "object" || options === null) {
    throw new TimelineValidationError([
      { index: 0, path: [], message: "query options must be an object { asOf?, sources? }" },
    ]);
  }
  const issues: ValidationIssue[] = [];
  let asOf: number | undefined;
  if (options.asOf !== undefined) {
    const parsed = readQueryTime(options.asOf, zone);
    if (typeof parsed === "string") issues.push({ index: 0, path: ["asOf"], message: parsed });
    else asOf = parsed;
  }
  const sources = options.sources;
  if (
    sources !== undefined &&
    (!Array.isArray(sources) || sources.some((s) => typeof s !== "string"))
  ) {
    issues.push({
      index: 0,
      path: ["sources"],
      message: "expected an array of source names (strings)",
    });
  }
  if (issues.length > 0) throw new TimelineValidationError(issues);
  if (asOf === undefined && sources === undefined) return undefined;
  return { asOf, names: sources === undefined ? undefined : [...new Set(sources)].sort() };
}

/**
 * The stored events a view counts, in timeline order (event numbers): no retraction, nothing
 * retracted by a retraction known at `asOf`, nothing recorded after it, and only events
 * citing `names`.
 */
export function visibleEvents(
  columns: EventColumns,
  stored: ArrayLike<number>,
  retractions: readonly number[],
  { asOf, names }: View,
): number[] {
  const retracted = new Set<string>();
  for (const r of retractions) {
    if (asOf === undefined || columns.recordedAt(r) <= asOf)
      retracted.add((columns.data(r) as { eventId: string }).eventId);
  }
  const accepted = names === undefined ? undefined : new Set(names);
  const out: number[] = [];
  for (let i = 0; i < stored.length; i++) {
    const n = stored[i] as number;
    if (
      columns.type(n) !== "Retracted" &&
      !retracted.has(columns.id(n)) &&
      (asOf === undefined || columns.recordedAt(n) <= asOf) &&
      (accepted === undefined || columns.sources(n).some((s) => accepted.has(s.name)))
    ) {
      out.push(n);
    }
  }
  return out;
}

/** The indexes of the views asked for most recently ({@link CACHED} of them), until a change. */
export class ViewCache {
  private readonly indexes = new Map<string, ViewIndex>();

  /** The view's index, made by `build` when it is not cached. */
  get(view: View, build: () => ViewIndex): ViewIndex {
    const key = JSON.stringify([view.asOf ?? null, view.names ?? null]);
    let index = this.indexes.get(key);
    if (index !== undefined) {
      // Most recently used last: the first key is the one to drop.
      this.indexes.delete(key);
      this.indexes.set(key, index);
      return index;
    }
    index = build();
    if (this.indexes.size >= CACHED)
      this.indexes.delete(this.indexes.keys().next().value as string);
    this.indexes.set(key, index);
    return index;
  }

  /** Drops every view: the events changed. */
  clear(): void {
    this.indexes.clear();
  }
}
