/**
 * Scale benchmark: `npm run bench:scale -- --events N` writes a store of N seeded synthetic
 * events (bench/generate.ts `conflictChunks`, made a chunk at a time), then asks it cold
 * questions, each in a fresh process:
 * - write: `openTimeline({ store }).appendAll(chunk)` per chunk (default 10^5 events), the
 *   read models kept in the same transactions; time per chunk, total, the writer's max RSS;
 * - state: `openReader` + `stateAt` (the middle of the ten years); the process's wall time
 *   (node and tsx start included), the time from `openReader` to the answer, max RSS;
 * - history: `openReader` + `history` of one place, the same figures;
 * - the store's size on disk (PostgreSQL: the database; SQLite: the file and its WAL).
 *
 * PostgreSQL runs on TIDEMARK_PG_URL (a throwaway server: its `public` schema is emptied
 * first); `--stores postgres,sqlite` (default postgres). `--chunk N` sets the batch size;
 * `--seconds S` stops writing after the chunk that passes S seconds (then the store holds
 * what was written; the reads go on). `--heap MB`: the children's --max-old-space-size.
 * Not part of `npm test`.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { type EventStore, openReader, openTimeline } from "../src/index.js";
import { postgresStore } from "../src/stores/postgres.js";
import { sqliteStore } from "../src/stores/sqlite.js";
import { conflictChunks } from "./generate.js";

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

const log = (message: string) => process.stderr.write(`${new Date().toISOString()} ${message}\n`);
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const AT = "2015-01-01T00:00:00Z";
const PLACE = "p17";

function open(location: string): EventStore {
  return location.startsWith("postgres") ? postgresStore(location) : sqliteStore(location);
}

/** One measurement in this process (a child): prints one JSON line. */
async function child(kind: string, location: string): Promise<void> {
  const rss = () => Math.round(process.resourceUsage().maxRSS / 1024);
  if (kind === "write") {
    const events = Number(option("events", "1000000"));
    const chunk = Number(option("chunk", "100000"));
    const budget = Number(option("seconds", "Infinity")) * 1000;
    const timeline = await openTimeline({ store: open(location) });
    const began = performance.now();
    let done = 0;
    for (const batch of conflictChunks({ events, chunk })) {
      const start = performance.now();
      await timeline.appendAll(batch);
      done += batch.length;
      const { user, system } = process.cpuUsage();
      log(
        `  ${done.toLocaleString("en")} events: chunk ${secs(performance.now() - start)}, total ${secs(performance.now() - began)}, CPU ${secs((user + system) / 1000)}, RSS ${Math.round(process.memoryUsage().rss / 1048576)} MB`,
      );
      if (performance.now() - began > budget) {
        log(`  stopped after ${secs(performance.now() - began)} (--seconds)`);
        break;
      }
    }
    const ms = performance.now() - began;
    await timeline.close();
    const { user, system } = process.cpuUsage();
    process.stdout.write(
      `${JSON.stringify({ ms, cpuMs: (user + system) / 1000, rssMb: rss(), events: done })}\n`,
    );
    return;
  }
  const start = performance.now();
  const reader = await openReader({ store: open(location) });
  let size: number;
  if (kind === "state") {
    const state = await reader.stateAt(AT);
    size = Object.keys(state.control).length;
  } else {
    size = (await reader.history(PLACE)).length;
  }
  const ms = performance.now() - start;
  const version = reader.version;
  await reader.close();
  process.stdout.write(`${JSON.stringify({ ms, rssMb: rss(), size, version })}\n`);
}

function spawnChild(
  args: string[],
): { wallMs: number; ms: number; rssMb: number } & Record<string, number> {
  const began = performance.now();
  const run = spawnSync(
    process.execPath,
    [
      `--max-old-space-size=${option("heap", "16384")}`,
      "--import",
      "tsx",
      fileURLToPath(import.meta.url),
      ...args,
    ],
    { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 1 << 24 },
  );
  const wallMs = performance.now() - began;
  if (run.status !== 0) throw new Error(`child ${args.join(" ")} failed (${run.status})`);
  return { wallMs, ...JSON.parse(run.stdout.trim().split("\n").pop() as string) };
}

async function sizeOnDisk(location: string): Promise<number> {
  if (!location.startsWith("postgres")) {
    let bytes = 0;
    for (const suffix of ["", "-wal"]) {
      try {
        bytes += statSync(location + suffix).size;
      } catch {
        // No WAL file: checkpointed.
      }
    }
    return bytes;
  }
  const pool = new pg.Pool({ connectionString: location, max: 1 });
  try {
    const { rows } = await pool.query("SELECT pg_database_size(current_database())::text AS n");
    return Number(rows[0].n);
  } finally {
    await pool.end();
  }
}

async function emptyPostgres(url: string): Promise<void> {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    await pool.query("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
  } finally {
    await pool.end();
  }
}

if (process.argv.includes("--child")) {
  const i = process.argv.indexOf("--child");
  await child(process.argv[i + 1] as string, process.argv[i + 2] as string);
} else {
  const events = option("events", "1000000");
  const chunk = option("chunk", "100000");
  const stores = option("stores", "postgres").split(",");
  const dir = mkdtempSync(join(tmpdir(), "tidemark-bench-scale-"));
  try {
    for (const kind of stores) {
      let location = join(dir, "scale.db");
      if (kind === "postgres") {
        const url = process.env.TIDEMARK_PG_URL;
        if (url === undefined) throw new Error("bench:scale: TIDEMARK_PG_URL is not set");
        await emptyPostgres(url);
        location = url;
      }
      log(`${kind}: writing ${Number(events).toLocaleString("en")} events in chunks of ${chunk}`);
      const write = spawnChild([
        "--child",
        "write",
        location,
        "--events",
        events,
        "--chunk",
        chunk,
        "--seconds",
        option("seconds", "Infinity"),
      ]);
      log(
        `${kind}: ${Number(write.events).toLocaleString("en")} events written in ${secs(write.ms)} (writer CPU ${secs(Number(write.cpuMs))}), writer max RSS ${write.rssMb} MB`,
      );
      const bytes = await sizeOnDisk(location);
      log(`${kind}: ${(bytes / 1e6).toFixed(0)} MB on disk`);
      const state = spawnChild(["--child", "state", location]);
      log(
        `${kind}: cold stateAt(${AT}): process ${secs(state.wallMs)}, openReader to answer ${state.ms.toFixed(0)} ms, max RSS ${state.rssMb} MB (${state.size} places held, version ${state.version})`,
      );
      const history = spawnChild(["--child", "history", location]);
      log(
        `${kind}: cold history(${PLACE}): process ${secs(history.wallMs)}, openReader to answer ${history.ms.toFixed(0)} ms, max RSS ${history.rssMb} MB (${history.size} intervals)`,
      );
      process.stdout.write(
        `${JSON.stringify({ store: kind, events: write.events, writeMs: Math.round(write.ms), writerCpuMs: Math.round(Number(write.cpuMs)), writerRssMb: write.rssMb, bytes, state: { wallMs: Math.round(state.wallMs), ms: Math.round(state.ms), rssMb: state.rssMb }, history: { wallMs: Math.round(history.wallMs), ms: Math.round(history.ms), rssMb: history.rssMb } })}\n`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
