/**
 * Read models in a SQLite store (see docs/read-models.md): the tables, the writer's upkeep
 * inside the append transaction, and the indexed reads a reader makes.
 */
import type BetterSqlite3 from "better-sqlite3";
import type { TimelineEvent } from "../core/events.js";
import {
  Coverage,
  foldTail,
  type ModelRow,
  membershipsOf,
  type PrefixRow,
  type SliceModel,
  type TailEvent,
} from "./read-model.js";
import type {
  KeyStep,
  ReadModelSource,
  SliceStatus,
  SourceRow,
  StoredEvent,
  Visibility,
  VisibleRow,
} from "./reader-source.js";
import { LOG_SLICE } from "./reader-source.js";

type Database = BetterSqlite3.Database;
type Statement = BetterSqlite3.Statement;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS tidemark_rm_slices (
    slice TEXT PRIMARY KEY, tag TEXT NOT NULL, upto INTEGER NOT NULL) STRICT;
  CREATE TABLE IF NOT EXISTS tidemark_rm_events (
    pos INTEGER PRIMARY KEY, at REAL NOT NULL, recorded_at REAL NOT NULL, type TEXT NOT NULL) STRICT;
  CREATE INDEX IF NOT EXISTS tidemark_rm_events_at ON tidemark_rm_events (at, pos);
  CREATE TABLE IF NOT EXISTS tidemark_rm_sources (
    name TEXT NOT NULL, pos INTEGER NOT NULL, PRIMARY KEY (name, pos)) STRICT, WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS tidemark_rm_sources_pos ON tidemark_rm_sources (pos);
  CREATE TABLE IF NOT EXISTS tidemark_rm_retractions (
    target INTEGER NOT NULL, pos INTEGER NOT NULL, recorded_at REAL NOT NULL,
    PRIMARY KEY (target, pos)) STRICT, WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS tidemark_rm_keys (
    slice TEXT NOT NULL, source TEXT NOT NULL, key TEXT NOT NULL,
    PRIMARY KEY (slice, source, key)) STRICT, WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS tidemark_rm_members (
    slice TEXT NOT NULL, source TEXT NOT NULL, key TEXT NOT NULL, at REAL NOT NULL,
    pos INTEGER NOT NULL, sub INTEGER NOT NULL,
    PRIMARY KEY (slice, source, key, at, pos)) STRICT, WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS tidemark_rm_members_pos ON tidemark_rm_members (pos, slice);
  CREATE TABLE IF NOT EXISTS tidemark_rm_rows (
    slice TEXT NOT NULL, source TEXT NOT NULL, key TEXT NOT NULL, at REAL NOT NULL,
    pos INTEGER NOT NULL, sub INTEGER NOT NULL, precision TEXT NOT NULL,
    kfrom REAL NOT NULL, kto REAL, vfrom INTEGER NOT NULL, vto INTEGER, value TEXT) STRICT;
  CREATE INDEX IF NOT EXISTS tidemark_rm_rows_key ON tidemark_rm_rows (slice, source, key, at, pos);
`;

const TABLES = [
  "tidemark_rm_slices",
  "tidemark_rm_events",
  "tidemark_rm_sources",
  "tidemark_rm_retractions",
  "tidemark_rm_keys",
  "tidemark_rm_members",
  "tidemark_rm_rows",
];

/** Makes the read model's tables (in the transaction that creates a store, or later). */
export function createReadModelSchema(db: Database): void {
  db.exec(SCHEMA);
}

/** Whether a SQLite table or index name is one of the read model's. */
export function isReadModelTable(name: string): boolean {
  return name.startsWith("tidemark_rm_");
}

const schemaMade = new WeakSet<Database>();

interface WriterStatements {
  readonly slices: Statement;
  readonly setSlice: Statement;
  readonly event: Statement;
  readonly source: Statement;
  readonly idVersion: Statement;
  readonly retraction: Statement;
  readonly member: Statement;
  readonly key: Statement;
  readonly eventAt: Statement;
  readonly targetMembers: Statement;
  readonly tail: Statement;
  readonly content: Statement;
  readonly prefix: Statement;
  readonly current: Statement;
  readonly close: Statement;
  readonly insert: Statement;
}

const writerStatements = new WeakMap<Database, WriterStatements>();

function statementsOf(db: Database): WriterStatements {
  let s = writerStatements.get(db);
  if (s !== undefined) return s;
  const key = "slice = ? AND source = ? AND key = ?";
  s = {
    slices: db.prepare("SELECT slice, tag, upto FROM tidemark_rm_slices"),
    setSlice: db.prepare(
      "INSERT INTO tidemark_rm_slices (slice, tag, upto) VALUES (?, ?, ?) ON CONFLICT (slice) DO UPDATE SET tag = excluded.tag, upto = excluded.upto",
    ),
    event: db.prepare(
      "INSERT INTO tidemark_rm_events (pos, at, recorded_at, type) VALUES (?, ?, ?, ?)",
    ),
    source: db.prepare("INSERT OR IGNORE INTO tidemark_rm_sources (name, pos) VALUES (?, ?)"),
    idVersion: db.prepare("SELECT version FROM tidemark_events WHERE id = ?").pluck(),
    retraction: db.prepare(
      "INSERT OR IGNORE INTO tidemark_rm_retractions (target, pos, recorded_at) VALUES (?, ?, ?)",
    ),
    member: db.prepare(
      "INSERT OR IGNORE INTO tidemark_rm_members (slice, source, key, at, pos, sub) VALUES (?, ?, ?, ?, ?, ?)",
    ),
    key: db.prepare("INSERT OR IGNORE INTO tidemark_rm_keys (slice, source, key) VALUES (?, ?, ?)"),
    eventAt: db.prepare("SELECT at FROM tidemark_rm_events WHERE pos = ?").pluck(),
    targetMembers: db.prepare(
      "SELECT source, key FROM tidemark_rm_members WHERE pos = ? AND slice = ?",
    ),
    tail: db.prepare(
      `SELECT m.pos AS pos, m.sub AS sub,
         (SELECT min(r.recorded_at) FROM tidemark_rm_retractions r WHERE r.target = m.pos) AS retracted
       FROM tidemark_rm_members m WHERE m.slice = ? AND m.source = ? AND m.key = ? AND m.at >= ?
       ORDER BY m.at, m.pos`,
    ),
    content: db.prepare("SELECT content FROM tidemark_events WHERE version = ?").pluck(),
    prefix: db.prepare(
      `SELECT at, pos, kfrom, kto, value FROM tidemark_rm_rows WHERE ${key} AND vto IS NULL AND at < ? ORDER BY at DESC, pos DESC`,
    ),
    current: db.prepare(
      `SELECT rowid AS id, pos, kfrom, kto, value FROM tidemark_rm_rows WHERE ${key} AND vto IS NULL AND at >= ?`,
    ),
    close: db.prepare("UPDATE tidemark_rm_rows SET vto = ? WHERE rowid = ?"),
    insert: db.prepare(
      "INSERT INTO tidemark_rm_rows (slice, source, key, at, pos, sub, precision, kfrom, kto, vfrom, vto, value) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)",
    ),
  };
  writerStatements.set(db, s);
  return s;
}

const infinite = (n: number | null) => (n === null ? Number.POSITIVE_INFINITY : n);
const finite = (n: number) => (Number.isFinite(n) ? n : null);
const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

/**
 * Keeps a store's read models: called inside the append transaction with the records it
 * inserted, so that a failed append leaves no trace here either.
 */
export class SqliteReadModelWriter {
  constructor(private readonly models: readonly SliceModel[]) {}

  /**
   * Takes in the events at versions `previous + 1 .. head` (their records, in version order).
   * Only the slices that are up to date at `previous` under the same tag are kept; the others
   * stay behind (stale), for `reindex` to rebuild.
   */
  apply(
    db: Database,
    records: readonly { readonly version: number; readonly content: string }[],
    previous: number,
    head: number,
  ): void {
    if (!schemaMade.has(db)) {
      createReadModelSchema(db);
      schemaMade.add(db);
    }
    const s = statementsOf(db);
    const status = new Map(
      (s.slices.all() as SliceStatus[]).map((row) => [row.slice, row] as const),
    );
    const upToDate = (name: string, tag: string) => {
      const row = status.get(name);
      return row === undefined ? previous === 0 : row.tag === tag && row.upto === previous;
    };
    if (!upToDate(LOG_SLICE, LOG_SLICE)) return;
    const kept = this.models.filter((m) => upToDate(m.name, m.tag));

    const batch = new Map<number, TimelineEvent>();
    const retractions: [TimelineEvent, number][] = [];
    for (const record of records) {
      const event = JSON.parse(record.content) as TimelineEvent;
      batch.set(record.version, event);
      s.event.run(record.version, event.at, event.recordedAt, event.type);
      for (const { name } of event.sources) s.source.run(name, record.version);
      if (event.type === "Retracted") {
        const target = s.idVersion.get((event.data as { eventId: string }).eventId) as
          | number
          | undefined;
        if (target !== undefined) {
          s.retraction.run(target, record.version, event.recordedAt);
          retractions.push([event, target]);
        }
      }
    }
    const eventAt = (pos: number): TimelineEvent => {
      let event = batch.get(pos);
      if (event === undefined) {
        event = JSON.parse(s.content.get(pos) as string) as TimelineEvent;
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
        if (event.type === "Retracted") continue;
        for (const m of membershipsOf(model, event)) {
          s.member.run(model.name, m.source, m.key, event.at, pos, m.sub);
          s.key.run(model.name, m.source, m.key);
          touch(m.source, m.key, event.at);
        }
      }
      for (const [, target] of retractions) {
        const at = s.eventAt.get(target) as number | undefined;
        if (at === undefined) continue;
        for (const m of s.targetMembers.all(target, model.name) as {
          source: string;
          key: string;
        }[])
          touch(m.source, m.key, at);
      }
      for (const { source, key, at } of affected.values()) {
        this.refold(s, model, source, key, at, head, eventAt);
      }
      s.setSlice.run(model.name, model.tag, head);
    }
    s.setSlice.run(LOG_SLICE, LOG_SLICE, head);
  }

  /** Rewrites one key's rows from `at` on: closes those that changed, inserts the new ones. */
  private refold(
    s: WriterStatements,
    model: SliceModel,
    source: string,
    key: string,
    at: number,
    head: number,
    eventOf: (pos: number) => TimelineEvent,
  ): void {
    const tail: TailEvent[] = (
      s.tail.all(model.name, source, key, at) as {
        pos: number;
        sub: number;
        retracted: number | null;
      }[]
    ).map((row) => ({
      pos: row.pos,
      sub: row.sub,
      event: eventOf(row.pos),
      retractedAt: infinite(row.retracted),
    }));
    let from = Number.POSITIVE_INFINITY;
    for (const e of tail) if (e.event.recordedAt < from) from = e.event.recordedAt;
    const prefix: PrefixRow[] = [];
    if (tail.length > 0) {
      const coverage = new Coverage(from);
      for (const row of s.prefix.iterate(model.name, source, key, at) as Iterable<{
        at: number;
        pos: number;
        kfrom: number;
        kto: number | null;
        value: string | null;
      }>) {
        const kto = infinite(row.kto);
        if (coverage.add(row.kfrom, kto)) {
          prefix.push({
            at: row.at,
            pos: row.pos,
            kfrom: row.kfrom,
            kto,
            value: row.value === null ? undefined : JSON.parse(row.value),
          });
        }
        if (coverage.done) break;
      }
    }
    const rows = foldTail(model.rule, tail, prefix);
    const signature = (pos: number, kfrom: number, kto: number | null, value: string | null) =>
      `${pos}|${kfrom}|${kto}|${value}`;
    const wanted = new Map<string, ModelRow>();
    for (const row of rows) {
      wanted.set(signature(row.pos, row.kfrom, finite(row.kto), json(row.value)), row);
    }
    for (const old of s.current.all(model.name, source, key, at) as {
      id: number;
      pos: number;
      kfrom: number;
      kto: number | null;
      value: string | null;
    }[]) {
      const id = signature(old.pos, old.kfrom, old.kto, old.value);
      if (wanted.has(id)) wanted.delete(id);
      else s.close.run(head, old.id);
    }
    for (const row of wanted.values()) {
      s.insert.run(
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
}

/** Empties every read model table (before a rebuild). */
export function clearReadModel(db: Database): void {
  createReadModelSchema(db);
  for (const table of TABLES) db.exec(`DELETE FROM ${table}`);
}

/** The conditions on a row of `tidemark_rm_rows` aliased `r` visible at `?v` and `?k`. */
const VISIBLE =
  "r.vfrom <= @v AND (r.vto IS NULL OR r.vto > @v) AND r.kfrom <= @k AND (r.kto IS NULL OR r.kto > @k)";

/** Whether an event (`pos` of alias `e`) counts at `@v` and `@k`. */
const COUNTS = `e.pos <= @v AND e.type <> 'Retracted' AND e.recorded_at <= @k AND NOT EXISTS (
  SELECT 1 FROM tidemark_rm_retractions x WHERE x.target = e.pos AND x.pos <= @v AND x.recorded_at <= @k)`;

/** The reads of a reader, on a read-only connection. */
export class SqliteReadModelSource implements ReadModelSource {
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly db: Database) {}

  private sql(text: string): Statement {
    let statement = this.statements.get(text);
    if (statement === undefined) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  head(): number {
    return this.sql("SELECT value FROM tidemark_meta WHERE key = 'head'").pluck().get() as number;
  }

  slices(): SliceStatus[] {
    const table = this.sql(
      "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'tidemark_rm_slices'",
    )
      .pluck()
      .get();
    if (table === 0) return [];
    return this.sql("SELECT slice, tag, upto FROM tidemark_rm_slices").all() as SliceStatus[];
  }

  sliceAt(slice: string, t: number, view: Visibility): { key: string; value: string }[] {
    return this.sql(
      `SELECT key, value FROM (SELECT k.key AS key, (SELECT r.value FROM tidemark_rm_rows r
         WHERE r.slice = k.slice AND r.source = '' AND r.key = k.key AND r.at <= @t AND ${VISIBLE}
         ORDER BY r.at DESC, r.pos DESC LIMIT 1) AS value
       FROM tidemark_rm_keys k WHERE k.slice = @slice AND k.source = '') WHERE value IS NOT NULL`,
    ).all({ slice, t, ...bind(view) }) as { key: string; value: string }[];
  }

  keyRows(slice: string, source: string, key: string, view: Visibility): VisibleRow[] {
    return this.sql(
      `SELECT r.at AS at, r.pos AS pos, r.sub AS sub, r.precision AS precision, r.value AS value
       FROM tidemark_rm_rows r WHERE r.slice = @slice AND r.source = @source AND r.key = @key
       AND ${VISIBLE} ORDER BY r.at, r.pos`,
    ).all({ slice, source, key, ...bind(view) }) as VisibleRow[];
  }

  firstDefined(slice: string, key: string, view: Visibility): VisibleRow | undefined {
    return this.sql(
      `SELECT r.at AS at, r.pos AS pos, r.sub AS sub, r.precision AS precision, r.value AS value
       FROM tidemark_rm_rows r WHERE r.slice = @slice AND r.source = '' AND r.key = @key
       AND r.value IS NOT NULL AND ${VISIBLE} ORDER BY r.at, r.pos LIMIT 1`,
    ).get({ slice, key, ...bind(view) }) as VisibleRow | undefined;
  }

  perSource(slice: string, t: number, view: Visibility, key?: string): SourceRow[] {
    const one = key === undefined ? "" : "AND k.key = @key";
    const rows = this.sql(
      `SELECT k.key AS key, k.source AS source,
         (SELECT r.value FROM tidemark_rm_rows r WHERE r.slice = k.slice AND r.source = k.source
            AND r.key = k.key AND r.at <= @t AND ${VISIBLE} ORDER BY r.at DESC, r.pos DESC LIMIT 1) AS value,
         (SELECT json_array(r.at, r.pos, r.sub) FROM tidemark_rm_rows r WHERE r.slice = k.slice
            AND r.source = k.source AND r.key = k.key AND ${VISIBLE} ORDER BY r.at, r.pos LIMIT 1) AS first
       FROM tidemark_rm_keys k WHERE k.slice = @slice AND k.source <> '' ${one}`,
    ).all({ slice, t, key: key ?? "", ...bind(view) }) as {
      key: string;
      source: string;
      value: string | null;
      first: string | null;
    }[];
    const out: SourceRow[] = [];
    for (const row of rows) {
      if (row.first === null) continue;
      const [at, pos, sub] = JSON.parse(row.first) as [number, number, number];
      out.push({ key: row.key, source: row.source, value: row.value, first: [at, pos, sub] });
    }
    return out;
  }

  sourceCounts(view: Visibility, names: readonly string[] | undefined): [string, number][] {
    const only =
      names === undefined
        ? ""
        : "AND EXISTS (SELECT 1 FROM tidemark_rm_sources c WHERE c.pos = e.pos AND c.name IN (SELECT value FROM json_each(@names)))";
    return (
      this.sql(
        `SELECT s.name AS name, count(*) AS n FROM tidemark_rm_sources s JOIN tidemark_rm_events e ON e.pos = s.pos
         WHERE ${COUNTS} ${only} GROUP BY s.name`,
      ).all({ ...bind(view), names: JSON.stringify(names ?? []) }) as { name: string; n: number }[]
    ).map((row) => [row.name, row.n]);
  }

  *events(
    from: number,
    to: number,
    view: Visibility,
    names: readonly string[] | undefined,
    place: string | undefined,
  ): Iterable<StoredEvent> {
    const only =
      names === undefined
        ? ""
        : "AND EXISTS (SELECT 1 FROM tidemark_rm_sources c WHERE c.pos = e.pos AND c.name IN (SELECT value FROM json_each(@names)))";
    const at =
      place === undefined
        ? ""
        : "AND EXISTS (SELECT 1 FROM tidemark_rm_members m WHERE m.pos = e.pos AND m.slice IN ('control', 'airstrikes', 'arrests') AND m.key = @place)";
    const statement = this.sql(
      `SELECT e.pos AS pos, t.content AS content FROM tidemark_rm_events e JOIN tidemark_events t ON t.version = e.pos
       WHERE e.at >= @from AND e.at <= @to AND ${COUNTS} ${only} ${at} ORDER BY e.at, e.pos`,
    );
    for (const row of statement.iterate({
      from,
      to,
      ...bind(view),
      names: JSON.stringify(names ?? []),
      place: place ?? "",
    }) as Iterable<{ pos: number; content: string }>) {
      yield row;
    }
  }

  citedSteps(slice: string, view: Visibility, names: readonly string[]): KeyStep[] {
    return this.sql(
      `SELECT m.key AS key, m.sub AS sub, m.at AS at, m.pos AS pos, t.content AS content
       FROM tidemark_rm_members m JOIN tidemark_rm_events e ON e.pos = m.pos
       JOIN tidemark_events t ON t.version = m.pos
       WHERE m.slice = @slice AND m.source = '' AND ${COUNTS}
       AND EXISTS (SELECT 1 FROM tidemark_rm_sources c WHERE c.pos = e.pos AND c.name IN (SELECT value FROM json_each(@names)))
       ORDER BY m.key, m.at, m.pos`,
    ).all({ slice, ...bind(view), names: JSON.stringify(names) }) as KeyStep[];
  }
}

function bind(view: Visibility): { v: number; k: number } {
  return { v: view.version, k: view.asOf ?? Number.MAX_VALUE };
}
