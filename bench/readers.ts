/**
 * Readers while a writer appends: `npm run bench:readers` (PostgreSQL, TIDEMARK_PG_URL: a
 * throwaway server, its `public` schema is emptied first) seeds a store, then runs, each in a
 * process of its own, one writer appending batches and 8 readers that each, in a loop,
 * `refresh()` (polling) and ask `stateAt(t)` or `history(place)` at random, for `--seconds`.
 *
 * It reports each reader's query latency (median, p99) and throughput, and checks every
 * answer: each reader notes its `version` and a digest of each answer; afterwards one
 * in-memory timeline (`createTimeline`) is folded from the same seeded events, in the order
 * they were appended, up to each noted version, and must give the same answers.
 *
 * The seed and the batches are chunks of one seeded conflict over ten years (bench/generate.ts).
 *
 * Options: `--readers 8`, `--seed-events 50000`, `--batch 500`, `--pause 250` (ms between the
 * writer's batches), `--seconds 60`. Not part of `npm test`.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { createTimeline, openReader, openTimeline } from "../src/index.js";
import { postgresStore } from "../src/stores/postgres.js";
import { conflictChunks, type RawEvent } from "./generate.js";
import { quantile, random } from "./measure.js";

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

const log = (message: string) => process.stderr.write(`${new Date().toISOString()} ${message}\n`);
const READERS = Number(option("readers", "8"));
const SEED = Number(option("seed-events", "50000"));
const BATCH = Number(option("batch", "500"));
const PAUSE = Number(option("pause", "250"));
const SECONDS = Number(option("seconds", "60"));
/** The events the seeded conflict spreads over ten years: the seed and what the writer may add. */
const TOTAL = SEED + Math.ceil((SECONDS * 1000) / PAUSE) * BATCH;
const START = Date.UTC(2010, 0, 1);
const SPAN = Date.UTC(2020, 0, 1) - START;

/** The events in the order the writer appends them: the seed, then batch after batch. */
function* inOrder(): Generator<RawEvent[]> {
  yield* conflictChunks({ events: TOTAL, chunk: BATCH });
}

/** JSON with every object's keys sorted: equal values, equal text. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as object).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}
const digest = (value: unknown) => createHash("sha1").update(canonical(value)).digest("hex");

/** One answer a reader gave. */
interface Answer {
  version: number;
  kind: "stateAt" | "history";
  arg: string;
  ms: number;
  digest: string;
}

/** Waits until `start` (every process opens its store before, untimed): the end instant. */
async function begin(start: number): Promise<number> {
  if (Date.now() > start) log(`a process was not ready ${Date.now() - start} ms after the start`);
  await new Promise((done) => setTimeout(done, Math.max(0, start - Date.now())));
  return start + SECONDS * 1000;
}

async function writer(url: string, start: number): Promise<void> {
  const timeline = await openTimeline({ store: postgresStore(url) });
  const until = await begin(start);
  let batches = 0;
  let appended = 0;
  let skip = SEED / BATCH;
  const times: number[] = [];
  for (const batch of inOrder()) {
    if (skip-- > 0) continue;
    if (Date.now() >= until) break;
    const start = performance.now();
    await timeline.appendAll(batch);
    times.push(performance.now() - start);
    batches++;
    appended += batch.length;
    await new Promise((done) => setTimeout(done, PAUSE));
  }
  await timeline.close();
  times.sort((a, b) => a - b);
  process.stdout.write(
    `${JSON.stringify({ batches, appended, version: SEED + appended, appendMedianMs: quantile(times, 0.5), appendP99Ms: quantile(times, 0.99) })}\n`,
  );
}

async function reader(url: string, id: number, start: number): Promise<void> {
  const dice = random(1000 + id);
  const r = await openReader({ store: postgresStore(url) });
  const until = await begin(start);
  const answers: Answer[] = [];
  const refreshes: number[] = [];
  while (Date.now() < until) {
    let start = performance.now();
    await r.refresh();
    refreshes.push(performance.now() - start);
    const history = dice() < 0.5;
    const arg = history
      ? `p${Math.floor(dice() * 5000)}`
      : new Date(START + Math.floor(dice() * SPAN)).toISOString();
    start = performance.now();
    const answer = history ? await r.history(arg) : await r.stateAt(arg);
    const ms = performance.now() - start;
    answers.push({
      version: r.version,
      kind: history ? "history" : "stateAt",
      arg,
      ms,
      digest: digest(answer),
    });
  }
  await r.close();
  refreshes.sort((a, b) => a - b);
  process.stdout.write(
    `${JSON.stringify({ answers, refreshMedianMs: quantile(refreshes, 0.5) })}\n`,
  );
}

function run(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      // The options too: the children make the same seeded events.
      ["--import", "tsx", fileURLToPath(import.meta.url), ...args, ...process.argv.slice(2)],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += String(chunk);
    });
    child.on("exit", (code) =>
      code === 0
        ? resolve(out.trim().split("\n").pop() as string)
        : reject(new Error(`${args[0]} exited ${code}`)),
    );
  });
}

const ms = (v: number | undefined) =>
  v === undefined ? "n/a" : v >= 100 ? v.toFixed(0) : v.toFixed(1);

if (process.argv[2] === "--writer") {
  await writer(process.argv[3] as string, Number(process.argv[4]));
} else if (process.argv[2] === "--reader") {
  await reader(process.argv[3] as string, Number(process.argv[4]), Number(process.argv[5]));
} else {
  const url = process.env.TIDEMARK_PG_URL;
  if (url === undefined) throw new Error("bench:readers: TIDEMARK_PG_URL is not set");
  const admin = new pg.Pool({ connectionString: url, max: 1 });
  await admin.query("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
  await admin.end();
  log(`seeding ${SEED.toLocaleString("en")} events`);
  const seeding = await openTimeline({ store: postgresStore(url) });
  let pending: RawEvent[] = [];
  let seeded = 0;
  for (const batch of inOrder()) {
    if (seeded >= SEED) break;
    pending.push(...batch);
    seeded += batch.length;
    if (pending.length >= 20_000 || seeded >= SEED) {
      await seeding.appendAll(pending);
      pending = [];
    }
  }
  await seeding.close();
  // Every process opens its store first (not timed), then all run from the same instant.
  const until = Date.now() + 60_000;
  log(`1 writer (batches of ${BATCH}, ${PAUSE} ms apart) and ${READERS} readers for ${SECONDS} s`);
  const [written, ...read] = await Promise.all([
    run(["--writer", url, String(until)]),
    ...Array.from({ length: READERS }, (_, i) => run(["--reader", url, String(i), String(until)])),
  ]);
  const w = JSON.parse(written as string);
  log(
    `writer: ${w.batches} batches, ${w.appended.toLocaleString("en")} events appended (version ${w.version}); append median ${ms(w.appendMedianMs)} ms, p99 ${ms(w.appendP99Ms)} ms`,
  );
  const results = read.map(
    (line) => JSON.parse(line) as { answers: Answer[]; refreshMedianMs: number },
  );
  const rows: string[] = [];
  results.forEach(({ answers, refreshMedianMs }, i) => {
    // The first seconds include each reader's start: count from its first answer on.
    const lat = answers.map((a) => a.ms).sort((a, b) => a - b);
    const versions = new Set(answers.map((a) => a.version));
    const line = `reader ${i}: ${answers.length} queries (${(answers.length / SECONDS).toFixed(1)}/s), latency median ${ms(quantile(lat, 0.5))} ms, p99 ${ms(quantile(lat, 0.99))} ms, refresh median ${ms(refreshMedianMs)} ms, ${versions.size} versions seen`;
    rows.push(line);
    log(line);
  });
  for (const kind of ["stateAt", "history"] as const) {
    const lat = results
      .flatMap((r) => r.answers.filter((a) => a.kind === kind).map((a) => a.ms))
      .sort((a, b) => a - b);
    log(
      `all readers, ${kind}: ${lat.length} queries, median ${ms(quantile(lat, 0.5))} ms, p99 ${ms(quantile(lat, 0.99))} ms`,
    );
  }
  // The check: one in-memory timeline, folded up to each version a reader answered at.
  const checks = results.flatMap((r) => r.answers).sort((a, b) => a.version - b.version);
  const memory = createTimeline();
  let folded = 0;
  let mismatches = 0;
  const batches = inOrder();
  for (const check of checks) {
    while (folded < check.version) {
      const batch = batches.next().value as RawEvent[];
      memory.appendAll(batch);
      folded += batch.length;
    }
    if (folded !== check.version) throw new Error(`version ${check.version} is not a batch's end`);
    const expected =
      check.kind === "history" ? memory.history(check.arg) : memory.stateAt(check.arg);
    if (digest(expected) !== check.digest) {
      mismatches++;
      if (mismatches <= 5) log(`MISMATCH: ${check.kind}(${check.arg}) at version ${check.version}`);
    }
  }
  log(
    `check: ${checks.length} answers at ${new Set(checks.map((c) => c.version)).size} versions compared with an in-memory timeline at each version: ${mismatches} differ`,
  );
  process.stdout.write(
    `${JSON.stringify({ readers: READERS, seconds: SECONDS, writer: w, checked: checks.length, mismatches })}\n`,
  );
  if (mismatches > 0) process.exitCode = 1;
}
