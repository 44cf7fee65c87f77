import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type Captured, createTimeline, type InputOf, openTimeline } from "../src/index.js";
import { sqliteStore } from "../src/stores/sqlite.js";

const captured = (
  id: string,
  at: string,
  by: string,
  names: string[],
  recordedAt?: string,
): InputOf<typeof Captured> => ({
  id,
  type: "Captured",
  at,
  ...(recordedAt === undefined ? {} : { recordedAt }),
  data: { place: "palmyra", by },
  sources: names.map((name) => ({ name })),
});

const REPORTS = [
  captured("sat", "2016-12-10T18:00Z", "isis", ["SOHR"]),
  captured("sun", "2016-12-11T12:00Z", "isis", ["SOHR", "Amaq"], "2016-12-11T14:00Z"),
  captured("mod", "2016-12-11T00:00Z", "regime", ["Russian MoD"], "2016-12-11T07:00Z"),
  captured("bg", "2016-03", "regime", []),
];

function reports() {
  const timeline = createTimeline();
  timeline.append(...REPORTS);
  return timeline;
}

describe("timeline.sources", () => {
  it("lists every cited source with the number of events citing it, sorted by name", () => {
    expect(reports().sources()).toEqual([
      { name: "Amaq", events: 1 },
      { name: "Russian MoD", events: 1 },
      { name: "SOHR", events: 2 },
    ]);
  });

  it("is empty for a timeline without sources", () => {
    const timeline = createTimeline();
    timeline.append(captured("bg", "2016-03", "regime", []));
    expect(timeline.sources()).toEqual([]);
  });

  it("counts only events known at asOf", () => {
    expect(reports().sources({ asOf: "2016-12-11T08:00Z" })).toEqual([
      { name: "Russian MoD", events: 1 },
      { name: "SOHR", events: 1 },
    ]);
  });

  it("counts the events that cite one of the given sources, and every name they cite", () => {
    expect(reports().sources({ sources: ["Amaq"] })).toEqual([
      { name: "Amaq", events: 1 },
      { name: "SOHR", events: 1 },
    ]);
  });

  it("leaves out retracted events from the retraction's recordedAt on", () => {
    const timeline = reports();
    timeline.append({
      type: "Retracted",
      at: "2016-12-12",
      recordedAt: "2016-12-12T10:00Z",
      data: { eventId: "mod" },
      sources: [{ name: "Desk" }],
    });
    expect(timeline.sources().map((s) => s.name)).toEqual(["Amaq", "SOHR"]);
    expect(timeline.sources({ asOf: "2016-12-12T09:00Z" }).map((s) => s.name)).toEqual([
      "Amaq",
      "Russian MoD",
      "SOHR",
    ]);
  });

  it("counts an event that names a source twice once", () => {
    const timeline = createTimeline();
    timeline.append(captured("twice", "2016-12-10", "isis", ["SOHR", "SOHR"]));
    expect(timeline.sources()).toEqual([{ name: "SOHR", events: 1 }]);
  });

  it("returns frozen entries", () => {
    const [first] = reports().sources();
    expect(Object.isFrozen(first)).toBe(true);
  });
});

describe("sources on a durable timeline", () => {
  it("answers as the in-memory timeline does", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tidemark-sources-"));
    try {
      const timeline = await openTimeline({ store: sqliteStore(join(dir, "t.db")) });
      await timeline.append(...REPORTS);
      expect(timeline.sources({ asOf: "2016-12-11T08:00Z" })).toEqual(
        reports().sources({ asOf: "2016-12-11T08:00Z" }),
      );
      await timeline.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
