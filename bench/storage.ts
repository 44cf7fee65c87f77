/**
 * Storage benchmark: `npm run bench:storage` appends the seeded synthetic conflict
 * (bench/generate.ts, 10^6 events) to each store in batches of 1, 100 and 10,000 through
 * `openTimeline`, then reopens the 10^6 stored events, against building the same timeline in
 * memory. PostgreSQL runs when TIDEMARK_PG_URL is set (`source .ci/postgres.sh`).
 *
 * Options: `--events N` (default 1,000,000), `--single N` (events appended in batches of 1,
 * default all of them), `--stores sqlite,postgres`.
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { createTimeline, type EventStore, openTimeline } from "../src/index.js";
import { postgresStore } from "../src/stores/postgres.js";
import { sqliteStore } from "../src/stores/sqlite.js";
import { generateConflict, type RawEvent } from "./generate.js";

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

const n = Number(option("events", "1000000"));
const single = Math.min(n, Number(option("single", String(n))));
const pgUrl = process.env.TIDEMARK_PG_URL;
const stores = option("stores", pgUrl ? "sqlite,postgres" : "sqlite").split(",");
const BATCHES = [10_000, 100, 1];

const now = () => performance.now();
const log = (message: string) => process.stderr.write(`${new Date().toISOString()} ${message}\n`);
const fmt = (ms: number) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`);
const rate = (count: number, ms: number) =>
  `${Math.round((count / ms) * 1000).toLocaleString("en")}/s`;

log(`generating ${n} events`);
const events: RawEvent[] = generateConflict({ events: n });

/** The in-memory build the reopen is measured against: appendAll in batches of 10,000. */
function buildInMemory(list: readonly RawEvent[]) {
  const timeline = createTimeline();
  for (let i = 0; i < list.length; i += 10_000) timeline.appendAll(list.slice(i, i + 10_000));
  timeline.latest();
  return timeline;
}

buildInMemory(events.slice(0, 100_000)); // warm-up
let start = now();
const memory = buildInMemory(events);
const buildMs = now() - start;
const expected = JSON.stringify(memory.latest().control);
log(`in-memory build: ${fmt(buildMs)}`);

const dir = mkdtempSync(join(tmpdir(), "tidemark-bench-"));
const admin = pgUrl ? new pg.Pool({ connectionString: pgUrl, max: 1 }) : undefined;
const tables: string[] = [];

interface Place {
  name: string;
  open(batch: number): EventStore;
  again(batch: number): EventStore;
  size(batch: number): Promise<number>;
}

const places: Record<string, Place> = {
  sqlite: {
    name: "SQLite (better-sqlite3, WAL, synchronous=FULL)",
    open: (batch) => sqliteStore(join(dir, `b${batch}.db`)),
    again: (batch) => sqliteStore(join(dir, `b${batch}.db`)),
    size: async (batch) => statSync(join(dir, `b${batch}.db`)).size,
  },
  postgres: {
    name: "PostgreSQL (pg, one table)",
    open(batch) {
      const table = `bench_${process.pid}_${batch}`;
      tables.push(table);
      return postgresStore(pgUrl as string, { table });
    },
    again: (batch) => postgresStore(pgUrl as string, { table: `bench_${process.pid}_${batch}` }),
    async size(batch) {
      const { rows } = await (admin as pg.Pool).query(
        "SELECT pg_total_relation_size($1)::bigint AS size",
        [`bench_${process.pid}_${batch}`],
      );
      return Number(rows[0].size);
    },
  },
};

interface Row {
  store: string;
  measure: string;
  events: number;
  ms: number;
  note: string;
}
const rows: Row[] = [];

try {
  for (const key of stores) {
    const place = places[key];
    if (place === undefined) throw new Error(`unknown store ${key}`);
    for (const batch of BATCHES) {
      const count = batch === 1 ? single : n;
      const timeline = await openTimeline({ store: place.open(batch) });
      log(`${key}: appending ${count} events in batches of ${batch}`);
      start = now();
      let reported = now();
      for (let i = 0; i < count; i += batch) {
        if (batch === 1) await timeline.append(events[i] as RawEvent);
        else await timeline.appendAll(events.slice(i, Math.min(count, i + batch)));
        if (now() - reported > 60_000) {
          reported = now();
          log(`  ${i + batch} events, ${rate(i + batch, now() - start)}`);
        }
      }
      const ms = now() - start;
      await timeline.close();
      const bytes = await place.size(batch);
      rows.push({
        store: place.name,
        measure: `append in batches of ${batch.toLocaleString("en")}`,
        events: count,
        ms,
        note: `${rate(count, ms)}; ${((ms / count) * batch).toFixed(2)} ms a batch; ${(bytes / 2 ** 20).toFixed(0)} MiB stored`,
      });
      log(`  ${fmt(ms)}`);
      if (batch === BATCHES[0]) {
        global.gc?.();
        log(`${key}: reopening ${n} events`);
        start = now();
        const reopened = await openTimeline({ store: place.again(batch) });
        const reopenMs = now() - start;
        if (JSON.stringify(reopened.latest().control) !== expected) {
          throw new Error(`${key}: the reopened timeline differs from the in-memory one`);
        }
        await reopened.close();
        rows.push({
          store: place.name,
          measure: "reopen (read, verify checksums, rebuild)",
          events: n,
          ms: reopenMs,
          note: `${(reopenMs / buildMs).toFixed(2)}x the in-memory build (target <= 2x)`,
        });
        log(`  ${fmt(reopenMs)}`);
      }
    }
  }
} finally {
  for (const table of tables) await admin?.query(`DROP TABLE IF EXISTS "${table}"`);
  await admin?.end();
  rmSync(dir, { recursive: true, force: true });
}

console.log(
  `\nStorage benchmark: ${n.toLocaleString("en")} events (bench/generate.ts), Node ${process.version}\n`,
);
console.log("| store | measure | events | time | notes |");
console.log("| --- | --- | ---: | ---: | --- |");
console.log(
  `| in memory | build: appendAll in batches of 10,000 | ${n.toLocaleString("en")} | ${fmt(buildMs)} | ${rate(n, buildMs)} |`,
);
for (const r of rows) {
  console.log(
    `| ${r.store} | ${r.measure} | ${r.events.toLocaleString("en")} | ${fmt(r.ms)} | ${r.note} |`,
  );
}
