/**
 * Fuzzing the boundaries: whatever `append` and the queries are given, they either work or
 * throw `TimelineValidationError` (never another exception), and a rejected append leaves the
 * timeline exactly as it was.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  createTimeline,
  defineEvent,
  defineReducer,
  type Registry,
  TimelineValidationError,
} from "../src/index.js";

const Clashes = defineEvent(
  "Clashes",
  z.object({
    place: z.string(),
    sides: z.array(z.string()).min(2),
    meta: z.unknown().optional(),
  }),
  { places: ["place"], actors: ["sides"] },
);

const reducers = {
  count: defineReducer({ initial: 0, reduce: (n) => n + 1 }),
  clashes: defineReducer({
    initial: { n: 0, last: null as string | null },
    events: [Clashes],
    on: {
      Clashes(draft, event) {
        draft.n += 1;
        draft.last = event.id;
      },
    },
  }),
};

const PLACES: Registry = {
  palmyra: { name: "Palmyra", aliases: ["Tadmur"] },
  citadel: { name: "Citadel", parent: "palmyra" },
  "jabal-tar": { name: "Jabal Tar" },
};
const ACTORS: Registry = {
  isis: { name: "ISIS", aliases: ["IS"] },
  regime: { name: "Syrian government" },
  russia: { name: "Russia" },
};

const SEED = [
  {
    id: "s1",
    type: "Captured",
    at: "2016-03-27",
    data: { place: "palmyra", by: "regime" },
    sources: [{ name: "SANA" }],
  },
  {
    id: "s2",
    type: "Captured",
    at: "2016-12-11T12:00+02:00",
    data: { place: "palmyra", by: "isis", from: "regime" },
    sources: [{ name: "SOHR", url: "https://example.org/sohr" }],
  },
  {
    id: "s3",
    type: "Clashes",
    at: "2016-12-10",
    data: { place: "jabal-tar", sides: ["isis", "regime"] },
  },
  { id: "s4", type: "Airstrike", at: "2016-12-11", data: { places: ["palmyra"], by: "russia" } },
  { id: "s5", type: "Retracted", at: "2016-12-12", data: { eventId: "s4" } },
];

function seeded(registry: boolean) {
  const timeline = createTimeline({
    events: [Clashes],
    reducers,
    ...(registry ? { places: PLACES, actors: ACTORS } : {}),
  });
  timeline.append(...(SEED as never[]));
  return timeline;
}

type Seeded = ReturnType<typeof seeded>;

/** Everything observable about a timeline, to compare before and after a rejected append. */
function observe(timeline: Seeded) {
  return {
    size: timeline.size,
    json: JSON.stringify(timeline.toJSON()),
    latest: timeline.latest(),
    at: timeline.stateAt("2016-12-11T06:00Z"),
    asOf: timeline.latest({ asOf: "2016-12-11T23:00Z", sources: ["SOHR", "SANA"] }),
    history: timeline.history("palmyra"),
    events: timeline.events(),
  };
}

// ---------------------------------------------------------------------------------------------
// Inputs: valid events, the same with mutations, and arbitrary values.

const BAD_TIMES: readonly unknown[] = [
  "yesterday",
  "2016-13-40",
  "2016-02-30",
  "2015-02-29",
  "2016-12-11T24:00",
  "2016-12-11T12:60",
  "2016-12-11T12:00:61",
  "2016-12-11T12:00+25:00",
  "2016-W54",
  "2015-W53",
  "2016-W00",
  "2016-12-11T",
  "",
  " ",
  "12/11/2016",
  "+002016-12-11",
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  1.5,
  8.64e15 + 1,
  -8.64e15 - 1,
  new Date("x"),
  null,
  true,
  {},
  [],
  ["2016-12-11"],
  { at: "2016-12-11" },
];

const goodTime = fc.oneof(
  fc.constantFrom<unknown>(
    "2016",
    "2016-12",
    "2016-W49",
    "2016-W49-7",
    "2016-12-11",
    "2016-12-11T06",
    "2016-12-11T06:00+02:00",
    "2016-12-11T06:00:00Z",
    "2016-12-11T06:00:00.125-03:30",
  ),
  fc.integer({ min: -8.64e15, max: 8.64e15 }),
  fc.date({ noInvalidDate: true }),
);
const badTime = fc.oneof(fc.constantFrom(...BAD_TIMES), fc.string(), fc.double());
const anyValue = fc.oneof(
  fc.anything({ withNullPrototype: true, withBoxedValues: true, withDate: true }),
  fc.jsonValue(),
  badTime,
  fc.constantFrom<unknown>(undefined, null, "", "palmyra", "isis", "s1", "Captured", 0, -1),
);

const place = fc.constantFrom("palmyra", "Tadmur", "citadel", "jabal-tar", "nowhere");
const actor = fc.constantFrom("isis", "IS", "regime", "russia", "nobody");
const sourceList = fc.array(
  fc.record(
    { name: fc.constantFrom("SOHR", "SANA", "Amaq"), url: fc.webUrl(), note: fc.string() },
    { requiredKeys: ["name"] },
  ),
  { maxLength: 3 },
);

const validEvent = fc
  .tuple(
    fc.oneof(
      fc.record({
        type: fc.constant("Captured"),
        data: fc.record({ place, by: actor, from: actor }, { requiredKeys: ["place", "by"] }),
      }),
      fc.record({
        type: fc.constant("Withdrew"),
        data: fc.record(
          { place, actor, to: place, handedTo: actor },
          { requiredKeys: ["place", "actor"] },
        ),
      }),
      fc.record({
        type: fc.constant("Airstrike"),
        data: fc.record(
          {
            places: fc.array(place, { minLength: 1, maxLength: 3 }),
            by: actor,
            strikes: fc.integer({ min: 1, max: 99 }),
            killed: fc.nat(),
          },
          { requiredKeys: ["places", "by"] },
        ),
      }),
      fc.record({
        type: fc.constant("Arrests"),
        data: fc.record({ place, by: actor, count: fc.nat() }, { requiredKeys: ["place", "by"] }),
      }),
      fc.record({
        type: fc.constant("Retracted"),
        data: fc.record(
          { eventId: fc.constantFrom("s1", "s2", "s3", "s5", "nope"), reason: fc.string() },
          { requiredKeys: ["eventId"] },
        ),
      }),
      fc.record({
        type: fc.constant("Clashes"),
        data: fc.record(
          { place, sides: fc.array(actor, { minLength: 2, maxLength: 3 }), meta: fc.jsonValue() },
          { requiredKeys: ["place", "sides"] },
        ),
      }),
    ),
    fc.record(
      {
        at: goodTime,
        // "s1" and "s2" are stored with other content: a conflicting duplicate.
        id: fc.constantFrom("s1", "s2", "n1", "n2", "n3", "n4", "n5", "n6"),
        recordedAt: goodTime,
        precision: fc.constantFrom("year", "month", "week", "day", "hour", "millisecond"),
        sources: sourceList,
        note: fc.string(),
      },
      { requiredKeys: ["at"] },
    ),
  )
  .map(([body, envelope]) => ({ ...envelope, ...body }) as Record<string, unknown>);

const PATHS: readonly (readonly (string | number)[])[] = [
  ["type"],
  ["at"],
  ["data"],
  ["id"],
  ["recordedAt"],
  ["precision"],
  ["sources"],
  ["note"],
  ["data", "place"],
  ["data", "by"],
  ["data", "from"],
  ["data", "actor"],
  ["data", "handedTo"],
  ["data", "places"],
  ["data", "places", 0],
  ["data", "strikes"],
  ["data", "killed"],
  ["data", "count"],
  ["data", "eventId"],
  ["data", "sides"],
  ["data", "sides", 1],
  ["sources", 0],
  ["sources", 0, "name"],
  ["sources", 0, "url"],
];

const mutation = fc.oneof(
  fc.record({
    kind: fc.constant("set" as const),
    path: fc.constantFrom(...PATHS),
    value: anyValue,
  }),
  fc.record({
    kind: fc.constant("time" as const),
    key: fc.constantFrom("at", "recordedAt"),
    value: badTime,
  }),
  fc.record({ kind: fc.constant("delete" as const), path: fc.constantFrom(...PATHS) }),
  fc.record({
    kind: fc.constant("extra" as const),
    path: fc.constantFrom<readonly (string | number)[]>([], ["data"], ["sources", 0]),
    key: fc.oneof(fc.string(), fc.constantFrom("__proto__", "constructor", "extra", "id")),
    value: anyValue,
  }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function container(root: Record<string, unknown>, path: readonly (string | number)[]) {
  let at: unknown = root;
  for (const key of path) {
    if (typeof at !== "object" || at === null) return undefined;
    at = (at as Record<string | number, unknown>)[key];
  }
  return typeof at === "object" && at !== null
    ? (at as Record<string | number, unknown>)
    : undefined;
}

function mutate(event: Record<string, unknown>, mutations: readonly Mutation[]) {
  const copy = structuredClone(event);
  for (const m of mutations) {
    if (m.kind === "time") {
      copy[m.key] = m.value;
      continue;
    }
    const path = m.kind === "extra" ? [...m.path, m.key] : m.path;
    const parent = container(copy, path.slice(0, -1));
    const key = path[path.length - 1];
    if (parent === undefined || key === undefined) continue;
    if (m.kind === "delete") delete parent[key];
    // defineProperty makes "__proto__" an own key, as JSON.parse does.
    else
      Object.defineProperty(parent, key, {
        value: m.value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
  }
  return copy;
}

const mutatedEvent = fc
  .tuple(validEvent, fc.array(mutation, { minLength: 1, maxLength: 3 }))
  .map(([event, mutations]) => mutate(event, mutations));

const anyInput = fc.oneof(
  { weight: 3, arbitrary: mutatedEvent },
  { weight: 4, arbitrary: validEvent },
  { weight: 1, arbitrary: fc.jsonValue() },
  { weight: 1, arbitrary: fc.anything({ withNullPrototype: true, withBoxedValues: true }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<unknown>(undefined, null, 0, "Captured", [], {}, () => undefined),
  },
);

/** Runs `f`; it must return, or throw a well-formed TimelineValidationError. */
function resultOrValidationError(f: () => unknown, count: number): "ok" | TimelineValidationError {
  try {
    f();
    return "ok";
  } catch (error) {
    if (!(error instanceof TimelineValidationError)) throw error;
    expect(error.name).toBe("TimelineValidationError");
    expect(error.issues.length).toBeGreaterThan(0);
    for (const issue of error.issues) {
      expect(Number.isInteger(issue.index) && issue.index >= 0 && issue.index < count).toBe(true);
      expect(Array.isArray(issue.path)).toBe(true);
      for (const part of issue.path) expect(["string", "number"]).toContain(typeof part);
      expect(typeof issue.message).toBe("string");
      expect(issue.message.length).toBeGreaterThan(0);
      expect(error.message).toContain(issue.message);
    }
    return error;
  }
}

/** An append that succeeded returned an event per input, each of them stored. */
function expectStored(timeline: Seeded, returned: readonly { id: string }[], count: number) {
  expect(returned).toHaveLength(count);
  const stored = new Set(timeline.toJSON().events.map((e) => e.id));
  for (const event of returned) expect(stored.has(event.id)).toBe(true);
}

describe("fuzz: append", () => {
  it("append of arbitrary values either stores them all or throws TimelineValidationError and changes nothing", () => {
    fc.assert(
      fc.property(
        fc.array(anyInput, { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        fc.boolean(),
        (inputs, registry, all) => {
          const timeline = seeded(registry);
          const before = observe(timeline);
          let returned: readonly unknown[] = [];
          const outcome = resultOrValidationError(() => {
            returned = all
              ? timeline.appendAll(inputs as never[])
              : timeline.append(...(inputs as never[]));
          }, inputs.length);
          if (outcome === "ok") {
            expect(returned.length).toBe(inputs.length);
            const stored = new Map(timeline.toJSON().events.map((e) => [e.id, e]));
            for (const event of returned) {
              expect(Object.isFrozen(event)).toBe(true);
              // The same event as stored: equal, keys in the same order (events are made
              // from columns when read, so not the same object).
              const same = stored.get((event as { id: string }).id);
              expect(event).toStrictEqual(same);
              expect(JSON.stringify(event)).toBe(JSON.stringify(same));
            }
            expect(timeline.size).toBeLessThanOrEqual(before.size + inputs.length);
            // The timeline still answers.
            timeline.latest();
            timeline.stateAt("2016-12-11");
          } else {
            expect(observe(timeline)).toEqual(before);
          }
        },
      ),
      { numRuns: 400 },
    );
  }, 60_000);

  it("a custom event whose schema takes any value stores exotic values (typed arrays, Maps, BigInts) or rejects them, never crashes", () => {
    const exotic = fc.anything({
      withTypedArray: true,
      withMap: true,
      withSet: true,
      withBigInt: true,
      withDate: true,
      withSparseArray: true,
      withNullPrototype: true,
      withBoxedValues: true,
    });
    fc.assert(
      fc.property(exotic, (meta) => {
        const timeline = seeded(false);
        const before = observe(timeline);
        const input = {
          type: "Clashes",
          at: "2016-12-12",
          data: { place: "palmyra", sides: ["isis", "regime"], meta },
        };
        let returned: readonly { id: string }[] = [];
        const outcome = resultOrValidationError(() => {
          returned = timeline.append(input as never);
        }, 1);
        if (outcome === "ok") expectStored(timeline, returned, 1);
        else expect(observe(timeline)).toEqual(before);
      }),
      { numRuns: 200 },
    );
  });

  it("a batch with one bad input among valid ones is rejected whole", () => {
    fc.assert(
      fc.property(
        fc.array(validEvent, { maxLength: 3 }),
        mutatedEvent,
        fc.array(validEvent, { maxLength: 3 }),
        (head, bad, tail) => {
          const timeline = seeded(true);
          const before = observe(timeline);
          const count = head.length + 1 + tail.length;
          let returned: readonly { id: string }[] = [];
          const outcome = resultOrValidationError(() => {
            returned = timeline.append(...([...head, bad, ...tail] as never[]));
          }, count);
          // A mutation may leave the input valid: then the whole batch is stored.
          if (outcome === "ok") expectStored(timeline, returned, count);
          else expect(observe(timeline)).toEqual(before);
        },
      ),
      { numRuns: 200 },
    );
  }, 60_000);

  it("validation errors name every bad input by its index", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(validEvent, mutatedEvent), { maxLength: 5 }), (inputs) => {
        const timeline = seeded(false);
        const bad = inputs.map((input) => {
          const alone = seeded(false);
          return resultOrValidationError(() => alone.append(input as never), 1) !== "ok";
        });
        const outcome = resultOrValidationError(
          () => timeline.append(...(inputs as never[])),
          inputs.length,
        );
        // A retraction may fail alone and pass beside its target; anything else that fails
        // alone is named in the batch's error (which may add issues: duplicate ids).
        const named =
          outcome === "ok" ? new Set<number>() : new Set(outcome.issues.map((i) => i.index));
        bad.forEach((isBad, index) => {
          const retraction = (inputs[index] as { type?: unknown }).type === "Retracted";
          if (isBad && !retraction) expect(named.has(index), `input ${index} is named`).toBe(true);
        });
      }),
      { numRuns: 200 },
    );
  }, 60_000);
});

// ---------------------------------------------------------------------------------------------

const optionsLike = fc.oneof(
  fc.record(
    {
      asOf: fc.oneof(goodTime, badTime, anyValue),
      sources: fc.oneof(fc.array(fc.string(), { maxLength: 3 }), anyValue),
    },
    { requiredKeys: [] },
  ),
  anyValue,
);
const queryArg = fc.oneof(goodTime, badTime, place, optionsLike, anyValue);

const QUERIES = {
  stateAt: (t: Seeded, a: unknown[]) => t.stateAt(a[0] as never, a[1] as never),
  latest: (t: Seeded, a: unknown[]) => t.latest(a[0] as never),
  history: (t: Seeded, a: unknown[]) => t.history(a[0] as never, a[1] as never),
  diff: (t: Seeded, a: unknown[]) => t.diff(a[0] as never, a[1] as never, a[2] as never),
  events: (t: Seeded, a: unknown[]) => t.events(a[0] as never),
  claims: (t: Seeded, a: unknown[]) => t.claims(a[0] as never, a[1] as never, a[2] as never),
  contested: (t: Seeded, a: unknown[]) => t.contested(a[0] as never, a[1] as never),
};

describe("fuzz: queries", () => {
  it("queries with arbitrary arguments return a result or throw TimelineValidationError", () => {
    const timelines = [seeded(false), seeded(true)];
    const before = timelines.map(observe);
    fc.assert(
      fc.property(
        fc.constantFrom(...(Object.keys(QUERIES) as (keyof typeof QUERIES)[])),
        fc.array(queryArg, { maxLength: 3 }),
        fc.nat({ max: 1 }),
        (query, args, which) => {
          const timeline = timelines[which] as Seeded;
          resultOrValidationError(() => QUERIES[query](timeline, args), 1);
        },
      ),
      { numRuns: 1000 },
    );
    // Queries never change a timeline.
    expect(timelines.map(observe)).toEqual(before);
  }, 60_000);

  it("events() with arbitrary bounds and options returns stored events in timeline order", () => {
    const timeline = seeded(false);
    fc.assert(
      fc.property(
        fc.record(
          { from: fc.oneof(goodTime, badTime), to: fc.oneof(goodTime, badTime), asOf: goodTime },
          { requiredKeys: [] },
        ),
        (query) => {
          let events: readonly { at: number }[] = [];
          const outcome = resultOrValidationError(() => {
            events = timeline.events(query as never);
          }, 1);
          if (outcome === "ok") {
            for (let i = 1; i < events.length; i++) {
              expect((events[i] as { at: number }).at).toBeGreaterThanOrEqual(
                (events[i - 1] as { at: number }).at,
              );
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
