/**
 * Every way of asking DuckDB "the controller of every place at t" (bench/duckdb.ts's
 * `QUERIES`), on one workload of the outside check's shape, beside tidemark's query:
 *
 *   npx tsup && node --expose-gc --import tsx bench/duckdb-queries.ts --events 100000
 *
 * Each way is loaded into its own in-memory DuckDB (one thread, and two), checked equal to
 * tidemark's entries at `--check` instants, then all are timed in turn at each of `--queries`
 * random instants, tidemark's `stateAt` + reading every `control` entry among them, so that
 * a slow spell of a shared machine falls on all alike. Printed per way: the load, the wall
 * time of a query (median, p99), its CPU time (all the process's threads, median), and the
 * median over instants of its time / tidemark's at the same instant. Beside them, DuckDB's
 * own floor: one answer read whole from a table of its rows. `--threads 1,2`, `--reads
 * columns,json` (bench/duckdb.ts's `AskOptions`) and `--only argMax,asof` narrow the runs;
 * `--unprepared argMax,...` adds those ways asked with `connection.runAndReadAll(sql, { t })`
 * instead of a prepared statement. `--explain` prints DuckDB's `EXPLAIN ANALYZE` of each at the
 * middle instant (to stderr).
 */
import { DuckDBInstance } from "@duckdb/node-api";
import type { Parsed } from "./baselines.js";
import {
  type Answer,
  type Asker,
  type AskOptions,
  BEST,
  checkAsker,
  openAsker,
  QUERIES,
  type QueryName,
} from "./duckdb.js";
import { heap, ms, quantile } from "./measure.js";
import {
  build,
  lateAtTheEnd,
  numericEvents,
  parsedInOrder,
  plainControlOf,
  randomInstants,
  readAll,
} from "./workload.js";

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(name);
  return i === -1 ? fallback : String(process.argv[i + 1]);
};
const events = Number(arg("--events", "100000"));
const queries = Number(arg("--queries", "40"));
const checks = Number(arg("--check", "10"));
const threads = arg("--threads", "1,2").split(",").map(Number);
const names = arg("--only", Object.keys(QUERIES).join(",")).split(",") as QueryName[];
const unprepared = arg("--unprepared", `argMax,${BEST.query}`).split(",") as QueryName[];
const reads = arg("--reads", "columns,json").split(",") as AskOptions["read"][];
for (const name of [...names, ...unprepared]) {
  if (!(name in QUERIES)) throw new Error(`no query named ${name}: ${Object.keys(QUERIES)}`);
}

const inputs = numericEvents(events);
const [timeline] = build(lateAtTheEnd(inputs), 5000);
const sorted: Parsed[] = parsedInOrder(inputs);
const instants = randomInstants(sorted, Math.max(queries, checks));
const first = (sorted[0] as Parsed).at;
const last = (sorted[sorted.length - 1] as Parsed).at;
const expected = (t: number) => plainControlOf(timeline.stateAt(t).control);

interface Way {
  label: string;
  asker: Asker;
  wall: number[];
  cpu: number[];
  ratio: number[];
}
const ways: Way[] = [];
const configs: (AskOptions & { name: QueryName })[] = [
  ...names.flatMap((name) =>
    threads.flatMap((n) =>
      reads.map((read) => ({ name, threads: n, prepared: true, read }) as const),
    ),
  ),
  ...unprepared.flatMap((name) =>
    threads.map((n) => ({ name, threads: n, prepared: false, read: "columns" }) as const),
  ),
];
for (const config of configs) {
  const asker = await openAsker(sorted, config.name, config);
  const label = `${config.name}, ${config.threads} thread${config.threads === 1 ? "" : "s"}, ${config.prepared ? "prepared" : "run with params"}, ${config.read}`;
  await checkAsker(asker, instants.slice(0, checks), expected, label);
  ways.push({ label, asker, wall: [], cpu: [], ratio: [] });
  console.error(`loaded and checked: ${label} (${ms(asker.load)} ms)`);
}

// DuckDB's own floor: a table holding one answer (at the middle instant), read whole by a
// prepared statement, each way. No query of every place can answer faster than this.
{
  const answer = expected(first + Math.floor((last - first) / 2)) as Answer;
  const instance = await DuckDBInstance.create(":memory:", { threads: "1" });
  const connection = await instance.connect();
  await connection.run(
    "CREATE TABLE answer (place VARCHAR, controller VARCHAR, since BIGINT, event_id VARCHAR)",
  );
  const appender = await connection.createAppender("answer");
  for (const [place, entry] of Object.entries(answer)) {
    appender.appendVarchar(place);
    appender.appendVarchar(entry.controller ?? "");
    appender.appendBigInt(BigInt(entry.since));
    appender.appendVarchar(entry.eventId);
    appender.endRow();
  }
  appender.closeSync();
  for (const read of reads) {
    const statement = await connection.prepare(
      read === "json"
        ? `SELECT json_group_object(place, json_object('controller', nullif(controller, ''), 'since', since, 'eventId', event_id))::VARCHAR FROM answer`
        : "SELECT place, controller, since, event_id FROM answer",
    );
    const asker: Asker = {
      load: 0,
      explain: async () => "",
      async ask() {
        const reader = await statement.runAndReadAll();
        const columns = reader.getColumns();
        if (read === "json") return JSON.parse(columns[0]?.[0] as string);
        const out: Answer = {};
        for (let i = 0; i < reader.currentRowCount; i++) {
          const controller = columns[1]?.[i] as string;
          out[columns[0]?.[i] as string] = {
            controller: controller === "" ? null : controller,
            since: Number(columns[2]?.[i]),
            eventId: columns[3]?.[i] as string,
          };
        }
        return out;
      },
      close() {},
    };
    await checkAsker(asker, [0], () => answer, "floor");
    ways.push({
      label: `floor: one answer's ${Object.keys(answer).length} rows read from a table, ${read}`,
      asker,
      wall: [],
      cpu: [],
      ratio: [],
    });
  }
}
heap();

if (process.argv.includes("--explain")) {
  const middle = first + Math.floor((last - first) / 2);
  for (const way of ways) console.error(`${way.label}\n${await way.asker.explain(middle)}\n`);
}

const tidemarkWall: number[] = [];
for (const t of instants.slice(0, queries)) {
  const begin = process.hrtime.bigint();
  readAll(timeline.stateAt(t).control);
  const mine = Number(process.hrtime.bigint() - begin) / 1e6;
  tidemarkWall.push(mine);
  for (const way of ways) {
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    await way.asker.ask(t);
    const wall = Number(process.hrtime.bigint() - start) / 1e6;
    const used = process.cpuUsage(cpu);
    way.wall.push(wall);
    way.cpu.push((used.user + used.system) / 1000);
    way.ratio.push(wall / mine);
  }
}

const median = (values: number[]) =>
  quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
const p99 = (values: number[]) =>
  quantile(
    [...values].sort((a, b) => a - b),
    0.99,
  );
const rows = [
  ["way of asking", "load", "query median", "p99", "CPU median", "/ tidemark (median)"],
  [
    "tidemark: stateAt + reading every control entry",
    "-",
    `${ms(median(tidemarkWall))} ms`,
    `${ms(p99(tidemarkWall))} ms`,
    "-",
    "1x",
  ],
  ...ways
    .map((w) => ({ w, m: median(w.wall) }))
    .sort((a, b) => a.m - b.m)
    .map(({ w, m }) => [
      w.label,
      w.asker.load === 0 ? "-" : `${ms(w.asker.load)} ms`,
      `${ms(m)} ms`,
      `${ms(p99(w.wall))} ms`,
      `${ms(median(w.cpu))} ms`,
      `${median(w.ratio).toFixed(1)}x`,
    ]),
];
const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] as string).length))) ?? [];
const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i] as number)).join(" | ")} |`;
console.log(
  `${events.toLocaleString("en")} events, ${queries} instants, ${sorted.filter((e) => e.type === "Captured" || e.type === "Withdrew").length.toLocaleString("en")} control events`,
);
console.log(line(rows[0] as string[]));
console.log(`| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`);
for (const r of rows.slice(1)) console.log(line(r));
for (const way of ways) way.asker.close();
