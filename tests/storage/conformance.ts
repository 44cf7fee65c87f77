/**
 * The conformance suite every EventStore passes (tidemark/sqlite, tidemark/postgres, or your
 * own): call `describeConformance(name, harness)` from a test file. Child processes open the
 * store by location through `openStore` (src/stores/open.ts), as the CLI does.
 */
import { type ChildProcess, fork, spawn } from "node:child_process";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  ConcurrencyError,
  createTimeline,
  type DurableTimeline,
  defineEvent,
  defineReducer,
  type EventStore,
  openTimeline,
  ReducerError,
  StoreCorruptionError,
  type StoredRecord,
  type Timeline,
  TimelineValidationError,
} from "../../src/index.js";
import { openStore } from "../../src/stores/open.js";
import { BEFORE_COMMIT, checksum } from "../../src/stores/store.js";
import { bundleFixture } from "./fixtures/bundle.js";
import { captured } from "./fixtures/events.js";
import type { Command, Outcome } from "./fixtures/worker.js";

/** What the suite needs to know about a store. */
export interface StoreHarness {
  /** A location for a new, empty store, as `openStore` reads it (a file path, a URL). */
  location(): string;
  /** A new store (its own connection) at a location. */
  open(location: string): EventStore;
  /** Changes the stored event at `version` behind the library's back. */
  tamper(location: string, version: number, how: "content" | "checksum" | "delete"): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every record of a store, through a connection of its own. */
export async function readAll(store: EventStore): Promise<StoredRecord[]> {
  const out: StoredRecord[] = [];
  for await (const chunk of store.load(0)) out.push(...chunk);
  await store.close();
  return out;
}

function record(id: string, n: number) {
  const content = JSON.stringify({ ...captured(id, n), precision: "hour", recordedAt: 0 });
  return { id, content, checksum: checksum(content) };
}

/** Calls `fault` inside the store's appends, after the rows are written, before the commit. */
function injectFault(store: EventStore, fault: (() => void) | undefined): void {
  (store as { [BEFORE_COMMIT]?: () => void })[BEFORE_COMMIT] = fault;
}

/** A command without its id. */
type Request = {
  [K in Command["cmd"]]: Omit<Extract<Command, { cmd: K }>, "id">;
}[Command["cmd"]];

/** A long-lived child process holding timelines on one store (tests/storage/fixtures/worker.ts). */
class Worker {
  private nextId = 1;
  private readonly pending = new Map<number, (reply: Record<string, unknown>) => void>();
  private readonly exited: Promise<void>;

  constructor(private readonly child: ChildProcess) {
    child.on("message", (message: { id: number } & Record<string, unknown>) => {
      this.pending.get(message.id)?.(message);
      this.pending.delete(message.id);
    });
    this.exited = new Promise((resolve) => child.on("exit", () => resolve()));
  }

  static start(file: string, location: string): Worker {
    return new Worker(fork(file, [location], { stdio: ["ignore", "inherit", "inherit", "ipc"] }));
  }

  request<T>(command: Request) {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, (reply) => {
        if (typeof reply.fatal === "string") reject(new Error(reply.fatal));
        else resolve(reply as T);
      });
      this.exited.then(() => reject(new Error("worker exited")));
      this.child.send({ ...command, id });
    });
  }

  async close(): Promise<void> {
    await this.request({ cmd: "close" }).catch(() => undefined);
    await this.exited;
  }
}

// -------------------------------------------------------------------------------------------
// Random timelines for the equivalence property.

const Clashes = defineEvent(
  "Clashes",
  z.object({ place: z.string(), sides: z.array(z.string()).min(2) }),
);
const clashes = defineReducer({
  events: [Clashes],
  initial: {} as Record<string, number>,
  on: {
    Clashes(draft, event) {
      draft[event.data.place] = (draft[event.data.place] ?? 0) + 1;
    },
  },
});
const seen = defineReducer({ initial: 0, reduce: (count: number) => count + 1 });
const OPTIONS = { events: [Clashes], reducers: { clashes, seen } } as const;

const PLACES = ["palmyra", "tadmur-citadel", "raqqa", "homs"];
const ACTORS = ["isis", "regime", "sdf"];
const SOURCES = ["SOHR", "Amaq", "ACLED"];
const DAY = 86_400_000;
const T0 = Date.UTC(2016, 11, 1);

const timeArb = fc.oneof(
  fc.integer({ min: 0, max: 9 }).map((d) => ({ at: T0 + d * DAY, form: "ms" as const })),
  fc
    .integer({ min: 0, max: 9 })
    .map((d) => ({ at: new Date(T0 + d * DAY).toISOString().slice(0, 10), form: "day" as const })),
  fc.integer({ min: 0, max: 9 * 24 }).map((h) => ({ at: T0 + h * 3_600_000, form: "ms" as const })),
);

const inputArb = fc
  .record({
    kind: fc.constantFrom("Captured", "Withdrew", "Airstrike", "Arrests", "Clashes"),
    time: timeArb,
    late: fc.integer({ min: 0, max: 4 }),
    place: fc.constantFrom(...PLACES),
    places: fc.subarray(PLACES, { minLength: 1 }),
    actor: fc.constantFrom(...ACTORS),
    other: fc.option(fc.constantFrom(...ACTORS), { nil: undefined }),
    sources: fc.subarray(SOURCES),
    count: fc.option(fc.integer({ min: 0, max: 30 }), { nil: undefined }),
    withId: fc.boolean(),
    note: fc.option(fc.string({ maxLength: 8 }), { nil: undefined }),
  })
  .map((r) => {
    const data =
      r.kind === "Captured"
        ? r.other === undefined
          ? { place: r.place, by: r.actor }
          : { place: r.place, by: r.actor, from: r.other }
        : r.kind === "Withdrew"
          ? r.other === undefined
            ? { place: r.place, actor: r.actor }
            : { place: r.place, actor: r.actor, handedTo: r.other }
          : r.kind === "Airstrike"
            ? { places: r.places, by: r.actor }
            : r.kind === "Arrests"
              ? r.count === undefined
                ? { place: r.place, by: r.actor }
                : { place: r.place, by: r.actor, count: r.count }
              : { place: r.place, sides: [r.actor, r.other ?? "regime"] };
    const at = typeof r.time.at === "number" ? r.time.at : Date.parse(r.time.at);
    return {
      withId: r.withId,
      input: {
        type: r.kind,
        at: r.time.at,
        recordedAt: at + r.late * DAY,
        data,
        sources: r.sources.map((name) => ({ name })),
        ...(r.note === undefined ? {} : { note: r.note }),
      } as Record<string, unknown>,
    };
  });

/** Inputs with ids where asked (`e<n>`), retractions of earlier ones, cut into batches. */
const scenarioArb = fc
  .record({
    items: fc.array(inputArb, { minLength: 1, maxLength: 40 }),
    retract: fc.array(fc.nat(), { maxLength: 4 }),
    cuts: fc.array(fc.nat({ max: 40 }), { maxLength: 6 }),
    modes: fc.array(fc.constantFrom("append", "appendAll", "ifVersion", "repeat"), {
      minLength: 8,
      maxLength: 8,
    }),
  })
  .map(({ items, retract, cuts, modes }) => {
    const inputs = items.map((item, n) =>
      item.withId ? { id: `e${n}`, ...item.input } : item.input,
    );
    const withIds = inputs.filter((input) => typeof input.id === "string");
    for (const k of retract) {
      const target = withIds[k % Math.max(1, withIds.length)];
      if (target === undefined) break;
      if (
        inputs.some(
          (i) => i.type === "Retracted" && (i.data as { eventId: string }).eventId === target.id,
        )
      )
        continue;
      inputs.push({
        type: "Retracted",
        at: target.at as number | string,
        recordedAt: (target.recordedAt as number) + DAY,
        data: { eventId: target.id as string, reason: "correction" },
      });
    }
    const bounds = [...new Set([0, ...cuts.map((c) => c % inputs.length), inputs.length])].sort(
      (a, b) => a - b,
    );
    const batches = bounds.slice(1).map((end, i) => inputs.slice(bounds[i], end));
    return { batches, modes };
  });

const INSTANTS = [
  T0 - DAY,
  T0,
  T0 + 2 * DAY + 5 * 3_600_000,
  T0 + 4 * DAY,
  T0 + 7 * DAY,
  T0 + 30 * DAY,
];
const QUERIES = [
  undefined,
  { asOf: T0 + 3 * DAY },
  { sources: ["SOHR"] },
  { asOf: T0 + 6 * DAY, sources: ["Amaq", "ACLED"] },
];

/** Every query of `actual` equals that of `expected`. */
function expectSameQueries(actual: Omit<Timeline, "append" | "appendAll">, expected: Timeline) {
  expect(actual.size).toBe(expected.size);
  expect(actual.toJSON()).toEqual(expected.toJSON());
  for (const options of QUERIES) {
    expect(actual.latest(options)).toEqual(expected.latest(options));
    expect(actual.events({ ...options, from: T0 + DAY, to: T0 + 5 * DAY })).toEqual(
      expected.events({ ...options, from: T0 + DAY, to: T0 + 5 * DAY }),
    );
    for (const t of INSTANTS) {
      expect(actual.stateAt(t, options)).toEqual(expected.stateAt(t, options));
      expect(actual.contested(t, options)).toEqual(expected.contested(t, options));
    }
    expect(actual.diff(T0, T0 + 5 * DAY, options)).toEqual(
      expected.diff(T0, T0 + 5 * DAY, options),
    );
    for (const place of PLACES) {
      expect(actual.history(place, options)).toEqual(expected.history(place, options));
      expect(actual.claims(place, T0 + 5 * DAY, options)).toEqual(
        expected.claims(place, T0 + 5 * DAY, options),
      );
    }
  }
}

// -------------------------------------------------------------------------------------------

export function describeConformance(name: string, harness: StoreHarness): void {
  describe(`${name}: EventStore conformance`, () => {
    let worker: { file: string; remove: () => void };
    let crasher: { file: string; remove: () => void };

    beforeAll(async () => {
      [worker, crasher] = await Promise.all([bundleFixture("worker"), bundleFixture("crasher")]);
    });
    afterAll(() => {
      worker?.remove();
      crasher?.remove();
    });

    describe("basics", () => {
      it("starts empty, appends durably, reopens to the same timeline", async () => {
        const location = harness.location();
        const timeline = await openTimeline({ store: harness.open(location) });
        expect(timeline.version).toBe(0);
        const stored = await timeline.append(captured("a", 1), captured("b", 2));
        expect(stored.map((e) => e.id)).toEqual(["a", "b"]);
        expect(timeline.version).toBe(2);
        await timeline.append(captured("c", 3));
        await timeline.close();
        await expect(timeline.append(captured("d", 4))).rejects.toThrow(/closed/);

        const reopened = await openTimeline({ store: harness.open(location) });
        expect(reopened.version).toBe(3);
        expect(reopened.toJSON()).toEqual(timeline.toJSON());
        const records = await readAll(harness.open(location));
        expect(records.map((r) => r.version)).toEqual([1, 2, 3]);
        expect(records.map((r) => r.id)).toEqual(["a", "b", "c"]);
        for (const r of records) expect(r.checksum).toBe(checksum(r.content));
        await reopened.close();
      });

      it("load(fromVersion) streams in chunks and yields only what is new", async () => {
        const location = harness.location();
        const store = harness.open(location);
        const n = 25_000;
        const records = Array.from({ length: n }, (_, i) => record(`r${i}`, i));
        expect(await store.append(records, 0)).toEqual({ version: n, appended: n });
        const sizes: number[] = [];
        let next = 1;
        for await (const chunk of store.load(0)) {
          sizes.push(chunk.length);
          for (const r of chunk) expect(r.version).toBe(next++);
        }
        expect(next - 1).toBe(n);
        expect(sizes.length).toBeGreaterThan(1);
        expect(Math.max(...sizes)).toBeLessThan(n);
        const tail: StoredRecord[] = [];
        for await (const chunk of store.load(n - 10)) tail.push(...chunk);
        expect(tail.map((r) => r.id)).toEqual(records.slice(n - 10).map((r) => r.id));
        const none: StoredRecord[] = [];
        for await (const chunk of store.load(n)) none.push(...chunk);
        expect(none).toEqual([]);
        await store.close();
      });
    });

    describe("time zone", () => {
      const DAMASCUS = "Asia/Damascus";
      /** An event on a local day, which only a zone turns into an instant. */
      const onDay = (id: string, day: string) => ({
        id,
        type: "Captured" as const,
        at: day,
        data: { place: "palmyra", by: "isis" },
      });
      /** The instant a timeline in `timeZone` reads `day` as. */
      const instant = (day: string, timeZone: string) =>
        createTimeline({ timeZone }).append(onDay("x", day))[0]?.at;
      /** The store at `location` without the capabilities that keep a zone. */
      const zoneless = (location: string): EventStore => {
        const store = harness.open(location);
        return {
          load: (from) => store.load(from),
          append: (records, expected) => store.append(records, expected),
          close: () => store.close(),
        };
      };
      const storedZone = async (location: string) => {
        const store = harness.open(location);
        try {
          return await store.timeZone?.();
        } finally {
          await store.close();
        }
      };

      it("keeps the zone of the first append, and a timeline opened without timeZone reads in it", async () => {
        const location = harness.location();
        const writer = await openTimeline({ store: harness.open(location), timeZone: DAMASCUS });
        await writer.append(onDay("a", "2016-12-11"));
        await writer.close();
        expect(await storedZone(location)).toBe(DAMASCUS);

        const reopened = await openTimeline({ store: harness.open(location) });
        expect(reopened.timeZone).toBe(DAMASCUS);
        expect(reopened.events()[0]?.at).toBe(instant("2016-12-11", DAMASCUS));
        const [later] = await reopened.append(onDay("b", "2016-12-12"));
        expect(later?.at).toBe(instant("2016-12-12", DAMASCUS));
        expect(reopened.stateAt("2016-12-11").control.palmyra?.controller).toBe("isis");
        await reopened.close();
      });

      it("refuses to open events stored in one zone with another, and writes nothing", async () => {
        const location = harness.location();
        const writer = await openTimeline({ store: harness.open(location), timeZone: DAMASCUS });
        await writer.append(onDay("a", "2016-12-11"));
        await writer.close();
        const before = await readAll(harness.open(location));

        const opening = openTimeline({ store: harness.open(location), timeZone: "Europe/London" });
        await expect(opening).rejects.toBeInstanceOf(TimelineValidationError);
        await expect(opening).rejects.toThrow(/Asia\/Damascus.*Europe\/London/);
        expect(await readAll(harness.open(location))).toEqual(before);
        expect(await storedZone(location)).toBe(DAMASCUS);
      });

      it("takes the same zone written another way: a fixed offset equal to the stored one", async () => {
        const location = harness.location();
        const writer = await openTimeline({ store: harness.open(location), timeZone: "+02:00" });
        await writer.append(onDay("a", "2016-12-11"));
        await writer.close();
        const reopened = await openTimeline({ store: harness.open(location), timeZone: "+0200" });
        expect(reopened.version).toBe(1);
        await reopened.close();
      });

      it("records nothing on open: an empty store takes the zone of whoever appends first", async () => {
        const location = harness.location();
        const idle = await openTimeline({ store: harness.open(location), timeZone: DAMASCUS });
        await idle.close();
        expect(await storedZone(location)).toBeUndefined();

        const writer = await openTimeline({ store: harness.open(location), timeZone: "+03:00" });
        await writer.append(onDay("a", "2016-12-11"));
        await writer.close();
        expect(await storedZone(location)).toBe("+03:00");
      });

      it("records the default zone, UTC, when the first writer gives none", async () => {
        const location = harness.location();
        const writer = await openTimeline({ store: harness.open(location) });
        await writer.append(onDay("a", "2016-12-11"));
        await writer.close();
        expect(await storedZone(location)).toBe("UTC");
        await expect(
          openTimeline({ store: harness.open(location), timeZone: DAMASCUS }),
        ).rejects.toThrow(/"UTC", not "Asia\/Damascus"/);
      });

      it("lets a store with a zone but no events take another", async () => {
        const location = harness.location();
        const store = harness.open(location);
        expect(await store.setTimeZone?.(DAMASCUS)).toBe(DAMASCUS);
        await store.close();
        const writer = await openTimeline({ store: harness.open(location), timeZone: "UTC" });
        expect(writer.timeZone).toBe("UTC");
        await writer.append(onDay("a", "2016-12-11"));
        await writer.close();
        expect(await storedZone(location)).toBe("UTC");
      });

      it("refuses the append of a second writer whose zone differs from the first writer's", async () => {
        const location = harness.location();
        const first = await openTimeline({ store: harness.open(location), timeZone: DAMASCUS });
        const second = await openTimeline({ store: harness.open(location), timeZone: "UTC" });
        await first.append(onDay("a", "2016-12-11"));
        await expect(second.append(onDay("b", "2016-12-12"))).rejects.toThrow(
          /"Asia\/Damascus", not "UTC"/,
        );
        expect(second.version).toBe(0);
        await Promise.all([first.close(), second.close()]);
        expect((await readAll(harness.open(location))).map((r) => r.id)).toEqual(["a"]);
      });

      it("keeps the stored zone when setTimeZone is asked for another one once events are stored", async () => {
        const location = harness.location();
        const writer = await openTimeline({ store: harness.open(location), timeZone: DAMASCUS });
        await writer.append(onDay("a", "2016-12-11"));
        await writer.close();
        const store = harness.open(location);
        expect(await store.setTimeZone?.("UTC")).toBe(DAMASCUS);
        await store.close();
        expect(await storedZone(location)).toBe(DAMASCUS);
      });

      it("a store without the zone capability works as before, and a reader records no zone", async () => {
        const location = harness.location();
        const writer = await openTimeline({ store: zoneless(location), timeZone: DAMASCUS });
        await writer.append(onDay("a", "2016-12-11"));
        await writer.close();
        expect(await storedZone(location)).toBeUndefined();

        const reader = await openTimeline({
          store: openStore(location, { readonly: true }),
          timeZone: "Asia/Tokyo",
        });
        expect(reader.timeZone).toBe("Asia/Tokyo");
        expect(reader.events()[0]?.at).toBe(instant("2016-12-11", DAMASCUS));
        await reader.close();
        expect(await storedZone(location)).toBeUndefined();
        const readOnly = openStore(location, { readonly: true });
        await expect(readOnly.setTimeZone?.("UTC")).rejects.toThrow(/read-only/);
        await readOnly.close();
      });
    });

    describe("idempotent retry", () => {
      it("re-appending a whole batch, or a partly stored one, stores only what is missing", async () => {
        const location = harness.location();
        const timeline = await openTimeline({ store: harness.open(location) });
        const batch = Array.from({ length: 10 }, (_, i) => captured(`w${i}`, i));
        const first = await timeline.appendAll(batch);
        const again = await timeline.appendAll(batch);
        expect(again).toEqual(first);
        expect(timeline.version).toBe(10);

        const more = Array.from({ length: 10 }, (_, i) => captured(`m${i}`, 10 + i));
        await timeline.appendAll(more.slice(0, 4));
        const whole = await timeline.appendAll(more);
        expect(whole.map((e) => e.id)).toEqual(more.map((e) => e.id));
        expect(timeline.version).toBe(20);
        // A retry against the version it was first written at: still a no-op.
        expect(await timeline.appendIfVersion(10, ...more)).toEqual(whole);
        await timeline.close();
        const records = await readAll(harness.open(location));
        expect(records.map((r) => r.id)).toEqual([...batch, ...more].map((e) => e.id));
      });

      it("the store itself skips stored records and rejects an id stored with other content", async () => {
        const store = harness.open(harness.location());
        const records = Array.from({ length: 6 }, (_, i) => record(`s${i}`, i));
        expect(await store.append(records.slice(0, 3))).toEqual({ version: 3, appended: 3 });
        expect(await store.append(records)).toEqual({ version: 6, appended: 3 });
        expect(await store.append(records)).toEqual({ version: 6, appended: 0 });
        const changed = record("s2", 99);
        const error = await store.append([record("s9", 9), changed]).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(TimelineValidationError);
        expect((error as TimelineValidationError).issues).toEqual([
          expect.objectContaining({ index: 1, path: ["id"] }),
        ]);
        const all: StoredRecord[] = [];
        for await (const chunk of store.load(0)) all.push(...chunk);
        expect(all.map((r) => r.id)).toEqual(records.map((r) => r.id));
        await store.close();
      });

      it("is idempotent across processes", async () => {
        const location = harness.location();
        const here = await openTimeline({ store: harness.open(location) });
        const there = Worker.start(worker.file, location);
        try {
          await there.request({ cmd: "open", writers: 1 });
          const batch = Array.from({ length: 10 }, (_, i) => captured(`x${i}`, i));
          expect(await there.request({ cmd: "append", events: batch })).toMatchObject({
            version: 10,
          });
          // This process has not refreshed: the same batch is recognised in the store.
          const stored = await here.appendAll(batch);
          expect(stored.map((e) => e.id)).toEqual(batch.map((e) => e.id));
          expect(here.version).toBe(10);

          const more = Array.from({ length: 10 }, (_, i) => captured(`y${i}`, 10 + i));
          await here.appendAll(more.slice(0, 5));
          expect(await there.request({ cmd: "append", events: more })).toMatchObject({
            ids: more.map((e) => e.id),
            version: 20,
          });
          // A retry of the whole batch at the version it was first tried at.
          expect(await there.request({ cmd: "append", events: more, expected: 10 })).toMatchObject({
            version: 20,
          });
          const conflicting = { ...captured("y3", 999) };
          await expect(here.append(conflicting)).rejects.toThrow(TimelineValidationError);
          expect(await there.request({ cmd: "append", events: [conflicting] })).toMatchObject({
            outcome: "error",
            name: "TimelineValidationError",
          });
          const records = await readAll(harness.open(location));
          expect(records.map((r) => r.id)).toEqual([...batch, ...more].map((e) => e.id));
        } finally {
          await there.close();
          await here.close();
        }
      });
    });

    describe("registries", () => {
      const entry = (registry: "places" | "actors", id: string, value: object) => ({
        registry,
        id,
        entry: JSON.stringify(value),
      });

      it("keeps registry entries in the append's transaction, each id once, and reads them back", async () => {
        const location = harness.location();
        const store = harness.open(location);
        expect(await store.registries?.()).toEqual([]);
        await store.append([record("r1", 1)], 0, [
          entry("places", "p1", { name: "Tadmur", coordinates: [38.28, 34.56] }),
          entry("actors", "a1", { name: "ISIS" }),
        ]);
        // The same entry again, its keys in another order: skipped.
        await store.append([record("r2", 2)], 1, [
          entry("places", "p1", { coordinates: [38.28, 34.56], name: "Tadmur" }),
          entry("places", "p2", { name: "Homs" }),
        ]);
        await store.close();
        const reader = harness.open(location);
        const rows = (await reader.registries?.()) ?? [];
        await reader.close();
        expect(rows.map((r) => `${r.registry}:${r.id}`).sort()).toEqual([
          "actors:a1",
          "places:p1",
          "places:p2",
        ]);
        expect(JSON.parse(rows.find((r) => r.id === "p1")?.entry ?? "")).toEqual({
          name: "Tadmur",
          coordinates: [38.28, 34.56],
        });
      });

      it("an entry that differs from the stored one refuses the whole append: no event, no entry", async () => {
        const location = harness.location();
        const store = harness.open(location);
        await store.append([record("c1", 1)], 0, [entry("places", "p1", { name: "Tadmur" })]);
        const error = await store
          .append([record("c2", 2)], 1, [
            entry("places", "p9", { name: "Palmyra" }),
            entry("places", "p1", { name: "Palmyra" }),
          ])
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(TimelineValidationError);
        expect((error as TimelineValidationError).issues).toEqual([
          expect.objectContaining({ index: 1, path: ["places", "p1"] }),
        ]);
        expect((await store.registries?.())?.map((r) => r.id)).toEqual(["p1"]);
        await store.close();
        expect((await readAll(harness.open(location))).map((r) => r.id)).toEqual(["c1"]);
      });

      it("entries alone, with no new event, are stored too", async () => {
        const store = harness.open(harness.location());
        await store.append([record("e1", 1)], 0);
        expect(
          await store.append([record("e1", 1)], 1, [entry("actors", "a1", { name: "X" })]),
        ).toEqual({ version: 1, appended: 0 });
        expect((await store.registries?.())?.map((r) => r.id)).toEqual(["a1"]);
        await store.close();
      });

      it("a durable timeline's appendAll stores the registries it is given with its events", async () => {
        const location = harness.location();
        const places = { p3: { name: "Tadmur" } };
        const timeline = await openTimeline({ store: harness.open(location), places });
        await timeline.appendAll(
          [{ type: "Captured", at: "2016-12-11", data: { place: "p3", by: "isis" } }],
          { registries: { places } },
        );
        await timeline.close();
        const store = harness.open(location);
        expect((await store.registries?.())?.map((r) => r.id)).toEqual(["p3"]);
        await store.close();
      });
    });

    describe("one id rule", () => {
      const id = (text: string) => ({
        id: text,
        type: "Captured" as const,
        at: "2016-12-11",
        data: { place: "palmyra", by: "isis" },
      });

      it.each([
        ["a U+0000", "a\u0000b"],
        ["a lone surrogate", "a\ud800b"],
        ["1,025 bytes of UTF-8", "é".repeat(512) + "x"],
        ["8 KB", "x".repeat(8192)],
      ])("refuses an id with %s, naming its path, and stores nothing", async (_, text) => {
        const location = harness.location();
        const timeline = await openTimeline({ store: harness.open(location) });
        const error = await timeline.append(id(text)).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(TimelineValidationError);
        expect((error as TimelineValidationError).issues[0]?.path).toEqual(["id"]);
        await timeline.close();
        expect(await readAll(harness.open(location))).toEqual([]);
      });

      it.each([
        ["a place id with a U+0000", { "a\u0000b": { name: "X" } }, ["places", "a\u0000b"]],
        [
          "a parent with a U+0000",
          { p: { name: "X", parent: "q\u0000" } },
          ["places", "p", "parent"],
        ],
        [
          "an alias of 8 KB",
          { p: { name: "X", aliases: ["x".repeat(8192)] } },
          ["places", "p", "aliases", 0],
        ],
      ])(
        "refuses a registry entry with %s, naming its path, and stores nothing",
        async (_, places, path) => {
          const location = harness.location();
          const store = harness.open(location);
          const entries = Object.entries(places).map(([key, value]) => ({
            registry: "places" as const,
            id: key,
            entry: JSON.stringify(value),
          }));
          const error = await store.append([record("e1", 1)], 0, entries).catch((e: unknown) => e);
          expect(error).toBeInstanceOf(TimelineValidationError);
          expect((error as TimelineValidationError).issues.map((i) => i.path)).toEqual([path]);
          expect(await store.registries?.()).toEqual([]);
          await store.close();
          expect(await readAll(harness.open(location))).toEqual([]);
        },
      );

      it("stores an id of exactly 1,024 bytes of UTF-8, and reads it back", async () => {
        const location = harness.location();
        const longest = "é".repeat(511) + "xy";
        const timeline = await openTimeline({ store: harness.open(location) });
        await timeline.append(id(longest));
        await timeline.close();
        expect((await readAll(harness.open(location))).map((r) => r.id)).toEqual([longest]);
      });
    });

    describe("concurrency", () => {
      it("a stale expected version rejects the whole batch with ConcurrencyError", async () => {
        const location = harness.location();
        const store = harness.open(location);
        await store.append([record("k0", 0)], 0);
        const error = await store.append([record("k1", 1), record("k2", 2)], 0).catch((e) => e);
        expect(error).toBeInstanceOf(ConcurrencyError);
        expect(error).toMatchObject({ expected: 0, actual: 1 });
        expect((await readAll(harness.open(location))).map((r) => r.id)).toEqual(["k0"]);

        const a = await openTimeline({ store: harness.open(location) });
        const b = await openTimeline({ store: harness.open(location) });
        await a.appendIfVersion(1, captured("k1", 1));
        await expect(b.appendIfVersion(1, captured("k2", 2))).rejects.toMatchObject({
          name: "ConcurrencyError",
          expected: 1,
          actual: 2,
        });
        expect(b.version).toBe(2);
        await expect(b.appendIfVersion(-1, captured("k3", 3))).rejects.toThrow(TypeError);
        await a.close();
        await b.close();
      });

      it("50 writers in 4 processes race on one expected version for 200 rounds: one wins each round", async () => {
        const location = harness.location();
        // The first open creates the store; the workers then open it all at once.
        await (await openTimeline({ store: harness.open(location) })).close();
        const workers = [13, 13, 12, 12].map(() => Worker.start(worker.file, location));
        try {
          await Promise.all(
            workers.map((w, i) => w.request({ cmd: "open", writers: i < 2 ? 13 : 12 })),
          );
          for (let round = 0; round < 200; round++) {
            const replies = await Promise.all(
              workers.map((w) =>
                w.request<{ results: Outcome[] }>({ cmd: "race", round, expected: round }),
              ),
            );
            const outcomes = replies.flatMap((r) => r.results);
            expect(outcomes).toHaveLength(50);
            const won = outcomes.filter((o) => o.outcome === "won");
            const lost = outcomes.filter((o) => o.outcome === "conflict");
            expect(outcomes.filter((o) => o.outcome === "error")).toEqual([]);
            expect(won).toEqual([{ outcome: "won", version: round + 1 }]);
            expect(lost).toHaveLength(49);
            for (const o of lost)
              expect(o).toEqual({ outcome: "conflict", expected: round, actual: round + 1 });
          }
          // Plain appends from every writer at once: all land, gap-free.
          const replies = await Promise.all(
            workers.map((w) =>
              w.request<{ results: Outcome[] }>({ cmd: "race", round: 1000, expected: null }),
            ),
          );
          expect(replies.flatMap((r) => r.results).every((o) => o.outcome === "won")).toBe(true);
        } finally {
          await Promise.all(workers.map((w) => w.close()));
        }
        const records = await readAll(harness.open(location));
        expect(records.map((r) => r.version)).toEqual(records.map((_, i) => i + 1));
        expect(records).toHaveLength(250);
        records.slice(0, 200).forEach((r, i) => {
          expect(r.id.startsWith(`race-${i}-`)).toBe(true);
        });
      }, 120_000);
    });

    describe("atomicity", () => {
      it("an invalid event in a batch of 100 stores nothing of the batch", async () => {
        const location = harness.location();
        const timeline = await openTimeline({ store: harness.open(location) });
        await timeline.append(captured("before", 0));
        const batch: Record<string, unknown>[] = Array.from({ length: 100 }, (_, i) =>
          captured(`v${i}`, i),
        );
        batch[57] = { ...batch[57], at: "yesterday" };
        const error = await timeline.appendAll(batch as never[]).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(TimelineValidationError);
        expect((error as TimelineValidationError).issues).toEqual([
          expect.objectContaining({ index: 57, path: ["at"] }),
        ]);
        expect(timeline.version).toBe(1);
        expect(timeline.size).toBe(1);
        await timeline.close();
        expect((await readAll(harness.open(location))).map((r) => r.id)).toEqual(["before"]);
      });

      it("a fault between write and commit stores nothing, and the next batch leaves no gap", async () => {
        const location = harness.location();
        const store = harness.open(location);
        const timeline = await openTimeline({ store });
        await timeline.append(captured("before", 0));
        let armed = true;
        injectFault(store, () => {
          if (!armed) return;
          armed = false;
          throw new Error("injected fault");
        });
        const batch = Array.from({ length: 100 }, (_, i) => captured(`f${i}`, i));
        await expect(timeline.appendAll(batch)).rejects.toThrow("injected fault");
        expect(timeline.version).toBe(1);
        expect(timeline.size).toBe(1);
        const reference = createTimeline();
        reference.append(captured("before", 0));
        expect(timeline.latest()).toEqual(reference.latest());
        expect((await readAll(harness.open(location))).map((r) => r.id)).toEqual(["before"]);

        // The same batch again: versions 2..101, no gap where the failed batch was.
        await timeline.appendAll(batch);
        injectFault(store, undefined);
        await timeline.append(captured("after", 1));
        const records = await readAll(harness.open(location));
        expect(records.map((r) => r.version)).toEqual(records.map((_, i) => i + 1));
        expect(records.map((r) => r.id)).toEqual(["before", ...batch.map((e) => e.id), "after"]);
        await timeline.close();
      });

      it("a reducer that throws on the batch stores nothing of it", async () => {
        const location = harness.location();
        const fussy = defineReducer({
          initial: 0,
          reduce: (count: number, event) => {
            if (event.id === "boom") throw new Error("no");
            return count + 1;
          },
        });
        const timeline = await openTimeline({ store: harness.open(location), reducers: { fussy } });
        await timeline.append(captured("before", 5));
        // Late: the reducer folds it before the stored event, on trial, before writing.
        const late = { ...captured("boom", 1), at: Date.UTC(2015, 0, 1) };
        await expect(timeline.append(captured("ok", 2), late)).rejects.toThrow(ReducerError);
        expect(timeline.version).toBe(1);
        expect(timeline.latest().fussy).toBe(1);
        await timeline.append(captured("ok", 2));
        expect(timeline.latest().fussy).toBe(2);
        await timeline.close();
        expect((await readAll(harness.open(location))).map((r) => r.id)).toEqual(["before", "ok"]);
      });

      it("a child appending in a loop, killed with SIGKILL 100 times: every acknowledged batch, nothing partial", async () => {
        const location = harness.location();
        await (await openTimeline({ store: harness.open(location) })).close();
        const acked = new Map<string, number>();
        const launch = () => {
          const child = spawn(process.execPath, [crasher.file, location], {
            stdio: ["pipe", "pipe", "inherit"],
          });
          let output = "";
          let onReady: () => void = () => undefined;
          const ready = new Promise<void>((resolve) => {
            onReady = resolve;
          });
          child.stdout.on("data", (chunk) => {
            output += String(chunk);
            if (output.includes("ready")) onReady();
          });
          const exited = new Promise<NodeJS.Signals | null>((resolve) =>
            child.on("exit", (_code, signal) => resolve(signal)),
          );
          return { child, ready, exited, output: () => output };
        };
        // Children start (and open the store) while earlier ones append: three stand ready.
        const queue = [launch(), launch(), launch()];
        for (let round = 1; round <= 100; round++) {
          const current = queue.shift() as ReturnType<typeof launch>;
          if (round + queue.length < 100) queue.push(launch());
          // A third of the children die inside a commit, after writing their rows.
          const killAt = round % 3 === 0 ? 1 + (round % 7) : 0;
          current.child.stdin.write(`go ${round} ${killAt}\n`);
          await Promise.race([current.ready, current.exited]);
          if (killAt === 0) {
            await sleep(Math.random() * 25);
            current.child.kill("SIGKILL");
          }
          expect(await current.exited).toBe("SIGKILL");
          for (const line of current.output().split("\n")) {
            const [word, batch, size] = line.split(" ");
            if (word === "ack") acked.set(batch as string, Number(size));
          }
        }
        const timeline = await openTimeline({ store: harness.open(location) });
        const stored = new Map<string, { count: number; size: number }>();
        for (const event of timeline.toJSON().events) {
          const [round, batch, , size] = event.id.split("-");
          const key = `${round}-${batch}`;
          const group = stored.get(key) ?? { count: 0, size: Number(size) };
          group.count++;
          stored.set(key, group);
        }
        for (const [key, group] of stored) expect(group.count, key).toBe(group.size);
        for (const [key, size] of acked) expect(stored.get(key)?.count, key).toBe(size);
        // At most one batch per child committed without being acknowledged (killed in between).
        const unacked = [...stored.keys()].filter((k) => !acked.has(k));
        expect(new Set(unacked.map((k) => k.split("-")[0])).size).toBe(unacked.length);
        expect(acked.size).toBeGreaterThan(100);
        expect(timeline.version).toBe(timeline.size);
        await timeline.close();
      }, 120_000);
    });

    describe("corruption", () => {
      const damaged = async (how: "content" | "checksum" | "delete", version: number) => {
        const location = harness.location();
        const timeline = await openTimeline({ store: harness.open(location) });
        await timeline.appendAll(Array.from({ length: 30 }, (_, i) => captured(`d${i}`, i)));
        await timeline.close();
        await harness.tamper(location, version, how);
        return openTimeline({ store: harness.open(location) }).catch((e: unknown) => e);
      };

      it("an event whose content changed behind the library's back names its version", async () => {
        const error = await damaged("content", 17);
        expect(error).toBeInstanceOf(StoreCorruptionError);
        expect(error).toMatchObject({ version: 17 });
        expect((error as Error).message).toMatch(/version 17/);
      });

      it("an event whose checksum changed names its version", async () => {
        expect(await damaged("checksum", 3)).toMatchObject({
          name: "StoreCorruptionError",
          version: 3,
        });
      });

      it("a missing event names its version, never a shorter timeline", async () => {
        const error = await damaged("delete", 12);
        expect(error).toBeInstanceOf(StoreCorruptionError);
        expect(error).toMatchObject({ version: 12 });
      });

      it("a timeline that has read events notices when the store lost them", async () => {
        const location = harness.location();
        const timeline = await openTimeline({ store: harness.open(location) });
        await timeline.appendAll(Array.from({ length: 5 }, (_, i) => captured(`t${i}`, i)));
        await harness.tamper(location, 5, "delete");
        await expect(timeline.refresh()).rejects.toThrow(StoreCorruptionError);
        await timeline.close();
      });
    });

    it("queries on a reopened timeline equal those of the in-memory timeline of the same events", async () => {
      await fc.assert(
        fc.asyncProperty(scenarioArb, async ({ batches, modes }) => {
          const location = harness.location();
          const memory = createTimeline(OPTIONS);
          const durable = await openTimeline({ store: harness.open(location), ...OPTIONS });
          for (const [i, batch] of batches.entries()) {
            memory.appendAll(batch as never[]);
            const mode = modes[i % modes.length];
            if (mode === "append") await durable.append(...(batch as never[]));
            else if (mode === "appendAll") await durable.appendAll(batch as never[]);
            else if (mode === "ifVersion")
              await durable.appendIfVersion(durable.version, ...(batch as never[]));
            else {
              await durable.appendAll(batch as never[]);
              // The same batch again (generated ids are new ids, as in memory).
              const withIds = batch.filter((input) => typeof input.id === "string");
              memory.appendAll(withIds as never[]);
              await durable.appendAll(withIds as never[]);
            }
          }
          expectSameQueries(durable as unknown as DurableTimeline, memory as unknown as Timeline);
          await durable.close();
          const reopened = await openTimeline({ store: harness.open(location), ...OPTIONS });
          expect(reopened.version).toBe(memory.size);
          expectSameQueries(reopened as unknown as DurableTimeline, memory as unknown as Timeline);
          // And an in-memory timeline built from the reopened events in one go.
          const rebuilt = createTimeline(OPTIONS);
          rebuilt.appendAll(reopened.toJSON().events as never[]);
          expectSameQueries(reopened as unknown as DurableTimeline, rebuilt as unknown as Timeline);
          await reopened.close();
        }),
        { numRuns: 25 },
      );
    }, 120_000);
  });
}
