/**
 * Where a state's records go, slice by slice: `node --expose-gc --import tsx
 * bench/record-parts.ts [events]`. On the outside check's workload (bench/workload.ts), 900
 * queries at random instants, each keyed slice's `KeyedIndex.record(t)` beside the entry
 * lookups alone (one binary search per key, as `record` makes them), in CPU time. It reads the
 * timeline's internals (the main view's keyed indexes), so it runs on the sources, not `dist/`.
 */
import { upperBoundNumbers } from "../src/core/search.js";
import { createTimeline } from "../src/index.js";
import { heap, random } from "./measure.js";
import { lateAtTheEnd, numericEvents } from "./workload.js";

/** What this script reads of a `KeyedIndex` (private there). */
interface KeyedInternals {
  record(t: number): Readonly<Record<string, unknown>>;
  /** Each key's log: its entries lie at `start..start + length` of the shared `blocks`. */
  order: readonly { start: number; length: number; values: readonly unknown[] }[];
  orderFirstAts: readonly number[];
  blocks: { ats: Float64Array };
}

const n = Number(process.argv[2] ?? 100_000);
const inputs = lateAtTheEnd(numericEvents(n));
const timeline = createTimeline();
for (let i = 0; i < inputs.length; i += 5000) {
  timeline.appendAll(inputs.slice(i, i + 5000) as never[]);
}
timeline.latest();
let first = Number.POSITIVE_INFINITY;
let last = Number.NEGATIVE_INFINITY;
for (const e of inputs) {
  first = Math.min(first, e.at);
  last = Math.max(last, e.at);
}
inputs.length = 0;
heap();
const keyed = (timeline as unknown as { stored: { main: { keyed: [string, KeyedInternals][] } } })
  .stored.main.keyed;
const rand = random(7);
const instants = Array.from({ length: 900 }, () => first + Math.floor(rand() * (last - first)));
const cpu = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};
for (const [name, index] of keyed) {
  let record = 0;
  let lookups = 0;
  let found = 0;
  for (const t of instants) {
    const c0 = cpu();
    index.record(t);
    const c1 = cpu();
    const count = upperBoundNumbers(index.orderFirstAts, t);
    const { ats } = index.blocks;
    for (let k = 0; k < count; k++) {
      const log = index.order[k] as KeyedInternals["order"][number];
      const { start } = log;
      const end = start + log.length - 1;
      const i = (ats[end] as number) <= t ? end : upperBoundNumbers(ats, t, start, end + 1) - 1;
      if (log.values[i - start] !== undefined) found++;
    }
    lookups += cpu() - c1;
    record += c1 - c0;
  }
  const per = (v: number) => `${(v / instants.length).toFixed(2)} ms`;
  console.log(`${name}: record ${per(record)} CPU, of which lookups ${per(lookups)} (${found})`);
}
