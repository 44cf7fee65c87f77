/**
 * `reindex({ store, reducers })` and `tidemark reindex STORE` rebuild a missing read model (a
 * store written before read models) and a stale one (a reducer's `version` changed), after
 * which a reader answers as the timeline does; the CLI shows progress on a terminal only.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { reindex as reindexCommand } from "../../src/cli/commands/reindex.js";
import {
  type DefinitionsFor,
  defineReducer,
  type InputOf,
  openReader,
  openTimeline,
  ReadModelError,
  reindex,
} from "../../src/index.js";
import { postgresStore } from "../../src/stores/postgres.js";
import { sqliteStore } from "../../src/stores/sqlite.js";
import type { EventStore } from "../../src/stores/store.js";

const dir = mkdtempSync(join(tmpdir(), "tidemark-reindex-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let stores = 0;
const url = process.env.TIDEMARK_PG_URL ?? "";
const run = Date.now().toString(36);

interface Kind {
  readonly name: string;
  readonly location: () => string;
  readonly open: (location: string) => EventStore;
  /** Drops the read model tables, leaving the store as tidemark wrote it before them. */
  readonly dropReadModels: (location: string) => Promise<void>;
}

const sqlite: Kind = {
  name: "SQLite",
  location: () => join(dir, `store-${stores++}.db`),
  open: (path) => sqliteStore(path),
  dropReadModels: async (path) => {
    const db = new Database(path);
    try {
      const tables = db
        .prepare(
          "SELECT name FROM sqlite_schema WHERE type = 'table' AND name LIKE 'tidemark_rm_%'",
        )
        .pluck()
        .all() as string[];
      expect(tables.length).toBeGreaterThan(0);
      for (const table of tables) db.exec(`DROP TABLE ${table}`);
    } finally {
      db.close();
    }
  },
};

const postgres: Kind = {
  name: "PostgreSQL",
  location: () => `reindex_${run}_${stores++}`,
  open: (table) => postgresStore(url, { table }),
  dropReadModels: async (table) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string }>(
        "SELECT tablename AS name FROM pg_tables WHERE tablename LIKE $1",
        [`${table}_rm_%`],
      );
      expect(rows.length).toBeGreaterThan(0);
      for (const { name } of rows) await client.query(`DROP TABLE "${name}"`);
    } finally {
      await client.end();
    }
  },
};

const strikes = defineReducer({
  version: 1,
  keyBy: { Airstrike: (event) => event.data.places },
  initial: { count: 0, killed: 0 },
  on: {
    Airstrike(entry, event) {
      entry.count += 1;
      entry.killed += event.data.killed ?? 0;
    },
  },
});
/** The same slice after its handlers changed: only strikes with a death toll count. */
const strikesV2 = defineReducer({
  version: 2,
  keyBy: { Airstrike: (event) => event.data.places },
  initial: { count: 0, killed: 0 },
  on: {
    Airstrike(entry, event) {
      if (event.data.killed === undefined) return;
      entry.count += 1;
      entry.killed += event.data.killed;
    },
  },
});

const INPUTS: InputOf<DefinitionsFor<[]>>[] = [
  {
    type: "Captured",
    at: "2016-12-10",
    data: { place: "palmyra", by: "isis" },
    sources: [{ name: "SOHR" }],
  },
  {
    type: "Captured",
    at: "2016-03-27",
    recordedAt: "2016-12-12",
    data: { place: "palmyra", by: "regime" },
    sources: [{ name: "MoD" }],
  },
  { type: "Airstrike", at: "2016-12-11", data: { places: ["palmyra", "tadmur"], by: "ru" } },
  { type: "Airstrike", at: "2016-12-13", data: { places: ["palmyra"], by: "ru", killed: 4 } },
];

const TIMES = ["2016-03-28", "2016-12-11", "2016-12-14"];

async function written(kind: Kind, reducers: { strikes: typeof strikes }): Promise<string> {
  const location = kind.location();
  const writer = await openTimeline({ store: kind.open(location), reducers });
  await writer.append(...INPUTS);
  await writer.close();
  return location;
}

function describeReindex(kind: Kind): void {
  it(`rebuilds a store written before read models, so that a reader answers as the timeline (${kind.name})`, async () => {
    const location = await written(kind, { strikes });
    await kind.dropReadModels(location);
    const reader = await openReader({ store: kind.open(location), reducers: { strikes } });
    await expect(reader.stateAt("2016-12-14")).rejects.toThrow(ReadModelError);
    await expect(reader.stateAt("2016-12-14")).rejects.toThrow(/is missing.*reindex/);

    const store = kind.open(location);
    const progress: [number, number][] = [];
    const done = await reindex({
      store,
      reducers: { strikes },
      onProgress: (count, total) => progress.push([count, total]),
    });
    await store.close();
    expect(done).toBe(INPUTS.length);
    expect(progress.at(-1)).toEqual([INPUTS.length, INPUTS.length]);

    await reader.refresh();
    const timeline = await openTimeline({ store: kind.open(location), reducers: { strikes } });
    for (const t of TIMES) {
      expect(await reader.stateAt(t)).toEqual(timeline.stateAt(t));
      expect(await reader.stateAt(t, { asOf: "2016-12-11" })).toEqual(
        timeline.stateAt(t, { asOf: "2016-12-11" }),
      );
      expect(await reader.claimsAt(t)).toEqual(timeline.claimsAt(t));
    }
    expect(await reader.history("palmyra")).toEqual(timeline.history("palmyra"));
    await reader.close();
    await timeline.close();
  });

  it(`rebuilds a reducer's read model kept under an older version (${kind.name})`, async () => {
    const location = await written(kind, { strikes });
    const reader = await openReader({
      store: kind.open(location),
      reducers: { strikes: strikesV2 },
    });
    const error = await reader.stateAt("2016-12-14").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReadModelError);
    expect(error).toMatchObject({ slice: "strikes", reason: "stale" });
    expect((error as Error).message).toMatch(/kept under version 1, the reducer given is 2/);

    const store = kind.open(location);
    await reindex({ store, reducers: { strikes: strikesV2 } });
    await store.close();
    await reader.refresh();
    expect((await reader.stateAt("2016-12-14")).strikes).toEqual({
      palmyra: { count: 1, killed: 4 },
    });
    const timeline = await openTimeline({
      store: kind.open(location),
      reducers: { strikes: strikesV2 },
    });
    for (const t of TIMES) expect(await reader.stateAt(t)).toEqual(timeline.stateAt(t));
    await reader.close();
    await timeline.close();
  });
}

describe("reindex on SQLite", () => {
  describeReindex(sqlite);
});

describe("reindex on PostgreSQL", () => {
  if (url === "") it.skip("needs TIDEMARK_PG_URL (source .ci/postgres.sh)", () => {});
  else describeReindex(postgres);
});

/** A stderr that keeps what is written, a terminal or not. */
function stderrOf(isTTY: boolean): NodeJS.WriteStream & { text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      chunks.push(String(chunk));
      callback();
    },
  }) as unknown as NodeJS.WriteStream & { text: () => string };
  Object.assign(stream, { isTTY, text: () => chunks.join("") });
  return stream;
}

describe("tidemark reindex STORE", () => {
  const stdout = new Writable({ write: (_chunk, _encoding, callback) => callback() });

  it("shows its progress on a terminal, on the line it rewrites", async () => {
    const path = await written(sqlite, { strikes });
    const stderr = stderrOf(true);
    await reindexCommand(["reindex", path], { stdout, stderr });
    expect(stderr.text()).toMatch(/^\rreindex: 4 of 4 events\nreindex: 4 events indexed in /);
  });

  it("writes no progress where stderr is not a terminal (a log, a pipe)", async () => {
    const path = await written(sqlite, { strikes });
    const stderr = stderrOf(false);
    await reindexCommand(["reindex", path], { stdout, stderr });
    expect(stderr.text()).toMatch(/^reindex: 4 events indexed in [\d.]+ s\n$/);
  });
});
