/**
 * A reader's indexed reads of the read models in SQL (see docs/read-models.md), common to
 * SQLite and PostgreSQL: each store gives the function that runs one query.
 */
import type {
  KeyStep,
  ReadModelSource,
  SliceStatus,
  StoredEvent,
  Visibility,
  VisibleRow,
} from "./reader-source.js";
import type { ReadModelTables, Row } from "./sql-read-model.js";
import { cites, counted, counts, VISIBLE, visible } from "./sql-visibility.js";
import { type JsonText, SqlViewReads, type ViewReads } from "./view-reads.js";

/** Ids per query of {@link SqlReadModelSource.eventsWithIds}. */
const IDS_PAGE = 500;

/** Events per page of {@link SqlReadModelSource.events}. */
const EVENTS_PAGE = 1000;

/** A reader's reads, over a function that runs one query. */
export class SqlReadModelSource implements ReadModelSource {
  constructor(
    private readonly t: ReadModelTables,
    private readonly query: (sql: string, params: readonly unknown[]) => Promise<readonly Row[]>,
    /** The store's number of events, and whether it has read model tables. */
    private readonly store: {
      head(): Promise<number>;
      hasReadModels(): Promise<boolean>;
      /** JSON paths in the store's dialect, for the reads of `tidemark view`. */
      json?: JsonText;
    },
  ) {}

  /** The reads of `tidemark view` (view-reads.ts), when the store's dialect is known. */
  views(): ViewReads | undefined {
    const { json } = this.store;
    return json === undefined ? undefined : new SqlViewReads(this.t, this.query, json);
  }

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

  async sourceCounts(
    view: Visibility,
    names: readonly string[] | undefined,
  ): Promise<[string, number][]> {
    const [only, params] = cites(this.t, names);
    const rows = await this.query(
      `SELECT s.name AS name, CAST(count(*) AS integer) AS n FROM ${this.t.sources} s
       JOIN ${this.t.events} e ON e.pos = s.pos WHERE ${counts(this.t)} ${only} GROUP BY s.name`,
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
    const [only, params] = cites(this.t, names);
    const at =
      place === undefined
        ? ""
        : `AND EXISTS (SELECT 1 FROM ${this.t.members} m WHERE m.pos = e.pos AND m.slice IN ('control', 'airstrikes', 'arrests') AND m.key = ?)`;
    let after: [number, number] = [from, -1];
    for (;;) {
      const rows = await this.query(
        `SELECT e.pos AS pos, e.at AS at, l.content AS content FROM ${this.t.events} e
         JOIN ${this.t.log} l ON l.version = e.pos
         WHERE (e.at > ? OR (e.at = ? AND e.pos > ?)) AND e.at <= ? AND ${counts(this.t)} ${only} ${at}
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

  async eventsWithIds(
    ids: readonly string[],
    version: number,
  ): Promise<(StoredEvent & { checksum: string })[]> {
    const out: (StoredEvent & { checksum: string })[] = [];
    // A bounded number of parameters per query (SQLite's limit, PostgreSQL's plan size).
    for (let i = 0; i < ids.length; i += IDS_PAGE) {
      const page = ids.slice(i, i + IDS_PAGE);
      const rows = await this.query(
        `SELECT l.version AS pos, l.content AS content, l.checksum AS checksum FROM ${this.t.log} l
         WHERE l.id IN (${page.map(() => "?").join(", ")}) AND l.version <= ?`,
        [...page, version],
      );
      for (const row of rows) {
        out.push({
          pos: Number(row.pos),
          content: row.content as string,
          checksum: row.checksum as string,
        });
      }
    }
    return out;
  }

  async citedSteps(slice: string, view: Visibility, names: readonly string[]): Promise<KeyStep[]> {
    const [only, params] = cites(this.t, names);
    const rows = await this.query(
      `SELECT m.key AS key, m.sub AS sub, m.at AS at, m.pos AS pos, l.content AS content
       FROM ${this.t.members} m JOIN ${this.t.events} e ON e.pos = m.pos
       JOIN ${this.t.log} l ON l.version = m.pos
       WHERE m.slice = ? AND m.source = '' AND ${counts(this.t)} ${only}
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

function visibleRow(row: Row): VisibleRow {
  return {
    at: Number(row.at),
    pos: Number(row.pos),
    sub: Number(row.sub),
    precision: row.precision as string,
    value: row.value as string | null,
  };
}
