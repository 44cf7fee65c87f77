import { expectTypeOf, test } from "vitest";
import { z } from "zod";
import {
  type ConcurrencyError,
  type DurableTimeline,
  defineEvent,
  defineReducer,
  type EventStore,
  openTimeline,
  type StateOf,
  type StoreCorruptionError,
} from "../../src/index.js";
import { type PgPool, postgresStore } from "../../src/stores/postgres.js";
import { sqliteStore } from "../../src/stores/sqlite.js";

const Clashes = defineEvent("Clashes", z.object({ place: z.string(), sides: z.array(z.string()) }));
const counter = defineReducer({ initial: 0, reduce: (n: number) => n + 1 });

test("a durable timeline is typed like an in-memory one, with async appends", async () => {
  const timeline = await openTimeline({
    store: sqliteStore("x.db"),
    events: [Clashes],
    reducers: { counter },
  });
  expectTypeOf(timeline.latest().counter).toEqualTypeOf<number>();
  expectTypeOf<StateOf<typeof timeline>["counter"]>().toEqualTypeOf<number>();
  expectTypeOf(timeline.version).toEqualTypeOf<number>();
  const stored = await timeline.append({
    type: "Clashes",
    at: "2016-12-10",
    data: { place: "palmyra", sides: ["isis", "regime"] },
  });
  expectTypeOf(stored[0]?.type).toEqualTypeOf<
    "Captured" | "Withdrew" | "Airstrike" | "Arrests" | "Held" | "Retracted" | "Clashes" | undefined
  >();
  // @ts-expect-error: data of the wrong shape
  await timeline.appendIfVersion(3, { type: "Captured", at: 0, data: { place: 1 } });
  expectTypeOf(timeline.refresh()).toEqualTypeOf<Promise<number>>();
  expectTypeOf(timeline).toMatchTypeOf<DurableTimeline>();
});

test("stores and errors", () => {
  expectTypeOf(sqliteStore).returns.toEqualTypeOf<EventStore>();
  expectTypeOf(postgresStore).parameter(0).toEqualTypeOf<string | PgPool>();
  expectTypeOf<ConcurrencyError["actual"]>().toEqualTypeOf<number>();
  expectTypeOf<StoreCorruptionError["version"]>().toEqualTypeOf<number | undefined>();
});
