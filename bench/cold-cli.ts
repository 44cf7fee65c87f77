/**
 * Cold CLI benchmark: each read command run once in a fresh process on a store, as a user
 * runs it (`node dist/cli.js ...`), with its wall time and peak memory (max RSS, from
 * `/usr/bin/time`). Nothing is warmed up: every run pays the process, the CLI bundle, opening
 * the store and the answer.
 *
 * The store is the made-up ACLED export of 10^6 rows, imported once:
 *   npm run bench:import -- --write /tmp/acled.csv
 *   npm run build
 *   node dist/cli.js import /tmp/acled.csv --into /tmp/acled.db
 *   npm run bench:cold -- --store /tmp/acled.db [--runs 3] [--cli dist/cli.js]
 *
 * Prints one line per command and run, then a JSON summary (median of the runs).
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

const store = option("store", "/tmp/acled.db");
const cli = resolve(root, option("cli", "dist/cli.js"));
const runs = Number(option("runs", "3"));
const at = option("at", "2018-06-01");
// A place of the made-up export, by id and by name (a name is resolved through the registry
// kept in the store and the places of the data, which costs a read of the latest state).
const placeId = option("place-id", "region-3/town-3-45");
const place = option("place", "Town 3-45");

if (!existsSync(store)) {
  process.stderr.write(`no store at ${store}: see the comment at the top of bench/cold-cli.ts\n`);
  process.exit(2);
}
if (!existsSync("/usr/bin/time")) {
  process.stderr.write("/usr/bin/time is needed for the peak memory (apt-get install time)\n");
  process.exit(2);
}

const COMMANDS: readonly (readonly string[])[] = [
  ["--help"],
  ["state", store, "--at", at],
  ["claims", store, "--at", at],
  ["contested", store, "--at", at],
  ["history", store, "--place", placeId],
  ["history", store, "--place", place],
];

interface Run {
  readonly command: string;
  readonly seconds: number;
  readonly maxRssMb: number;
  readonly stdoutBytes: number;
}

function once(args: readonly string[]): Run {
  const started = performance.now();
  const run = spawnSync("/usr/bin/time", ["-f", "%M", process.execPath, cli, ...args], {
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  const seconds = (performance.now() - started) / 1000;
  const command = args.map((a) => (a === store ? "STORE" : a)).join(" ");
  if (run.status !== 0) {
    throw new Error(`tidemark ${command} failed (${run.status}): ${run.stderr.slice(-500)}`);
  }
  const kb = Number(run.stderr.trim().split("\n").pop());
  return { command, seconds, maxRssMb: kb / 1024, stdoutBytes: Buffer.byteLength(run.stdout) };
}

const results = new Map<string, Run[]>();
for (let r = 1; r <= runs; r++) {
  for (const args of COMMANDS) {
    const run = once(args);
    results.set(run.command, [...(results.get(run.command) ?? []), run]);
    process.stdout.write(
      `run ${r}  tidemark ${run.command.padEnd(36)} ${run.seconds.toFixed(2)} s  ${run.maxRssMb.toFixed(0)} MB  (${run.stdoutBytes} bytes out)\n`,
    );
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};
process.stdout.write(
  `${JSON.stringify(
    [...results].map(([command, list]) => ({
      command,
      medianSeconds: Number(median(list.map((r) => r.seconds)).toFixed(2)),
      medianMaxRssMb: Math.round(median(list.map((r) => r.maxRssMb))),
    })),
  )}\n`,
);
