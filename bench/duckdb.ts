/**
 * DuckDB (in memory, `@duckdb/node-api`) answering what a user would ask it instead of
 * tidemark: "the controller of every place at t". Loads the control events with an appender,
 * then per instant: the last capture of each place (arg_max) followed by the withdrawals of
 * whoever holds it (a recursive join), checked equal to tidemark's controllers first.
 *
 * Only the controllers are compared: `since` is when the current holding began (a capture by
 * the holder changes nothing), which this query does not compute; the event it names is the
 * last capture or hand-over, which can be a confirmation.
 */
import { isDeepStrictEqual } from "node:util";
import { DuckDBInstance } from "@duckdb/node-api";
import type { Parsed } from "./baselines.js";

export interface DuckControl {
  load: number;
  queryMedian: number;
}

const QUERY = `
WITH RECURSIVE
caps AS (
  SELECT place, arg_max(actor, seq) AS controller, max(seq) AS seq
  FROM ev WHERE kind = 'C' AND ev.t <= $t GROUP BY place
),
chain(place, controller, seq) AS (
  SELECT place, controller, seq FROM caps
  UNION ALL
  SELECT c.place, w.handed_to, w.seq
  FROM chain c, LATERAL (
    SELECT handed_to, seq FROM ev
    WHERE ev.place = c.place AND ev.kind = 'W' AND ev.actor = c.controller
      AND ev.seq > c.seq AND ev.t <= $t
    ORDER BY ev.seq LIMIT 1
  ) w
),
latest AS (SELECT place, max(seq) AS seq FROM chain GROUP BY place)
SELECT chain.place, chain.controller, ev.t, ev.id
FROM chain JOIN latest USING (place, seq) JOIN ev ON ev.seq = chain.seq`;

const elapsed = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

/**
 * Loads the control events of `sorted` (timeline order) and times the query at `instants`,
 * after checking each answer against `expected(t)` (tidemark's control without precision).
 */
export async function duckdbControl(
  sorted: readonly Parsed[],
  instants: readonly number[],
  expected: (t: number) => Record<string, unknown>,
): Promise<DuckControl> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  await connection.run(
    "CREATE TABLE ev (seq BIGINT, t BIGINT, place VARCHAR, kind VARCHAR, actor VARCHAR, handed_to VARCHAR, id VARCHAR)",
  );
  const start = process.hrtime.bigint();
  const appender = await connection.createAppender("ev");
  sorted.forEach((e, seq) => {
    if (e.type !== "Captured" && e.type !== "Withdrew") return;
    const data = e.data as { place: string; by?: string; actor?: string; handedTo?: string };
    appender.appendBigInt(BigInt(seq));
    appender.appendBigInt(BigInt(e.at));
    appender.appendVarchar(data.place);
    appender.appendVarchar(e.type === "Captured" ? "C" : "W");
    appender.appendVarchar((e.type === "Captured" ? data.by : data.actor) as string);
    if (data.handedTo === undefined) appender.appendNull();
    else appender.appendVarchar(data.handedTo);
    appender.appendVarchar(e.id);
    appender.endRow();
  });
  appender.closeSync();
  const load = elapsed(start);

  const ask = async (t: number) => {
    const reader = await connection.runAndReadAll(QUERY, { t: BigInt(t) });
    const out: Record<string, string | null> = {};
    for (const [place, controller] of reader.getRows()) {
      out[place as string] = controller as string | null;
    }
    return out;
  };
  const controllers = (record: Record<string, unknown>) =>
    Object.fromEntries(
      Object.entries(record)
        .map(([place, entry]) => [place, (entry as { controller: string | null }).controller])
        .sort(([a], [b]) => ((a as string) < (b as string) ? -1 : 1)),
    );
  const sortedKeys = (record: Record<string, string | null>) =>
    Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
  for (const t of instants.slice(0, 5)) {
    if (!isDeepStrictEqual(sortedKeys(await ask(t)), controllers(expected(t)))) {
      throw new Error(`results differ: DuckDB controller of every place at ${t}`);
    }
  }
  const times: number[] = [];
  for (const t of instants) {
    const begin = process.hrtime.bigint();
    await ask(t);
    times.push(elapsed(begin));
  }
  times.sort((a, b) => a - b);
  connection.closeSync();
  return { load, queryMedian: times[Math.floor(times.length / 2)] as number };
}
