/**
 * DuckDB (in memory, `@duckdb/node-api`) answering what a user would ask it instead of
 * tidemark: "the controller of every place at t" (controller, since and event id of each
 * place), with the best SQL we could write for it.
 *
 * A withdrawal changes control only when its actor holds the place, so the controller after
 * an event depends on the controller before it: a chain per place that plain SQL can only
 * follow with a recursive join, re-run at every query (what an earlier version of this
 * benchmark timed, at 0.5–1 s a query). A DuckDB user would rather keep the changes of
 * control, as tidemark keeps its indexes: at load, each control event that changes a place's
 * entry (a capture by someone else, a withdrawal by the holder) is appended as a row with the
 * controller after it (`changes`), and each way of asking below derives what it needs from
 * that table in SQL. The load (the fold that finds the changes, the appender and the derived
 * tables) is timed apart from the queries; each answer is checked equal to tidemark's entries
 * (controller, since, eventId) before any is timed.
 *
 * `bench/duckdb-queries.ts` times every way of asking on one workload, in turn, beside
 * tidemark's query; the benchmark's table (bench/workload.ts) times the fastest of them,
 * {@link BEST}: each place's intervals of control, `[from_t, to_t)`, made once at load by
 * `lead()` and stored sorted by `to_t` (so that the min/max of each row group lets DuckDB skip
 * the intervals that ended before `t`), asked `WHERE from_t <= $t AND to_t > $t` by a
 * prepared statement with one thread. At 10^6 events it took about 11 ms of CPU a query, where
 * `arg_max` per place took about 30 ms and an ASOF JOIN about 200 ms; reading one answer's
 * 5,000 rows from a table, DuckDB's own floor, about 5.5 ms (docs/benchmarks.md, "DuckDB's
 * best query (issue 26)", has every way's figures).
 */
import { isDeepStrictEqual } from "node:util";
import {
  type DuckDBConnection,
  DuckDBInstance,
  type DuckDBPreparedStatement,
} from "@duckdb/node-api";
import type { Parsed } from "./baselines.js";

/** A way of asking DuckDB: the tables it derives at load, and the query it times. */
export interface DuckQuery {
  /** What the tables print it as. */
  readonly label: string;
  /** SQL run once at load, after the changes are appended (timed with the load). */
  readonly setup: readonly string[];
  /** The query, with `$t` the instant; it returns (place, controller, since, event_id). */
  readonly sql: string;
}

/** Who holds nobody's place: `arg_max` skips NULL arguments, so a release is written as ''. */
const NOBODY = "";
/** The end of an interval still open: after every instant asked. */
const OPEN = "9223372036854775807";

/**
 * Each place's intervals of control, `[from_t, to_t)`, the last one open; two changes of a
 * place at one instant make an empty interval of the first, which no query selects.
 */
const intervals = (order: string) => `
CREATE TABLE intervals AS
SELECT place, controller, t AS from_t,
       lead(t, 1, ${OPEN}) OVER (PARTITION BY place ORDER BY seq) AS to_t,
       id
FROM changes
ORDER BY ${order}`;

const INTERVAL_QUERY = `
SELECT place, controller, from_t AS since, id AS event_id
FROM intervals
WHERE from_t <= $t AND to_t > $t`;

/** The changes between two snapshots of every place's entry (see `snapshots` below). */
const SNAPSHOT_EVERY = 5000;

/** The ways of asking, by name. */
export const QUERIES = {
  argMax: {
    label: "arg_max per place over the changes up to t",
    setup: [],
    sql: `
SELECT place,
       arg_max(controller, seq) AS controller,
       arg_max(t, seq) AS since,
       arg_max(id, seq) AS event_id
FROM changes
WHERE t <= $t
GROUP BY place`,
  },
  argMaxStruct: {
    label: "one arg_max of a struct per place over the changes up to t",
    setup: [],
    sql: `
SELECT place, last.controller, last.t AS since, last.id AS event_id
FROM (
  SELECT place, arg_max({controller: controller, t: t, id: id}, seq) AS last
  FROM changes
  WHERE t <= $t
  GROUP BY place
)`,
  },
  rowNumber: {
    label: "the last change per place by row_number() ... QUALIFY",
    setup: [],
    sql: `
SELECT place, controller, t AS since, id AS event_id
FROM changes
WHERE t <= $t
QUALIFY row_number() OVER (PARTITION BY place ORDER BY seq DESC) = 1`,
  },
  asof: {
    label: "ASOF JOIN of the places against the changes",
    setup: ["CREATE TABLE places AS SELECT DISTINCT place FROM changes ORDER BY place"],
    sql: `
SELECT p.place, c.controller, c.t AS since, c.id AS event_id
FROM (SELECT place, $t::BIGINT AS t FROM places) p
ASOF JOIN changes c ON p.place = c.place AND p.t >= c.t`,
  },
  intervalsByStart: {
    label: "control intervals sorted by from_t, from_t <= t < to_t",
    setup: [intervals("from_t, place")],
    sql: INTERVAL_QUERY,
  },
  intervalsByEnd: {
    label: "control intervals sorted by to_t, from_t <= t < to_t",
    setup: [intervals("to_t, place")],
    sql: INTERVAL_QUERY,
  },
  snapshots: {
    label: `every place's entry kept each ${SNAPSHOT_EVERY.toLocaleString("en")} changes, + arg_max over the changes since`,
    setup: [
      // Snapshot k holds every place's entry after change number k * SNAPSHOT_EVERY - 1.
      `CREATE TABLE numbered AS
       SELECT row_number() OVER (ORDER BY seq) - 1 AS n, seq, t, place, controller, id FROM changes`,
      `CREATE TABLE checkpoints AS
       SELECT 0 AS k, -1::BIGINT AS seq, -${OPEN}::BIGINT AS t
       UNION ALL
       SELECT (n + 1) // ${SNAPSHOT_EVERY} AS k, seq, t FROM numbered
       WHERE (n + 1) % ${SNAPSHOT_EVERY} = 0
       ORDER BY k`,
      `CREATE TABLE snapshots AS
       SELECT c.k, i.place, i.controller, i.since, i.id
       FROM checkpoints c
       JOIN (
         SELECT place, controller, t AS since, id, seq AS from_seq,
                lead(seq, 1, ${OPEN}) OVER (PARTITION BY place ORDER BY seq) AS to_seq
         FROM changes
       ) i ON i.from_seq <= c.seq AND c.seq < i.to_seq
       ORDER BY c.k`,
    ],
    sql: `
WITH last AS (SELECT k, seq FROM checkpoints WHERE t <= $t ORDER BY k DESC LIMIT 1)
SELECT place,
       arg_max(controller, seq) AS controller,
       arg_max(since, seq) AS since,
       arg_max(id, seq) AS event_id
FROM (
  SELECT place, controller, since, id, -1 AS seq FROM snapshots
  WHERE k = (SELECT k FROM last)
  UNION ALL
  SELECT place, controller, t AS since, id, seq FROM changes
  WHERE seq > (SELECT seq FROM last) AND t <= $t
)
GROUP BY place`,
  },
} as const satisfies Record<string, DuckQuery>;

export type QueryName = keyof typeof QUERIES;

/** The way of asking the benchmark's table times: the fastest in bench/duckdb-queries.ts. */
export const BEST = {
  query: "intervalsByEnd",
  threads: 1,
  prepared: true,
  read: "columns",
} as const satisfies AskOptions & { query: QueryName };

/** A change of a place's entry: the controller after it (null: nobody). */
interface Change {
  seq: number;
  t: number;
  place: string;
  controller: string | null;
  id: string;
}

/**
 * The changes of control of `sorted` (timeline order): a capture by someone other than the
 * holder, a withdrawal by the holder (not to itself), each with the controller after it.
 */
function changesOf(sorted: readonly Parsed[]): Change[] {
  const holder = new Map<string, string | null>();
  const changes: Change[] = [];
  sorted.forEach((e, seq) => {
    if (e.type !== "Captured" && e.type !== "Withdrew") return;
    const data = e.data as { place: string; by?: string; actor?: string; handedTo?: string };
    const current = holder.get(data.place);
    let next: string | null | undefined;
    if (e.type === "Captured") {
      if (current !== data.by) next = data.by as string;
    } else if (current !== undefined && current === data.actor && data.handedTo !== data.actor) {
      next = data.handedTo ?? null;
    }
    if (next === undefined) return;
    holder.set(data.place, next);
    changes.push({ seq, t: e.at, place: data.place, controller: next, id: e.id });
  });
  return changes;
}

/** Every place's entry at `t`, as the tables compare them with tidemark's. */
export type Answer = Record<string, { controller: string | null; since: number; eventId: string }>;

/** A DuckDB database holding the changes of `sorted`, asked one way. */
export interface Asker {
  /** Milliseconds of the load: the fold to changes, the appender, the derived tables. */
  readonly load: number;
  ask(t: number): Promise<Answer>;
  /** DuckDB's `EXPLAIN ANALYZE` of the query at `t`: the plan, with the rows each step read. */
  explain(t: number): Promise<string>;
  close(): void;
}

const elapsed = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

/** How a query is run and its answer read. */
export interface AskOptions {
  /** DuckDB's `threads` setting. */
  readonly threads: number;
  /**
   * A statement prepared once and bound at each query, or `connection.runAndReadAll(sql,
   * { t })` (parsed and planned at each query).
   */
  readonly prepared: boolean;
  /**
   * `columns`: the rows read column by column (`getColumns()`) into a record; `json`: the
   * query wrapped in `json_group_object`, one string handed to `JSON.parse`.
   */
  readonly read: "columns" | "json";
}

/** A query's answer as one JSON object of every place's entry, built by DuckDB. */
const asJson = (sql: string) => `
SELECT json_group_object(
         place,
         json_object('controller', nullif(controller, '${NOBODY}'), 'since', since, 'eventId', event_id)
       )::VARCHAR
FROM (${sql})`;

/**
 * Loads `sorted`'s changes of control into a new in-memory DuckDB, runs the query's setup, and
 * returns a way to ask it, as `options` say.
 */
export async function openAsker(
  sorted: readonly Parsed[],
  name: QueryName,
  options: AskOptions,
): Promise<Asker> {
  const query: DuckQuery = QUERIES[name];
  const sql = options.read === "json" ? asJson(query.sql) : query.sql;
  const instance = await DuckDBInstance.create(":memory:", { threads: String(options.threads) });
  const connection: DuckDBConnection = await instance.connect();
  await connection.run(
    "CREATE TABLE changes (seq BIGINT, t BIGINT, place VARCHAR, controller VARCHAR, id VARCHAR)",
  );
  const start = process.hrtime.bigint();
  const appender = await connection.createAppender("changes");
  for (const c of changesOf(sorted)) {
    appender.appendBigInt(BigInt(c.seq));
    appender.appendBigInt(BigInt(c.t));
    appender.appendVarchar(c.place);
    appender.appendVarchar(c.controller ?? NOBODY);
    appender.appendVarchar(c.id);
    appender.endRow();
  }
  appender.closeSync();
  for (const sql of query.setup) await connection.run(sql);
  const prepared: DuckDBPreparedStatement | undefined = options.prepared
    ? await connection.prepare(sql)
    : undefined;
  const load = elapsed(start);

  return {
    load,
    async ask(t) {
      let reader: Awaited<ReturnType<DuckDBConnection["runAndReadAll"]>>;
      if (prepared === undefined) {
        reader = await connection.runAndReadAll(sql, { t: BigInt(t) });
      } else {
        prepared.bind({ t: BigInt(t) });
        reader = await prepared.runAndReadAll();
      }
      if (options.read === "json") return JSON.parse(reader.getColumns()[0]?.[0] as string);
      const [places, controllers, sinces, ids] = reader.getColumns();
      const out: Answer = {};
      const count = reader.currentRowCount;
      for (let i = 0; i < count; i++) {
        const controller = (controllers as unknown[])[i] as string;
        out[(places as unknown[])[i] as string] = {
          controller: controller === NOBODY ? null : controller,
          since: Number((sinces as unknown[])[i]),
          eventId: (ids as unknown[])[i] as string,
        };
      }
      return out;
    },
    async explain(t) {
      const reader = await connection.runAndReadAll(`EXPLAIN ANALYZE ${sql}`, { t: BigInt(t) });
      return reader.getColumns()[1]?.join("\n") ?? "";
    },
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** A record's entries by place, so that two answers compare whatever their order. */
const byPlace = (record: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));

/** Throws unless the asker's answer at each of `instants` equals `expected(t)`. */
export async function checkAsker(
  asker: Asker,
  instants: readonly number[],
  expected: (t: number) => Record<string, unknown>,
  what: string,
): Promise<void> {
  for (const t of instants) {
    if (!isDeepStrictEqual(byPlace(await asker.ask(t)), byPlace(expected(t)))) {
      throw new Error(`results differ: DuckDB (${what}) controller of every place at ${t}`);
    }
  }
}

export interface DuckControl {
  load: number;
  queryMedian: number;
  queryP99: number;
  /** The median over instants of DuckDB's time / tidemark's, each pair timed one after the other. */
  ratioMedian: number;
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

/**
 * Loads the changes of control of `sorted` (timeline order) for {@link BEST} and times its
 * query at `instants`, after checking the first answers against `expected(t)` (tidemark's
 * control entries without precision and `contested`). Before each, `beside(t)` (tidemark's
 * query) is timed at the same instant, so that the ratio of the two holds on a loaded machine.
 */
export async function duckdbControl(
  sorted: readonly Parsed[],
  instants: readonly number[],
  expected: (t: number) => Record<string, unknown>,
  beside: (t: number) => unknown,
): Promise<DuckControl> {
  const asker = await openAsker(sorted, BEST.query, BEST);
  await checkAsker(asker, instants.slice(0, 5), expected, QUERIES[BEST.query].label);
  const times: number[] = [];
  const ratios: number[] = [];
  for (const t of instants) {
    const mine = process.hrtime.bigint();
    beside(t);
    const theirs = elapsed(mine);
    const begin = process.hrtime.bigint();
    await asker.ask(t);
    times.push(elapsed(begin));
    ratios.push((times[times.length - 1] as number) / theirs);
  }
  asker.close();
  times.sort((a, b) => a - b);
  return {
    load: asker.load,
    queryMedian: median(times),
    queryP99: times[Math.min(times.length - 1, Math.floor(times.length * 0.99))] as number,
    ratioMedian: median(ratios),
  };
}
