/**
 * tidemark/sqlite: the conformance suite, plus what only a file can suffer (damaged pages,
 * truncation, a foreign file) and its settings (WAL, synchronous=FULL).
 */
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { openTimeline, StoreCorruptionError } from "../../src/index.js";
import { sqliteStore } from "../../src/stores/sqlite.js";
import { describeConformance } from "./conformance.js";
import { captured } from "./fixtures/events.js";

const dir = mkdtempSync(join(tmpdir(), "tidemark-sqlite-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const location = () => join(dir, `t${++files}.db`);

describeConformance("tidemark/sqlite", {
  location,
  open: (path) => sqliteStore(path),
  async tamper(path, version, how) {
    const db = new Database(path);
    const sql = {
      content: `UPDATE tidemark_events SET content = replace(content, '"by":"', '"by":"x') WHERE version = ?`,
      checksum: "UPDATE tidemark_events SET checksum = '0000000000000000' WHERE version = ?",
      delete: "DELETE FROM tidemark_events WHERE version = ?",
    }[how];
    expect(db.prepare(sql).run(version).changes).toBe(1);
    db.close();
  },
});

describe("tidemark/sqlite: the file", () => {
  it("is in WAL mode with synchronous=FULL, and a database that cannot be is refused", async () => {
    const path = location();
    const timeline = await openTimeline({ store: sqliteStore(path) });
    await timeline.append(captured("a", 1));
    const db = new Database(path, { readonly: true });
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.pragma("application_id", { simple: true })).toBe(0x74646d6b);
    db.close();
    await timeline.close();
    await expect(openTimeline({ store: sqliteStore(":memory:") })).rejects.toThrow(
      /write-ahead logging/,
    );
  });

  it("refuses another program's SQLite file, and a missing file when asked not to create", async () => {
    const path = location();
    const db = new Database(path);
    db.pragma("application_id = 42");
    db.exec("CREATE TABLE notes (text TEXT)");
    db.close();
    await expect(openTimeline({ store: sqliteStore(path) })).rejects.toThrow(
      /not a tidemark store/,
    );
    await expect(
      openTimeline({ store: sqliteStore(join(dir, "absent.db"), { create: false }) }),
    ).rejects.toThrow();
  });

  /** A closed store of 300 events, each with a findable note; returns the file's bytes. */
  async function stored(path: string): Promise<Buffer> {
    const timeline = await openTimeline({ store: sqliteStore(path) });
    const events = Array.from({ length: 300 }, (_, i) =>
      captured(`v${i + 1}`, i, `marker-${String(i + 1).padStart(4, "0")}`),
    );
    await timeline.appendAll(events);
    await timeline.close();
    return readFileSync(path);
  }

  it("a flipped byte in an event's text is a StoreCorruptionError naming its version", async () => {
    const path = location();
    const bytes = await stored(path);
    const at = bytes.indexOf("marker-0137");
    expect(at).toBeGreaterThan(0);
    bytes[at + 7] = "9".charCodeAt(0);
    writeFileSync(path, bytes);
    const error = await openTimeline({ store: sqliteStore(path) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreCorruptionError);
    expect(error).toMatchObject({ version: 137 });
  });

  it("a page of garbage in the middle of the events is a StoreCorruptionError", async () => {
    const path = location();
    const bytes = await stored(path);
    const pageSize = bytes.readUInt16BE(16);
    const page = Math.floor(bytes.indexOf("marker-0150") / pageSize);
    for (let i = 0; i < pageSize; i++) bytes[page * pageSize + i] = (i * 7919 + 13) & 0xff;
    writeFileSync(path, bytes);
    const error = await openTimeline({ store: sqliteStore(path) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreCorruptionError);
    // The first event on the damaged page: a page holds about fifteen of these events.
    const version = (error as StoreCorruptionError).version as number;
    expect(version).toBeGreaterThan(120);
    expect(version).toBeLessThanOrEqual(150);
  });

  it("a truncated file is a StoreCorruptionError, never a shorter timeline", async () => {
    const path = location();
    const bytes = await stored(path);
    const pageSize = bytes.readUInt16BE(16);
    const page = Math.floor(bytes.indexOf("marker-0200") / pageSize);
    truncateSync(path, page * pageSize);
    await expect(openTimeline({ store: sqliteStore(path) })).rejects.toThrow(StoreCorruptionError);
  });

  it("a damaged header is a StoreCorruptionError", async () => {
    const path = location();
    const bytes = await stored(path);
    bytes.fill(0x5a, 0, 100);
    writeFileSync(path, bytes);
    await expect(openTimeline({ store: sqliteStore(path) })).rejects.toThrow(StoreCorruptionError);
  });

  it("watch() takes in what another connection appends", async () => {
    const path = location();
    const reader = await openTimeline({ store: sqliteStore(path, { pollInterval: 20 }) });
    const writer = await openTimeline({ store: sqliteStore(path) });
    const versions: number[] = [];
    const stop = await reader.watch((version) => versions.push(version));
    await writer.append(captured("w1", 1), captured("w2", 2));
    await expect.poll(() => reader.version, { timeout: 2000 }).toBe(2);
    expect(versions).toEqual([2]);
    await stop();
    await writer.close();
    await reader.close();
  });

  it("keeps control's rows as the entry and the claims as the API reads them, each claim with its latest report", async () => {
    const path = location();
    const timeline = await openTimeline({ store: sqliteStore(path) });
    const day = (d: number) => Date.UTC(2016, 11, d);
    await timeline.append(
      {
        type: "Captured",
        at: day(10),
        data: { place: "palmyra", by: "isis" },
        sources: [{ name: "Amaq" }],
      },
      {
        type: "Captured",
        at: day(11),
        data: { place: "palmyra", by: "regime", from: "isis" },
        sources: [{ name: "SOHR" }],
      },
      {
        type: "Held",
        at: day(12),
        data: { place: "palmyra", by: "regime" },
        sources: [{ name: "SOHR" }],
      },
    );
    await timeline.close();
    const db = new Database(path, { readonly: true });
    const rows = db
      .prepare(
        "SELECT value FROM tidemark_rm_rows WHERE slice = 'control' AND key = 'palmyra' ORDER BY at",
      )
      .all() as { value: string }[];
    db.close();
    const last = JSON.parse((rows.at(-1) as { value: string }).value);
    expect(last).toEqual({
      entry: {
        controller: "regime",
        since: day(11),
        eventId: expect.any(String),
        precision: "millisecond",
        contested: false,
      },
      claims: {
        claims: [
          {
            source: "Amaq",
            controller: "isis",
            since: day(10),
            eventId: expect.any(String),
            precision: "millisecond",
            standing: false,
          },
          {
            source: "SOHR",
            controller: "regime",
            since: day(11),
            eventId: expect.any(String),
            precision: "millisecond",
            standing: true,
          },
        ],
        // SOHR's status report renewed its claim: reported then, still since the capture.
        reported: [day(10), day(12)],
      },
    });
  });
});
