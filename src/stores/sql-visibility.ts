/**
 * What a reader's view sees, as SQL conditions over the read model's tables, with their
 * params: one wording for the reader's reads (sql-read-source.ts) and `tidemark view`'s
 * (view-reads.ts), so that both answer from the same rows and events.
 */
import type { Visibility } from "./reader-source.js";
import type { ReadModelTables } from "./sql-read-model.js";

/** A row of `rows` (alias `r`) visible at the view's version and `asOf` (params: {@link visible}). */
export const VISIBLE =
  "r.vfrom <= ? AND (r.vto IS NULL OR r.vto > ?) AND r.kfrom <= ? AND (r.kto IS NULL OR r.kto > ?)";

/** The params of {@link VISIBLE}. */
export function visible(view: Visibility): number[] {
  const k = view.asOf ?? Number.MAX_VALUE;
  return [view.version, view.version, k, k];
}

/** Whether an event (alias `e`) counts in a view (params: {@link counted}). */
export function counts(t: ReadModelTables): string {
  return `e.pos <= ? AND e.type <> 'Retracted' AND e.recorded_at <= ? AND NOT EXISTS (
      SELECT 1 FROM ${t.retractions} x WHERE x.target = e.pos AND x.pos <= ? AND x.recorded_at <= ?)`;
}

/** The params of {@link counts}. */
export function counted(view: Visibility): number[] {
  const k = view.asOf ?? Number.MAX_VALUE;
  return [view.version, k, view.version, k];
}

/** The condition that an event (alias `e`) cites one of `names` (none: any), and its params. */
export function cites(
  t: ReadModelTables,
  names: readonly string[] | undefined,
): [string, unknown[]] {
  if (names === undefined) return ["", []];
  if (names.length === 0) return ["AND 1 = 0", []];
  return [
    `AND EXISTS (SELECT 1 FROM ${t.sources} c WHERE c.pos = e.pos AND c.name IN (${names.map(() => "?").join(", ")}))`,
    [...names],
  ];
}
