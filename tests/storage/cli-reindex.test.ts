// `tidemark reindex STORE` rebuilds the read models of a store written before they existed,
// after which a reader answers as the timeline does.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { openReader, openTimeline, ReadModelError } from "../../src/index.js";
import { sqliteStore } from "../../src/stores/sqlite.js";
import { bundledCli } from "../helpers/bundled-cli.js";

const dir = mkdtempSync(join(tmpdir(), "tidemark-cli-reindex-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A store as an earlier tidemark wrote it: events, no read model tables. */
async function storeWithoutReadModels(path: string): Promise<void> {
  const writer = await openTimeline({ store: sqliteStore(path) });
  await writer.append(
    {
      type: "Captured",
      at: "2016-12-10",
      data: { place: "palmyra", by: "isis" },
      sources: [{ name: "SOHR" }],
    },
    {
      type: "Captured",
      at: "2016-03-27",
      data: { place: "palmyra", by: "regime" },
      sources: [{ name: "MoD" }],
    },
    { type: "Airstrike", at: "2016-12-11", data: { places: ["palmyra"], by: "russia" } },
  );
  await writer.close();
  const db = new Database(path);
  const tables = db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name LIKE 'tidemark_rm_%'")
    .pluck()
    .all() as string[];
  for (const table of tables) db.exec(`DROP TABLE ${table}`);
  db.close();
}

describe("tidemark reindex", () => {
  const tidemark = bundledCli();

  it("rebuilds the read models of a store written before them, so that a reader answers", async () => {
    const path = join(dir, "old.db");
    await storeWithoutReadModels(path);
    const before = await openReader({ store: sqliteStore(path) });
    const error = await before.stateAt("2016-12-12").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReadModelError);
    expect((error as Error).message).toMatch(/tidemark reindex STORE/);
    await before.close();

    const run = await tidemark(["reindex", path]);
    expect(run.stderr).toMatch(/reindex: 3 events indexed/);
    expect(run.code).toBe(0);

    const timeline = await openTimeline({ store: sqliteStore(path, { readonly: true }) });
    const reader = await openReader({ store: sqliteStore(path) });
    expect(await reader.stateAt("2016-12-12")).toEqual(timeline.stateAt("2016-12-12"));
    expect(await reader.history("palmyra")).toEqual(timeline.history("palmyra"));
    expect(await reader.claimsAt("2016-12-12")).toEqual(timeline.claimsAt("2016-12-12"));
    await reader.close();
    await timeline.close();
  });

  it("is a usage error without a store", async () => {
    const run = await tidemark(["reindex"]);
    expect(run.code).toBe(2);
  });
});
