/**
 * `tidemark view` on a large store: `npm run bench:view -- --store big.db` answers the map
 * page's questions about a SQLite store through its read models, as the command's JSON API
 * does, and prints how long each takes and how large its JSON is: opening (the overview), the
 * map at ten instants along the slider (a slider step's server part), the events around an
 * instant, the ticks, the changes of hand and the territory series.
 *
 * When the store is missing it is made first (that takes minutes for 10^6 events): `--events N`
 * (default 1,000,000) captures by three sides of `--places P` places (default 2,000) in a grid
 * over Syria, from two sources, over two years; the places registry goes to STORE.places.json.
 *
 * `--browser` opens the store in Chromium instead and times the slider's steps end to end
 * (bench/view-browser.ts; `npm run build` first).
 *
 * The store of real data's layout that docs/viewer.md measures, 1,008,061 events from a made-up
 * ACLED export (today's 31 columns; 5,000 places, 20 actors, 5 sources, ten years), is made by:
 *
 *     npm run bench:import -- --write /tmp/acled.csv --rows 1120000   # 6 s, 317 MB
 *     node --max-old-space-size=6000 --import tsx src/cli/main.ts import /tmp/acled.csv \
 *       --into /tmp/acled.db                                          # 3-7 min, 1.3 GB, 3 GB RSS
 *     npm run build && npm run bench:view -- --store /tmp/acled.db --browser
 *
 * (111,939 of the rows are clashes, which tidemark does not map: they are skipped.)
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { openViewData } from "../src/cli/view-data.js";
import type { StoreViewModel } from "../src/cli/view-store.js";
import { openTimeline, type Registry } from "../src/index.js";
import { sqliteStore } from "../src/stores/sqlite.js";

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

const path = option("store", "view-bench.db");
const n = Number(option("events", "1000000"));
const p = Number(option("places", "2000"));
const DAY = 86_400_000;
const T0 = Date.UTC(2016, 0, 1);

async function make(): Promise<void> {
  const places: Record<string, { name: string; coordinates: [number, number] }> = {};
  for (let i = 0; i < p; i++) {
    places[`p${i}`] = {
      name: `Place ${i}`,
      coordinates: [36 + Math.floor(i / 50) * 0.1, 33 + (i % 50) * 0.08],
    };
  }
  writeFileSync(`${path}.places.json`, JSON.stringify(places));
  const started = performance.now();
  const timeline = await openTimeline({ store: sqliteStore(path) });
  const sides = ["gov", "hts", "isis"] as const;
  let batch: Parameters<typeof timeline.append> = [];
  for (let k = 0; k < n; k++) {
    const i = k % p;
    const j = Math.floor(k / p);
    const at = T0 + ((i * 7 + j * 37) % 700) * DAY + (k % 24) * 3_600_000;
    batch.push({
      id: `e${k}`,
      type: "Captured",
      at,
      data: { place: `p${i}`, by: sides[(i + j) % 3] as string },
      sources: [{ name: k % 2 === 0 ? "A" : "B" }],
    });
    if (batch.length === 10_000) {
      await timeline.append(...batch);
      batch = [];
      if (k % 100_000 === 99_999) process.stderr.write(`  ${k + 1} events stored\n`);
    }
  }
  if (batch.length > 0) await timeline.append(...batch);
  await timeline.close();
  console.log(
    `made ${n.toLocaleString("en")} events over ${p} places in ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
}

if (!existsSync(path)) await make();
if (process.argv.includes("--browser")) {
  const { browserBench } = await import("./view-browser.js");
  await browserBench({
    store: path,
    places: existsSync(`${path}.places.json`) ? `${path}.places.json` : undefined,
    steps: Number(option("steps", "12")),
    screenshot: process.argv.includes("--screenshot") ? option("screenshot", "") : undefined,
    profile: process.argv.includes("--profile") ? option("profile", "") : undefined,
    trace: process.argv.includes("--trace") ? option("trace", "") : undefined,
  });
  process.exit(0);
}
const places = existsSync(`${path}.places.json`)
  ? (JSON.parse(readFileSync(`${path}.places.json`, "utf8")) as Registry)
  : undefined;

async function timed<T>(label: string, f: () => Promise<T> | T): Promise<T> {
  const started = performance.now();
  const value = await f();
  const ms = performance.now() - started;
  const kb = JSON.stringify(value ?? null).length / 1024;
  console.log(
    `${label.padEnd(34)} ${ms.toFixed(0).padStart(6)} ms ${kb.toFixed(0).padStart(7)} kB`,
  );
  return value;
}

const { data } = await timed("open (reader, overview)", () =>
  openViewData(path, places === undefined ? {} : { places }, true),
);
const model = data.model;
const meta = await model.meta();
console.log(`${meta.events.toLocaleString("en")} events, ${meta.named.length} places`);
const w = meta.full;
await timed("first map (SQL)", () => model.state({ at: w.end }));
// The rows of the map, read once into the server's memory after the first map.
const rss = process.memoryUsage().rss;
const loadCpu = process.cpuUsage();
await timed("map's rows read into memory", () =>
  (model as StoreViewModel).loadRows().then((rows) => ({ rows: rows?.size })),
);
const { user: loadUser, system: loadSystem } = process.cpuUsage(loadCpu);
// With --expose-gc, what stays of the heap and of typed arrays once garbage is collected.
(globalThis as { gc?: () => void }).gc?.();
const mem = process.memoryUsage();
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
console.log(
  `  ${((loadUser + loadSystem) / 1e6).toFixed(1)} s CPU; RSS ${mb(rss)} before, ${mb(mem.rss)} after (heap used ${mb(mem.heapUsed)}, typed arrays ${mb(mem.arrayBuffers)})`,
);
// A step of the slider: `api/state`, the map at an instant as the page receives it (JSON).
const steps: number[] = [];
const cpu: number[] = [];
for (let i = 1; i <= 10; i++) {
  const at = w.start + ((w.end - w.start) * i) / 11;
  const started = performance.now();
  const used = process.cpuUsage();
  JSON.stringify(await model.state({ at }));
  const { user, system } = process.cpuUsage(used);
  steps.push(performance.now() - started);
  cpu.push((user + system) / 1000);
}
const sorted = (list: number[]) => [...list].sort((a, b) => a - b);
console.log(
  `${"map at an instant (10 steps)".padEnd(34)} median ${sorted(steps)[5]?.toFixed(0)} ms (${sorted(cpu)[5]?.toFixed(0)} ms CPU), range ${sorted(steps)[0]?.toFixed(0)}–${sorted(steps)[9]?.toFixed(0)} ms; load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(", ")}`,
);
const middle = { at: w.start + (w.end - w.start) / 2 };
await timed("map at an instant (api/state)", () => model.state(middle));
await timed("events around an instant", () => model.eventsAround(middle));
await timed("place story", () => model.place(meta.busiest ?? "p0", middle));
await timed("ticks", () => model.ticks({}, w));
await timed("changes of hand", () => model.changes({}, w));
await timed("territory series", () => model.territory({}, w));
await timed("territory series, known at mid-way", () => model.territory({ asOf: middle.at }, w));
console.log(`RSS at the end ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`);
await data.close();
