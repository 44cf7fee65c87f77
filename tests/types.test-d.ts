/**
 * Type-level contract (checked by `vitest --typecheck`): slices, control entries, narrowed
 * handler events (custom ones included), the helpers `EventOf` / `StateOf`, and the mistakes
 * the compiler must catch.
 */
import type { Draft } from "immer";
import { describe, expectTypeOf, it } from "vitest";
import { z } from "zod";
import {
  type Airstrike,
  type Arrests,
  type Captured,
  type Claim,
  type ControlEntry,
  type ControlInterval,
  createTimeline,
  defineEvent,
  defineReducer,
  type EventOf,
  fromJSON,
  type Held,
  type InputOf,
  type Precision,
  type Reducer,
  type ReducerEvent,
  type SliceOf,
  type StateOf,
  type TimelineEvent,
  type Withdrew,
} from "../src/index.js";

const Clashes = defineEvent(
  "Clashes",
  z.object({
    place: z.string(),
    sides: z.array(z.string()).min(2),
    killed: z.number().int().optional(),
  }),
  { places: ["place"], actors: ["sides"] },
);

interface ClashesData {
  place: string;
  sides: string[];
  killed?: number | undefined;
}

const claimedKilled = defineReducer({
  initial: {} as Record<string, number>,
  on: {
    Airstrike(draft, event) {
      expectTypeOf(draft).toEqualTypeOf<Draft<Record<string, number>>>();
      expectTypeOf(event.type).toEqualTypeOf<"Airstrike">();
      expectTypeOf(event.data).toEqualTypeOf<{
        places: string[];
        by: string;
        strikes?: number | undefined;
        killed?: number | undefined;
      }>();
      const who = event.sources[0]?.name ?? "unknown";
      draft[who] = (draft[who] ?? 0) + (event.data.killed ?? 0);
    },
    Captured(_draft, event) {
      expectTypeOf(event).toEqualTypeOf<EventOf<typeof Captured>>();
      expectTypeOf(event.data).toEqualTypeOf<{
        place: string;
        by: string;
        from?: string | undefined;
      }>();
    },
    Withdrew(_draft, event) {
      expectTypeOf(event.data).toEqualTypeOf<{
        place: string;
        actor: string;
        to?: string | undefined;
        handedTo?: string | undefined;
      }>();
    },
    Arrests(_draft, event) {
      expectTypeOf(event.data).toEqualTypeOf<{
        place: string;
        by: string;
        count?: number | undefined;
      }>();
    },
  },
});

const clashCount = defineReducer({
  initial: 0,
  events: [Clashes],
  on: {
    Clashes(count, event) {
      expectTypeOf(count).toEqualTypeOf<number>();
      expectTypeOf(event.type).toEqualTypeOf<"Clashes">();
      expectTypeOf(event.data).toEqualTypeOf<ClashesData>();
      return count + event.data.sides.length;
    },
  },
});

const everything = defineReducer({
  initial: { seen: [] as string[] },
  events: [Clashes],
  reduce(draft, event) {
    expectTypeOf(event).toEqualTypeOf<
      | EventOf<typeof Captured>
      | EventOf<typeof Withdrew>
      | EventOf<typeof Airstrike>
      | EventOf<typeof Arrests>
      | EventOf<typeof Held>
      | EventOf<typeof Clashes>
    >();
    expectTypeOf(event).toEqualTypeOf<ReducerEvent<[typeof Clashes]>>();
    expectTypeOf(event.type).toEqualTypeOf<
      "Captured" | "Withdrew" | "Airstrike" | "Arrests" | "Held" | "Clashes"
    >();
    // Narrowing by `type` works inside a `reduce` handler.
    if (event.type === "Clashes") expectTypeOf(event.data).toEqualTypeOf<ClashesData>();
    if (event.type === "Withdrew") expectTypeOf(event.data.actor).toEqualTypeOf<string>();
    draft.seen.push(event.id);
  },
});

const timeline = createTimeline({
  events: [Clashes],
  reducers: { claimedKilled, clashCount, everything },
});

describe("types: definitions", () => {
  it("defineEvent keeps the literal type name and infers data from the schema", () => {
    expectTypeOf(Clashes.type).toEqualTypeOf<"Clashes">();
    expectTypeOf<EventOf<typeof Clashes>>().toEqualTypeOf<TimelineEvent<"Clashes", ClashesData>>();
    expectTypeOf<EventOf<typeof Clashes>["data"]>().toEqualTypeOf<ClashesData>();
    expectTypeOf<EventOf<typeof Clashes>["at"]>().toEqualTypeOf<number>();
    expectTypeOf<EventOf<typeof Clashes>["precision"]>().toEqualTypeOf<Precision>();
    expectTypeOf<InputOf<typeof Clashes>["type"]>().toEqualTypeOf<"Clashes">();
  });

  it("the built-in definitions keep their names", () => {
    expectTypeOf<(typeof Captured)["type"]>().toEqualTypeOf<"Captured">();
    expectTypeOf<EventOf<typeof Airstrike>["data"]["places"]>().toEqualTypeOf<string[]>();
  });

  it("defineReducer gives a Reducer of the slice type", () => {
    expectTypeOf(clashCount).toEqualTypeOf<Reducer<number>>();
    expectTypeOf<SliceOf<typeof claimedKilled>>().toEqualTypeOf<Record<string, number>>();
    expectTypeOf<SliceOf<typeof everything>>().toEqualTypeOf<{ seen: string[] }>();
  });
});

describe("types: states and queries", () => {
  it("stateAt(t).mySlice has the slice's type", () => {
    const state = timeline.stateAt("2016-12-11");
    expectTypeOf(state.claimedKilled).toEqualTypeOf<Record<string, number>>();
    expectTypeOf(state.clashCount).toEqualTypeOf<number>();
    expectTypeOf(state.everything).toEqualTypeOf<{ seen: string[] }>();
    expectTypeOf(timeline.latest().clashCount).toEqualTypeOf<number>();
  });

  it("control entries are typed", () => {
    const state = timeline.stateAt(Date.UTC(2016, 11, 11));
    const entry = state.control.palmyra;
    expectTypeOf(entry).toEqualTypeOf<ControlEntry | undefined>();
    expectTypeOf<ControlEntry["controller"]>().toEqualTypeOf<string | null>();
    expectTypeOf<ControlEntry["since"]>().toEqualTypeOf<number>();
    expectTypeOf<ControlEntry["eventId"]>().toEqualTypeOf<string>();
    if (entry !== undefined) expectTypeOf(entry.controller).toEqualTypeOf<string | null>();
    expectTypeOf(state.airstrikes.palmyra?.count).toEqualTypeOf<number | undefined>();
    expectTypeOf(state.arrests.palmyra?.detained).toEqualTypeOf<number | undefined>();
  });

  it("control entries say whether they are contested; strikes and arrests how precise lastAt is", () => {
    expectTypeOf<ControlEntry["contested"]>().toEqualTypeOf<boolean>();
    const state = timeline.latest();
    expectTypeOf(state.airstrikes.palmyra?.lastPrecision).toEqualTypeOf<Precision | undefined>();
    expectTypeOf(state.arrests.palmyra?.lastPrecision).toEqualTypeOf<Precision | undefined>();
  });

  it("claims say whether they stand and, for a withdrawal, who left", () => {
    const [claim] = timeline.claims("palmyra", "2016-12-11");
    expectTypeOf(claim).toEqualTypeOf<Claim | undefined>();
    expectTypeOf<Claim["standing"]>().toEqualTypeOf<boolean>();
    expectTypeOf<Claim["left"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Claim["controller"]>().toEqualTypeOf<string | null>();
    expectTypeOf(timeline.claimsAt("2016-12-11")[0]?.claims).toEqualTypeOf<
      readonly Claim[] | undefined
    >();
  });

  it("StateOf<typeof timeline> is the type of its states", () => {
    type State = StateOf<typeof timeline>;
    expectTypeOf<State>().toEqualTypeOf<ReturnType<typeof timeline.stateAt>>();
    expectTypeOf<State["clashCount"]>().toEqualTypeOf<number>();
    expectTypeOf<keyof State>().toEqualTypeOf<
      "control" | "airstrikes" | "arrests" | "claimedKilled" | "clashCount" | "everything"
    >();
  });

  it("append returns stored events of the timeline's types; history and events are typed", () => {
    const [stored] = timeline.append({
      type: "Clashes",
      at: "2016-12-10",
      data: { place: "palmyra", sides: ["isis", "regime"] },
    });
    expectTypeOf(stored).toEqualTypeOf<
      | EventOf<typeof Captured>
      | EventOf<typeof Withdrew>
      | EventOf<typeof Airstrike>
      | EventOf<typeof Arrests>
      | EventOf<typeof Held>
      | EventOf<typeof import("../src/index.js").Retracted>
      | EventOf<typeof Clashes>
      | undefined
    >();
    expectTypeOf(timeline.history("palmyra")).toEqualTypeOf<readonly ControlInterval[]>();
    expectTypeOf(timeline.size).toEqualTypeOf<number>();
    const events = timeline.events({ from: "2016", sources: ["SOHR"] });
    const first = events[0];
    if (first?.type === "Clashes") expectTypeOf(first.data).toEqualTypeOf<ClashesData>();
  });

  it("fromJSON gives a timeline typed like createTimeline", () => {
    const copy = fromJSON(timeline.toJSON(), { events: [Clashes], reducers: { clashCount } });
    expectTypeOf(copy.latest().clashCount).toEqualTypeOf<number>();
  });

  it("stored events (from events() or toJSON()) can be appended again without a cast", () => {
    timeline.appendAll(timeline.toJSON().events);
    timeline.append(...timeline.events());
    expectTypeOf(timeline.toJSON().events).toEqualTypeOf<
      readonly (
        | EventOf<typeof Captured>
        | EventOf<typeof Withdrew>
        | EventOf<typeof Airstrike>
        | EventOf<typeof Arrests>
        | EventOf<typeof Held>
        | EventOf<typeof import("../src/index.js").Retracted>
        | EventOf<typeof Clashes>
      )[]
    >();
  });
});

describe("types: mistakes the compiler catches", () => {
  it("a handler for an unknown event type", () => {
    defineReducer({
      initial: 0,
      on: {
        // @ts-expect-error: "Nope" is not an event type the reducer knows
        Nope: (n: number) => n + 1,
      },
    });
    defineReducer({
      initial: 0,
      on: {
        // @ts-expect-error: a custom type must be listed in `events` to be handled
        Clashes: (n: number) => n + 1,
      },
    });
  });

  it("a literal append with a wrong data shape", () => {
    // @ts-expect-error: `place` must be a string
    timeline.append({ type: "Captured", at: "2016-12-10", data: { place: 1, by: "isis" } });
    // @ts-expect-error: `by` is missing
    timeline.append({ type: "Captured", at: "2016-12-10", data: { place: "palmyra" } });
    timeline.append({
      type: "Airstrike",
      at: "2016-12-10",
      // @ts-expect-error: `places` is an array of place ids
      data: { places: "palmyra", by: "russia" },
    });
    timeline.append({
      type: "Clashes",
      at: "2016-12-10",
      // @ts-expect-error: a custom event's data is checked too (`sides` is an array)
      data: { place: "palmyra", sides: "isis" },
    });
    // @ts-expect-error: `at` is a TimeInput
    timeline.append({ type: "Captured", at: true, data: { place: "palmyra", by: "isis" } });
  });

  it("an unknown event type literal", () => {
    // @ts-expect-error: "Skirmish" is not an event type of this timeline
    timeline.append({ type: "Skirmish", at: "2016-12-10", data: { place: "palmyra" } });
    const plain = createTimeline();
    // @ts-expect-error: "Clashes" was not given to this timeline
    plain.append({ type: "Clashes", at: "2016", data: { place: "x", sides: ["a", "b"] } });
  });

  it("accessing an unknown slice", () => {
    const state = timeline.stateAt("2016-12-11");
    // @ts-expect-error: no reducer is named "casualties"
    state.casualties;
    // @ts-expect-error: a timeline without custom reducers has only the built-in slices
    createTimeline().latest().claimedKilled;
  });

  it("states are read-only", () => {
    const state = timeline.stateAt("2016-12-11");
    // @ts-expect-error: control is readonly
    state.control = {};
    const entry = state.control.palmyra;
    if (entry !== undefined) {
      // @ts-expect-error: control entries are readonly
      entry.controller = "regime";
    }
  });
});

describe("keyed reducers", () => {
  const strikes = defineReducer({
    keyBy: { Airstrike: (event) => event.data.places },
    initial: { count: 0, killed: 0 },
    on: {
      Airstrike(entry, event) {
        expectTypeOf(entry).toEqualTypeOf<Draft<{ count: number; killed: number }>>();
        expectTypeOf(event).toEqualTypeOf<EventOf<typeof Airstrike>>();
        entry.count += 1;
      },
    },
  });

  it("the slice is a record of entries typed from `initial`", () => {
    expectTypeOf<SliceOf<typeof strikes>>().toEqualTypeOf<
      Readonly<Record<string, { count: number; killed: number }>>
    >();
    const timeline = createTimeline({ reducers: { strikes } });
    expectTypeOf(timeline.latest().strikes).toEqualTypeOf<
      Readonly<Record<string, { count: number; killed: number }>>
    >();
  });

  it("narrows each keyBy function's and handler's event, custom events included", () => {
    defineReducer({
      events: [Clashes],
      keyBy: {
        Clashes: (event) => {
          expectTypeOf(event.data).toEqualTypeOf<ClashesData>();
          return event.data.sides;
        },
        Held: (event) => {
          expectTypeOf(event).toEqualTypeOf<EventOf<typeof Held>>();
          return event.data.place;
        },
      },
      initial: 0,
      on: {
        Clashes: (n, event) => {
          expectTypeOf(n).toEqualTypeOf<number>();
          expectTypeOf(event.type).toEqualTypeOf<"Clashes">();
          return n + 1;
        },
        Held: (n) => n + 1,
      },
    });
  });

  it("keyBy and on must name the same event types", () => {
    const byPlaces = (event: EventOf<typeof Airstrike>) => event.data.places;
    const byPlace = (event: EventOf<typeof Arrests>) => event.data.place;
    const count = (n: number) => n + 1;
    const lacking = {
      keyBy: { Airstrike: byPlaces, Arrests: byPlace },
      initial: 0,
      on: { Airstrike: count },
    };
    // @ts-expect-error: `on` lacks the Arrests handler that keyBy announces
    defineReducer(lacking);
    const extra = {
      keyBy: { Airstrike: byPlaces },
      initial: 0,
      on: { Airstrike: count, Arrests: count },
    };
    // @ts-expect-error: `on` handles Arrests, which keyBy does not key
    defineReducer(extra);
  });

  it("keyBy returns a key or a list of keys", () => {
    const byCount = (event: EventOf<typeof Arrests>) => event.data.count;
    const config = {
      keyBy: { Arrests: byCount },
      initial: 0,
      on: { Arrests: (n: number) => n + 1 },
    };
    // @ts-expect-error: a key is a string
    defineReducer(config);
  });

  it("a keyed reducer takes no `reduce`", () => {
    // @ts-expect-error: `reduce` with keyBy
    defineReducer({ keyBy: { Arrests: () => "x" }, initial: 0, reduce: (n: number) => n });
  });
});
