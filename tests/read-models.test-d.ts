/**
 * Type-level contract of read models: `defineReducer({ version })` and what `openReader`'s
 * queries resolve to.
 */
import { describe, expectTypeOf, it } from "vitest";
import {
  type Claim,
  type ControlEntry,
  type ControlInterval,
  defineReducer,
  openReader,
  type Reader,
  type Reducer,
  type TimelineEvent,
} from "../src/index.js";
import { sqliteStore } from "../src/stores/sqlite.js";

const strikes = defineReducer({
  version: 2,
  keyBy: { Airstrike: (event) => event.data.places },
  initial: { count: 0 },
  on: {
    Airstrike(entry) {
      entry.count += 1;
    },
  },
});

describe("defineReducer({ version })", () => {
  it("takes a string or a number and keeps it on the reducer", () => {
    expectTypeOf(strikes.version).toEqualTypeOf<string | number | undefined>();
    defineReducer({ version: "2024-05", initial: 0, on: { Captured: (n: number) => n + 1 } });
  });

  it("rejects any other kind of version", () => {
    // @ts-expect-error a version is a string or a number
    defineReducer({ version: { major: 1 }, initial: 0, on: { Captured: (n: number) => n + 1 } });
  });
});

describe("openReader", () => {
  it("types every query's answer, the user's slices included", async () => {
    const reader = await openReader({ store: sqliteStore("x.db"), reducers: { strikes } });
    expectTypeOf(reader).toExtend<Reader>();
    const state = await reader.stateAt("2016-12-11");
    expectTypeOf(state.control).toEqualTypeOf<Readonly<Record<string, ControlEntry>>>();
    expectTypeOf(state.strikes).toEqualTypeOf<Readonly<Record<string, { count: number }>>>();
    expectTypeOf(await reader.history("palmyra")).toEqualTypeOf<readonly ControlInterval[]>();
    expectTypeOf(await reader.claims("palmyra", 0)).toEqualTypeOf<readonly Claim[]>();
    expectTypeOf(reader.events()).toExtend<AsyncIterable<TimelineEvent>>();
    expectTypeOf(reader.version).toEqualTypeOf<number>();
    expectTypeOf<typeof strikes>().toExtend<Reducer>();
  });

  it("watches as a durable timeline does: onChange hears the new version, and a stop resolves", async () => {
    const reader = await openReader({ store: sqliteStore("x.db") });
    const stop = await reader.watch(
      (version) => expectTypeOf(version).toEqualTypeOf<number>(),
      (error) => expectTypeOf(error).toEqualTypeOf<unknown>(),
    );
    expectTypeOf(stop).toEqualTypeOf<() => Promise<void>>();
    // @ts-expect-error onChange hears a version, not a state
    await reader.watch((state: { control: unknown }) => state);
  });
});
