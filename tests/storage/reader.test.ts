/**
 * Readers answer from a store's read models exactly as an in-memory timeline of the same
 * events does: checked on random timelines with late events, retractions, regions, several
 * sources and knowledge times, for every query and option, at the reader's own version.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import {
  createTimeline,
  defineReducer,
  Fatalities,
  fatalities,
  openReader,
  openTimeline,
  type QueryOptions,
  ReadModelError,
  type Registry,
  reindex,
} from "../../src/index.js";
import { postgresStore } from "../../src/stores/postgres.js";
import { sqliteStore } from "../../src/stores/sqlite.js";
import type { EventStore } from "../../src/stores/store.js";
import { BEFORE_COMMIT } from "../../src/stores/store.js";

const dir = mkdtempSync(join(tmpdir(), "tidemark-reader-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const newStore = () => join(dir, `store-${files++}.db`);

/** A kind of store: a new location, and a store at a location. */
interface Kind {
  readonly name: string;
  readonly location: () => string;
  readonly open: (location: string) => EventStore;
}
const sqlite: Kind = { name: "SQLite", location: newStore, open: (path) => sqliteStore(path) };
const url = process.env.TIDEMARK_PG_URL ?? "";
let tables = 0;
const run = Date.now().toString(36);
const postgres: Kind = {
  name: "PostgreSQL",
  location: () => `reader_${run}_${tables++}`,
  open: (table) => postgresStore(url, { table }),
};

const places: Registry = {
  region: { name: "Region" },
  p1: { name: "P1", parent: "region" },
  p2: { name: "P2", parent: "region" },
  p3: { name: "P3" },
};
const ACTORS = ["isis", "regime", "ypg"] as const;
const SOURCES = ["SOHR", "MoD", "ACLED"] as const;
const PLACES = ["region", "p1", "p2", "p3"] as const;
const DAY = 86_400_000;
const T0 = Date.parse("2016-12-01T00:00Z");
const when = (d: number) => T0 + d * DAY;

const strikes = defineReducer({
  version: 2,
  keyBy: { Airstrike: (event) => event.data.places },
  initial: { count: 0, killed: 0 },
  on: {
    Airstrike(entry, event) {
      entry.count += 1;
      entry.killed += event.data.killed ?? 0;
    },
  },
});

const reducers = { strikes, fatalities };
const events = [Fatalities];

const sources = fc
  .subarray([...SOURCES], { minLength: 0, maxLength: 2 })
  .map((names) => names.map((name) => ({ name })));
const day = fc.integer({ min: 0, max: 9 });
const delay = fc.integer({ min: 0, max: 6 });
const place = fc.constantFrom(...PLACES);
const actor = fc.constantFrom(...ACTORS);

/** An input, or a retraction of the n-th input appended before it. */
type Step = { input: Record<string, unknown> } | { retract: number; recordedDay: number };

const input = fc.oneof(
  fc
    .record({ d: day, r: delay, place, by: actor, sources })
    .map(({ d, r, place, by, sources }) => ({
      type: "Captured",
      at: when(d),
      recordedAt: when(d + r),
      data: { place, by },
      sources,
    })),
  fc
    .record({
      d: day,
      r: delay,
      place,
      actor,
      handedTo: fc.option(actor, { nil: undefined }),
      sources,
    })
    .map(({ d, r, place, actor, handedTo, sources }) => ({
      type: "Withdrew",
      at: when(d),
      recordedAt: when(d + r),
      data: handedTo === undefined ? { place, actor } : { place, actor, handedTo },
      sources,
    })),
  fc
    .record({ d: day, r: delay, place, by: actor, sources })
    .map(({ d, r, place, by, sources }) => ({
      type: "Held",
      at: when(d),
      recordedAt: when(d + r),
      data: { place, by },
      sources,
    })),
  fc
    .record({
      d: day,
      r: delay,
      places: fc.subarray([...PLACES], { minLength: 1 }),
      by: actor,
      killed: fc.option(fc.nat(5), { nil: undefined }),
      sources,
    })
    .map(({ d, r, places, by, killed, sources }) => ({
      type: "Airstrike",
      at: when(d),
      recordedAt: when(d + r),
      data: killed === undefined ? { places, by } : { places, by, killed },
      sources,
    })),
  fc
    .record({
      d: day,
      r: delay,
      place,
      by: actor,
      count: fc.option(fc.nat(9), { nil: undefined }),
      sources,
    })
    .map(({ d, r, place, by, count, sources }) => ({
      type: "Arrests",
      at: when(d),
      recordedAt: when(d + r),
      data: count === undefined ? { place, by } : { place, by, count },
      sources,
    })),
  fc
    .record({ d: day, r: delay, place, best: fc.nat(20), sources })
    .map(({ d, r, place, best, sources }) => ({
      type: "Fatalities",
      at: when(d),
      recordedAt: when(d + r),
      data: {
        place,
        sideA: "regime",
        sideB: "isis",
        violence: "state-based",
        best,
        low: best,
        high: best,
      },
      sources,
    })),
);

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: input.map((i) => ({ input: i })) },
  {
    weight: 1,
    arbitrary: fc.record({ retract: fc.nat(40), recordedDay: fc.integer({ min: 0, max: 14 }) }),
  },
);

/** Batches of inputs, retractions naming events appended in earlier batches. */
const batches = fc.array(fc.array(step, { minLength: 1, maxLength: 6 }), {
  minLength: 1,
  maxLength: 7,
});

function inputsOf(
  batch: readonly Step[],
  appended: readonly { id: string }[],
): Record<string, unknown>[] {
  return batch.flatMap((s) => {
    if ("input" in s) return [s.input];
    if (appended.length === 0) return [];
    const target = appended[s.retract % appended.length] as { id: string };
    return [
      {
        type: "Retracted",
        at: when(0),
        recordedAt: when(s.recordedDay),
        data: { eventId: target.id },
      },
    ];
  });
}

const QUERY_DAYS = [-1, 0, 2, 4, 6, 9, 12];
const OPTIONS: (QueryOptions | undefined)[] = [
  undefined,
  { asOf: when(3) },
  { asOf: when(8) },
  { sources: ["SOHR"] },
  { sources: ["MoD", "ACLED"], asOf: when(6) },
];

type Memory = ReturnType<typeof createTimeline<typeof events, typeof reducers>>;
type AnyReader = Awaited<ReturnType<typeof openReader<typeof events, typeof reducers>>>;

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

async function expectSameAnswers(reader: AnyReader, memory: Memory): Promise<void> {
  for (const options of OPTIONS) {
    for (const d of QUERY_DAYS) {
      const t = when(d);
      expect(await reader.stateAt(t, options)).toEqual(memory.stateAt(t, options));
      expect(await reader.claimsAt(t, options)).toEqual(memory.claimsAt(t, options));
      expect(await reader.contested(t, options)).toEqual(memory.contested(t, options));
      expect(await reader.claims("p1", t, options)).toEqual(memory.claims("p1", t, options));
      expect(await reader.diff(when(1), t, options)).toEqual(memory.diff(when(1), t, options));
    }
    for (const p of PLACES) {
      expect(await reader.history(p, options)).toEqual(memory.history(p, options));
    }
    expect(await reader.sources(options)).toEqual(memory.sources(options));
    expect(await collect(reader.events({ ...options }))).toEqual(memory.events({ ...options }));
    expect(await collect(reader.events({ from: when(2), to: when(6), ...options }))).toEqual(
      memory.events({ from: when(2), to: when(6), ...options }),
    );
  }
}

function describeReader(kind: Kind, numRuns: number): void {
  it(`answers every query as an in-memory timeline of the same events, at its own version (${kind.name})`, async () => {
    await fc.assert(
      fc.asyncProperty(batches, fc.nat(7), async (plan, cut) => {
        const path = kind.location();
        const writer = await openTimeline({ store: kind.open(path), places, events, reducers });
        const memory = createTimeline({ places, events, reducers });
        const early = createTimeline({ places, events, reducers });
        const appended: { id: string }[] = [];
        const split = cut % plan.length;
        let reader: AnyReader | undefined;
        try {
          for (const [i, batch] of plan.entries()) {
            const inputs = inputsOf(batch, appended);
            if (inputs.length > 0) {
              const stored = await writer.appendAll(inputs as never[]);
              memory.appendAll(inputs as never[]);
              if (i < split) early.appendAll(inputs as never[]);
              appended.push(...stored.filter((e) => e.type !== "Retracted"));
            }
            // A store is made by its first append: a reader needs one to open.
            if (i === split - 1 && writer.version > 0) {
              reader = await openReader({ store: kind.open(path), events, reducers });
            }
          }
          if (writer.version === 0) return;
          if (reader !== undefined) {
            // Opened before the last batches: it answers for the events stored then.
            expect(reader.version).toBe(early.size);
            await expectSameAnswers(reader, early);
            await reader.refresh();
            expect(reader.version).toBe(writer.version);
          } else {
            reader = await openReader({ store: kind.open(path), events, reducers });
          }
          await expectSameAnswers(reader, memory);
          // A rebuild from the log gives the same read models.
          const store = kind.open(path);
          await reindex({ store, reducers, places });
          await store.close();
          await reader.refresh();
          await expectSameAnswers(reader, memory);
        } finally {
          await reader?.close();
          await writer.close();
        }
      }),
      { numRuns, endOnFailure: true },
    );
  }, 300_000);
}

describe("openReader on PostgreSQL", () => {
  if (url === "") it.skip("needs TIDEMARK_PG_URL (source .ci/postgres.sh)", () => {});
  else {
    describeReader(postgres, 6);
    // Batches this large go through the bulk path (one INSERT per table, keys refolded
    // together); the property above mostly appends a few events at a time.
    it("keeps a batch of 1,500 events in bulk, then late events and retractions, as a fold would", async () => {
      const table = postgres.location();
      const writer = await openTimeline({ store: postgres.open(table), places, events, reducers });
      const memory = createTimeline({ places, events, reducers });
      const reader = await (async () => {
        const first = fc.sample(input, { numRuns: 1500, seed: 23 });
        const stored = await writer.appendAll(first as never[]);
        memory.appendAll(first as never[]);
        const retractions = stored.slice(0, 400).flatMap((e, i) =>
          i % 8 === 0
            ? [
                {
                  type: "Retracted",
                  at: when(0),
                  recordedAt: when(i % 14),
                  data: { eventId: e.id },
                },
              ]
            : [],
        );
        const later = [...fc.sample(input, { numRuns: 300, seed: 29 }), ...retractions];
        await writer.appendAll(later as never[]);
        memory.appendAll(later as never[]);
        return openReader({ store: postgres.open(table), events, reducers });
      })();
      try {
        expect(reader.version).toBe(memory.size);
        await expectSameAnswers(reader, memory);
      } finally {
        await reader.close();
        await writer.close();
      }
    }, 300_000);
  }
});

/**
 * Names as feeds write them, and worse: quotes, backslashes, braces, commas, the word NULL and
 * the control characters a PostgreSQL store uses to send a column of 10^5 values as one text.
 */
const AWKWARD = [
  'Deir ez-Zor "city"',
  "al\\Bab",
  "{Raqqa,Tabqa}",
  "NULL",
  "a\u001fb",
  "\u001e",
  "x\u001e\u001fy",
];

describe.each([sqlite, ...(url === "" ? [] : [postgres])])(
  "read models of awkward names ($name)",
  (kind) => {
    it("keeps places, actors and sources named with quotes, backslashes and control characters as a fold would", async () => {
      const inputs = Array.from({ length: 120 }, (_, i) => ({
        type: i % 4 === 3 ? "Airstrike" : "Captured",
        at: when(i % 9),
        recordedAt: when((i % 9) + (i % 3)),
        sources: [{ name: AWKWARD[(i + 2) % AWKWARD.length] as string }],
        data:
          i % 4 === 3
            ? {
                places: [AWKWARD[i % AWKWARD.length], AWKWARD[(i + 1) % AWKWARD.length]],
                by: "isis",
              }
            : { place: AWKWARD[i % AWKWARD.length], by: AWKWARD[(i + 3) % AWKWARD.length] },
      }));
      const location = kind.location();
      const writer = await openTimeline({ store: kind.open(location) });
      const memory = createTimeline();
      // Two batches: the second's keys follow the first's (the fast path) or reach back.
      for (const batch of [inputs.slice(0, 80), inputs.slice(80)]) {
        await writer.appendAll(batch as never[]);
        memory.appendAll(batch as never[]);
      }
      const reader = await openReader({ store: kind.open(location) });
      try {
        for (const d of [0, 4, 9]) {
          expect(await reader.stateAt(when(d))).toEqual(memory.stateAt(when(d)));
          expect(await reader.contested(when(d))).toEqual(memory.contested(when(d)));
        }
        for (const place of AWKWARD) {
          expect(await reader.history(place)).toEqual(memory.history(place));
          expect(await reader.claims(place, when(9))).toEqual(memory.claims(place, when(9)));
        }
        expect(await reader.sources()).toEqual(memory.sources());
        expect(await collect(reader.events({ sources: [AWKWARD[0] as string] }))).toEqual(
          memory.events({ sources: [AWKWARD[0] as string] }),
        );
      } finally {
        await reader.close();
        await writer.close();
      }
    }, 60_000);
  },
);

describe("openReader on SQLite", () => {
  describeReader(sqlite, 20);

  it("is a TypeError for a plain reducer, naming it and openTimeline", async () => {
    const plain = defineReducer({ initial: 0, on: { Captured: (n: number) => n + 1 } });
    await expect(
      openReader({ store: sqliteStore(newStore()), reducers: { plain } }),
    ).rejects.toThrow(/reducers\.plain .*openTimeline/);
  });

  it("names the slice and the remedy when a reducer's read model is kept under another version", async () => {
    const path = newStore();
    const writer = await openTimeline({ store: sqliteStore(path), reducers: { strikes } });
    await writer.append({
      type: "Airstrike",
      at: "2016-12-10",
      data: { places: ["p1"], by: "isis" },
    });
    await writer.close();
    const newer = defineReducer({ ...strikesConfig, version: 3 });
    const reader = await openReader({ store: sqliteStore(path), reducers: { strikes: newer } });
    const error = await reader.stateAt("2016-12-11").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReadModelError);
    expect((error as ReadModelError).slice).toBe("strikes");
    expect((error as Error).message).toMatch(/reindex/);
    await reindex({ store: sqliteStore(path), reducers: { strikes: newer } });
    await reader.refresh();
    expect((await reader.stateAt("2016-12-11")).strikes).toEqual({ p1: { count: 1, killed: 0 } });
    await reader.close();
  });

  it("says the read model of a slice never given to a writer is missing", async () => {
    const path = newStore();
    const writer = await openTimeline({ store: sqliteStore(path) });
    await writer.append({
      type: "Airstrike",
      at: "2016-12-10",
      data: { places: ["p1"], by: "isis" },
    });
    await writer.close();
    const reader = await openReader({ store: sqliteStore(path), reducers: { strikes } });
    await expect(reader.stateAt("2016-12-11")).rejects.toThrow(/"strikes" is missing.*reindex/);
    expect(await reader.history("p1")).toEqual([]);
    await reader.close();
  });
});

const strikesConfig = {
  keyBy: { Airstrike: (event: { data: { places: readonly string[] } }) => event.data.places },
  initial: { count: 0, killed: 0 },
  on: {
    Airstrike(entry: { count: number; killed: number }) {
      entry.count += 1;
    },
  },
};

describe("the writer's upkeep of a SQLite store", () => {
  const rows = (path: string) => {
    const db = new Database(path, { readonly: true });
    try {
      return db
        .prepare("SELECT slice, key, pos, vfrom, vto FROM tidemark_rm_rows ORDER BY id")
        .all() as { slice: string; key: string; pos: number; vfrom: number; vto: number | null }[];
    } finally {
      db.close();
    }
  };

  it("rewrites only the late event's own key, from where it lands", async () => {
    const path = newStore();
    const writer = await openTimeline({ store: sqliteStore(path) });
    const capture = (place: string, d: number, by: string) => ({
      type: "Captured" as const,
      at: when(d),
      data: { place, by },
    });
    await writer.append(
      ...[0, 1, 2, 3, 4, 5, 6, 7].map((d) => capture("busy", d, ACTORS[d % 3] as string)),
      ...[0, 1, 2, 3, 4, 5, 6, 7].map((d) => capture("quiet", d, ACTORS[d % 3] as string)),
    );
    const before = rows(path);
    await writer.append(capture("busy", 5.5, "ypg"));
    const written = rows(path).filter(
      (r) => r.vfrom === writer.version || r.vto === writer.version,
    );
    // The new event's row, and the rows after it: those of days 6 and 7 only if they changed
    // (a capture does not depend on what came before, so none did).
    expect(written.map((r) => [r.slice, r.key])).toEqual([["control", "busy"]]);
    expect(rows(path).length).toBe(before.length + 1);
    await writer.close();
  });

  it("leaves no trace of an append that fails before its commit", async () => {
    const path = newStore();
    const store = sqliteStore(path);
    const writer = await openTimeline({ store });
    await writer.append({ type: "Captured", at: when(1), data: { place: "p1", by: "isis" } });
    const before = rows(path);
    (store as unknown as Record<symbol, unknown>)[BEFORE_COMMIT] = () => {
      throw new Error("the disk is gone");
    };
    await expect(
      writer.append({ type: "Captured", at: when(0), data: { place: "p1", by: "ypg" } }),
    ).rejects.toThrow(/the disk is gone/);
    expect(rows(path)).toEqual(before);
    const reader = await openReader({ store: sqliteStore(path) });
    expect((await reader.stateAt(when(2))).control.p1?.controller).toBe("isis");
    await reader.close();
    await writer.close();
  });
});
