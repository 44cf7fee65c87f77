/**
 * The refold of one key of a read model in SQL (see sql-upkeep.ts): its rows from a given
 * time on, folded again from the key's last rows before it and its events since.
 */
import type { TimelineEvent } from "../core/events.js";
import {
  Coverage,
  foldTail,
  type ModelRow,
  type PrefixRow,
  type SliceModel,
  type TailEvent,
} from "./read-model.js";
import { insertMany, type Plan, q, type ReadModelTables } from "./sql-read-model.js";

const infinite = (n: unknown) =>
  n === null || n === undefined ? Number.POSITIVE_INFINITY : Number(n);
const finite = (n: number) => (Number.isFinite(n) ? n : null);
const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));
/**
 * How many prefix rows a refold reads first, latest first (nearly always enough: the latest
 * row covers every knowledge time from its own on), then at a time until it has what it needs.
 */
const PREFIX_FIRST = 4;
const PREFIX_PAGE = 32;

/** Which key a refold rewrites, from which `at`, at which version of the store. */
export interface RefoldScope {
  readonly source: string;
  readonly key: string;
  /** The earliest `at` whose entries change. */
  readonly at: number;
  /** The store's version after the batch (the rows' `vfrom`, and `vto` of those closed). */
  readonly head: number;
  /** The version before the batch. */
  readonly previous: number;
}

/**
 * Rewrites one key's rows from `at` on: closes those that changed, inserts the new ones.
 * `fresh`: the batch's events of the key, when nothing else changed it. If every stored event
 * of the key comes before them (a feed appended in time order: nearly every key, every
 * batch), they are its whole tail, and it has no rows from `at` on: its tail is not read back
 * and its new rows are only inserted.
 */
export function* refold(
  t: ReadModelTables,
  model: SliceModel,
  scope: RefoldScope,
  eventAt: (pos: number) => Plan<TimelineEvent>,
  fresh?: readonly TailEvent[],
): Plan<void> {
  const { source, key, at, head } = scope;
  if (fresh !== undefined && fresh.length > 0) {
    const [last] = yield q(
      `SELECT max(at) AS last FROM ${t.members} WHERE slice = ? AND source = ? AND key = ? AND pos <= ?`,
      model.name,
      source,
      key,
      scope.previous,
    );
    const stored = last?.last;
    if (stored === null || stored === undefined || Number(stored) < at) {
      const tail = [...fresh].sort((a, b) => a.event.at - b.event.at || a.pos - b.pos);
      const prefix = yield* prefixOf(t, model, source, key, at, tail);
      yield* insertRows(t, model, source, key, head, foldTail(model.rule, tail, prefix));
      return;
    }
  }
  const tail = yield* tailOf(t, model, source, key, at, eventAt);
  const prefix = tail.length === 0 ? [] : yield* prefixOf(t, model, source, key, at, tail);
  yield* rewrite(t, model, source, key, at, head, foldTail(model.rule, tail, prefix));
}

/** The key's events from `at` on, each with when it was retracted. */
function* tailOf(
  t: ReadModelTables,
  model: SliceModel,
  source: string,
  key: string,
  at: number,
  eventAt: (pos: number) => Plan<TimelineEvent>,
): Plan<TailEvent[]> {
  const members = (yield q(
    `SELECT m.pos AS pos, m.sub AS sub,
       (SELECT min(r.recorded_at) FROM ${t.retractions} r WHERE r.target = m.pos) AS retracted
     FROM ${t.members} m WHERE m.slice = ? AND m.source = ? AND m.key = ? AND m.at >= ?
     ORDER BY m.at, m.pos`,
    model.name,
    source,
    key,
    at,
  )) as { pos: number; sub: number; retracted: number | null }[];
  const tail: TailEvent[] = [];
  for (const row of members) {
    tail.push({
      pos: Number(row.pos),
      sub: Number(row.sub),
      event: yield* eventAt(Number(row.pos)),
      retractedAt: infinite(row.retracted),
    });
  }
  return tail;
}

/** The key's rows before `at` that the refold starts from, latest first. */
function* prefixOf(
  t: ReadModelTables,
  model: SliceModel,
  source: string,
  key: string,
  at: number,
  tail: readonly TailEvent[],
): Plan<PrefixRow[]> {
  let from = Number.POSITIVE_INFINITY;
  for (const e of tail) if (e.event.recordedAt < from) from = e.event.recordedAt;
  const prefix: PrefixRow[] = [];
  const coverage = new Coverage(from);
  for (let offset = 0, size = PREFIX_FIRST; !coverage.done; offset += size, size = PREFIX_PAGE) {
    const page = (yield q(
      `SELECT at, pos, kfrom, kto, value FROM ${t.rows} WHERE slice = ? AND source = ? AND key = ?
         AND vto IS NULL AND at < ? ORDER BY at DESC, pos DESC LIMIT ${size} OFFSET ?`,
      model.name,
      source,
      key,
      at,
      offset,
    )) as { at: number; pos: number; kfrom: number; kto: number | null; value: string | null }[];
    for (const row of page) {
      const kto = infinite(row.kto);
      if (coverage.add(row.kfrom, kto)) {
        prefix.push({
          at: row.at,
          pos: Number(row.pos),
          kfrom: row.kfrom,
          kto,
          value: row.value === null ? undefined : JSON.parse(row.value),
        });
      }
      if (coverage.done) break;
    }
    if (page.length < size) break;
  }
  return prefix;
}

/** Replaces the key's current rows from `at` on by `rows`, keeping those that did not change. */
function* rewrite(
  t: ReadModelTables,
  model: SliceModel,
  source: string,
  key: string,
  at: number,
  head: number,
  rows: readonly ModelRow[],
): Plan<void> {
  const signature = (pos: number, kfrom: number, kto: number | null, value: string | null) =>
    `${pos}|${kfrom}|${kto}|${value}`;
  const wanted = new Map<string, ModelRow>();
  for (const row of rows) {
    wanted.set(signature(row.pos, row.kfrom, finite(row.kto), json(row.value)), row);
  }
  const current = (yield q(
    `SELECT id, pos, kfrom, kto, value FROM ${t.rows} WHERE slice = ? AND source = ? AND key = ?
     AND vto IS NULL AND at >= ?`,
    model.name,
    source,
    key,
    at,
  )) as { id: unknown; pos: number; kfrom: number; kto: number | null; value: string | null }[];
  for (const old of current) {
    const id = signature(Number(old.pos), old.kfrom, old.kto, old.value);
    if (wanted.has(id)) wanted.delete(id);
    else yield q(`UPDATE ${t.rows} SET vto = ? WHERE id = ?`, head, old.id);
  }
  yield* insertRows(t, model, source, key, head, [...wanted.values()]);
}

/** Inserts a key's new rows, current from version `head` on. */
function* insertRows(
  t: ReadModelTables,
  model: SliceModel,
  source: string,
  key: string,
  head: number,
  rows: readonly ModelRow[],
): Plan<void> {
  yield insertMany(
    `INSERT INTO ${t.rows} (slice, source, key, at, pos, sub, precision, kfrom, kto, vfrom, vto, value)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)`,
    rows.map((row) => [
      model.name,
      source,
      key,
      row.at,
      row.pos,
      row.sub,
      row.precision,
      row.kfrom,
      finite(row.kto),
      head,
      json(row.value),
    ]),
  );
}
