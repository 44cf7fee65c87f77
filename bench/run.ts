/**
 * tidemark's benchmark: `npm run bench` (all sizes) or `npm run bench -- --quick` (10^4, 10^5);
 * `--workload` runs only the outside check's workload, `--runs N` runs it N times (default 3)
 * and prints the median and range of each figure; `--sizes 100000,1000000` picks the sizes.
 * Each size runs in this one process, checks that results are equal, then times them.
 */
import { isDeepStrictEqual } from "node:util";
import {
  mutableFold,
  naiveImmer,
  type Parsed,
  practicalLimit,
  type Slices,
  validateAndSort,
} from "./baselines.js";
import { generateConflict, type RawEvent, SOURCES } from "./generate.js";
import { hierarchyTable } from "./hierarchy.js";
import { heap, mb, ms, quantile, random, time, x } from "./measure.js";
import { tidemark } from "./tidemark.js";
import { workloadTable } from "./workload.js";

const { createTimeline } = tidemark;

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error("run with node --expose-gc (npm run bench does)");

const quick = process.argv.includes("--quick");
/** `--workload`: only the workload of the outside check (bench/workload.ts). */
const workloadOnly = process.argv.includes("--workload");
/** `--runs N`: how many times the workload runs at each size (default 3), for its spread. */
const runsArg = process.argv.indexOf("--runs");
const runs = runsArg === -1 ? 3 : Number(process.argv[runsArg + 1]);
if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs takes a positive whole number");
/** `--sizes 100000,1000000`: the sizes to run, instead of those of `--quick` or the default. */
const sizesArg = process.argv.indexOf("--sizes");
const sizes =
  sizesArg !== -1
    ? String(process.argv[sizesArg + 1])
        .split(",")
        .map(Number)
    : quick
      ? [10_000, 100_000]
      : [10_000, 100_000, 1_000_000];
if (!sizes.every((n) => Number.isInteger(n) && n > 0)) {
  throw new Error("--sizes takes whole numbers of events, separated by commas");
}
const BATCH = 10_000;
const QUERIES = 1000;
const FOLDS = 100;
const NAIVE_CAP = 10_000;

function builtins(state: Slices): Slices {
  return {
    control: { ...state.control },
    airstrikes: { ...state.airstrikes },
    arrests: { ...state.arrests },
  };
}

function same(a: Slices, b: Slices, what: string): void {
  if (!isDeepStrictEqual(builtins(a), builtins(b))) throw new Error(`results differ: ${what}`);
}

interface Row {
  n: number;
  build: number;
  limit: number;
  naive: number | undefined;
  naiveN: number;
  queryMedian: number;
  queryP99: number;
  foldMedian: number;
  foldP99: number;
  lateEnd: number;
  lateStart: number;
  heapTimeline: number;
  heapRaw: number;
  viewFirst: number;
  viewRepeat: number;
  viewFold: number;
}

function measure(n: number): Row {
  const h0 = heap();
  let raw: RawEvent[] | undefined = generateConflict({ events: n });
  const heapRaw = heap() - h0;

  const [timeline, build] = time(() => {
    const tl = createTimeline();
    for (let i = 0; i < n; i += BATCH) tl.appendAll((raw as RawEvent[]).slice(i, i + BATCH));
    tl.latest();
    return tl;
  });
  const [limitState, limit] = time(() => practicalLimit(raw as RawEvent[]));
  same(timeline.latest() as unknown as Slices, limitState, "build vs practical limit");

  const naiveN = Math.min(n, NAIVE_CAP);
  let naive: number | undefined;
  if (naiveN === n) {
    const [naiveState, ms] = time(() => naiveImmer(raw as RawEvent[]));
    same(timeline.latest() as unknown as Slices, naiveState, "build vs naive immer");
    naive = ms;
  }

  const sorted: Parsed[] = validateAndSort(raw);
  const first = (sorted[0] as Parsed).at;
  const last = (sorted[sorted.length - 1] as Parsed).at;
  const rand = random(7);
  const instants = Array.from(
    { length: QUERIES },
    () => first + Math.floor(rand() * (last - first)),
  );
  for (const t of instants.slice(0, FOLDS)) {
    same(timeline.stateAt(t) as unknown as Slices, mutableFold(sorted, t), `stateAt(${t})`);
  }
  const queryTimes = instants
    .map((t) => time(() => timeline.stateAt(t).control)[1])
    .sort((a, b) => a - b);
  const foldTimes = instants
    .slice(0, FOLDS)
    .map((t) => time(() => mutableFold(sorted, t))[1])
    .sort((a, b) => a - b);

  const queryMedian = quantile(queryTimes, 0.5);
  const lateEnd = time(() => {
    timeline.append({ type: "Captured", at: last - 3_600_000, data: { place: "p1", by: "a1" } });
    return timeline.stateAt(last).control;
  })[1];
  const lateStart = time(() => {
    timeline.append({ type: "Captured", at: first + 86_400_000, data: { place: "p2", by: "a2" } });
    return timeline.stateAt(last).control;
  })[1];

  // A view: what was known half-way through, from two of the sources.
  const asOf = first + Math.floor((last - first) / 2);
  const view = { asOf, sources: SOURCES.slice(0, 2) };
  const viewInstants = instants.filter((t) => t <= asOf).slice(0, 101);
  const viewFirst = time(() => timeline.stateAt(viewInstants[0] as number, view).control)[1];
  const viewRepeat = quantile(
    viewInstants
      .slice(1)
      .map((t) => time(() => timeline.stateAt(t, view).control)[1])
      .sort((a, b) => a - b),
    0.5,
  );
  const accepted = new Set(view.sources);
  const visible = (raw as RawEvent[])
    .filter((e) => Date.parse(e.recordedAt) <= asOf && e.sources.some((s) => accepted.has(s.name)))
    .map((e) => e.id);
  const visibleIds = new Set(visible);
  const visibleSorted = sorted.filter((e) => visibleIds.has(e.id));
  const viewFold = quantile(
    viewInstants
      .slice(1)
      .map((t) => time(() => mutableFold(visibleSorted, t))[1])
      .sort((a, b) => a - b),
    0.5,
  );
  same(
    timeline.stateAt(viewInstants[1] as number, view) as unknown as Slices,
    mutableFold(visibleSorted, viewInstants[1] as number),
    "view query",
  );

  raw = undefined;
  sorted.length = 0;
  visibleSorted.length = 0;
  const heapTimeline = heap() - h0;
  void timeline.size;

  return {
    n,
    build,
    limit,
    naive,
    naiveN,
    queryMedian,
    queryP99: quantile(queryTimes, 0.99),
    foldMedian: quantile(foldTimes, 0.5),
    foldP99: quantile(foldTimes, 0.99),
    lateEnd,
    lateStart,
    heapTimeline,
    heapRaw,
    viewFirst,
    viewRepeat,
    viewFold,
  };
}

if (!workloadOnly) {
  const rows: Row[] = [];
  for (const n of sizes) {
    rows.push(measure(n));
    console.error(`measured ${n.toLocaleString("en")} events`);
  }

  const lines: string[][] = [["measure", ...rows.map((r) => `${r.n.toLocaleString("en")} events`)]];
  const add = (label: string, f: (r: Row) => string) => lines.push([label, ...rows.map(f)]);
  add("build: tidemark (batches of 10,000, then latest())", (r) => `${ms(r.build)} ms`);
  add("build: practical limit (zod + sort + mutable fold)", (r) => `${ms(r.limit)} ms`);
  add("build: tidemark / practical limit (target <= 3x)", (r) => x(r.build / r.limit));
  add(
    `build: naive immer fold, one produce per event (run at <= ${NAIVE_CAP.toLocaleString("en")})`,
    (r) => (r.naive === undefined ? "not run" : `${ms(r.naive)} ms`),
  );
  add("build: naive immer / tidemark (target >= 20x)", (r) =>
    r.naive === undefined ? "-" : x(r.naive / r.build),
  );
  add("stateAt: median / p99", (r) => `${ms(r.queryMedian)} / ${ms(r.queryP99)} ms`);
  add(
    `mutable fold to the same instant: median / p99 (${FOLDS} instants)`,
    (r) => `${ms(r.foldMedian)} / ${ms(r.foldP99)} ms`,
  );
  add(
    "stateAt median / fold median (target <= 1/100)",
    (r) => `1/${(r.foldMedian / r.queryMedian).toFixed(0)}`,
  );
  add("stateAt p99 / fold p99 (target <= 1/20)", (r) => `1/${(r.foldP99 / r.queryP99).toFixed(0)}`);
  add(
    "late event near the end + query",
    (r) => `${ms(r.lateEnd)} ms = ${(r.lateEnd / r.queryMedian).toFixed(1)} queries`,
  );
  add(
    "late event near the start + query",
    (r) => `${ms(r.lateStart)} ms = ${(r.lateStart / r.queryMedian).toFixed(1)} queries`,
  );
  add("view (asOf, 2 sources): first query", (r) => `${ms(r.viewFirst)} ms`);
  add(
    "view: repeated query median / fold of visible events",
    (r) => `${ms(r.viewRepeat)} / ${ms(r.viewFold)} ms`,
  );
  add("heap: raw input objects", (r) => mb(r.heapRaw));
  add(
    "heap: built timeline after GC (target <= 2x raw)",
    (r) => `${mb(r.heapTimeline)} = ${x(r.heapTimeline / r.heapRaw)}`,
  );

  const widths =
    lines[0]?.map((_, i) => Math.max(...lines.map((l) => (l[i] as string).length))) ?? [];
  const row = (l: string[]) => `| ${l.map((c, i) => c.padEnd(widths[i] as number)).join(" | ")} |`;
  console.log(row(lines[0] as string[]));
  console.log(`| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`);
  for (const l of lines.slice(1)) console.log(row(l));
  console.log("");
}

// The outside check's workload: numeric times and ids, 5% late, random order, keyed
// reducers, the floor of a query, DuckDB (bench/workload.ts), run `runs` times.
console.log(await workloadTable(sizes, 100_000, runs));

// The same conflict with its places under regions: queries with a hierarchy (bench/hierarchy.ts).
if (!workloadOnly) {
  console.log("");
  console.log(hierarchyTable(sizes));
}
