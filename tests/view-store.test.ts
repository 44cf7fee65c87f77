// `tidemark view` on a store answers through the read models (StoreViewModel) what it answers of
// the same events folded in memory (ViewModel): the map at an instant, as known at another,
// per source, a place's story, the events around an instant, the ticks and each side's
// territory. On the Palmyra example and on a messier timeline of late and retracted reports.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { actors } from "../examples/palmyra/actors.js";
import { palmyraEvents } from "../examples/palmyra/events.js";
import { places } from "../examples/palmyra/places.js";
import { openViewData, type ViewAnswers } from "../src/cli/view-data.js";
import { MapRows } from "../src/cli/view-map-rows.js";
import { type ViewFrame, ViewModel, type ViewTimeline } from "../src/cli/view-model.js";
import {
  createTimeline,
  openReader,
  openTimeline,
  ReadModelError,
  type Registry,
} from "../src/index.js";
import { openStore } from "../src/stores/open.js";
import { postgresStore } from "../src/stores/postgres.js";
import { keepsReadModels, OPEN_READ_MODEL } from "../src/stores/reader-source.js";
import { sqliteStore } from "../src/stores/sqlite.js";

const dir = mkdtempSync(join(tmpdir(), "tidemark-view-store-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const DAY = 86_400_000;
const T0 = Date.UTC(2016, 0, 1);

/** 40 places, 600 reports by three sides from two sources, some recorded late, some retracted. */
function messy(): { places: Registry; events: unknown[] } {
  const registry: Record<string, { name: string; coordinates: [number, number] }> = {};
  for (let i = 0; i < 40; i++) {
    registry[`v${i}`] = { name: `Village ${i}`, coordinates: [36 + (i % 8) * 0.1, 35 + i * 0.02] };
  }
  const sides = ["gov", "hts", "isis"];
  const events: unknown[] = [];
  let seed = 7;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  for (let k = 0; k < 600; k++) {
    const at = T0 + Math.floor(random() * 90) * DAY + Math.floor(random() * 24) * 3_600_000;
    const place = `v${Math.floor(random() * 40)}`;
    const by = sides[Math.floor(random() * 3)] as string;
    const late = random() < 0.2 ? Math.floor(random() * 20) * DAY : 0;
    const sources = random() < 0.1 ? [] : [{ name: random() < 0.5 ? "A" : "B" }];
    const kind = random();
    events.push(
      kind < 0.1
        ? {
            id: `e${k}`,
            type: "Withdrew",
            at,
            recordedAt: at + late,
            sources,
            data: { place, actor: by },
          }
        : kind < 0.2
          ? { id: `e${k}`, type: "Held", at, recordedAt: at + late, sources, data: { place, by } }
          : {
              id: `e${k}`,
              type: "Captured",
              at,
              recordedAt: at + late,
              sources,
              data: { place, by },
            },
    );
  }
  for (let k = 0; k < 600; k += 37) {
    events.push({
      id: `r${k}`,
      type: "Retracted",
      at: T0 + 100 * DAY,
      recordedAt: T0 + 100 * DAY,
      data: { eventId: `e${k}` },
    });
  }
  return { places: registry, events };
}

/** The same events in memory and in a SQLite store, each with the viewer's questions. */
async function both(
  kind: Kind,
  name: string,
  registry: Registry,
  actorRegistry: Registry | undefined,
  events: unknown[],
) {
  const memory = createTimeline({ places: registry, actors: actorRegistry });
  memory.appendAll(events as never[]);
  const table = `view_${name.replace(/\W+/g, "_")}_${process.pid}`;
  const path =
    kind === "SQLite"
      ? join(dir, `${name}.db`)
      : `${pgUrl}${pgUrl.includes("?") ? "&" : "?"}table=${table}`;
  const writer = await openTimeline({
    store: kind === "SQLite" ? sqliteStore(path) : postgresStore(pgUrl, { table }),
    places: registry,
    actors: actorRegistry,
  });
  await writer.append(...(events as never[]));
  await writer.close();
  const info = {
    title: path,
    subtitle: "",
    places: registry,
    actors: actorRegistry ?? {},
    skipped: null,
  };
  const local = new ViewModel(memory as unknown as ViewTimeline, info);
  const { data } = await openViewData(
    path,
    { places: registry, ...(actorRegistry === undefined ? {} : { actors: actorRegistry }) },
    true,
  );
  return { local, store: data.model as ViewAnswers, close: data.close };
}

/**
 * A frame with its places in id order: a reader lists a slice's keys by id, a timeline in
 * memory in the order the events gave them.
 */
function byId(frame: ViewFrame): unknown {
  const id = (f: { properties: { id?: string; controller?: string | null } }) =>
    `${f.properties.id ?? ""}|${f.properties.controller ?? ""}`;
  const order = <T>(list: readonly T[], key: (x: T) => string) =>
    [...list].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return {
    ...frame,
    geojson: { ...frame.geojson, features: order(frame.geojson.features, id) },
    areas: { ...frame.areas, features: order(frame.areas.features, id) },
    airstrikes: order(frame.airstrikes, ([p]) => p),
    contested: order(frame.contested, ([p]) => p),
  };
}

/** A view's answers as JSON (frozen or not, in the same order). */
const same = async (a: unknown, b: unknown) =>
  expect(JSON.parse(JSON.stringify(await b))).toEqual(JSON.parse(JSON.stringify(await a)));

const cases = [
  ["the Palmyra example", () => ({ places, actors, events: palmyraEvents as unknown[] })],
  ["a messy timeline of late and retracted reports", () => ({ ...messy(), actors: undefined })],
] as const;

type Kind = "SQLite" | "PostgreSQL";
const pgUrl = process.env.TIDEMARK_PG_URL ?? "";
const kinds: Kind[] = pgUrl === "" ? ["SQLite"] : ["SQLite", "PostgreSQL"];
if (pgUrl === "") {
  describe("a PostgreSQL store read through its read models", () => {
    it.skip("needs TIDEMARK_PG_URL (source .ci/postgres.sh)", () => {});
  });
}

describe.each(kinds.flatMap((kind) => cases.map(([name, make]) => [kind, name, make] as const)))(
  "a %s store read through its read models, on %s",
  (kind, name, make) => {
    it("answers as the timeline in memory does, at every instant, as known then, per source", async () => {
      const { places: registry, actors: actorRegistry, events } = make();
      const { local, store, close } = await both(
        kind,
        name.replace(/\W+/g, "-"),
        registry,
        actorRegistry,
        events,
      );
      try {
        const meta = local.meta();
        const got = await store.meta();
        for (const key of [
          "sources",
          "unsourced",
          "controllers",
          "lastAt",
          "full",
          "recent",
          "events",
        ] as const) {
          expect(got[key], key).toEqual(meta[key]);
        }
        const w = meta.full;
        const views = [
          {},
          { asOf: w.start + (w.end - w.start) / 2 },
          { sources: [meta.sources[0]?.name ?? "A"] },
        ];
        for (const view of views) {
          if ("sources" in view) {
            // Per source, the reader folds the events citing them: no series, and the page says why.
            const series = await store.territory(view, w);
            expect(series.sides).toEqual([]);
            expect(series.note).toMatch(/viewed by source/);
          } else await same(local.territory(view, w), store.territory(view, w));
          const ticks = await store.ticks(view, w);
          const want = local.ticks(view, w);
          expect([...ticks.at].sort((a, b) => a[0] - b[0])).toEqual(
            [...want.at].sort((a, b) => a[0] - b[0]),
          );
          for (let i = 0; i <= 12; i++) {
            const q = { at: w.start + ((w.end - w.start) * i) / 12, ...view };
            await same(byId(local.frame(q)), byId(await store.frame(q)));
            await same(local.eventsAround(q), store.eventsAround(q));
            const busiest = meta.busiest ?? "";
            await same(local.place(busiest, q), store.place(busiest, q));
          }
        }
      } finally {
        await close();
      }
    });
  },
);

describe.each(kinds)("the map's rows of a %s store held in memory", (kind) => {
  it("give the map that SQL gives at every instant, as known then, at earlier versions", async () => {
    const { places: registry, events } = messy();
    const table = `view_rows_${process.pid}`;
    const path =
      kind === "SQLite"
        ? join(dir, "rows.db")
        : `${pgUrl}${pgUrl.includes("?") ? "&" : "?"}table=${table}`;
    const writer = await openTimeline({
      store: kind === "SQLite" ? sqliteStore(path) : postgresStore(pgUrl, { table }),
      places: registry,
    });
    await writer.append(...(events as never[]));
    await writer.close();
    const store = openStore(path, { readonly: true });
    if (!keepsReadModels(store)) throw new Error("no read models");
    const connection = await store[OPEN_READ_MODEL]();
    try {
      const reads = connection.source.views?.();
      if (reads === undefined) throw new Error("no view reads");
      const rows = await MapRows.load(reads);
      const instants = new Set<number>();
      for (const e of events as { at: number }[])
        for (const d of [-1, 0, 1]) instants.add(e.at + d);
      const sorted = [...instants].sort((a, b) => a - b);
      const late = T0 + 40 * DAY;
      let contested = 0;
      let compared = 0;
      for (const version of [events.length, 500, 120]) {
        for (const asOf of [undefined, late, T0 + 100 * DAY]) {
          for (const [i, t] of sorted.entries()) {
            // Every instant once at the last version, a sample of them in the other views.
            if (!(version === events.length && asOf === undefined) && i % 7 !== 0) continue;
            const view = { version, asOf };
            const want = await reads.mapAt(t, view);
            expect(rows.mapAt(t, view)).toEqual(want);
            contested += want.control.filter((e) => e.contested === true).length;
            compared += want.control.length;
          }
        }
      }
      // The comparison saw maps with places held and contested.
      expect(compared).toBeGreaterThan(10_000);
      expect(contested).toBeGreaterThan(100);
    } finally {
      await connection.close();
      await store.close();
    }
  });
});

describe("a store without read models", () => {
  it("is refused with the reader's own words, naming the remedy", async () => {
    const path = join(dir, "old.db");
    const writer = await openTimeline({ store: sqliteStore(path) });
    await writer.append({
      type: "Captured",
      at: "2016-12-10",
      data: { place: "palmyra", by: "isis" },
    });
    await writer.close();
    // As an earlier tidemark wrote it: events, no read model tables.
    const db = new Database(path);
    for (const table of db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name LIKE 'tidemark_rm_%'")
      .pluck()
      .all() as string[])
      db.exec(`DROP TABLE ${table}`);
    db.close();
    const reader = await openReader({ store: sqliteStore(path) });
    const said = await reader.stateAt(0).then(
      () => undefined,
      (error: Error) => error.message,
    );
    await reader.close();
    const refused = openViewData(path, {}, true);
    await expect(refused).rejects.toBeInstanceOf(ReadModelError);
    await expect(refused).rejects.toThrow(said);
    expect(said).toMatch(/tidemark reindex STORE/);
  });
});
