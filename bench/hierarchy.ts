/**
 * The benchmark's conflict with a hierarchy: its 5,000 places under 50 regions, and 2% of the
 * Captured and Withdrew events naming a region (so each of those reaches about 100 places).
 * Checks tidemark's control, history, diff and claims against folds from scratch that expand
 * descendants, then times them. Run by bench/run.ts after the main table.
 */
import { isDeepStrictEqual } from "node:util";
import { type Parsed, validateAndSort } from "./baselines.js";
import { generateConflict, type RawEvent, regionRegistry } from "./generate.js";
import { ms, quantile, random, time, x } from "./measure.js";
import { tidemark } from "./tidemark.js";

const { createTimeline } = tidemark;

const PLACES = 5000;
const REGIONS = 50;
const BATCH = 10_000;
const QUERIES = 1000;
const FOLDS = 100;

type Control = Record<string, { controller: string | null; since: number; eventId: string }>;

interface Row {
  n: number;
  regionEvents: number;
  build: number;
  limit: number;
  queryMedian: number;
  queryP99: number;
  foldMedian: number;
  foldP99: number;
  history: number;
  diff: number;
  claims: number;
  contested: number;
}

const median = (values: number[]) =>
  values.sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const children = (() => {
  const map = new Map<string, string[]>();
  for (const [id, entry] of Object.entries(regionRegistry(PLACES, REGIONS))) {
    if (entry.parent !== undefined) map.set(entry.parent, [...(map.get(entry.parent) ?? []), id]);
  }
  return map;
})();

/** A place and its descendants, depth first (regions hold places; places hold nothing). */
function reach(place: string): string[] {
  const out = [place];
  for (const child of children.get(place) ?? []) out.push(...reach(child));
  return out;
}

/** The control slice at `t`, folded from scratch with descendants expanded (mutable). */
function controlFold(sorted: readonly Parsed[], t = Number.POSITIVE_INFINITY): Control {
  const control: Control = {};
  for (const e of sorted) {
    if (e.at > t) break;
    if (e.type === "Captured") {
      const { place, by } = e.data as { place: string; by: string };
      for (const p of reach(place)) control[p] = { controller: by, since: e.at, eventId: e.id };
    } else if (e.type === "Withdrew") {
      const d = e.data as { place: string; actor: string; handedTo?: string };
      for (const p of reach(d.place)) {
        if (control[p]?.controller === d.actor) {
          control[p] = { controller: d.handedTo ?? null, since: e.at, eventId: e.id };
        }
      }
    }
  }
  return control;
}

/** The history of one place, from scratch: its own and its region's control events. */
function historyFold(sorted: readonly Parsed[], place: string, parent: string | undefined) {
  const out: { controller: string | null; from: number; to: number | null; eventId: string }[] = [];
  let value: string | null | undefined;
  for (const e of sorted) {
    if (e.type !== "Captured" && e.type !== "Withdrew") continue;
    const target = (e.data as { place: string }).place;
    if (target !== place && target !== parent) continue;
    let next = value;
    if (e.type === "Captured") next = (e.data as { by: string }).by;
    else if (value !== undefined && value === (e.data as { actor: string }).actor) {
      next = (e.data as { handedTo?: string }).handedTo ?? null;
    }
    if (next === value || next === undefined) continue;
    const last = out[out.length - 1];
    if (last !== undefined) last.to = e.at;
    out.push({ controller: next, from: e.at, to: null, eventId: e.id });
    value = next;
  }
  return out;
}

function controllers(control: Readonly<Control>): Record<string, string | null> {
  return Object.fromEntries(Object.entries(control).map(([k, v]) => [k, v.controller]));
}

function measure(n: number): Row {
  const raw: RawEvent[] = generateConflict({ events: n, regions: REGIONS });
  const places = regionRegistry(PLACES, REGIONS);
  const regionEvents = raw.filter((e) => "place" in e.data && e.data.place.startsWith("r")).length;

  const [timeline, build] = time(() => {
    const tl = createTimeline({ places });
    for (let i = 0; i < n; i += BATCH) tl.appendAll(raw.slice(i, i + BATCH));
    tl.latest();
    return tl;
  });
  const [limitControl, limit] = time(() => controlFold(validateAndSort(raw)));
  if (!isDeepStrictEqual(controllers(timeline.latest().control), controllers(limitControl)))
    throw new Error("hierarchy: latest() differs from the fold");

  const sorted = validateAndSort(raw);
  const first = (sorted[0] as Parsed).at;
  const last = (sorted[sorted.length - 1] as Parsed).at;
  const rand = random(11);
  const instant = () => first + Math.floor(rand() * (last - first));
  const placeId = () =>
    rand() < 0.1 ? `r${Math.floor(rand() * REGIONS)}` : `p${Math.floor(rand() * PLACES)}`;
  const instants = Array.from({ length: QUERIES }, instant);

  for (const t of instants.slice(0, 20)) {
    const control = timeline.stateAt(t).control;
    const expected = controlFold(sorted, t);
    if (!isDeepStrictEqual(Object.keys(control), Object.keys(expected)))
      throw new Error(`hierarchy: key order differs at ${t}`);
    if (!isDeepStrictEqual(controllers(control), controllers(expected)))
      throw new Error(`hierarchy: stateAt(${t}) differs from the fold`);
  }
  for (let i = 0; i < 20; i++) {
    const place = `p${Math.floor(rand() * PLACES)}`;
    // The fold's intervals carry no precision (the generator's times are all to the millisecond).
    const got = timeline
      .history(place)
      .map(({ controller, from, to, eventId }) => ({ controller, from, to, eventId }));
    if (!isDeepStrictEqual(got, historyFold(sorted, place, places[place]?.parent)))
      throw new Error(`hierarchy: history(${place}) differs from the fold`);
  }
  for (let i = 0; i < 10; i++) {
    const [a, b] = [instant(), instant()];
    const before = controlFold(sorted, a);
    const after = controlFold(sorted, b);
    const expected = Object.keys(controlFold(sorted, Math.max(a, b)))
      .map((place) => ({
        place,
        before: before[place]?.controller,
        after: after[place]?.controller,
      }))
      .filter((d) => d.before !== d.after);
    const got = timeline.diff(a, b).map((d) => ({ ...d }));
    if (!isDeepStrictEqual(got, expected)) throw new Error(`hierarchy: diff(${a}, ${b}) differs`);
  }

  const queryTimes = instants
    .map((t) => time(() => timeline.stateAt(t).control)[1])
    .sort((a, b) => a - b);
  const foldTimes = instants
    .slice(0, FOLDS)
    .map((t) => time(() => controlFold(sorted, t))[1])
    .sort((a, b) => a - b);
  const history = median(
    Array.from({ length: 200 }, () => time(() => timeline.history(placeId()))[1]),
  );
  const diff = median(
    Array.from({ length: 200 }, () => time(() => timeline.diff(instant(), instant()))[1]),
  );
  // claims: the first query builds one view per source; the median is of later queries.
  timeline.claims("p1", last);
  const claims = median(
    Array.from({ length: 200 }, () => time(() => timeline.claims(placeId(), instant()))[1]),
  );
  const contested = median(
    Array.from({ length: 5 }, () => time(() => timeline.contested(instant()))[1]),
  );

  return {
    n,
    regionEvents,
    build,
    limit,
    queryMedian: quantile(queryTimes, 0.5),
    queryP99: quantile(queryTimes, 0.99),
    foldMedian: quantile(foldTimes, 0.5),
    foldP99: quantile(foldTimes, 0.99),
    history,
    diff,
    claims,
    contested,
  };
}

/** The table of the hierarchy benchmark, as markdown rows, for the sizes given. */
export function hierarchyTable(sizes: readonly number[]): string {
  const rows: Row[] = [];
  for (const n of sizes) {
    rows.push(measure(n));
    console.error(`measured ${n.toLocaleString("en")} events with regions`);
  }
  const lines: string[][] = [
    [
      `hierarchy: ${PLACES.toLocaleString("en")} places under ${REGIONS} regions`,
      ...rows.map((r) => `${r.n.toLocaleString("en")} events`),
    ],
  ];
  const add = (label: string, f: (r: Row) => string) => lines.push([label, ...rows.map(f)]);
  add("control events naming a region (each reaches ~100 places)", (r) =>
    r.regionEvents.toLocaleString("en"),
  );
  add(
    "build: tidemark with the registry (batches of 10,000, then latest())",
    (r) => `${ms(r.build)} ms`,
  );
  add(
    "build: practical limit (zod + sort + mutable fold expanding regions)",
    (r) => `${ms(r.limit)} ms`,
  );
  add("build: tidemark / practical limit", (r) => x(r.build / r.limit));
  add("stateAt(t).control: median / p99", (r) => `${ms(r.queryMedian)} / ${ms(r.queryP99)} ms`);
  add(
    `mutable fold to the same instant: median / p99 (${FOLDS} instants)`,
    (r) => `${ms(r.foldMedian)} / ${ms(r.foldP99)} ms`,
  );
  add("stateAt median / fold median", (r) => `1/${(r.foldMedian / r.queryMedian).toFixed(0)}`);
  add("history(place or region): median", (r) => `${ms(r.history)} ms`);
  add("diff(a, b): median", (r) => `${ms(r.diff)} ms`);
  add("claims(place, t): median (after the first)", (r) => `${ms(r.claims)} ms`);
  add("contested(t): median", (r) => `${ms(r.contested)} ms`);
  const widths =
    lines[0]?.map((_, i) => Math.max(...lines.map((l) => (l[i] as string).length))) ?? [];
  const row = (l: string[]) => `| ${l.map((c, i) => c.padEnd(widths[i] as number)).join(" | ")} |`;
  return [
    row(lines[0] as string[]),
    `| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`,
    ...lines.slice(1).map(row),
  ].join("\n");
}
