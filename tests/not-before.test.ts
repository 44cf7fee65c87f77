// `notBefore` (DESIGN "Events", third edition): the earliest instant an event can have
// happened, kept on the stored event with its own precision and part of its id.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createTimeline, fromJSON, openTimeline, TimelineValidationError } from "../src/index.js";
import { sqliteStore } from "../src/stores/sqlite.js";
import { expectedContentId } from "./helpers/content-id.js";

const dir = mkdtempSync(join(tmpdir(), "tidemark-not-before-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** "Taken between the maps of 3 and 10 Oct": a change that a daily map only brackets. */
const BRACKETED = {
  type: "Captured",
  at: "2024-10-10",
  notBefore: "2024-10-03",
  data: { place: "vuhledar", by: "russia" },
  sources: [{ name: "DeepState" }],
} as const;

describe("notBefore", () => {
  it("is stored in epoch milliseconds with the precision of its own form", () => {
    const [event] = createTimeline().append(BRACKETED);
    expect(event?.notBefore).toBe(Date.UTC(2024, 9, 3));
    expect(event?.notBeforePrecision).toBe("day");
    expect(event?.at).toBe(Date.UTC(2024, 9, 10));
  });

  it("is read in the timeline's zone like `at`", () => {
    const [event] = createTimeline({ timeZone: "+03:00" }).append(BRACKETED);
    expect(event?.notBefore).toBe(Date.UTC(2024, 9, 2, 21));
  });

  it("takes part in the content id, by the documented recipe", () => {
    const [bracketed] = createTimeline().append(BRACKETED);
    const [plain] = createTimeline().append({ ...BRACKETED, notBefore: undefined });
    expect(bracketed?.id).not.toBe(plain?.id);
    expect(bracketed?.id).toBe(
      expectedContentId(bracketed as Parameters<typeof expectedContentId>[0]),
    );
  });

  it("leaves the ids of events without it as they were", () => {
    const [plain] = createTimeline().append({ ...BRACKETED, notBefore: undefined });
    expect(plain).not.toHaveProperty("notBefore");
    expect(plain?.id).toBe(expectedContentId(plain as Parameters<typeof expectedContentId>[0]));
  });

  it("makes re-appending the same bracketed input a no-op", () => {
    const timeline = createTimeline();
    timeline.append(BRACKETED);
    timeline.append(BRACKETED);
    expect(timeline.size).toBe(1);
  });

  it("is refused when it is after `at`", () => {
    const append = () => createTimeline().append({ ...BRACKETED, notBefore: "2024-10-11" });
    expect(append).toThrow(TimelineValidationError);
    expect(append).toThrow(/notBefore.*after `at`/);
  });

  it("is refused when it is not a time, naming the field", () => {
    expect(() => createTimeline().append({ ...BRACKETED, notBefore: "last week" })).toThrow(
      /notBefore/,
    );
  });

  it("does not move the event: queries still place it at `at`", () => {
    const timeline = createTimeline();
    timeline.append(BRACKETED);
    expect(timeline.stateAt("2024-10-09").control.vuhledar).toBeUndefined();
    expect(timeline.stateAt("2024-10-10").control.vuhledar?.controller).toBe("russia");
  });

  it("survives toJSON and fromJSON with its precision and id", () => {
    const timeline = createTimeline();
    const [stored] = timeline.append({ ...BRACKETED, notBefore: "2024-10" });
    const copy = fromJSON(JSON.stringify(timeline.toJSON()));
    const [back] = copy.events();
    expect(back).toEqual(stored);
    expect(back?.notBeforePrecision).toBe("month");
  });

  it("accepts a coarser notBeforePrecision but not a finer one", () => {
    const [coarse] = createTimeline().append({
      ...BRACKETED,
      notBefore: "2024-10-03T06:00Z",
      notBeforePrecision: "day",
    });
    expect(coarse?.notBeforePrecision).toBe("day");
    expect(() => createTimeline().append({ ...BRACKETED, notBeforePrecision: "hour" })).toThrow(
      /notBeforePrecision.*finer/,
    );
  });

  it("survives a SQLite store", async () => {
    const path = join(dir, "front.db");
    const writer = await openTimeline({ store: sqliteStore(path) });
    const [stored] = await writer.append(BRACKETED);
    await writer.close();
    const reader = await openTimeline({ store: sqliteStore(path) });
    expect(reader.events()).toEqual([stored]);
    await reader.close();
  });
});
