/**
 * A store outlives the code that wrote it: a store written by "old code" (an event type at
 * version 1, a keyed reducer over it) is read by "new code" (the type at version 2 with an
 * upcast, the reducer at a new version) through every read path: `openTimeline`, a reader's
 * `events`, `reindex` and the writer's upkeep of a key's tail.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { openWithStoredTypes } from "../../src/cli/opaque.js";
import {
  createTimeline,
  defineEvent,
  defineReducer,
  openReader,
  openTimeline,
  ReadModelError,
  reindex,
  type TimelineEvent,
  TimelineValidationError,
} from "../../src/index.js";
import { postgresStore } from "../../src/stores/postgres.js";
import { sqliteStore } from "../../src/stores/sqlite.js";
import type { EventStore } from "../../src/stores/store.js";

const dir = mkdtempSync(join(tmpdir(), "tidemark-upcast-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let stores = 0;
const url = process.env.TIDEMARK_PG_URL ?? "";
const run = Date.now().toString(36);

interface Kind {
  readonly name: string;
  readonly location: () => string;
  readonly open: (location: string) => EventStore;
}
const sqlite: Kind = {
  name: "SQLite",
  location: () => join(dir, `store-${stores++}.db`),
  open: (path) => sqliteStore(path),
};
const postgres: Kind = {
  name: "PostgreSQL",
  location: () => `upcast_${run}_${stores++}`,
  open: (table) => postgresStore(url, { table }),
};

// ---- the old code
const ShellingV1 = defineEvent(
  "Shelling",
  z.strictObject({ place: z.string(), rounds: z.number().int() }),
  { places: ["place"] },
);
const shelledV1 = defineReducer({
  events: [ShellingV1],
  keyBy: { Shelling: (event) => event.data.place },
  initial: { rounds: 0 },
  on: {
    Shelling(entry, event) {
      entry.rounds += event.data.rounds;
    },
  },
});

// ---- the new code
const Shelling = defineEvent(
  "Shelling",
  z.strictObject({ place: z.string(), shells: z.number().int(), by: z.string().optional() }),
  {
    places: ["place"],
    version: 2,
    upcast: (data) => {
      const { place, rounds } = data as { place: string; rounds: number };
      return { place, shells: rounds };
    },
  },
);
const shelled = defineReducer({
  version: 2,
  events: [Shelling],
  keyBy: { Shelling: (event) => event.data.place },
  initial: { shells: 0, last: null as string | null },
  on: {
    Shelling(entry, event) {
      entry.shells += event.data.shells;
      entry.last = event.data.by ?? entry.last;
    },
  },
});

const OLD_INPUTS = [
  { type: "Shelling", at: "2024-03-01", data: { place: "tadmur", rounds: 40 } },
  { type: "Shelling", at: "2024-03-04", data: { place: "tadmur", rounds: 12 } },
  { type: "Shelling", at: "2024-03-02", data: { place: "arak", rounds: 5 } },
  { type: "Captured", at: "2024-03-03", data: { place: "tadmur", by: "isis" } },
] as const;

/** A store as last year's code left it. */
async function writtenByOldCode(kind: Kind): Promise<string> {
  const location = kind.location();
  const old = await openTimeline({
    store: kind.open(location),
    events: [ShellingV1],
    reducers: { shelled: shelledV1 },
  });
  await old.append(...OLD_INPUTS);
  await old.close();
  return location;
}

/** What the new code folds in memory from the same events (upcast on the way in). */
function newMemory() {
  const memory = createTimeline({ events: [Shelling], reducers: { shelled } });
  memory.append(...OLD_INPUTS.map((input) => ({ ...input, version: 1 }) as never));
  return memory;
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

function describeUpcast(kind: Kind): void {
  it(`opens a store of old events with the new definition, upcasting every one (${kind.name})`, async () => {
    const location = await writtenByOldCode(kind);
    const timeline = await openTimeline({
      store: kind.open(location),
      events: [Shelling],
      reducers: { shelled },
    });
    const memory = newMemory();
    expect(timeline.events()).toEqual(memory.events());
    expect(timeline.latest().shelled).toEqual({
      tadmur: { shells: 52, last: null },
      arak: { shells: 5, last: null },
    });
    await timeline.close();
  });

  it(`streams a reader's events upcast, and rebuilds the read models from upcast data (${kind.name})`, async () => {
    const location = await writtenByOldCode(kind);
    const reader = await openReader({
      store: kind.open(location),
      events: [Shelling],
      reducers: { shelled },
    });
    const memory = newMemory();
    expect(await collect(reader.events())).toEqual(memory.events());
    // The old code kept its reducer's read model under another version.
    const stale = await reader.stateAt("2024-03-05").catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(ReadModelError);
    const store = kind.open(location);
    await reindex({ store, events: [Shelling], reducers: { shelled } });
    await store.close();
    await reader.refresh();
    for (const t of ["2024-03-01", "2024-03-03", "2024-03-05"]) {
      expect(await reader.stateAt(t)).toEqual(memory.stateAt(t));
    }
    await reader.close();
  });

  it(`keeps the read model of a key whose old events a late new one refolds (${kind.name})`, async () => {
    const location = await writtenByOldCode(kind);
    const store = kind.open(location);
    await reindex({ store, events: [Shelling], reducers: { shelled } });
    await store.close();
    const writer = await openTimeline({
      store: kind.open(location),
      events: [Shelling],
      reducers: { shelled },
    });
    // Before the old events of its key: the writer folds them again, read back upcast.
    const late = {
      type: "Shelling",
      at: "2024-02-28",
      data: { place: "tadmur", shells: 2, by: "regime" },
    } as const;
    await writer.append(late);
    const memory = newMemory();
    memory.append(late);
    const reader = await openReader({
      store: kind.open(location),
      events: [Shelling],
      reducers: { shelled },
    });
    for (const t of ["2024-02-28", "2024-03-01", "2024-03-05"]) {
      expect(await reader.stateAt(t)).toEqual(memory.stateAt(t));
    }
    expect((await reader.stateAt("2024-03-05")).shelled.tadmur).toEqual({
      shells: 54,
      last: "regime",
    });
    await reader.close();
    await writer.close();
  });

  it(`names the type and versions when the new definition has no upcast, on every path (${kind.name})`, async () => {
    const location = await writtenByOldCode(kind);
    const NoWay = defineEvent("Shelling", Shelling.schema, { places: ["place"], version: 2 });
    const message = /"Shelling" event of version 1 cannot be read as version 2/;
    await expect(openTimeline({ store: kind.open(location), events: [NoWay] })).rejects.toThrow(
      message,
    );
    await expect(
      openTimeline({ store: kind.open(location), events: [NoWay] }),
    ).rejects.toBeInstanceOf(TimelineValidationError);
    const reader = await openReader({ store: kind.open(location), events: [NoWay] });
    await expect(collect(reader.events())).rejects.toThrow(message);
    await reader.close();
    const store = kind.open(location);
    await expect(reindex({ store, events: [NoWay] })).rejects.toThrow(message);
    await store.close();
  });
}

describe("the command line, which knows no custom definitions", () => {
  it("reads events of every version as they are stored, each with its version", async () => {
    const location = await writtenByOldCode(sqlite);
    const writer = await openTimeline({ store: sqlite.open(location), events: [Shelling] });
    await writer.append({ type: "Shelling", at: "2024-03-05", data: { place: "arak", shells: 9 } });
    await writer.close();
    const timeline = await openWithStoredTypes(() => sqliteStore(location, { readonly: true }), {});
    const shelling = (timeline.events() as readonly TimelineEvent[]).filter(
      (e) => e.type === "Shelling",
    );
    expect(shelling.map((e) => [e.version, e.data])).toEqual([
      [undefined, { place: "tadmur", rounds: 40 }],
      [undefined, { place: "arak", rounds: 5 }],
      [undefined, { place: "tadmur", rounds: 12 }],
      [2, { place: "arak", shells: 9 }],
    ]);
    await timeline.close();
  });
});

describe("a store written by older code, on SQLite", () => {
  describeUpcast(sqlite);
});

describe("a store written by older code, on PostgreSQL", () => {
  if (url === "") it.skip("needs TIDEMARK_PG_URL (source .ci/postgres.sh)", () => {});
  else describeUpcast(postgres);
});
