/**
 * 10^7 events in one process: `npm run bench:huge` (default 10^7; `-- --events N` for fewer).
 * The outside check's workload shape (bench/workload.ts: ids, numeric `at`, one source each,
 * 5% of the events appended late at the end, batches of 5,000, then `latest()`), generated a
 * chunk at a time (bench/generate.ts `conflictChunks`, each chunk its own slice of the ten
 * years). Reports the practical limit (zod + sort + mutable fold, as bench/baselines.ts
 * defines it) and the build against it, a query's median and p99 (`stateAt` + reading every
 * `control` entry) beside its floor and beside a mutable fold to the same instants, the first
 * query after the build, and the heap of the built timeline against the raw input objects.
 * Every figure is taken after its answers are checked equal to the fold's.
 *
 * Needs a large heap: run it as the script does (`--max-old-space-size=16000`) and, on a
 * shared machine, under `flock /tmp/bigmem.lock`. Not part of `npm test`.
 */
import { mutableFold, type Parsed, practicalLimit, validateAndSort } from "./baselines.js";
import { conflictChunks } from "./generate.js";
import { heap, mb, ms, quantile, random, time, x } from "./measure.js";
import { tidemark } from "./tidemark.js";
import {
  type NumericEvent,
  plainControlOf,
  queriesBesideFloors,
  readAll,
  same,
} from "./workload.js";

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error("run with node --expose-gc (npm run bench:huge does)");

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} takes a positive integer`);
  return value;
}

const n = option("events", 10_000_000);
const CHUNK = 100_000;
const BATCH = 5000;
const QUERIES = option("queries", 300);
const FOLDS = 5;

const log = (message: string) => process.stderr.write(`${new Date().toISOString()} ${message}\n`);

// The inputs: every chunk made, its times made numbers, 5% of the events (chosen at random)
// kept aside and appended after all the others, as the workload does.
log(`generating ${n.toLocaleString("en")} events`);
const h0 = heap();
const inputs: NumericEvent[] = [];
const late: NumericEvent[] = [];
const dice = random(11);
for (const chunk of conflictChunks({ events: n, chunk: CHUNK, late: 0 })) {
  for (const e of chunk) {
    const event = { ...e, at: Date.parse(e.at), recordedAt: Date.parse(e.recordedAt) };
    (dice() < 0.05 ? late : inputs).push(event as NumericEvent);
  }
}
for (const e of late) inputs.push(e);
late.length = 0;
const heapRaw = heap() - h0;
log(`raw events: ${mb(heapRaw)}`);

log("timing the practical limit");
const [limitState, limit] = time(() => practicalLimit(inputs));
const limitControl = plainControlOf(limitState.control);
heap();

log("building");
const h1 = heap();
const [timeline, build] = time(() => {
  const tl = tidemark.createTimeline();
  for (let i = 0; i < inputs.length; i += BATCH)
    tl.appendAll(inputs.slice(i, i + BATCH) as never[]);
  tl.latest();
  return tl;
});
const heapTimeline = heap() - h1;
log(`built in ${ms(build)} ms; timeline ${mb(heapTimeline)}`);
same(plainControlOf(timeline.latest().control), limitControl, "build vs limit");

let first = Number.POSITIVE_INFINITY;
let last = Number.NEGATIVE_INFINITY;
for (const e of inputs) {
  if (e.at < first) first = e.at;
  if (e.at > last) last = e.at;
}
const rand = random(7);
const instants = Array.from({ length: QUERIES }, () => first + Math.floor(rand() * (last - first)));

// The first query after the build is the first at an instant other than the end.
const firstQuery = time(() => readAll(timeline.stateAt(instants[0] as number).control))[1];

log("checking and timing queries");
let sorted: Parsed[] | undefined = validateAndSort(inputs);
inputs.length = 0;
const foldTimes: number[] = [];
for (const t of instants.slice(0, FOLDS)) {
  const [state, took] = time(() => mutableFold(sorted as Parsed[], t));
  foldTimes.push(took);
  same(plainControlOf(timeline.stateAt(t).control), plainControlOf(state.control), `stateAt(${t})`);
}
sorted = undefined;
heap();
const { queryTimes, floorTimes } = queriesBesideFloors(timeline, instants);
for (const list of [queryTimes, floorTimes, foldTimes]) list.sort((a, b) => a - b);
const queryMedian = quantile(queryTimes, 0.5);
const foldMedian = quantile(foldTimes, 0.5);

const rows: [string, string][] = [
  ["events", n.toLocaleString("en")],
  ["limit: zod-validate data + stable sort + mutable fold", `${ms(limit)} ms`],
  ["build: 5% late at the end, batches of 5,000, then latest()", `${ms(build)} ms`],
  ["  = x the limit (target <= 2.5x)", x(build / limit)],
  [
    "stateAt + reading every control entry: median / p99",
    `${ms(queryMedian)} / ${ms(quantile(queryTimes, 0.99))} ms`,
  ],
  [
    "floor (a plain record of the same entries filled and read): median",
    `${ms(quantile(floorTimes, 0.5))} ms`,
  ],
  ["query / floor, medians", x(queryMedian / quantile(floorTimes, 0.5))],
  [`mutable fold to the same instant: median of ${FOLDS}`, `${ms(foldMedian)} ms`],
  ["query median / fold median", `1/${(foldMedian / queryMedian).toFixed(0)}`],
  [
    "first query after the build",
    `${ms(firstQuery)} ms = ${(firstQuery / queryMedian).toFixed(1)} queries`,
  ],
  ["heap: raw input objects", mb(heapRaw)],
  [
    "heap: built timeline (target <= 1.5x raw)",
    `${mb(heapTimeline)} = ${x(heapTimeline / heapRaw)}`,
  ],
  ["process: max RSS", mb(process.resourceUsage().maxRSS * 1024)],
];
const width = Math.max(...rows.map(([label]) => label.length));
const valueWidth = Math.max(...rows.map(([, value]) => value.length));
console.log(`| ${"measure".padEnd(width)} | ${"figure".padEnd(valueWidth)} |`);
console.log(`| ${"-".repeat(width)} | ${"-".repeat(valueWidth)} |`);
for (const [label, value] of rows)
  console.log(`| ${label.padEnd(width)} | ${value.padEnd(valueWidth)} |`);
void timeline.size;
