/**
 * The core promise, checked on random timelines: whatever the append order, the batches and
 * the checkpoint interval, every query equals a fold from scratch of the events in timeline
 * order (tests/helpers/naive.ts), with and without `{ asOf, sources }`.
 */
import fc from "fast-check";
import type { Draft } from "immer";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  type Airstrike,
  type Arrests,
  type Captured,
  createTimeline,
  defineEvent,
  defineReducer,
  type EventOf,
  type EventsQuery,
  fromJSON,
  type Held,
  PRECISIONS,
  type Precision,
  parseTime,
  type QueryOptions,
  type ReducerEvent,
  type Registry,
  type TimeInput,
  TimelineValidationError,
  type Withdrew,
} from "../src/index.js";
import { type NaiveReducer, NaiveTimeline } from "./helpers/naive.js";

// ---------------------------------------------------------------------------------------------
// Times: a few instants, each in several valid forms, so that ties in `at` are frequent.

interface TimeForm {
  readonly input: TimeInput;
  readonly precision: Precision;
}

const ms = (iso: string) => Date.parse(iso);

const I0 = ms("2016-01-04T00:00Z"); // a Monday: 2016-W01
const I1 = ms("2016-03-01T00:00Z");
const I2 = ms("2016-12-11T00:00Z"); // a Sunday: 2016-W49-7
const I3 = ms("2016-12-11T06:00Z");
const I4 = ms("2016-12-11T06:30Z");
const I5 = ms("2016-12-11T06:30:15.250Z");
const I6 = ms("2017-01-01T00:00Z"); // a Sunday: 2016-W52-7

const INSTANTS: readonly { readonly at: number; readonly forms: readonly TimeForm[] }[] = [
  [
    I0,
    [
      ["2016-W01", "week"],
      ["2016-W01-1", "day"],
      ["2016-01-04", "day"],
      ["2016-01-04T00", "hour"],
      ["2016-01-04T02:00+02:00", "minute"],
      ["2016-01-03T19:00:00-05:00", "second"],
      ["2016-01-04T00:00:00.000Z", "millisecond"],
    ],
  ] as const,
  [
    I1,
    [
      ["2016-03", "month"],
      ["2016-03-01", "day"],
      ["2016-02-29T23:00-01:00", "minute"],
    ],
  ] as const,
  [
    I2,
    [
      ["2016-12-11", "day"],
      ["2016-W49-7", "day"],
      ["2016-12-11T00Z", "hour"],
    ],
  ] as const,
  [
    I3,
    [
      ["2016-12-11T06", "hour"],
      ["2016-12-11T08:00+02:00", "minute"],
      ["2016-12-11T06:00:00Z", "second"],
    ],
  ] as const,
  [
    I4,
    [
      ["2016-12-11T06:30", "minute"],
      ["2016-12-11T09:30+03:00", "minute"],
      ["2016-12-11T06:30:00.000Z", "millisecond"],
    ],
  ] as const,
  [
    I5,
    [
      ["2016-12-11T06:30:15.250Z", "millisecond"],
      ["2016-12-11T08:30:15.25+02:00", "millisecond"],
    ],
  ] as const,
  [
    I6,
    [
      ["2017", "year"],
      ["2017-01", "month"],
      ["2017-01-01", "day"],
      ["2016-W52-7", "day"],
    ],
  ] as const,
].map(([at, strings]) => ({
  at,
  forms: [
    ...strings.map(([input, precision]) => ({ input, precision })),
    { input: at, precision: "millisecond" as const },
    { input: new Date(at), precision: "millisecond" as const },
  ],
}));

const TIME_FORMS = INSTANTS.flatMap((i) => i.forms);
const timeArb = fc.constantFrom(...TIME_FORMS);

/** Query instants: before the first event, on and between the event instants, after the last. */
const QUERY_TIMES: readonly TimeInput[] = [
  "2015",
  I0 - 1,
  "2016-W01",
  "2016-03-01",
  new Date(I2 - 1),
  "2016-12-11",
  "2016-12-11T08:00+02:00",
  I4,
  "2016-12-11T06:30:15.250Z",
  I5 + 1,
  "2017",
  "2018-06-01T12:00Z",
];
const CLAIM_TIMES: readonly TimeInput[] = [
  "2015",
  "2016-03-01",
  "2016-12-11T08:00+02:00",
  I5,
  "2018-06-01T12:00Z",
];
const queryTimeArb = fc.constantFrom(...QUERY_TIMES);
const asOfArb = fc.constantFrom<TimeInput>(
  "2015",
  ...INSTANTS.map((i) => i.at),
  I3 + 1,
  "2016-12-11T06:30+00:00",
  "2018",
);

// ---------------------------------------------------------------------------------------------
// Events, reducers, registries.

const Clashes = defineEvent(
  "Clashes",
  z.object({ place: z.string(), sides: z.array(z.string()).min(2), killed: z.number().optional() }),
  { places: ["place"], actors: ["sides"] },
);

interface Trail {
  captures: string[];
  killedBySource: Record<string, number>;
  clashes: Record<string, number>;
}

const trailInitial: Trail = { captures: [], killedBySource: {}, clashes: {} };
const trailOn = {
  Captured(draft: Draft<Trail>, event: EventOf<typeof Captured>) {
    draft.captures.push(`${event.id}:${event.data.by}@${event.data.place}`);
  },
  Airstrike(draft: Draft<Trail>, event: EventOf<typeof Airstrike>) {
    const who = event.sources[0]?.name ?? "unknown";
    draft.killedBySource[who] = (draft.killedBySource[who] ?? 0) + (event.data.killed ?? 0);
  },
  Clashes(draft: Draft<Trail>, event: EventOf<typeof Clashes>) {
    for (const side of event.data.sides) draft.clashes[side] = (draft.clashes[side] ?? 0) + 1;
  },
};

type Seen = ReducerEvent<[typeof Clashes]>;

/** A primitive slice: an order-sensitive checksum of everything folded (returns its value). */
function checksumReduce(sum: number, event: Seen): number {
  let h = sum;
  for (const ch of `${event.id}|${event.type}|${event.at}|${event.recordedAt}`) {
    h = (h * 31 + (ch.codePointAt(0) ?? 0)) % 1_000_003;
  }
  return h;
}

interface Ledger {
  n: number;
  ids: string[];
}

const ledgerInitial: Ledger = { n: 0, ids: [] };
/** Mutates the draft for some events and returns a replacement for others. */
function ledgerReduce(draft: Draft<Ledger>, event: Seen): Ledger | undefined {
  if (event.type === "Arrests") return { n: draft.n + 1, ids: [...draft.ids, event.id] };
  if (event.type === "Withdrew") draft.ids.push(`w:${event.id}`);
  return undefined;
}

// Keyed reducers: `control` written by a user (one entry per named place, drafts mutated; a
// withdrawal by someone who does not hold the place leaves its key absent), strikes keyed by
// several places per event, and a primitive entry per actor replaced by returned values.
interface Hold {
  controller: string | null;
  held: boolean;
  since: number;
  trail: string[];
}
const holdInitial: Hold = { controller: null, held: false, since: 0, trail: [] };
const holdKeyBy = {
  Captured: (event: EventOf<typeof Captured>) => event.data.place,
  Withdrew: (event: EventOf<typeof Withdrew>) => event.data.place,
  Held: (event: EventOf<typeof Held>) => [event.data.place, event.data.place],
};
const holdOn = {
  Captured(entry: Draft<Hold>, event: EventOf<typeof Captured>) {
    entry.controller = event.data.by;
    entry.held = true;
    entry.since = event.at;
    entry.trail.push(event.id);
  },
  Withdrew(entry: Draft<Hold>, event: EventOf<typeof Withdrew>) {
    if (!entry.held || entry.controller !== event.data.actor) return;
    entry.controller = event.data.handedTo ?? null;
    entry.since = event.at;
    entry.trail.push(event.id);
  },
  Held(entry: Draft<Hold>, event: EventOf<typeof Held>) {
    if (entry.held && entry.controller === event.data.by) return;
    entry.controller = event.data.by;
    entry.held = true;
    entry.since = event.at;
  },
};
interface Struck {
  count: number;
  killed: number;
}
const struckInitial: Struck = { count: 0, killed: 0 };
const struckKeyBy = {
  Airstrike: (event: EventOf<typeof Airstrike>) => event.data.places,
  Clashes: (event: EventOf<typeof Clashes>) => [event.data.place, ...event.data.sides],
};
const struckOn = {
  Airstrike(entry: Draft<Struck>, event: EventOf<typeof Airstrike>) {
    entry.count += 1;
    entry.killed += event.data.killed ?? 0;
  },
  Clashes(entry: Draft<Struck>, event: EventOf<typeof Clashes>) {
    // A replacement, not a mutation.
    return { count: entry.count + 1, killed: entry.killed + (event.data.killed ?? 0) };
  },
};
const detainedKeyBy = { Arrests: (event: EventOf<typeof Arrests>) => event.data.by };
const detainedOn = {
  // Returns the entry unchanged for a count of zero: the actor stays absent until a count.
  Arrests: (n: number, event: EventOf<typeof Arrests>) => n + (event.data.count ?? 1),
};

const reducers = {
  trail: defineReducer({ initial: trailInitial, events: [Clashes], on: trailOn }),
  hold: defineReducer({ keyBy: holdKeyBy, initial: holdInitial, on: holdOn }),
  checksum: defineReducer({ initial: 0, events: [Clashes], reduce: checksumReduce }),
  struck: defineReducer({
    events: [Clashes],
    keyBy: struckKeyBy,
    initial: struckInitial,
    on: struckOn,
  }),
  ledger: defineReducer({ initial: ledgerInitial, events: [Clashes], reduce: ledgerReduce }),
  detained: defineReducer({ keyBy: detainedKeyBy, initial: 0, on: detainedOn }),
};
const naiveReducers: Record<string, NaiveReducer> = {
  trail: { initial: trailInitial, on: trailOn },
  hold: { keyBy: holdKeyBy, initial: holdInitial, on: holdOn },
  checksum: { initial: 0, reduce: checksumReduce },
  struck: { keyBy: struckKeyBy, initial: struckInitial, on: struckOn },
  ledger: { initial: ledgerInitial, reduce: ledgerReduce },
  detained: { keyBy: detainedKeyBy, initial: 0, on: detainedOn },
};

const PLACE_REGISTRY: Registry = {
  p1: { name: "One", aliases: ["P1"] },
  p2: { name: "Two", parent: "p1" },
  p3: { name: "Three", parent: "p1" },
  p4: { name: "Four", parent: "p2" },
};
const ACTOR_REGISTRY: Registry = {
  a1: { name: "Actor one" },
  a2: { name: "Actor two", aliases: ["A2"] },
  a3: { name: "Actor three" },
};

interface Names {
  readonly places: readonly string[];
  readonly actors: readonly string[];
  readonly sources: readonly string[];
}

const NAMES: Names = {
  // "P1" and "A2" are aliases when the registries are given, names of their own otherwise.
  places: ["p1", "p2", "p3", "p4", "P1"],
  actors: ["a1", "a2", "a3", "A2"],
  sources: ["A", "B", "C"],
};
const QUERY_PLACES = ["p1", "p2", "p3", "p4", "P1", "nowhere"];

type Input = { type: string; id?: string; data: Record<string, unknown> } & Record<string, unknown>;

function bodyArb(names: Names) {
  const place = fc.constantFrom(...names.places);
  const actor = fc.constantFrom(...names.actors);
  const data = <T>(type: string, arb: fc.Arbitrary<T>) =>
    fc.record({ type: fc.constant(type), data: arb, pick: fc.nat() });
  return fc.oneof(
    {
      weight: 4,
      arbitrary: data(
        "Captured",
        fc.record({ place, by: actor, from: actor }, { requiredKeys: ["place", "by"] }),
      ),
    },
    {
      weight: 4,
      arbitrary: data(
        "Withdrew",
        fc.record(
          { place, actor, to: place, handedTo: actor },
          { requiredKeys: ["place", "actor"] },
        ),
      ),
    },
    { weight: 3, arbitrary: data("Held", fc.record({ place, by: actor })) },
    {
      weight: 2,
      arbitrary: data(
        "Airstrike",
        fc.record(
          {
            places: fc.array(place, { minLength: 1, maxLength: 3 }),
            by: actor,
            strikes: fc.integer({ min: 1, max: 5 }),
            killed: fc.integer({ min: 0, max: 20 }),
          },
          { requiredKeys: ["places", "by"] },
        ),
      ),
    },
    {
      weight: 2,
      arbitrary: data(
        "Arrests",
        fc.record(
          { place, by: actor, count: fc.integer({ min: 0, max: 9 }) },
          { requiredKeys: ["place", "by"] },
        ),
      ),
    },
    {
      weight: 1,
      arbitrary: data(
        "Clashes",
        fc.record(
          {
            place,
            sides: fc.array(actor, { minLength: 2, maxLength: 3 }),
            killed: fc.nat({ max: 9 }),
          },
          { requiredKeys: ["place", "sides"] },
        ),
      ),
    },
    // A retraction of an earlier event, picked by `pick`.
    {
      weight: 2,
      arbitrary: data("Retracted", fc.option(fc.constant("wrong"), { nil: undefined })),
    },
    // An exact copy of an earlier input (same id, same content).
    { weight: 1, arbitrary: data("dup", fc.constant(null)) },
  );
}

function envelopeArb(names: Names) {
  return fc.record({
    at: timeArb,
    coarser: fc.option(fc.nat({ max: 7 }), { nil: undefined }),
    recordedAt: fc.option(timeArb, { nil: undefined, freq: 2 }),
    sources: fc.option(fc.subarray([...names.sources]), { nil: undefined, freq: 4 }),
    url: fc.boolean(),
    note: fc.option(fc.constant("a note"), { nil: undefined, freq: 4 }),
    anonymous: fc.nat({ max: 9 }).map((n) => n === 0),
  });
}

/** 1–60 valid inputs in generation order; retractions target earlier ids, copies repeat them. */
function inputsArb(names: Names = NAMES) {
  return fc
    .array(fc.tuple(bodyArb(names), envelopeArb(names)), {
      minLength: 1,
      maxLength: 60,
      size: "medium",
    })
    .map((specs) => {
      const inputs: Input[] = [];
      specs.forEach(([body, env], i) => {
        const withId = inputs.filter((x) => x.id !== undefined);
        if (body.type === "dup") {
          const original = withId[body.pick % Math.max(1, withId.length)];
          if (original !== undefined) inputs.push(structuredClone(original));
          return;
        }
        let data = body.data as Record<string, unknown>;
        if (body.type === "Retracted") {
          const targets = withId.filter((x) => x.type !== "Retracted");
          const target = targets[body.pick % Math.max(1, targets.length)];
          if (target === undefined) return;
          data = { eventId: target.id };
          if (body.data !== undefined) data.reason = body.data;
        }
        const input: Input = { type: body.type, at: env.at.input, data };
        if (!env.anonymous || body.type === "Retracted") input.id = `e${i}`;
        if (env.coarser !== undefined) {
          const finest = PRECISIONS.indexOf(env.at.precision);
          input.precision = PRECISIONS[env.coarser % (finest + 1)];
        }
        if (env.recordedAt !== undefined) input.recordedAt = env.recordedAt.input;
        if (env.sources !== undefined) {
          input.sources = env.sources.map((name) =>
            env.url ? { name, url: `https://example.org/${name}` } : { name },
          );
        }
        if (env.note !== undefined) input.note = env.note;
        inputs.push(input);
      });
      if (inputs.length === 0) {
        inputs.push({ id: "e0", type: "Captured", at: I2, data: { place: "p1", by: "a1" } });
      }
      return inputs;
    });
}

/**
 * The inputs in the order given by `keys`, except that a retraction waits until its target
 * is placed (retracting an id the timeline does not have yet is a validation error).
 */
function appendOrder(inputs: readonly Input[], keys: readonly number[]): Input[] {
  const order = inputs.map((_, i) => i).sort((a, b) => (keys[a] ?? 0) - (keys[b] ?? 0) || a - b);
  const placed = new Set<string>();
  const waiting = new Map<string, Input[]>();
  const out: Input[] = [];
  for (const i of order) {
    const input = inputs[i] as Input;
    if (input.type === "Retracted") {
      const target = input.data.eventId as string;
      if (!placed.has(target)) {
        waiting.set(target, [...(waiting.get(target) ?? []), input]);
        continue;
      }
    }
    out.push(input);
    if (input.id !== undefined && input.type !== "Retracted") {
      placed.add(input.id);
      out.push(...(waiting.get(input.id) ?? []));
      waiting.delete(input.id);
    }
  }
  return out;
}

function split<T>(items: readonly T[], cuts: readonly number[]): T[][] {
  const points = [...new Set(cuts.map((c) => c % (items.length + 1)))].sort((a, b) => a - b);
  const out: T[][] = [];
  let start = 0;
  for (const point of [...points, items.length]) {
    if (point > start) out.push(items.slice(start, point));
    start = Math.max(start, point);
  }
  return out;
}

const optionsArb: fc.Arbitrary<QueryOptions> = fc.record(
  { asOf: asOfArb, sources: fc.subarray(["A", "B", "C", "Z"]) },
  { requiredKeys: [] },
);
const rangeArb: fc.Arbitrary<EventsQuery> = fc.record(
  { from: queryTimeArb, to: queryTimeArb },
  { requiredKeys: [] },
);

const scenarioArb = fc.record({
  inputs: inputsArb(),
  registry: fc.boolean(),
  orderKeys: fc.array(fc.nat({ max: 1000 }), { maxLength: 60, size: "medium" }),
  cuts: fc.array(fc.nat(), { maxLength: 8 }),
  interval: fc.constantFrom(1, 2, 3, 7, 256),
  useAppendAll: fc.boolean(),
  options: fc.array(optionsArb, { minLength: 1, maxLength: 2 }),
  diffs: fc.array(fc.tuple(queryTimeArb, queryTimeArb), { minLength: 1, maxLength: 3 }),
  ranges: fc.array(rangeArb, { minLength: 1, maxLength: 3 }),
  probe: fc.record({
    t: queryTimeArb,
    options: optionsArb,
    place: fc.constantFrom(...QUERY_PLACES),
    after: fc.array(fc.boolean(), { maxLength: 9 }),
  }),
});
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer S> ? S : never;

function timelineOptions(s: { registry: boolean; interval: number }) {
  return {
    events: [Clashes],
    reducers,
    checkpointInterval: s.interval,
    ...(s.registry ? { places: PLACE_REGISTRY, actors: ACTOR_REGISTRY } : {}),
  };
}

function naiveOptions(s: { registry: boolean }) {
  return {
    events: [Clashes],
    reducers: naiveReducers,
    ...(s.registry ? { places: PLACE_REGISTRY, actors: ACTOR_REGISTRY } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Asking every query of a timeline (the real one or the naive one) into one labelled record.

interface Queryable {
  stateAt(t: TimeInput, options?: QueryOptions): object;
  latest(options?: QueryOptions): object;
  events(query?: EventsQuery): readonly object[];
  history(place: string, options?: QueryOptions): readonly object[];
  diff(a: TimeInput, b: TimeInput, options?: QueryOptions): readonly object[];
  claims(place: string, t: TimeInput, options?: QueryOptions): readonly object[];
  claimsAt(t: TimeInput, options?: QueryOptions): readonly { place: string; claims: unknown }[];
  contested(t: TimeInput, options?: QueryOptions): readonly { place: string; claims: unknown }[];
  readonly size: number;
  toJSON(): unknown;
}

interface Plan {
  readonly times: readonly TimeInput[];
  readonly options: readonly (QueryOptions | undefined)[];
  readonly places: readonly string[];
  readonly diffs: readonly (readonly [TimeInput, TimeInput])[];
  readonly ranges: readonly EventsQuery[];
  readonly claimTimes: readonly TimeInput[];
}

function attempt(f: () => unknown): unknown {
  try {
    return f();
  } catch (error) {
    if (error instanceof TimelineValidationError) return { threw: error.name };
    throw error;
  }
}

/** A state with the key order of each slice made visible to `toEqual`. */
function describeState(state: object) {
  const s = state as Record<string, Record<string, unknown>>;
  return {
    slices: Object.keys(s),
    keys: Object.fromEntries(
      Object.entries(s).map(([name, slice]) => [
        name,
        typeof slice === "object" && slice !== null ? Object.keys(slice) : null,
      ]),
    ),
    state: s,
  };
}

/** Intervals with their enumerable keys, so that the key order is compared too. */
function describeIntervals(intervals: readonly object[]) {
  return intervals.map((i) => ({ keys: Object.keys(i), ...i }));
}

function describeClaims(claims: unknown) {
  return (claims as object[]).map((c) => ({ keys: Object.keys(c), ...c }));
}

const label = (value: unknown) =>
  value instanceof Date ? `Date(${value.toISOString()})` : JSON.stringify(value);

function ask(tl: Queryable, plan: Plan): Record<string, unknown> {
  const out: Record<string, unknown> = { size: tl.size, toJSON: tl.toJSON() };
  for (const options of plan.options) {
    const o = options === undefined ? "" : `, ${label(options)}`;
    out[`latest(${o.slice(2)})`] = attempt(() => describeState(tl.latest(options)));
    for (const t of plan.times) {
      out[`stateAt(${label(t)}${o})`] = attempt(() => describeState(tl.stateAt(t, options)));
    }
    for (const place of plan.places) {
      out[`history(${place}${o})`] = attempt(() => describeIntervals(tl.history(place, options)));
      for (const t of plan.claimTimes) {
        out[`claims(${place}, ${label(t)}${o})`] = attempt(() =>
          describeClaims(tl.claims(place, t, options)),
        );
      }
    }
    for (const [a, b] of plan.diffs) {
      out[`diff(${label(a)}, ${label(b)}${o})`] = attempt(() => tl.diff(a, b, options));
    }
    for (const range of plan.ranges) {
      const query = { ...range, ...options };
      out[`events(${label(query)})`] = attempt(() => tl.events(query));
    }
    for (const t of plan.claimTimes) {
      out[`claimsAt(${label(t)}${o})`] = attempt(() =>
        tl.claimsAt(t, options).map((c) => ({ place: c.place, claims: describeClaims(c.claims) })),
      );
      out[`contested(${label(t)}${o})`] = attempt(() =>
        tl.contested(t, options).map((c) => ({ place: c.place, claims: describeClaims(c.claims) })),
      );
    }
  }
  return out;
}

/** Compares query by query, so that a failure names the query that differs. */
function expectSameAnswers(
  actual: Record<string, unknown>,
  expected: Record<string, unknown>,
  skip: readonly string[] = [],
): void {
  expect(Object.keys(actual)).toEqual(Object.keys(expected));
  for (const key of Object.keys(expected)) {
    if (!skip.includes(key)) expect(actual[key], key).toEqual(expected[key]);
  }
}

function fullPlan(s: Scenario): Plan {
  return {
    times: QUERY_TIMES,
    options: [undefined, ...s.options],
    places: QUERY_PLACES,
    diffs: [...s.diffs, ["2015", "2018"]],
    ranges: [{}, ...s.ranges],
    claimTimes: CLAIM_TIMES,
  };
}

function probePlan(s: Scenario): Plan {
  return {
    times: [s.probe.t],
    options: [undefined, s.probe.options],
    places: [s.probe.place],
    diffs: [["2015", s.probe.t]],
    ranges: [{ from: s.probe.t }],
    claimTimes: [s.probe.t],
  };
}

type Real = ReturnType<typeof createTimeline<[typeof Clashes], typeof reducers>>;

/** Appends the scenario's inputs in its order and batches, checking probes between batches. */
function build(s: Scenario): { real: Real; naive: NaiveTimeline; order: Input[] } {
  const real = createTimeline(timelineOptions(s));
  const naive = new NaiveTimeline(naiveOptions(s));
  const order = appendOrder(s.inputs, s.orderKeys);
  split(order, s.cuts).forEach((batch, b) => {
    if (s.useAppendAll) real.appendAll(batch as never[]);
    else real.append(...(batch as never[]));
    naive.append(...batch);
    if (s.probe.after[b] === true) {
      expectSameAnswers(ask(real, probePlan(s)), ask(naive, probePlan(s)));
    }
  });
  return { real, naive, order };
}

function isDeepFrozen(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return true;
  return Object.isFrozen(value) && Object.values(value).every(isDeepFrozen);
}

/** Random timelines over the given names, without registries or custom reducers. */
function checkNames(names: Names, fixedOptions: readonly QueryOptions[]): void {
  fc.assert(
    fc.property(
      inputsArb(names),
      fc.array(fc.nat(), { maxLength: 4 }),
      fc.option(
        fc.record(
          { asOf: asOfArb, sources: fc.subarray([...names.sources]) },
          { requiredKeys: [] },
        ),
        { nil: undefined },
      ),
      (inputs, cuts, options) => {
        const real = createTimeline({ events: [Clashes] });
        for (const batch of split(inputs, cuts)) real.append(...(batch as never[]));
        const naive = new NaiveTimeline({ events: [Clashes] });
        naive.append(...inputs);
        const plan: Plan = {
          times: ["2016-12-11T08:00+02:00", "2018"],
          options: [undefined, ...fixedOptions, options],
          places: names.places,
          diffs: [["2015", "2018"]],
          ranges: [{}],
          claimTimes: ["2018"],
        };
        expectSameAnswers(ask(real, plan), ask(naive, plan));
      },
    ),
    { numRuns: 100 },
  );
}

const RUNS = 150;

// ---------------------------------------------------------------------------------------------

// Generous: the default 5 s is tight for a few hundred random timelines on a loaded machine.
describe("properties: every query equals a fold from scratch", { timeout: 60_000 }, () => {
  it("the time forms used below parse to their instants with their precisions", () => {
    for (const { at, forms } of INSTANTS) {
      for (const form of forms) {
        expect(parseTime(form.input).precision, label(form.input)).toBe(form.precision);
      }
      for (const form of forms) expect(parseTime(form.input).at).toBe(at);
    }
  });

  it("for any append order, batches and checkpoint interval, every query with or without {asOf, sources} equals the naive fold", () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const { real, naive } = build(s);
        expectSameAnswers(ask(real, fullPlan(s)), ask(naive, fullPlan(s)));
        const state = real.stateAt("2016-12-11T06:30Z");
        expect(isDeepFrozen(state)).toBe(true);
        expect(real.stateAt("2016-12-11T06:30Z")).toBe(state);
      }),
      { numRuns: RUNS },
    );
  });

  it("since is the start of the current holding: it equals the from of the history interval under way at t, in every view", () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const { real } = build(s);
        for (const options of [undefined, ...s.options]) {
          for (const t of QUERY_TIMES) {
            const at = typeof t === "number" ? t : parseTime(t).at;
            for (const [place, entry] of Object.entries(real.stateAt(t, options).control)) {
              const current = real
                .history(place, options)
                .filter((interval) => interval.from <= at)
                .at(-1);
              expect(entry.since, `${place} at ${label(t)}`).toBe(current?.from);
              expect(entry.eventId).toBe(current?.eventId);
            }
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it("a state taken before later appends keeps its answer, even when its slices are first read afterwards", () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const real = createTimeline(timelineOptions(s));
        const naive = new NaiveTimeline(naiveOptions(s));
        const held: { label: string; real: object; naive: object }[] = [];
        const options = [undefined, s.probe.options];
        split(appendOrder(s.inputs, s.orderKeys), s.cuts).forEach((batch, b) => {
          real.append(...(batch as never[]));
          naive.append(...batch);
          // Taken, not read: a state's slices may be built on first access.
          for (const o of options) {
            held.push({
              label: `after batch ${b}: latest(${label(o)})`,
              real: real.latest(o),
              naive: naive.latest(o),
            });
            held.push({
              label: `after batch ${b}: stateAt(${label(s.probe.t)}, ${label(o)})`,
              real: real.stateAt(s.probe.t, o),
              naive: naive.stateAt(s.probe.t, o),
            });
          }
        });
        for (const h of held)
          expect(describeState(h.real), h.label).toEqual(describeState(h.naive));
      }),
      { numRuns: RUNS },
    );
  });

  it("appending late events (older `at` after newer ones) answers every query as appending in timeline order does", () => {
    fc.assert(
      fc.property(scenarioArb, fc.array(fc.nat(), { maxLength: 8 }), (s, lateCuts) => {
        // Every input gets an id, so that both timelines name their events alike.
        const inputs = s.inputs.map((x, i) => (x.id === undefined ? { ...x, id: `anon${i}` } : x));
        const at = (x: Input) => parseTime(x.at as TimeInput).at;
        // In order: by `at`, ties in generation order; a retraction waits for its target.
        const byAt = inputs
          .map((_, i) => i)
          .sort((a, b) => at(inputs[a] as Input) - at(inputs[b] as Input) || a - b);
        const keys: number[] = [];
        byAt.forEach((i, rank) => {
          keys[i] = rank;
        });
        const inOrder = appendOrder(inputs, keys);
        // Late: newest instant first, ties kept in the same relative order, retractions last.
        const late = [
          ...inOrder
            .filter((x) => x.type !== "Retracted")
            .map((x, i) => ({ x, i }))
            .sort((a, b) => at(b.x) - at(a.x) || a.i - b.i)
            .map(({ x }) => x),
          ...inOrder.filter((x) => x.type === "Retracted"),
        ];

        const a = createTimeline(timelineOptions(s));
        for (const batch of split(inOrder, s.cuts)) a.append(...(batch as never[]));
        const b = createTimeline(timelineOptions(s));
        for (const batch of split(late, lateCuts)) b.append(...(batch as never[]));
        const naive = new NaiveTimeline(naiveOptions(s));
        naive.append(...inOrder);

        const plan = fullPlan(s);
        const answersA = ask(a, plan);
        expectSameAnswers(answersA, ask(naive, plan));
        // toJSON lists retractions by their own append order; compare it as a set.
        expectSameAnswers(ask(b, plan), answersA, ["toJSON"]);
        const byId = (t: Real) =>
          [...t.toJSON().events].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
        expect(byId(b)).toEqual(byId(a));
      }),
      { numRuns: 100 },
    );
  });

  it("toJSON then fromJSON (object or JSON text) preserves every query", () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const { real } = build(s);
        const plan = fullPlan(s);
        const answers = ask(real, plan);
        const fromText = fromJSON(JSON.stringify(real), timelineOptions(s));
        expectSameAnswers(ask(fromText, plan), answers);
        const fromObject = fromJSON(real.toJSON(), timelineOptions({ ...s, interval: 3 }));
        expectSameAnswers(ask(fromObject, plan), answers);
      }),
      { numRuns: 100 },
    );
  });

  it("re-appending the same inputs or the stored events is a no-op that returns the stored events", () => {
    fc.assert(
      fc.property(
        scenarioArb,
        fc.array(fc.nat({ max: 1000 }), { maxLength: 60 }),
        fc.array(fc.nat(), { maxLength: 5 }),
        (s, keys, cuts) => {
          const { real } = build(s);
          const plan = fullPlan(s);
          const before = ask(real, plan);
          const stored = new Map(real.toJSON().events.map((e) => [e.id, e]));

          const again = appendOrder(
            s.inputs.filter((x) => x.id !== undefined),
            keys,
          );
          for (const batch of split(again, cuts)) {
            const returned = real.append(...(batch as never[]));
            expect(returned.length).toBe(batch.length);
            returned.forEach((event, i) => {
              // Equal to the stored event, keys in the same order, frozen (events are made
              // from columns when read, so not the same object).
              const same = stored.get((batch[i] as Input).id as string);
              expect(event).toStrictEqual(same);
              expect(JSON.stringify(event)).toBe(JSON.stringify(same));
              expect(Object.isFrozen(event)).toBe(true);
            });
          }
          expectSameAnswers(ask(real, plan), before);

          const events = real.toJSON().events;
          const returned = real.appendAll([...events].reverse());
          expect(returned).toEqual([...events].reverse());
          expectSameAnswers(ask(real, plan), before);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("names that are also Object.prototype keys (__proto__, constructor, ...) are places, actors and sources like any other", () => {
    const weird: Names = {
      places: ["__proto__", "constructor", "toString", "p1"],
      actors: ["__proto__", "valueOf", "a1"],
      sources: ["__proto__", "hasOwnProperty", "A"],
    };
    checkNames(weird, []);
  });

  it("source names that hold separators (NUL, JSON text) are told apart, in stored events and in views", () => {
    const tricky: Names = {
      places: ["p1", "p2"],
      actors: ["a1", "a2"],
      // Joined with "\u0000", ["A", "B"] reads as the single name "A\u0000B"; the last name is
      // the JSON text of the source list [{ name: "A", url }].
      sources: ["A", "B", "A\u0000B", '[{"name":"A","url":"https://example.org/A"}]'],
    };
    checkNames(tricky, [{ sources: ["A", "B"] }, { sources: ["A\u0000B"] }, { sources: ["A"] }]);
  });
});
