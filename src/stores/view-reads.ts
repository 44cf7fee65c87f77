/**
 * The reads of `tidemark view` on a store, beside a reader's (reader-source.ts): what the map
 * page asks that no timeline query answers at the size of its answer. An overview of the
 * whole store (counts, time range, sources, places, controllers), the sliders' ticks, the
 * events around an instant, the instants at which places change hands, and the number of
 * places each side holds at sampled instants: each one SQL query over the read models' tables
 * (aggregates and window functions), so that a store of 10^6 events is never sent to the page
 * nor folded here. Browser-safe: no I/O here.
 */

import type { StoredEvent, Visibility } from "./reader-source.js";
import type { ReadModelTables } from "./sql-read-model.js";
import { cites, counted, counts, VISIBLE, visible } from "./sql-visibility.js";

type Row = Record<string, unknown>;

/** The text of a JSON path in a column, in a store's SQL dialect (SQL NULL for JSON null). */
export type JsonText = (column: string, path: readonly string[]) => string;

/** What the whole store holds, at a version: every stored event counts (retracted or not). */
export interface StoreOverview {
  /** Events other than retractions. */
  readonly events: number;
  /** Of those, events that cite no source. */
  readonly unsourced: number;
  /** Least and greatest `at`, and greatest of `at` and `recordedAt`; null when empty. */
  readonly first: number | null;
  readonly last: number | null;
  readonly known: number | null;
  /** Least `at` at or after `recentFrom`. */
  readonly recentFirst: number | null;
  /** Source names in order of first citation (`at`, then version), with the events citing each. */
  readonly sources: readonly { readonly name: string; readonly events: number }[];
  /** Keys of the built-in slices, in order of their first event, with their number of events. */
  readonly places: readonly {
    readonly id: string;
    readonly events: number;
    readonly controlled: boolean;
  }[];
  /** Every actor that a control event makes a controller. */
  readonly controllers: readonly string[];
}

/** Sampled instants and each controller's number of places at each. */
export interface PlaceCounts {
  readonly controller: string | null;
  /** Change in the number of places held at each sample index. */
  readonly deltas: readonly (readonly [index: number, delta: number])[];
}

/** A place's control entry at an instant, as the map shows it. */
export interface MapEntry {
  readonly key: string;
  readonly controller: string | null;
  readonly since: number;
  readonly precision: string;
  /** Whether its sources disagree (absent from an entry that does not say). */
  readonly contested: boolean | undefined;
  /** The place's claims (source and controller of each, in order), when it is contested. */
  readonly claims: readonly { readonly source: string; readonly controller: string | null }[];
}

/**
 * A row of a slice's read model, every version of it (visible or not): the map's reads keep
 * them in memory (src/cli/view-map-rows.ts). `kto` and `vto` are infinite while open.
 */
export interface SliceRow {
  readonly key: string;
  readonly at: number;
  readonly pos: number;
  readonly kfrom: number;
  readonly kto: number;
  readonly vfrom: number;
  readonly vto: number;
  /** The row's value as stored (JSON text, or null). */
  readonly value: unknown;
}

/** What the map shows of a control row's value: its entry, or undefined when it has none. */
export function mapEntryOf(key: string, value: unknown): MapEntry | undefined {
  if (typeof value !== "string") return undefined;
  const { entry, claims } = JSON.parse(value) as {
    entry?: Omit<MapEntry, "key" | "claims"> | null;
    claims?: { claims?: readonly { source: string; controller: string | null }[] };
  };
  // No entry at the row: a place with claims only, or none left.
  if (entry === undefined || entry === null) return undefined;
  return {
    key,
    controller: entry.controller,
    since: entry.since,
    precision: entry.precision,
    contested: entry.contested,
    claims:
      entry.contested === true
        ? (claims?.claims ?? []).map((c) => ({ source: c.source, controller: c.controller }))
        : [],
  };
}

/** The number of air strikes of an air strikes row's value, when it says. */
export function strikesOf(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const { count } = JSON.parse(value) as { count?: number };
  return typeof count === "number" ? count : undefined;
}

/** The map at an instant: each place's control entry, and its number of air strikes. */
export interface MapAt {
  readonly control: readonly MapEntry[];
  readonly airstrikes: readonly (readonly [place: string, count: number])[];
}

/** The reads of {@link StoreOverview} and the rest, on one store. */
export interface ViewReads {
  overview(version: number, recentFrom: (last: number) => number): Promise<StoreOverview>;
  /**
   * The map at `t` (all sources): what a reader's `stateAt` and `claims` say of control and
   * air strikes, in two queries (a reader's `claims` would read each contested place's rows).
   */
  mapAt(t: number, view: Visibility): Promise<MapAt>;
  /** The keys of a slice (all sources), in the order of {@link mapAt}'s answer. */
  keys(slice: "control" | "airstrikes"): Promise<readonly string[]>;
  /** Every row of the keys `from` to `to` (in the order of {@link keys}), by key, `at`, version. */
  rows(slice: "control" | "airstrikes", from: string, to: string): Promise<readonly SliceRow[]>;
  /** Positions (tenths of per mille of `[start, end]`) of `at` of the events that count. */
  atTicks(
    view: Visibility,
    names: readonly string[] | undefined,
    start: number,
    end: number,
  ): Promise<readonly (readonly [number, boolean])[]>;
  /** Positions of `recordedAt` of the events citing `names`, and of retractions. */
  knownTicks(
    version: number,
    names: readonly string[] | undefined,
    start: number,
    end: number,
  ): Promise<readonly (readonly [number, boolean])[]>;
  /** Number of events that count. */
  count(view: Visibility, names: readonly string[] | undefined): Promise<number>;
  /** Up to `limit` events that count with `at <= t` (latest first), or `at > t` (earliest first). */
  around(
    t: number,
    side: "before" | "after",
    limit: number,
    view: Visibility,
    names: readonly string[] | undefined,
  ): Promise<readonly StoredEvent[]>;
  /** The events that count and touch `place` in a built-in slice, in timeline order. */
  placeEvents(
    place: string,
    view: Visibility,
    names: readonly string[] | undefined,
  ): Promise<readonly StoredEvent[]>;
  /** Instants in `[start, end]` at which some place's controller changes (all sources). */
  changes(view: Visibility, start: number, end: number): Promise<readonly number[]>;
  /** Places held by each controller at `samples` instants `round(start + span * i / (samples - 1))`. */
  placeCounts(
    view: Visibility,
    start: number,
    end: number,
    samples: number,
  ): Promise<readonly PlaceCounts[]>;
}

/** The SQL of {@link ViewReads} over a store's read model tables. */
export class SqlViewReads implements ViewReads {
  constructor(
    private readonly t: ReadModelTables,
    private readonly query: (sql: string, params: readonly unknown[]) => Promise<readonly Row[]>,
    private readonly json: JsonText,
  ) {}

  async overview(version: number, recentFrom: (last: number) => number): Promise<StoreOverview> {
    const { t, json } = this;
    const [totals] = await this.query(
      `SELECT count(*) AS n, min(e.at) AS first, max(e.at) AS last,
         max(CASE WHEN e.at > e.recorded_at THEN e.at ELSE e.recorded_at END) AS known,
         sum(CASE WHEN EXISTS (SELECT 1 FROM ${t.sources} c WHERE c.pos = e.pos) THEN 0 ELSE 1 END) AS unsourced
       FROM ${t.events} e WHERE e.pos <= ? AND e.type <> 'Retracted'`,
      [version],
    );
    const last = num(totals?.last);
    let recentFirst: number | null = null;
    if (last !== null) {
      const [row] = await this.query(
        `SELECT min(e.at) AS first FROM ${t.events} e WHERE e.pos <= ? AND e.type <> 'Retracted' AND e.at >= ?`,
        [version, recentFrom(last)],
      );
      recentFirst = num(row?.first);
    }
    const sources = await this.query(
      `SELECT s.name AS name, count(*) AS n, min(e.at) AS a, min(e.pos) AS p
       FROM ${t.sources} s JOIN ${t.events} e ON e.pos = s.pos
       WHERE e.pos <= ? AND e.type <> 'Retracted' GROUP BY s.name ORDER BY a, p`,
      [version],
    );
    const places = await this.query(
      `SELECT m.key AS key, count(DISTINCT m.pos) AS n, min(m.at) AS a, min(m.pos) AS p,
         max(CASE WHEN m.slice = 'control' THEN 1 ELSE 0 END) AS c
       FROM ${t.members} m WHERE m.source = '' AND m.pos <= ?
         AND m.slice IN ('control', 'airstrikes', 'arrests')
       GROUP BY m.key ORDER BY a, p`,
      [version],
    );
    // As a timeline's view names them: `by` of a capture or a report held, `handedTo` of a
    // withdrawal (from the log, whose events are shorter than the read model's entries).
    const controllers = await this.query(
      `SELECT DISTINCT CASE WHEN e.type = 'Withdrew' THEN ${json("l.content", ["data", "handedTo"])}
         ELSE ${json("l.content", ["data", "by"])} END AS c
       FROM ${t.events} e JOIN ${t.log} l ON l.version = e.pos
       WHERE e.pos <= ? AND e.type IN ('Captured', 'Held', 'Withdrew')`,
      [version],
    );
    return {
      events: Number(totals?.n ?? 0),
      unsourced: Number(totals?.unsourced ?? 0),
      first: num(totals?.first),
      last,
      known: num(totals?.known),
      recentFirst,
      sources: sources.map((r) => ({ name: String(r.name), events: Number(r.n) })),
      places: places.map((r) => ({
        id: String(r.key),
        events: Number(r.n),
        controlled: Number(r.c) === 1,
      })),
      controllers: controllers
        .map((r) => r.c)
        .filter((c): c is string => typeof c === "string")
        .sort(),
    };
  }

  /** Each key of `slice` with the value of its row at `t` (params: t, v, v, k, k). */
  private latest(slice: string): string {
    const { t } = this;
    return `SELECT k.key AS key, (SELECT r.value FROM ${t.rows} r
         WHERE r.slice = k.slice AND r.source = '' AND r.key = k.key AND r.at <= ? AND ${VISIBLE}
         ORDER BY r.at DESC, r.pos DESC LIMIT 1) AS value
       FROM ${t.keys} k WHERE k.slice = '${slice}' AND k.source = '' ORDER BY k.key`;
  }

  async keys(slice: "control" | "airstrikes"): Promise<string[]> {
    const rows = await this.query(
      `SELECT k.key AS key FROM ${this.t.keys} k WHERE k.slice = ? AND k.source = '' ORDER BY k.key`,
      [slice],
    );
    return rows.map((r) => String(r.key));
  }

  async rows(slice: "control" | "airstrikes", from: string, to: string): Promise<SliceRow[]> {
    const rows = await this.query(
      `SELECT r.key AS key, r.at AS at, r.pos AS pos, r.kfrom AS kfrom, r.kto AS kto,
         r.vfrom AS vfrom, r.vto AS vto, r.value AS value
       FROM ${this.t.rows} r WHERE r.slice = ? AND r.source = '' AND r.key >= ? AND r.key <= ?
       ORDER BY r.key, r.at, r.pos, r.id`,
      [slice, from, to],
    );
    const n = (v: unknown) =>
      v === null || v === undefined ? Number.POSITIVE_INFINITY : Number(v);
    return rows.map((r) => ({
      key: String(r.key),
      at: Number(r.at),
      pos: Number(r.pos),
      kfrom: Number(r.kfrom),
      kto: n(r.kto),
      vfrom: Number(r.vfrom),
      vto: n(r.vto),
      value: r.value,
    }));
  }

  async mapAt(at: number, view: Visibility): Promise<MapAt> {
    // The values whole, parsed here: V8's JSON.parse reads them faster than the database's
    // JSON functions pick out their fields. Only what the map shows is kept of each.
    const control = await this.query(this.latest("control"), [at, ...visible(view)]);
    const strikes = await this.query(this.latest("airstrikes"), [at, ...visible(view)]);
    const entries: MapEntry[] = [];
    for (const row of control) {
      const entry = mapEntryOf(String(row.key), row.value);
      if (entry !== undefined) entries.push(entry);
    }
    const airstrikes: [string, number][] = [];
    for (const row of strikes) {
      const count = strikesOf(row.value);
      if (count !== undefined) airstrikes.push([String(row.key), count]);
    }
    return { control: entries, airstrikes };
  }

  // Ticks read every event of the range: a pass over the table (`+e.at` keeps SQLite off the
  // index on `at`, whose row-by-row lookups cost several times more over a whole store).
  async atTicks(
    view: Visibility,
    names: readonly string[] | undefined,
    start: number,
    end: number,
  ): Promise<[number, boolean][]> {
    const [only, params] = cites(this.t, names);
    const rows = await this.query(
      `SELECT floor(((e.at - ?) / ?) * 1000 + 0.5) AS b,
         max(CASE WHEN e.type IN ('Captured', 'Withdrew') THEN 1 ELSE 0 END) AS c
       FROM ${this.t.events} e WHERE +e.at >= ? AND +e.at <= ? AND ${counts(this.t)} ${only}
       GROUP BY b ORDER BY b`,
      [start, end - start, start, end, ...counted(view), ...params],
    );
    return rows.map((r) => [Number(r.b) / 10, Number(r.c) === 1]);
  }

  async knownTicks(
    version: number,
    names: readonly string[] | undefined,
    start: number,
    end: number,
  ): Promise<[number, boolean][]> {
    const [only, params] = cites(this.t, names);
    const all: Visibility = { version, asOf: undefined };
    const position = "floor(((e.recorded_at - ?) / ?) * 1000 + 0.5)";
    const rows = await this.query(
      `SELECT b, min(r) AS r FROM (
         SELECT ${position} AS b, 0 AS r FROM ${this.t.events} e
         WHERE +e.recorded_at >= ? AND +e.recorded_at <= ? AND ${counts(this.t)} ${only}
         UNION ALL
         SELECT ${position} AS b, 1 AS r FROM ${this.t.events} e
         WHERE +e.recorded_at >= ? AND +e.recorded_at <= ? AND e.pos <= ? AND e.type = 'Retracted'
       ) ticks GROUP BY b ORDER BY b`,
      [
        start,
        end - start,
        start,
        end,
        ...counted(all),
        ...params,
        start,
        end - start,
        start,
        end,
        version,
      ],
    );
    return rows.map((r) => [Number(r.b) / 10, Number(r.r) === 1]);
  }

  async count(view: Visibility, names: readonly string[] | undefined): Promise<number> {
    const [only, params] = cites(this.t, names);
    const [row] = await this.query(
      `SELECT count(*) AS n FROM ${this.t.events} e WHERE ${counts(this.t)} ${only}`,
      [...counted(view), ...params],
    );
    return Number(row?.n ?? 0);
  }

  async around(
    at: number,
    side: "before" | "after",
    limit: number,
    view: Visibility,
    names: readonly string[] | undefined,
  ): Promise<StoredEvent[]> {
    const [only, params] = cites(this.t, names);
    const before = side === "before";
    const rows = await this.query(
      `SELECT e.pos AS pos, l.content AS content FROM ${this.t.events} e
       JOIN ${this.t.log} l ON l.version = e.pos
       WHERE e.at ${before ? "<=" : ">"} ? AND ${counts(this.t)} ${only}
       ORDER BY e.at ${before ? "DESC" : ""}, e.pos ${before ? "DESC" : ""} LIMIT ${Math.floor(limit)}`,
      [at, ...counted(view), ...params],
    );
    return rows.map((r) => ({ pos: Number(r.pos), content: String(r.content) }));
  }

  async placeEvents(
    place: string,
    view: Visibility,
    names: readonly string[] | undefined,
  ): Promise<StoredEvent[]> {
    const [only, params] = cites(this.t, names);
    // From the place's memberships (an index), never a pass over every event.
    const rows = await this.query(
      `SELECT e.pos AS pos, l.content AS content FROM ${this.t.events} e
       JOIN ${this.t.log} l ON l.version = e.pos
       WHERE e.pos IN (SELECT m.pos FROM ${this.t.members} m
         WHERE m.slice IN ('control', 'airstrikes', 'arrests') AND m.source = '' AND m.key = ?)
         AND ${counts(this.t)} ${only}
       ORDER BY e.at, e.pos`,
      [place, ...counted(view), ...params],
    );
    return rows.map((r) => ({ pos: Number(r.pos), content: String(r.content) }));
  }

  /** Each visible control row of each place, with its controller and the next row's `at`. */
  private steps(): string {
    const { t, json } = this;
    return `SELECT r.key AS key, r.at AS at,
        CASE WHEN ${json("r.value", ["entry"])} IS NULL THEN 0 ELSE 1 END AS present,
        ${json("r.value", ["entry", "controller"])} AS c,
        LEAD(r.at) OVER (PARTITION BY r.key ORDER BY r.at, r.pos, r.sub) AS next,
        LAG(CASE WHEN ${json("r.value", ["entry"])} IS NULL THEN '-'
                 ELSE '+' || coalesce(${json("r.value", ["entry", "controller"])}, '') END)
          OVER (PARTITION BY r.key ORDER BY r.at, r.pos, r.sub) AS was
      FROM ${t.rows} r WHERE r.slice = 'control' AND r.source = '' AND ${VISIBLE}`;
  }

  async changes(view: Visibility, start: number, end: number): Promise<number[]> {
    const rows = await this.query(
      `SELECT DISTINCT s.at AS at FROM (${this.steps()}) s
       WHERE s.at >= ? AND s.at <= ?
         AND coalesce(s.was, '-') <> CASE WHEN s.present = 0 THEN '-' ELSE '+' || coalesce(s.c, '') END
       ORDER BY s.at`,
      [...visible(view), start, end],
    );
    return rows.map((r) => Number(r.at));
  }

  async placeCounts(
    view: Visibility,
    start: number,
    end: number,
    samples: number,
  ): Promise<PlaceCounts[]> {
    // The first sample at or after x: round(start + span * i / n) >= x, for whole ms x.
    const n = samples - 1;
    const index = (x: string) =>
      `CASE WHEN ${x} <= ? THEN 0 ELSE ceil(((${x} - 0.5 - ?) * ?) / ?) END`;
    const rows = await this.query(
      `WITH s AS (${this.steps()})
       SELECT c, i, sum(d) AS d FROM (
         SELECT s.c AS c, ${index("s.at")} AS i, 1 AS d FROM s WHERE s.present = 1
         UNION ALL
         SELECT s.c AS c, ${index("s.next")} AS i, -1 AS d FROM s
         WHERE s.present = 1 AND s.next IS NOT NULL
       ) deltas WHERE i <= ? GROUP BY c, i ORDER BY i`,
      [...visible(view), start, start, n, end - start, start, start, n, end - start, n],
    );
    const out = new Map<string | null, [number, number][]>();
    for (const row of rows) {
      const c = row.c === null || row.c === undefined ? null : String(row.c);
      let list = out.get(c);
      if (list === undefined) {
        list = [];
        out.set(c, list);
      }
      list.push([Number(row.i), Number(row.d)]);
    }
    return [...out].map(([controller, deltas]) => ({ controller, deltas }));
  }
}

function num(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}
