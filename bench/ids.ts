/**
 * Content ids per second: `contentId` (canonical JSON, SHA-256, base32) on 200,000 distinct
 * events shaped like the benchmark's (a place, an actor or two, one source), five rounds, each
 * on fresh objects so that no cached source list is reused across rounds. Also the SHA-256
 * alone on the same texts, to tell the hash's share. Run: `npm run bench:ids`.
 */
import { cpus, loadavg } from "node:os";
import { contentId, type EventContent } from "../src/core/ids.js";
import { sha256 } from "../src/core/sha256.js";

const N = 200_000;
const ROUNDS = 5;
const TYPES = ["Captured", "Withdrew", "Airstrike", "Arrests"] as const;

function events(round: number): EventContent[] {
  const out: EventContent[] = [];
  for (let i = 0; i < N; i++) {
    const at = 1_451_606_400_000 + (i + round * N) * 60_000;
    const place = `place-${i % 5000}`;
    out.push({
      type: TYPES[i % 4] as string,
      at,
      precision: "day",
      recordedAt: at,
      sources: [{ name: `source-${i % 7}` }],
      data: { place, by: `actor-${i % 20}`, from: `actor-${(i + 1) % 20}` },
    });
  }
  return out;
}

const encoder = new TextEncoder();
const ids: number[] = [];
const hashes: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const batch = events(round);
  let start = performance.now();
  for (const event of batch) contentId(event);
  ids.push(N / ((performance.now() - start) / 1000));
  const texts = batch.map((e) => encoder.encode(JSON.stringify(e)));
  start = performance.now();
  for (const bytes of texts) sha256(bytes);
  hashes.push(N / ((performance.now() - start) / 1000));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const fmt = (x: number) => Math.round(x).toLocaleString("en-US");
console.log(
  `${cpus()[0]?.model ?? "?"}, ${cpus().length} cores, load ${loadavg()[0]?.toFixed(1)}, Node ${process.version}`,
);
console.log(`contentId: median ${fmt(median(ids))} ids/s (rounds: ${ids.map(fmt).join(", ")})`);
console.log(
  `sha256 of the event JSON alone: median ${fmt(median(hashes))} hashes/s (rounds: ${hashes.map(fmt).join(", ")})`,
);
