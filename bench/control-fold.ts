/**
 * What control's fold costs on its own: `node --expose-gc --import tsx bench/control-fold.ts
 * [events]` takes the control events of the outside check's workload (bench/workload.ts, in
 * time order, one source each) and folds them place by place with the core's control rule,
 * keeping every value as a place's key log does, seven times; prints the median CPU time of
 * a fold (`process.cpuUsage`, collections included) and the heap the kept values hold, per
 * control event. Then the same with every event's `sources` emptied (no claims: the entries
 * alone), so that the difference is what the claims cost. Reads `src/` (the rule is internal).
 */
import type { TimelineEvent } from "../src/core/events.js";
import { controlRule } from "../src/core/slices.js";
import { createTimeline } from "../src/index.js";
import { heap } from "./measure.js";
import { numericEvents } from "./workload.js";

const n = Number(process.argv[2] ?? 200_000);
const timeline = createTimeline();
timeline.appendAll(numericEvents(n) as never[]);
const control = timeline
  .events()
  .filter((e) => e.type === "Captured" || e.type === "Withdrew" || e.type === "Held");

function fold(events: readonly TimelineEvent[]): unknown[] {
  const rule = controlRule(undefined);
  const last = new Map<string, unknown>();
  const kept: unknown[] = [];
  for (const event of events) {
    for (const key of rule.keys(event)) {
      const next = rule.step(last.get(key) as never, event);
      last.set(key, next);
      kept.push(next);
    }
  }
  return kept;
}

for (const withSources of [true, false]) {
  const events = withSources ? control : control.map((e) => ({ ...e, sources: [] }));
  const cpu: number[] = [];
  for (let run = 0; run < 7; run++) {
    const c0 = process.cpuUsage();
    fold(events);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  cpu.sort((a, b) => a - b);
  const h0 = heap();
  let kept: unknown[] | undefined = fold(events);
  const h1 = heap();
  const count = kept.length;
  kept = undefined;
  console.log(
    `${withSources ? "one source an event" : "no sources"}: ${events.length} control events, fold ${(cpu[3] as number).toFixed(0)} ms CPU (median of 7; ${(cpu[0] as number).toFixed(0)}–${(cpu[6] as number).toFixed(0)}), values ${((h1 - h0) / count).toFixed(0)} B a control event`,
  );
}
