/**
 * CPU time of `stateAt` + reading every `control` entry against its floor (filling and reading
 * a plain record of the same entries), on the outside check's workload:
 * `node --expose-gc --import tsx bench/query-cpu.ts [events] [queries]`. CPU time
 * (`process.cpuUsage`, every thread of the process) rather than wall time, so that a loaded
 * machine's waits for a core do not count.
 */
import { heap, random } from "./measure.js";
import { tidemark } from "./tidemark.js";
import { lateAtTheEnd, numericEvents } from "./workload.js";

const n = Number(process.argv[2] ?? 100_000);
const queries = Number(process.argv[3] ?? 900);
const inputs = lateAtTheEnd(numericEvents(n));
const tl = tidemark.createTimeline();
for (let i = 0; i < inputs.length; i += 5000) tl.appendAll(inputs.slice(i, i + 5000) as never[]);
tl.latest();
let first = Number.POSITIVE_INFINITY;
let last = Number.NEGATIVE_INFINITY;
for (const e of inputs) {
  if (e.at < first) first = e.at;
  if (e.at > last) last = e.at;
}
inputs.length = 0;
heap();
type Entry = { controller: string | null };
function readAll(record: Readonly<Record<string, Entry>>): number {
  let held = 0;
  for (const place in record) if (record[place]?.controller !== null) held++;
  return held;
}
function fill(entries: readonly (readonly [string, Entry])[]): Record<string, Entry> {
  const record: Record<string, Entry> = {};
  for (const [place, entry] of entries) record[place] = entry;
  return record;
}
const rand = random(7);
const instants = Array.from({ length: queries }, () => first + Math.floor(rand() * (last - first)));
const cpu = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};
let q = 0;
let f = 0;
let sink = 0;
for (const t of instants) {
  const c0 = cpu();
  const control = tl.stateAt(t).control as Readonly<Record<string, Entry>>;
  sink += readAll(control);
  const c1 = cpu();
  const entries = Object.entries(control);
  const c2 = cpu();
  sink += readAll(fill(entries));
  const c3 = cpu();
  q += c1 - c0;
  f += c3 - c2;
}
console.log(
  `${n} events, ${queries} queries: query ${(q / queries).toFixed(2)} ms CPU, floor ${(f / queries).toFixed(2)} ms CPU, ratio ${(q / f).toFixed(2)}x (${sink})`,
);
