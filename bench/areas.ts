/**
 * controlAreas on the 62 districts of Syria (OCHA, Syria COD-AB, simplified; the viewer's copy)
 * split among five sides: what a map pays on each move of a time slider. Each call gets a new
 * split (a fixed pseudo-random sequence), so no answer is reused; the places object stays the
 * same, as in a map, so the topology is built once ("cold" is that first call, timed on fresh
 * copies of the registry). Run: `npm run bench:areas`.
 */
import { readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { controlAreas } from "../src/formats/areas.js";
import type { AreaGeometry, ControlEntry, Registry } from "../src/index.js";

const WARM = 2000;
const COLD = 20;
const SIDES = ["isis", "kurds", "rebels", "regime", null] as const;

const file = new URL("../examples/viewer/data/admin2-districts.geojson", import.meta.url);
const collection = JSON.parse(readFileSync(file, "utf8")) as {
  features: { properties: { pcode: string; name: string }; geometry: AreaGeometry }[];
};
const registry = (): Registry =>
  Object.fromEntries(
    collection.features.map((f) => [
      f.properties.pcode,
      { name: f.properties.name, geometry: f.geometry },
    ]),
  );
const ids = collection.features.map((f) => f.properties.pcode);

/** A small deterministic PRNG (mulberry32): the same splits on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const next = random(15);
const split = (): { control: Record<string, ControlEntry> } => ({
  control: Object.fromEntries(
    ids.map((id) => [
      id,
      {
        controller: SIDES[Math.floor(next() * SIDES.length)] ?? null,
        since: 0,
        eventId: id,
        precision: "day" as const,
        contested: false,
      },
    ]),
  ),
});

const time = (fn: () => unknown) => {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
};
const quantile = (sorted: readonly number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;

/** CPU time of the process over a call (less sensitive than wall time to other jobs). */
const cpu = (fn: () => unknown) => {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};

const coldRuns = Array.from({ length: COLD }, () => {
  const places = registry();
  const state = split();
  const other = registry();
  return {
    wall: time(() => controlAreas(state, places)),
    cpu: cpu(() => controlAreas(state, other)),
  };
});
const cold = coldRuns.map((r) => r.wall).sort((a, b) => a - b);
const coldCpu = coldRuns.map((r) => r.cpu).sort((a, b) => a - b);

const places = registry();
const states = Array.from({ length: WARM }, split);
for (const state of states.slice(0, 200)) controlAreas(state, places);
const warm = states.map((state) => time(() => controlAreas(state, places))).sort((a, b) => a - b);

const ms = (v: number) => `${v.toFixed(2)} ms`;
console.log(
  `controlAreas, ${ids.length} districts of Syria, five sides, ${cpus()[0]?.model.trim() ?? "?"} (${cpus().length} cores), Node ${process.version}`,
);
console.log(`| call | median | p95 | max |`);
console.log(`| --- | --- | --- | --- |`);
console.log(
  `| warm (topology cached), ${WARM} splits | ${ms(quantile(warm, 0.5))} | ${ms(quantile(warm, 0.95))} | ${ms(warm.at(-1) ?? Number.NaN)} |`,
);
console.log(
  `| cold (builds the topology), ${COLD} registries | ${ms(quantile(cold, 0.5))} | ${ms(quantile(cold, 0.95))} | ${ms(cold.at(-1) ?? Number.NaN)} |`,
);
console.log(
  `| cold, CPU time of the process | ${ms(quantile(coldCpu, 0.5))} | ${ms(quantile(coldCpu, 0.95))} | ${ms(coldCpu.at(-1) ?? Number.NaN)} |`,
);
console.log(
  `load average: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(", ")}`,
);
