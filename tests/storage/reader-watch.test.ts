/**
 * `reader.watch`: a reader follows writers that append through other connections, moving to
 * each new version and answering there as an in-memory timeline of the same events does.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  createTimeline,
  type DefinitionsFor,
  type InputOf,
  openReader,
  openTimeline,
} from "../../src/index.js";
import { postgresStore } from "../../src/stores/postgres.js";
import { sqliteStore } from "../../src/stores/sqlite.js";
import type { EventStore } from "../../src/stores/store.js";

const dir = mkdtempSync(join(tmpdir(), "tidemark-reader-watch-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const url = process.env.TIDEMARK_PG_URL ?? "";
const run = Date.now().toString(36);

interface Kind {
  readonly name: string;
  readonly location: () => string;
  /** A store for a writer, or (`watching`) one for a reader that polls quickly. */
  readonly open: (location: string, watching?: boolean) => EventStore;
}
const sqlite: Kind = {
  name: "SQLite",
  location: () => join(dir, `store-${files++}.db`),
  open: (path, watching) => sqliteStore(path, watching === true ? { pollInterval: 20 } : {}),
};
const postgres: Kind = {
  name: "PostgreSQL",
  location: () => `reader_watch_${run}_${files++}`,
  open: (table) => postgresStore(url, { table }),
};

type Input = InputOf<DefinitionsFor<[]>>;

/** A front that moves: batches of captures, a late report and a retraction among them. */
const BATCHES: Input[][] = [
  [
    { id: "a1", type: "Captured", at: "2016-12-10", data: { place: "palmyra", by: "isis" } },
    { id: "a2", type: "Captured", at: "2016-12-11", data: { place: "tadmur", by: "isis" } },
  ],
  [
    {
      id: "b1",
      type: "Captured",
      at: "2017-03-02",
      data: { place: "palmyra", by: "regime" },
      sources: [{ name: "SANA" }],
    },
  ],
  [
    // Late: it happened before the first batch, and became known now.
    {
      id: "c1",
      type: "Airstrike",
      at: "2016-12-09",
      recordedAt: "2017-03-05",
      data: { places: ["palmyra", "tadmur"], by: "ru", killed: 3 },
    },
    { id: "c2", type: "Retracted", at: "2017-03-06", data: { eventId: "a2" } },
  ],
];

/** Waits until `check` holds, or fails after `ms`. */
async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("timed out waiting for the reader to follow");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function describeWatch(kind: Kind): void {
  it(`moves to each version a writer appends and answers there as an in-memory timeline (${kind.name})`, async () => {
    const location = kind.location();
    const writer = await openTimeline({ store: kind.open(location) });
    await writer.append(...(BATCHES[0] as Input[]));
    const reader = await openReader({ store: kind.open(location, true) });
    const seen: number[] = [];
    const errors: unknown[] = [];
    const stop = await reader.watch(
      (version) => seen.push(version),
      (error) => errors.push(error),
    );
    try {
      const memory = createTimeline();
      memory.append(...(BATCHES[0] as Input[]));
      for (const batch of BATCHES.slice(1)) {
        await writer.append(...batch);
        memory.append(...batch);
        await until(() => reader.version === writer.version);
        expect(seen.at(-1)).toBe(writer.version);
        for (const t of ["2016-12-10", "2016-12-12", "2017-03-10"]) {
          expect(await reader.stateAt(t)).toEqual(memory.stateAt(t));
          expect(await reader.stateAt(t, { asOf: "2017-03-03" })).toEqual(
            memory.stateAt(t, { asOf: "2017-03-03" }),
          );
        }
        expect(await reader.history("tadmur")).toEqual(memory.history("tadmur"));
      }
      expect(seen).toEqual([3, 5]);
      expect(errors).toEqual([]);
    } finally {
      await stop();
      await reader.close();
      await writer.close();
    }
  }, 30_000);

  it(`stops calling onChange once stopped, and close() stops every watch (${kind.name})`, async () => {
    const location = kind.location();
    const writer = await openTimeline({ store: kind.open(location) });
    await writer.append(...(BATCHES[0] as Input[]));
    const reader = await openReader({ store: kind.open(location, true) });
    const stopped: number[] = [];
    const closed: number[] = [];
    const stop = await reader.watch((version) => stopped.push(version));
    await reader.watch((version) => closed.push(version));
    await writer.append(...(BATCHES[1] as Input[]));
    await until(() => stopped.length === 1 && closed.length === 1);
    await stop();
    await writer.append(...(BATCHES[2] as Input[]));
    await until(() => closed.length === 2);
    await reader.close();
    await writer.append({
      type: "Captured",
      at: "2017-04-01",
      data: { place: "palmyra", by: "isis" },
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(stopped).toEqual([3]);
    expect(closed).toEqual([3, 5]);
    await expect(reader.watch()).rejects.toThrow(/closed/);
    await writer.close();
  }, 30_000);

  it(`calls onChange at once for what was appended between opening and watching (${kind.name})`, async () => {
    const location = kind.location();
    const writer = await openTimeline({ store: kind.open(location) });
    await writer.append(...(BATCHES[0] as Input[]));
    const reader = await openReader({ store: kind.open(location, true) });
    await writer.append(...(BATCHES[1] as Input[]));
    expect(reader.version).toBe(2);
    const seen: number[] = [];
    const stop = await reader.watch((version) => seen.push(version));
    await until(() => seen.length === 1);
    expect(seen).toEqual([3]);
    await stop();
    await reader.close();
    await writer.close();
  }, 30_000);
}

describe("reader.watch on SQLite", () => {
  describeWatch(sqlite);
});

describe("reader.watch on PostgreSQL", () => {
  if (url === "") it.skip("needs TIDEMARK_PG_URL (source .ci/postgres.sh)", () => {});
  else describeWatch(postgres);
});
