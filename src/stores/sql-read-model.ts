/**
 * Read models in SQL, for SQLite and PostgreSQL alike (see docs/read-models.md): the writer's
 * upkeep as a plan of queries (run synchronously inside a SQLite transaction, or awaited
 * inside a PostgreSQL one) and the reader's indexed reads. The SQL is common to both: `?`
 * placeholders, `ON CONFLICT`, row values; each store names its tables and runs the queries.
 */
import type { TimelineEvent } from "../core/events.js";
import type { StoredEventReader } from "../core/upcast.js";
import {
  Coverage,
  foldTail,
  type ModelRow,
  membershipsOf,
  type PrefixRow,
  type SliceModel,
  type TailEvent,
} from "./read-model.js";
import {
  type KeyStep,
  LOG_SLICE,
  type ReadModelSource,
  type SliceStatus,
  type StoredEvent,
  type Visibility,
  type VisibleRow,
} from "./reader-source.js";

/** The tables of a store's read model (names as the SQL must write them), and its log. */
export interface ReadModelTables {
  readonly slices: string;
  readonly events: string;
  readonly sources: string;
  readonly retractions: string;
  readonly keys: string;
  readonly members: string;
  readonly rows: string;
  /** The store's own table of events (`version`, `id`, `content`). */
  readonly log: string;
}

/** One query of a plan: its rows are sent back into the plan. */
export interface Query {
  readonly sql: string;
  readonly params: readonly unknown[];
}

type Row = Record<string, unknown>;

/** A plan of queries: yields each query, receives its rows. */
export type Plan<T> = Generator<Query, T, readonly Row[]>;

/** Runs a plan whose queries run synchronously (SQLite). */
export function runSync<T>(plan: Plan<T>, run: (query: Query) => readonly Row[]): T {
  let step = plan.next();
  while (!step.done) step = plan.next(run(step.value));
  return step.value;
}

/** Runs a plan whose queries are awaited (PostgreSQL). */
export async function runAsync<T>(
  plan: Plan<T>,
  run: (query: Query) => Promise<readonly Row[]>,
): Promise<T> {
  let step = plan.next();
  while (!step.done) step = plan.next(await run(step.value));
  return step.value;
}

const infinite = (n: unknown) =>
  n === null || n === undefined ? Number.POSITIVE_INFINITY : Number(n);
const finite = (n: number) => (Number.isFinite(n) ? n : null);
const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));
/** How many prefix rows a refold reads at a time, latest first, until it has what it needs. */
const PREFIX_PAGE = 32;

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
  const q = (sql: string, ...params: unknown[]): Query => ({ sql, params });
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
  const setSlice = (slice: string, tag: string) =>
    q(
      `INSERT INTO ${t.slices} (slice, tag, upto) VALUES (?, ?, ?) ON CONFLICT (slice) DO UPDATE SET tag = excluded.tag, upto = excluded.upto`,
      slice,
      tag,
      head,
    );

  const batch = new Map<number, TimelineEvent>();
  const retracted: number[] = [];
  for (const record of records) {
    const event = read(record.content);
    batch.set(record.version, event);
    yield q(
      `INSERT INTO ${t.events} (pos, at, recorded_at, type) VALUES (?, ?, ?, ?)`,
      record.version,
      event.at,
      event.recordedAt,
      event.type,
    );
    for (const name of new Set(event.sources.map((s) => s.name))) {
      yield q(
        `INSERT INTO ${t.sources} (name, pos) VALUES (?, ?) ON CONFLICT DO NOTHING`,
        name,
        record.version,
      );
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
    /** `source \0 key` -> the earliest `at` whose tail changes. */
    const affected = new Map<string, { source: string; key: string; at: number }>();
    const touch = (source: string, key: string, at: number) => {
      const id = `${source}\u0000${key}`;
      const known = affected.get(id);
      if (known === undefined) affected.set(id, { source, key, at });
      else if (at < known.at) known.at = at;
    };
    for (const [pos, event] of batch) {
      if (event.type === "Retracted" || pos <= previous) continue;
      for (const m of membershipsOf(model, event)) {
        yield q(
          `INSERT INTO ${t.members} (slice, source, key, at, pos, sub) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
          model.name,
          m.source,
          m.key,
          event.at,
          pos,
          m.sub,
        );
        yield q(
          `INSERT INTO ${t.keys} (slice, source, key) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
          model.name,
          m.source,
          m.key,
        );
        touch(m.source, m.key, event.at);
      }
    }
    for (const target of retracted) {
      const event = yield* eventAt(target);
      const members = (yield q(
        `SELECT source, key FROM ${t.members} WHERE pos = ? AND slice = ?`,
        target,
        model.name,
      )) as { source: string; key: string }[];
      for (const m of members) touch(m.source, m.key, event.at);
    }
    for (const { source, key, at } of affected.values()) {
      yield* refold(t, model, source, key, at, head, eventAt);
    }
    yield setSlice(model.name, model.tag);
  }
  yield setSlice(LOG_SLICE, LOG_SLICE);
}

/** Rewrites one key's rows from `at` on: closes those that changed, inserts the new ones. */
function* refold(
  t: ReadModelTables,
  model: SliceModel,
  source: string,
  key: string,
  at: number,
  head: number,
  eventAt: (pos: number) => Plan<TimelineEvent>,
): Plan<void> {
  const q = (sql: string, ...params: unknown[]): Query => ({ sql, params });
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
  let from = Number.POSITIVE_INFINITY;
  for (const e of tail) if (e.event.recordedAt < from) from = e.event.recordedAt;
  const prefix: PrefixRow[] = [];
  if (tail.length > 0) {
    const coverage = new Coverage(from);
    for (let offset = 0; !coverage.done; offset += PREFIX_PAGE) {
      const page = (yield q(
        `SELECT at, pos, kfrom, kto, value FROM ${t.rows} WHERE slice = ? AND source = ? AND key = ?
         AND vto IS NULL AND at < ? ORDER BY at DESC, pos DESC LIMIT ${PREFIX_PAGE} OFFSET ?`,
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
      if (page.length < PREFIX_PAGE) break;
    }
  }
  const rows = foldTail(model.rule, tail, prefix);
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
  for (const row of wanted.values()) {
    yield q(
      `INSERT INTO ${t.rows} (slice, source, key, at, pos, sub, precision, kfrom, kto, vfrom, vto, value)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)`,
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
    );
  }
}

/** Empties every read model table (before a rebuild). */
export function* clearReadModels(t: ReadModelTables): Plan<void> {
  for (const table of [t.slices, t.events, t.sources, t.retractions, t.keys, t.members, t.rows]) {
    yield { sql: `DELETE FROM ${table}`, params: [] };
  }
}

/** A row of `rows` (alias `r`) visible at the reader's version and `asOf` (params: v, v, k, k). */
const VISIBLE =
  "r.vfrom <= ? AND (r.vto IS NULL OR r.vto > ?) AND r.kfrom <= ? AND (r.kto IS NULL OR r.kto > ?)";

/** Events per page of {@link SqlReadModelSource.events}. */
const EVENTS_PAGE = 1000;

/** A reader's reads, over a function that runs one query. */
export class SqlReadModelSource implements ReadModelSource {
  constructor(
    private readonly t: ReadModelTables,
    private readonly query: (sql: string, params: readonly unknown[]) => Promise<readonly Row[]>,
    /** The store's number of events, and whether it has read model tables. */
    private readonly store: { head(): Promise<number>; hasReadModels(): Promise<boolean> },
  ) {}

  head(): Promise<number> {
    return this.store.head();
  }

  async slices(): Promise<SliceStatus[]> {
    if (!(await this.store.hasReadModels())) return [];
    return (await this.query(`SELECT slice, tag, upto FROM ${this.t.slices}`, [])).map((row) => ({
      slice: row.slice as string,
      tag: row.tag as string,
      upto: Number(row.upto),
    }));
  }

  async sliceAt(
    slice: string,
    t: number,
    view: Visibility,
  ): Promise<{ key: string; value: string }[]> {
    const rows = await this.query(
      `SELECT k.key AS key, (SELECT r.value FROM ${this.t.rows} r
         WHERE r.slice = k.slice AND r.source = '' AND r.key = k.key AND r.at <= ? AND ${VISIBLE}
         ORDER BY r.at DESC, r.pos DESC LIMIT 1) AS value
       FROM ${this.t.keys} k WHERE k.slice = ? AND k.source = ''`,
      [t, ...visible(view), slice],
    );
    return rows.filter((row) => row.value !== null) as { key: string; value: string }[];
  }

  async keyRows(
    slice: string,
    source: string,
    key: string,
    view: Visibility,
  ): Promise<VisibleRow[]> {
    return (
      await this.query(
        `SELECT r.at AS at, r.pos AS pos, r.sub AS sub, r.precision AS precision, r.value AS value
         FROM ${this.t.rows} r WHERE r.slice = ? AND r.source = ? AND r.key = ? AND ${VISIBLE}
         ORDER BY r.at, r.pos`,
        [slice, source, key, ...visible(view)],
      )
    ).map(visibleRow);
  }

  /** Whether an event (alias `e`) counts at the reader's view; params: v, k, v, k. */
  private counts(): string {
    return `e.pos <= ? AND e.type <> 'Retracted' AND e.recorded_at <= ? AND NOT EXISTS (
      SELECT 1 FROM ${this.t.retractions} x WHERE x.target = e.pos AND x.pos <= ? AND x.recorded_at <= ?)`;
  }

  /** The condition that an event (alias `e`) cites one of `names`, and its params. */
  private cites(names: readonly string[] | undefined): [string, unknown[]] {
    if (names === undefined) return ["", []];
    if (names.length === 0) return ["AND 1 = 0", []];
    return [
      `AND EXISTS (SELECT 1 FROM ${this.t.sources} c WHERE c.pos = e.pos AND c.name IN (${names.map(() => "?").join(", ")}))`,
      [...names],
    ];
  }

  async sourceCounts(
    view: Visibility,
    names: readonly string[] | undefined,
  ): Promise<[string, number][]> {
    const [only, params] = this.cites(names);
    const rows = await this.query(
      `SELECT s.name AS name, CAST(count(*) AS integer) AS n FROM ${this.t.sources} s
       JOIN ${this.t.events} e ON e.pos = s.pos WHERE ${this.counts()} ${only} GROUP BY s.name`,
      [...counted(view), ...params],
    );
    return rows.map((row) => [row.name as string, Number(row.n)]);
  }

  async *events(
    from: number,
    to: number,
    view: Visibility,
    names: readonly string[] | undefined,
    place: string | undefined,
  ): AsyncGenerator<StoredEvent> {
    const [only, params] = this.cites(names);
    const at =
      place === undefined
        ? ""
        : `AND EXISTS (SELECT 1 FROM ${this.t.members} m WHERE m.pos = e.pos AND m.slice IN ('control', 'airstrikes', 'arrests') AND m.key = ?)`;
    let after: [number, number] = [from, -1];
    for (;;) {
      const rows = await this.query(
        `SELECT e.pos AS pos, e.at AS at, l.content AS content FROM ${this.t.events} e
         JOIN ${this.t.log} l ON l.version = e.pos
         WHERE (e.at > ? OR (e.at = ? AND e.pos > ?)) AND e.at <= ? AND ${this.counts()} ${only} ${at}
         ORDER BY e.at, e.pos LIMIT ${EVENTS_PAGE}`,
        [
          after[0],
          after[0],
          after[1],
          to,
          ...counted(view),
          ...params,
          ...(place === undefined ? [] : [place]),
        ],
      );
      for (const row of rows) yield { pos: Number(row.pos), content: row.content as string };
      if (rows.length < EVENTS_PAGE) return;
      const last = rows[rows.length - 1] as Row;
      after = [Number(last.at), Number(last.pos)];
    }
  }

  async citedSteps(slice: string, view: Visibility, names: readonly string[]): Promise<KeyStep[]> {
    const [only, params] = this.cites(names);
    const rows = await this.query(
      `SELECT m.key AS key, m.sub AS sub, m.at AS at, m.pos AS pos, l.content AS content
       FROM ${this.t.members} m JOIN ${this.t.events} e ON e.pos = m.pos
       JOIN ${this.t.log} l ON l.version = m.pos
       WHERE m.slice = ? AND m.source = '' AND ${this.counts()} ${only}
       ORDER BY m.key, m.at, m.pos`,
      [slice, ...counted(view), ...params],
    );
    return rows.map((row) => ({
      key: row.key as string,
      sub: Number(row.sub),
      at: Number(row.at),
      pos: Number(row.pos),
      content: row.content as string,
    }));
  }
}

/** The params of {@link VISIBLE}. */
function visible(view: Visibility): number[] {
  const k = view.asOf ?? Number.MAX_VALUE;
  return [view.version, view.version, k, k];
}

/** The params of `counts()`. */
function counted(view: Visibility): number[] {
  const k = view.asOf ?? Number.MAX_VALUE;
  return [view.version, k, view.version, k];
}

function visibleRow(row: Row): VisibleRow {
  return {
    at: Number(row.at),
    pos: Number(row.pos),
    sub: Number(row.sub),
    precision: row.precision as string,
    value: row.value as string | null,
  };
}
