/**
 * What control's claims cost a build: `node --expose-gc --import tsx bench/claims-cost.ts
 * [events]` builds the outside check's workload (bench/workload.ts: 5% late at the end,
 * batches of 5,000, then `latest()`) twice, once as generated (one source an event) and once
 * with every event's `sources` emptied (no event then makes a claim, so control folds no
 * claims), and prints each build's CPU time (`process.cpuUsage`) and the timeline's heap
 * after GC, per event. Measures the built `dist/` (`npx tsup` first).
 */
import { heap } from "./measure.js";
import { tidemark } from "./tidemark.js";
import { lateAtTheEnd, numericEvents } from "./workload.js";

const n = Number(process.argv[2] ?? 200_000);
for (const withSources of [true, false]) {
  const inputs = lateAtTheEnd(numericEvents(n)).map((e) =>
    withSources ? e : { ...e, sources: [] },
  );
  const h0 = heap();
  const c0 = process.cpuUsage();
  let timeline: ReturnType<typeof tidemark.createTimeline> | undefined = tidemark.createTimeline();
  for (let i = 0; i < inputs.length; i += 5000) {
    timeline.appendAll(inputs.slice(i, i + 5000) as never[]);
  }
  timeline.latest();
  const cpu = process.cpuUsage(c0);
  const bytes = heap() - h0;
  console.log(
    `${withSources ? "one source an event" : "no sources"}: build ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU, timeline ${(bytes / 1048576).toFixed(0)} MB = ${(bytes / n).toFixed(0)} B an event`,
  );
  timeline = undefined;
}
