/**
 * The writer's upkeep of the read models in SQL (see docs/read-models.md), as a plan of
 * queries: the batch's events, sources and retractions, then each kept slice's keys refolded.
 */
import type { TimelineEvent } from "../core/events.js";
import type { StoredEventReader } from "../core/upcast.js";
import { membershipsOf, type SliceModel, type TailEvent } from "./read-model.js";
import { LOG_SLICE, type SliceStatus } from "./reader-source.js";
import { insertMany, type Plan, q, type ReadModelTables } from "./sql-read-model.js";
import { refold } from "./sql-refold.js";

/** Keys refolded together (their queries sent as one round trip where a store can). */
const KEYS_TOGETHER = 500;

/**
 * The upkeep of the read models for the events at versions `previous + 1 .. head` (their
 * records, in version order). Only the slices up to date at `previous` under the same tag
 * are kept; the others stay behind (stale) for `reindex`. `read` reads a stored event (older
 * events of a key may need upcasting to the current version of their definition).
 */
export function* keepReadModels(
  t: ReadModelTables,
  models: readonly SliceModel[],
  records: readonly { readonly version: number; readonly content: string }[],
  previous: number,
  head: number,
  read: StoredEventReader,
): Plan<void> {
  const status = new Map(
    ((yield q(`SELECT slice, tag, upto FROM ${t.slices}`)) as unknown as SliceStatus[]).map(
      (row) => [row.slice, { ...row, upto: Number(row.upto) }] as const,
    ),
  );
  const upToDate = (name: string, tag: string) => {
    const row = status.get(name);
    return row === undefined ? previous === 0 : row.tag === tag && row.upto === previous;
  };
  if (!upToDate(LOG_SLICE, LOG_SLICE)) return;
  const kept = models.filter((m) => upToDate(m.name, m.tag));
  const { batch, retracted } = yield* recordEvents(t, records, read);
  const eventAt = function* (pos: number): Plan<TimelineEvent> {
    let event = batch.get(pos);
    if (event === undefined) {
      const [row] = yield q(`SELECT content FROM ${t.log} WHERE version = ?`, pos);
      event = read((row as { content: string }).content);
      batch.set(pos, event);
    }
    return event;
  };
  for (const model of kept) {
    yield* keepSlice(t, model, batch, retracted, previous, eventAt, head);
    yield setSlice(t, model.name, model.tag, head);
  }
  yield setSlice(t, LOG_SLICE, LOG_SLICE, head);
}

/** Marks a slice kept under `tag` up to event `head`. */
function setSlice(t: ReadModelTables, slice: string, tag: string, head: number) {
  return q(
    `INSERT INTO ${t.slices} (slice, tag, upto) VALUES (?, ?, ?) ON CONFLICT (slice) DO UPDATE SET tag = excluded.tag, upto = excluded.upto`,
    slice,
    tag,
    head,
  );
}

/**
 * Writes the batch's events, the sources each cites and the retractions among them; returns
 * the events by version and the versions retracted.
 */
function* recordEvents(
  t: ReadModelTables,
  records: readonly { readonly version: number; readonly content: string }[],
  read: StoredEventReader,
): Plan<{ batch: Map<number, TimelineEvent>; retracted: number[] }> {
  const batch = new Map<number, TimelineEvent>();
  const retracted: number[] = [];
  const events: unknown[][] = [];
  const sources: unknown[][] = [];
  for (const record of records) {
    const event = read(record.content);
    batch.set(record.version, event);
    events.push([record.version, event.at, event.recordedAt, event.type]);
    for (const name of new Set(event.sources.map((s) => s.name))) {
      sources.push([name, record.version]);
    }
    if (event.type === "Retracted") {
      const [found] = yield q(
        `SELECT CAST(version AS integer) AS version FROM ${t.log} WHERE id = ?`,
        (event.data as { eventId: string }).eventId,
      );
      if (found !== undefined) {
        const target = Number(found.version);
        yield q(
          `INSERT INTO ${t.retractions} (target, pos, recorded_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
          target,
          record.version,
          event.recordedAt,
        );
        retracted.push(target);
      }
    }
  }
  yield insertMany(
    `INSERT INTO ${t.events} (pos, at, recorded_at, type) VALUES (?, ?, ?, ?)`,
    events,
  );
  yield insertMany(`INSERT INTO ${t.sources} (name, pos) VALUES (?, ?)`, sources);
  return { batch, retracted };
}

/**
 * One slice's upkeep: the memberships of the batch's new events, then every key they or the
 * retractions touch refolded from the earliest time that changed. A key only the batch's new
 * events touch is given them as its tail (see `refold`'s fast path).
 */
function* keepSlice(
  t: ReadModelTables,
  model: SliceModel,
  batch: ReadonlyMap<number, TimelineEvent>,
  retracted: readonly number[],
  previous: number,
  eventAt: (pos: number) => Plan<TimelineEvent>,
  head: number,
): Plan<void> {
  /** `source \0 key` -> the earliest `at` whose tail changes, and the batch's events of it. */
  const affected = new Map<string, AffectedKey>();
  const touch = (source: string, key: string, at: number) => {
    const id = `${source}\u0000${key}`;
    let known = affected.get(id);
    if (known === undefined) {
      known = { source, key, at, fresh: [], late: false };
      affected.set(id, known);
    } else if (at < known.at) known.at = at;
    return known;
  };
  const members: unknown[][] = [];
  const keys: unknown[][] = [];
  for (const [pos, event] of batch) {
    if (event.type === "Retracted" || pos <= previous) continue;
    const seen = new Set<string>();
    for (const m of membershipsOf(model, event)) {
      const id = `${m.source}\u0000${m.key}`;
      // A key named twice by one event is one member (its first rank), as the table's key says.
      if (seen.has(id)) continue;
      seen.add(id);
      members.push([model.name, m.source, m.key, event.at, pos, m.sub]);
      const known = touch(m.source, m.key, event.at);
      if (known.fresh.length === 0) keys.push([model.name, m.source, m.key]);
      known.fresh.push({ pos, sub: m.sub, event, retractedAt: Number.POSITIVE_INFINITY });
    }
  }
  // The batch's positions are new: a plain INSERT (no conflict to look for).
  yield insertMany(
    `INSERT INTO ${t.members} (slice, source, key, at, pos, sub) VALUES (?, ?, ?, ?, ?, ?)`,
    members,
  );
  yield insertMany(
    `INSERT INTO ${t.keys} (slice, source, key) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
    keys,
  );
  for (const target of retracted) {
    const event = yield* eventAt(target);
    const members = (yield q(
      `SELECT source, key FROM ${t.members} WHERE pos = ? AND slice = ?`,
      target,
      model.name,
    )) as { source: string; key: string }[];
    // A retraction reaches back into stored rows: such a key takes the full refold.
    for (const m of members) touch(m.source, m.key, event.at).late = true;
  }
  // Each key's rows are its own: refold them together, a page of keys at a time.
  const all = [...affected.values()];
  for (let i = 0; i < all.length; i += KEYS_TOGETHER) {
    yield {
      together: all
        .slice(i, i + KEYS_TOGETHER)
        .map(({ source, key, at, fresh, late }) =>
          refold(t, model, { source, key, at, head, previous }, eventAt, late ? undefined : fresh),
        ),
    };
  }
}

/** A key the batch touches: from which `at` on, and its new events in the batch. */
interface AffectedKey {
  readonly source: string;
  readonly key: string;
  at: number;
  readonly fresh: TailEvent[];
  /** Whether a retraction touches it (then `fresh` is not its whole tail). */
  late: boolean;
}

/** Empties every read model table (before a rebuild). */
export function* clearReadModels(t: ReadModelTables): Plan<void> {
  for (const table of [t.slices, t.events, t.sources, t.retractions, t.keys, t.members, t.rows]) {
    yield { sql: `DELETE FROM ${table}`, params: [] };
  }
}
