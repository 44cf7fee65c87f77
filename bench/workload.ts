/**
 * Issue 12's workload: the benchmark's conflict with ids (`e0`...), numeric `at`, one source
 * each; 5% of the events appended late at the end; batches of 5,000; then `latest()`. Also
 * the same events sorted and in random order (batches of 10,000), a user's keyed and plain
 * reducers reimplementing `control`, the first query after a build, late events near the
 * start, middle and end, and DuckDB answering "controller of every place at t" in SQL.
 * Every figure is taken only after its results are checked equal. Run by bench/run.ts.
 */
import { isDeepStrictEqual } from "node:util";
import { mutableFold, type Parsed, practicalLimit } from "./baselines.js";
import { BEST, QUERIES as DUCK_QUERIES, type DuckControl, duckdbControl } from "./duckdb.js";
import { generateConflict, type RawEvent } from "./generate.js";
import { heap, mb, ms as msOf, quantile, random, time, x } from "./measure.js";
import { tidemark } from "./tidemark.js";

const { createTimeline, defineReducer } = tidemark;

const QUERIES = 300;
const FOLDS = 50;

/** An event as the issue's workload appends it: numeric times. */
export type NumericEvent = Omit<RawEvent, "at" | "recordedAt"> & { at: number; recordedAt: number };

/** The conflict in time order, with numeric times. */
export function numericEvents(n: number): NumericEvent[] {
  return generateConflict({ events: n, late: 0 }).map(
    (e) => ({ ...e, at: Date.parse(e.at), recordedAt: Date.parse(e.recordedAt) }) as NumericEvent,
  );
}

/** 5% of the events (chosen at random) moved to the end, in their own order. */
export function lateAtTheEnd(events: readonly NumericEvent[]): NumericEvent[] {
  const rand = random(11);
  const onTime: NumericEvent[] = [];
  const late: NumericEvent[] = [];
  for (const e of events) (rand() < 0.05 ? late : onTime).push(e);
  return [...onTime, ...late];
}

/**
 * The events in a random order, each a fresh object made in that order, as a feed parsed
 * from a file in that order is (shuffling references instead would leave every input where
 * the sorted run made it, and time the memory's cache misses rather than the build).
 */
function shuffled<T>(items: readonly T[]): T[] {
  const rand = random(5);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out.map((item) => structuredClone(item));
}

type ControlRecord = Readonly<
  Record<string, { controller: string | null; since: number; eventId: string }>
>;

/**
 * `control` as a user writes it with a keyed reducer: `Captured` sets the controller (a
 * capture by the holder confirms it and changes nothing, so `since` is when the holding
 * began), a `Withdrew` by the controller hands the place to `handedTo` or to nobody.
 */
const keyedControl = defineReducer({
  keyBy: { Captured: (e) => e.data.place, Withdrew: (e) => e.data.place },
  initial: { controller: null as string | null, since: 0, eventId: "" },
  on: {
    Captured(entry, e) {
      if (entry.eventId !== "" && entry.controller === e.data.by) return;
      entry.controller = e.data.by;
      entry.since = e.at;
      entry.eventId = e.id;
    },
    Withdrew(entry, e) {
      // A withdrawal by someone else, or a hand-over to the holder itself, changes nothing.
      if (entry.eventId === "" || entry.controller !== e.data.actor) return;
      if (e.data.handedTo === e.data.actor) return;
      entry.controller = e.data.handedTo ?? null;
      entry.since = e.at;
      entry.eventId = e.id;
    },
  },
});

/** The same as a plain reducer over one record of places, as the README showed before. */
const plainControl = defineReducer({
  initial: {} as Record<string, { controller: string | null; since: number; eventId: string }>,
  on: {
    Captured(draft, e) {
      if (draft[e.data.place]?.controller === e.data.by) return;
      draft[e.data.place] = { controller: e.data.by, since: e.at, eventId: e.id };
    },
    Withdrew(draft, e) {
      const current = draft[e.data.place];
      if (current === undefined || current.controller !== e.data.actor) return;
      if (e.data.handedTo === e.data.actor) return;
      draft[e.data.place] = { controller: e.data.handedTo ?? null, since: e.at, eventId: e.id };
    },
  },
});

type AnyTimeline = ReturnType<typeof createTimeline>;

/** A timeline of `inputs` appended in batches of `batch`, then `latest()`; and its milliseconds. */
export function build(
  inputs: readonly NumericEvent[],
  batch: number,
  reducers: Record<string, unknown> = {},
): [AnyTimeline, number] {
  return time(() => {
    const tl = createTimeline({ reducers: reducers as never });
    for (let i = 0; i < inputs.length; i += batch)
      tl.appendAll(inputs.slice(i, i + batch) as never[]);
    tl.latest();
    return tl;
  });
}

/** The events as the baselines read them (one source name each), in timeline order. */
export function parsedInOrder(events: readonly NumericEvent[]): Parsed[] {
  return events
    .map((e) => ({ id: e.id, type: e.type, at: e.at, data: e.data, source: e.sources[0]?.name }))
    .sort((a, b) => a.at - b.at);
}

/** `count` instants drawn at random (seeded) between the first and the last event's `at`. */
export function randomInstants(sorted: readonly Parsed[], count: number): number[] {
  const first = (sorted[0] as Parsed).at;
  const last = (sorted[sorted.length - 1] as Parsed).at;
  const rand = random(7);
  return Array.from({ length: count }, () => first + Math.floor(rand() * (last - first)));
}

/** The control entries without their precision, as the baselines and SQL give them. */
export function plainControlOf(record: ControlRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [place, { controller, since, eventId }] of Object.entries(record)) {
    out[place] = { controller, since, eventId };
  }
  return out;
}

export function same(a: unknown, b: unknown, what: string): void {
  if (!isDeepStrictEqual(a, b)) throw new Error(`results differ: ${what}`);
}

/** A plain record filled with the entries given, key by key: the floor of a whole-slice query. */
function fillRecord(
  entries: readonly (readonly [string, { controller: string | null }])[],
): Record<string, { controller: string | null }> {
  const record: Record<string, { controller: string | null }> = {};
  for (const [place, entry] of entries) record[place] = entry;
  return record;
}

/** Reads every entry of a record (what "stateAt + reading every entry" times). */
export function readAll(record: Readonly<Record<string, { controller: string | null }>>): number {
  let held = 0;
  for (const place in record) if (record[place]?.controller !== null) held++;
  return held;
}

/**
 * Each query (`stateAt(t)` and reading every `control` entry) beside its floor: filling and
 * reading a plain record of the same entries, in the same order, made just after it (so both
 * run on the same heap, in the same run). Times in ms, in the order of `instants`.
 */
export function queriesBesideFloors(
  timeline: { stateAt(t: number): { readonly control: ControlRecord } },
  instants: readonly number[],
): { queryTimes: number[]; floorTimes: number[] } {
  const queryTimes: number[] = [];
  const floorTimes: number[] = [];
  for (const t of instants) {
    let control: ControlRecord = {};
    queryTimes.push(
      time(() => {
        control = timeline.stateAt(t).control;
        return readAll(control);
      })[1],
    );
    const entries = Object.entries(control);
    floorTimes.push(time(() => readAll(fillRecord(entries)))[1]);
  }
  return { queryTimes, floorTimes };
}

export interface WorkloadRow {
  n: number;
  limit: number;
  issueBuild: number;
  sortedBuild: number;
  randomBuild: number;
  keyedBuild: number;
  plainBuild: number | undefined;
  firstQuery: number;
  queryMedian: number;
  queryP99: number;
  floorMedian: number;
  floorP99: number;
  keyedQueryMedian: number;
  foldMedian: number;
  foldP99: number;
  late: { start: number; middle: number; end: number };
  heapRaw: number;
  heapTimeline: number;
  duck: DuckControl;
}

/** Runs the workload at `n` events; the plain immer reducer only up to `plainCap`. */
export async function measureWorkload(n: number, plainCap: number): Promise<WorkloadRow> {
  const h0 = heap();
  let sortedInputs = numericEvents(n);
  let issueInputs = lateAtTheEnd(sortedInputs);
  const heapRaw = heap() - h0;
  // The limit first, from the heap the build below starts from: timed after the build, with
  // the timeline alive, the collector's work slows it, and every ratio to it looks better
  // than in a process of its own.
  const [limitState, limit] = time(() => practicalLimit(issueInputs));
  const h1 = heap();
  let [issue, issueBuild] = build(issueInputs, 5000);
  const heapTimeline = heap() - h1;

  same(
    plainControlOf(issue.latest().control),
    plainControlOf(limitState.control),
    "issue build vs limit",
  );
  let sorted: Parsed[] = parsedInOrder(sortedInputs);
  const instants = randomInstants(sorted, QUERIES);
  const first = (sorted[0] as Parsed).at;
  const last = (sorted[sorted.length - 1] as Parsed).at;

  // First query after a build, on a fresh build of the same shape, dropped once timed: the
  // queries below would otherwise run beside a second timeline the collector must walk.
  let [fresh] = build(issueInputs, 5000);
  const firstQuery = time(() => readAll(fresh.stateAt(instants[0] as number).control))[1];
  fresh = undefined as never;
  heap();

  for (const t of instants.slice(0, FOLDS)) {
    same(
      plainControlOf(issue.stateAt(t).control),
      plainControlOf(mutableFold(sorted, t).control),
      `stateAt(${t})`,
    );
  }
  // Each query beside its floor: filling and reading a plain record of the same entries, in
  // the same order, made just after it (so both run on the same heap, in the same run).
  const { queryTimes, floorTimes } = queriesBesideFloors(issue, instants);
  queryTimes.sort((a, b) => a - b);
  floorTimes.sort((a, b) => a - b);
  const foldTimes = instants
    .slice(0, FOLDS)
    .map((t) => time(() => mutableFold(sorted, t))[1])
    .sort((a, b) => a - b);
  const queryMedian = quantile(queryTimes, 0.5);

  // DuckDB is checked against the issue's timeline before the late events below change it,
  // and timed beside its query at each instant.
  const duck = await duckdbControl(
    sorted,
    instants.slice(0, 100),
    (t) => plainControlOf(issue.stateAt(t).control),
    (t) => readAll(issue.stateAt(t).control),
  );

  // Late events near the start, middle and end, each followed by a query at the end.
  const lateAt = (fraction: number, i: number) =>
    time(() => {
      issue.append({
        id: `late-${i}`,
        type: "Captured",
        at: first + Math.floor((last - first) * fraction),
        recordedAt: last,
        sources: [{ name: "SOHR" }],
        data: { place: `p${i}`, by: "a1" },
      });
      return readAll(issue.stateAt(last).control);
    })[1];
  const late = { start: lateAt(0.01, 1), middle: lateAt(0.5, 2), end: lateAt(0.99, 3) };

  // Each build below is timed with only its inputs alive, as the first was: a timeline or a
  // copy of the events kept from an earlier row would make the collector's work, and so the
  // row, depend on the table's order.
  issue = undefined as never;
  sorted = undefined as never;
  heap();
  /** A build's time, once its control is checked against the limit's; the timeline is dropped. */
  const checkedBuild = (inputs: readonly NumericEvent[], what: string): number => {
    const [timeline, ms] = build(inputs, 10_000);
    same(plainControlOf(timeline.latest().control), plainControlOf(limitState.control), what);
    return ms;
  };
  const sortedBuild = checkedBuild(sortedInputs, "sorted build");
  heap();
  const keyed = (() => {
    const [keyedTl, keyedBuild] = build(issueInputs, 5000, { keyedControl });
    const keyedAt = (t: number) =>
      (keyedTl.stateAt(t) as unknown as { keyedControl: ControlRecord }).keyedControl;
    for (const t of instants.slice(0, 20)) {
      same(plainControlOf(keyedAt(t)), plainControlOf(keyedTl.stateAt(t).control), "keyed reducer");
    }
    const keyedQueryMedian = quantile(
      instants.map((t) => time(() => readAll(keyedAt(t)))[1]).sort((a, b) => a - b),
      0.5,
    );
    return { keyedBuild, keyedQueryMedian };
  })();
  heap();

  let plainBuild: number | undefined;
  if (n <= plainCap) {
    const [plainTl, ms] = build(issueInputs, 5000, { plainControl });
    const latest = plainTl.latest() as unknown as { plainControl: ControlRecord };
    same({ ...latest.plainControl }, plainControlOf(plainTl.latest().control), "plain reducer");
    plainBuild = ms;
  }

  // Last, with the random-order copy as the only inputs alive, as the sorted build had its own.
  const randomInputs = shuffled(sortedInputs);
  sortedInputs = issueInputs = undefined as never;
  heap();
  const randomBuild = checkedBuild(randomInputs, "random-order build");

  return {
    n,
    limit,
    issueBuild,
    sortedBuild,
    randomBuild,
    keyedBuild: keyed.keyedBuild,
    plainBuild,
    firstQuery,
    queryMedian,
    queryP99: quantile(queryTimes, 0.99),
    floorMedian: quantile(floorTimes, 0.5),
    floorP99: quantile(floorTimes, 0.99),
    keyedQueryMedian: keyed.keyedQueryMedian,
    foldMedian: quantile(foldTimes, 0.5),
    foldP99: quantile(foldTimes, 0.99),
    late,
    heapRaw,
    heapTimeline,
    duck,
  };
}

const ms = (v: number) => msOf(v, 2);

/** One figure of the table: how to read it from a run, and how to print it. */
interface Figure {
  readonly label: string;
  readonly value: (r: WorkloadRow) => number | undefined;
  readonly print: (v: number) => string;
}

const msFigure = (label: string, value: (r: WorkloadRow) => number | undefined): Figure => ({
  label,
  value,
  print: (v) => `${ms(v)} ms`,
});
const ratio = (label: string, value: (r: WorkloadRow) => number | undefined): Figure => ({
  label,
  value,
  print: x,
});
const inQueries = (label: string, value: (r: WorkloadRow) => number): Figure => ({
  label,
  value: (r) => value(r) / r.queryMedian,
  print: (v) => `${v.toFixed(1)} queries`,
});
const fraction = (label: string, value: (r: WorkloadRow) => number): Figure => ({
  label,
  value,
  print: (v) => `1/${v.toFixed(0)}`,
});

const FIGURES = (plainCap: number): Figure[] => [
  msFigure("limit: zod-validate data + stable sort + mutable fold", (r) => r.limit),
  msFigure("build: 5% late at the end, batches of 5,000, then latest()", (r) => r.issueBuild),
  ratio("  = x the limit (target <= 2.5x)", (r) => r.issueBuild / r.limit),
  msFigure("build: sorted, batches of 10,000", (r) => r.sortedBuild),
  ratio("  = x the limit", (r) => r.sortedBuild / r.limit),
  msFigure("build: random order, batches of 10,000", (r) => r.randomBuild),
  ratio("  = x the limit (target <= 3x)", (r) => r.randomBuild / r.limit),
  ratio("  = x the sorted build (target <= 1.5x)", (r) => r.randomBuild / r.sortedBuild),
  ratio(
    "build with a keyed reducer reimplementing control, x without (target <= 2x)",
    (r) => r.keyedBuild / r.issueBuild,
  ),
  ratio(
    `build with a plain defineReducer reimplementing control, x without (run at <= ${plainCap.toLocaleString("en")})`,
    (r) => (r.plainBuild === undefined ? undefined : r.plainBuild / r.issueBuild),
  ),
  msFigure("stateAt + reading every control entry: median", (r) => r.queryMedian),
  msFigure(
    "floor: filling + reading a plain record of the same entries: median",
    (r) => r.floorMedian,
  ),
  ratio("query / floor, medians (target <= 2x)", (r) => r.queryMedian / r.floorMedian),
  msFigure("stateAt + reading every control entry: p99", (r) => r.queryP99),
  msFigure("floor: p99", (r) => r.floorP99),
  msFigure("mutable fold to the same instant: median", (r) => r.foldMedian),
  msFigure("mutable fold to the same instant: p99", (r) => r.foldP99),
  fraction("query / fold, medians (target <= 1/100)", (r) => r.foldMedian / r.queryMedian),
  fraction("query / fold, p99s (target <= 1/20)", (r) => r.foldP99 / r.queryP99),
  ratio(
    "keyed reducer: stateAt + reading every entry, median, x control (target <= 2x)",
    (r) => r.keyedQueryMedian / r.queryMedian,
  ),
  msFigure("first query after a build", (r) => r.firstQuery),
  inQueries("  = median queries (target <= 10)", (r) => r.firstQuery),
  inQueries("late event near the start + query at the end (target <= 50)", (r) => r.late.start),
  inQueries("late event in the middle + query at the end", (r) => r.late.middle),
  inQueries("late event near the end + query at the end", (r) => r.late.end),
  msFigure(
    "DuckDB in memory: load (fold to changes of control + appender + SQL setup)",
    (r) => r.duck.load,
  ),
  msFigure(`DuckDB: ${DUCK_QUERIES[BEST.query].label}, median`, (r) => r.duck.queryMedian),
  msFigure("DuckDB: the same, p99", (r) => r.duck.queryP99),
  ratio("DuckDB median / tidemark median", (r) => r.duck.queryMedian / r.queryMedian),
  ratio(
    "DuckDB / tidemark at the same instant, one loop, median (target >= 10x)",
    (r) => r.duck.ratioMedian,
  ),
  {
    label: "heap: raw input objects",
    value: (r) => r.heapRaw,
    print: mb,
  },
  ratio("heap: built timeline, x raw (target <= 2x)", (r) => r.heapTimeline / r.heapRaw),
];

/** The median of the runs' values, with their spread when there are several. */
function spread(values: readonly (number | undefined)[], print: (v: number) => string): string {
  const known = values.filter((v): v is number => v !== undefined).sort((a, b) => a - b);
  if (known.length === 0) return "not run";
  const median = quantile(known, 0.5);
  if (known.length === 1) return print(median);
  return `${print(median)} (${print(known[0] as number)} – ${print(known[known.length - 1] as number)})`;
}

/**
 * Measures every size `runs` times (each run in turn at every size, so that a slow spell of
 * the machine spreads over sizes), then prints each figure as the median of the runs and
 * their range.
 */
export async function workloadTable(
  sizes: readonly number[],
  plainCap: number,
  runs = 1,
): Promise<string> {
  const rows: WorkloadRow[][] = sizes.map(() => []);
  for (let run = 0; run < runs; run++) {
    for (const [i, n] of sizes.entries()) {
      rows[i]?.push(await measureWorkload(n, plainCap));
      console.error(`measured the workload at ${n.toLocaleString("en")} events (run ${run + 1})`);
    }
  }
  const lines: string[][] = [
    [
      `workload: ids, numeric at, one source each; ${runs === 1 ? "one run" : `median (range) of ${runs} runs`}`,
      ...sizes.map((n) => `${n.toLocaleString("en")} events`),
    ],
  ];
  for (const figure of FIGURES(plainCap)) {
    lines.push([
      figure.label,
      ...rows.map((runsOfSize) => spread(runsOfSize.map(figure.value), figure.print)),
    ]);
  }
  const widths =
    lines[0]?.map((_, i) => Math.max(...lines.map((l) => (l[i] as string).length))) ?? [];
  const row = (l: string[]) => `| ${l.map((c, i) => c.padEnd(widths[i] as number)).join(" | ")} |`;
  return [
    row(lines[0] as string[]),
    `| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`,
    ...lines.slice(1).map(row),
  ].join("\n");
}
