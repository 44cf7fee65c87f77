/**
 * DuckDB (in memory, `@duckdb/node-api`) answering what a user would ask it instead of
 * tidemark: "the controller of every place at t", with the best SQL we could write for it.
 *
 * A withdrawal changes control only when its actor holds the place, so the controller after
 * an event depends on the controller before it: a chain per place that plain SQL can only
 * follow with a recursive join, re-run at every query (what an earlier version of this
 * benchmark timed, at 0.5–1 s a query). A DuckDB user would rather keep the changes of
 * control, as tidemark keeps its indexes: at load, each control event that changes a place's
 * entry (a capture by someone else, a withdrawal by the holder) is appended as a row with the
 * controller after it. A query is then one aggregate, `arg_max` per place, over the changes
 * up to `t` (`QUERY` below). The load (the fold that finds the changes, and the appender) is
 * timed apart from the queries; each answer is checked equal to tidemark's entries
 * (controller, since, eventId) before any is timed.
 */
import { isDeepStrictEqual } from "node:util";
import { DuckDBInstance } from "@duckdb/node-api";
import type { Parsed } from "./baselines.js";

export interface DuckControl {
  load: number;
  queryMedian: number;
  queryP99: number;
}

/** The query timed: the last change of control of every place up to `$t`. */
export const QUERY = `
SELECT place,
       arg_max(controller, seq) AS controller,
       arg_max(t, seq) AS since,
       arg_max(id, seq) AS event_id
FROM changes
WHERE t <= $t
GROUP BY place`;

const elapsed = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

/** Who holds nobody's place: `arg_max` skips NULL arguments, so a release is written as ''. */
const NOBODY = "";

/**
 * Loads the changes of control of `sorted` (timeline order) and times the query at
 * `instants`, after checking each of the first answers against `expected(t)` (tidemark's
 * control entries without precision and `contested`).
 */
export async function duckdbControl(
  sorted: readonly Parsed[],
  instants: readonly number[],
  expected: (t: number) => Record<string, unknown>,
): Promise<DuckControl> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  await connection.run(
    "CREATE TABLE changes (seq BIGINT, t BIGINT, place VARCHAR, controller VARCHAR, id VARCHAR)",
  );
  const start = process.hrtime.bigint();
  const appender = await connection.createAppender("changes");
  const holder = new Map<string, string | null>();
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
    appender.appendBigInt(BigInt(seq));
    appender.appendBigInt(BigInt(e.at));
    appender.appendVarchar(data.place);
    appender.appendVarchar(next ?? NOBODY);
    appender.appendVarchar(e.id);
    appender.endRow();
  });
  appender.closeSync();
  const load = elapsed(start);

  const ask = async (t: number) => {
    const reader = await connection.runAndReadAll(QUERY, { t: BigInt(t) });
    const out: Record<string, unknown> = {};
    for (const [place, controller, since, eventId] of reader.getRows()) {
      out[place as string] = {
        controller: controller === NOBODY ? null : controller,
        since: Number(since),
        eventId,
      };
    }
    return out;
  };
  const byPlace = (record: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
  for (const t of instants.slice(0, 5)) {
    if (!isDeepStrictEqual(byPlace(await ask(t)), byPlace(expected(t)))) {
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
  return {
    load,
    queryMedian: times[Math.floor(times.length / 2)] as number,
    queryP99: times[Math.min(times.length - 1, Math.floor(times.length * 0.99))] as number,
  };
}
