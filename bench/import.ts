/**
 * Import benchmark: `npm run bench:import` writes a made-up ACLED CSV export of 10^6 rows
 * (today's 31 columns; 60% control changes, 20% air strikes, 10% arrests, 10% clashes that do
 * not map), then measures, each in a fresh process:
 * - `tidemark import FILE --into STORE` (SQLite, a new store): the CSV streamed, read, checked
 *   and stored in one transaction, with its peak memory (max RSS);
 * - the same events appended from memory: `openTimeline({ store }).appendAll(events)` with the
 *   events already made (reading the file is not timed).
 *
 * Options: `--rows N` (default 1,000,000); `--write FILE` writes the export and stops.
 */
import { spawnSync } from "node:child_process";
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

const log = (message: string) => process.stderr.write(`${new Date().toISOString()} ${message}\n`);
const fmt = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

const HEADER =
  "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp";

/** A small seeded generator (mulberry32), so that every run writes the same file. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

async function writeExport(path: string, rows: number): Promise<void> {
  const next = random(42);
  const out = createWriteStream(path);
  const write = (text: string) =>
    out.write(text)
      ? Promise.resolve()
      : new Promise<void>((done) => out.once("drain", () => done()));
  await write(`${HEADER}\n`);
  const start = Date.UTC(2015, 0, 1);
  let chunk = "";
  for (let i = 0; i < rows; i++) {
    const r = next();
    const [type, sub] =
      r < 0.3
        ? ["Battles", "Government regains territory"]
        : r < 0.6
          ? ["Battles", "Non-state actor overtakes territory"]
          : r < 0.8
            ? ["Explosions/Remote violence", "Air/drone strike"]
            : r < 0.9
              ? ["Strategic developments", "Arrests"]
              : ["Battles", "Armed clash"];
    const region = Math.floor(next() * 50);
    const location = Math.floor(next() * 100);
    const actor1 = Math.floor(next() * 20);
    const actor2 = (actor1 + 1 + Math.floor(next() * 19)) % 20;
    const day = new Date(start + Math.floor(next() * 3650) * 86_400_000);
    const date =
      i % 2 === 0
        ? day.toISOString().slice(0, 10)
        : `${day.getUTCDate()} ${MONTHS[day.getUTCMonth()]} ${day.getUTCFullYear()}`;
    const lat = (30 + region * 0.1 + location * 0.001).toFixed(4);
    const lon = (35 + region * 0.1 + location * 0.001).toFixed(4);
    const stamp = Math.floor(day.getTime() / 1000) + 86_400 * 7;
    chunk += `BEN${i + 1},${date},${day.getUTCFullYear()},1,Political violence,${type},${sub},Actor ${actor1} (Made-up),,1,Actor ${actor2} (Made-up),,2,12,,760,Middle East,Madeupland,Region ${region},,,Town ${region}-${location},${lat},${lon},1,Made-up Source ${actor1 % 5},National,"Made-up row ${i + 1}, for the benchmark.",${Math.floor(next() * 10)},,${stamp}\n`;
    if (chunk.length > 1 << 20) {
      await write(chunk);
      chunk = "";
    }
  }
  await write(chunk);
  await new Promise<void>((done) => out.end(done));
}

/** Runs this file in a child process for one measurement; returns its JSON line. */
function child(args: string[]): { ms: number; rssMb: number; events: number } {
  const run = spawnSync(
    process.execPath,
    ["--import", "tsx", fileURLToPath(import.meta.url), "--child", ...args],
    { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 1 << 24 },
  );
  if (run.status !== 0) throw new Error(`child ${args[0]} failed (${run.status})`);
  return JSON.parse(run.stdout.trim().split("\n").pop() as string);
}

async function measureChild(kind: string, file: string, store: string): Promise<void> {
  let events = 0;
  const began = performance.now();
  if (kind === "import") {
    const { importFile } = await import("../src/cli/import.js");
    const ok = await importFile({
      file,
      into: store,
      skipInvalid: false,
      stderr: process.stderr,
      ...(process.stderr.isTTY ? { progress: process.stderr } : {}),
    });
    if (!ok) throw new Error("import failed");
  } else {
    const { fromAcled, openTimeline, Fatalities } = await import("../src/index.js");
    const { sqliteStore } = await import("../src/stores/sqlite.js");
    const rows: Record<string, string>[] = [];
    for await (const row of createReadStreamRows(file)) rows.push(row);
    const { events: inputs } = fromAcled(rows);
    rows.length = 0;
    const timeline = await openTimeline({ store: sqliteStore(store), events: [Fatalities] });
    const start = performance.now();
    await timeline.appendAll(inputs);
    events = timeline.version;
    await timeline.close();
    const ms = performance.now() - start;
    process.stdout.write(
      `${JSON.stringify({ ms, rssMb: process.resourceUsage().maxRSS / 1024, events })}\n`,
    );
    return;
  }
  const ms = performance.now() - began;
  process.stdout.write(
    `${JSON.stringify({ ms, rssMb: process.resourceUsage().maxRSS / 1024, events })}\n`,
  );
}

function createReadStreamRows(file: string): AsyncIterable<Record<string, string>> {
  return parse(readFileSync(file), { columns: true, bom: true }) as unknown as AsyncIterable<
    Record<string, string>
  >;
}

if (process.argv.includes("--child")) {
  const i = process.argv.indexOf("--child");
  await measureChild(
    process.argv[i + 1] as string,
    process.argv[i + 2] as string,
    process.argv[i + 3] as string,
  );
} else if (process.argv.includes("--write")) {
  await writeExport(option("write", "acled.csv"), Number(option("rows", "1000000")));
} else {
  const rows = Number(option("rows", "1000000"));
  const dir = mkdtempSync(join(tmpdir(), "tidemark-bench-import-"));
  try {
    const file = join(dir, "acled.csv");
    log(`writing ${rows.toLocaleString("en")} rows to ${file}`);
    await writeExport(file, rows);
    log(`${(statSync(file).size / 1e6).toFixed(0)} MB written`);
    log("import FILE --into STORE (streamed, one process)");
    const imported = child(["import", file, join(dir, "import.db")]);
    log(`import: ${fmt(imported.ms)}, peak RSS ${imported.rssMb.toFixed(0)} MB`);
    log("the same events appended from memory");
    const memory = child(["memory", file, join(dir, "memory.db")]);
    log(
      `append from memory: ${fmt(memory.ms)} (${memory.events.toLocaleString("en")} events), peak RSS ${memory.rssMb.toFixed(0)} MB`,
    );
    process.stdout.write(
      `${JSON.stringify({ rows, importMs: Math.round(imported.ms), importPeakRssMb: Math.round(imported.rssMb), memoryAppendMs: Math.round(memory.ms), ratio: Number((imported.ms / memory.ms).toFixed(2)) })}\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
