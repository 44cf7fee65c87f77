/**
 * A reader on a hot standby: `bench/replica.sh` starts a primary and a standby made by
 * `pg_basebackup -R`, then runs this with TIDEMARK_PG_URL (the primary) and STANDBY_URL. A
 * writer appends on the primary; a reader on the standby answers as an in-memory timeline at
 * its own version, moves on by polling `refresh()`, and cannot `watch` (no LISTEN during
 * recovery). Prints what it saw; exits 1 if an answer differs.
 */
import { createTimeline, openReader, openTimeline } from "../src/index.js";
import { postgresStore } from "../src/stores/postgres.js";
import { conflictChunks } from "./generate.js";

const primary = process.env.TIDEMARK_PG_URL as string;
const standby = process.env.STANDBY_URL as string;
const canonical = (value: unknown) =>
  JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as object).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
let differ = 0;
const check = (what: string, a: unknown, b: unknown) => {
  const same = canonical(a) === canonical(b);
  if (!same) differ++;
  console.log(`${what}: ${same ? "equal" : "DIFFERENT"}`);
};

const chunks = conflictChunks({ events: 2000, chunk: 1000 });
const writer = await openTimeline({ store: postgresStore(primary) });
const memory = createTimeline();
const first = chunks.next().value as Parameters<typeof memory.appendAll>[0] & unknown[];
await writer.appendAll(first);
memory.appendAll(first);
const reader = await openReader({ store: postgresStore(standby) });
for (let i = 0; i < 100 && reader.version < writer.version; i++) {
  await new Promise((done) => setTimeout(done, 100));
  await reader.refresh();
}
console.log(`reader on the standby at version ${reader.version}, primary ${writer.version}`);
check(
  "stateAt on the standby",
  await reader.stateAt("2014-01-01T00:00Z"),
  memory.stateAt("2014-01-01T00:00Z"),
);
const second = chunks.next().value as typeof first;
await writer.appendAll(second);
console.log(
  `appended on the primary (version ${writer.version}); the reader stays at ${reader.version}`,
);
const waited = performance.now();
for (let i = 0; i < 100 && reader.version < writer.version; i++) {
  await new Promise((done) => setTimeout(done, 100));
  await reader.refresh();
}
console.log(
  `polling refresh(): the reader reached ${reader.version} in ${(performance.now() - waited).toFixed(0)} ms`,
);
memory.appendAll(second);
check("history on the standby", await reader.history("p17"), memory.history("p17"));
check(
  "stateAt on the standby",
  await reader.stateAt("2019-01-01T00:00Z"),
  memory.stateAt("2019-01-01T00:00Z"),
);
const store = postgresStore(standby);
try {
  const stop = await store.watch?.(() => undefined);
  console.log("watch on the standby started");
  await stop?.();
} catch (error) {
  console.log(`watch on the standby: ${(error as Error).message}`);
}
await store.close();
await reader.close();
await writer.close();
if (differ > 0) process.exitCode = 1;
