/**
 * tidemark/sqlite under the faults a file meets outside the library: copied without its log
 * or with a cut one, another program's database at its path, read-only files and folders, a
 * writer holding the lock, a full disk.
 */
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { openTimeline, StoreUnavailableError } from "../../src/index.js";
import { sqliteStore } from "../../src/stores/sqlite.js";
import { captured } from "./fixtures/events.js";

const dir = mkdtempSync(join(tmpdir(), "tidemark-sqlite-faults-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const location = (name = "store") => join(dir, `${name}-${++files}.db`);

/** 200 events in 20 acknowledged batches, the timeline left open (its log not yet removed). */
async function acknowledged(path: string) {
  const timeline = await openTimeline({ store: sqliteStore(path) });
  for (let batch = 0; batch < 20; batch++) {
    await timeline.appendAll(
      Array.from({ length: 10 }, (_, i) => captured(`b${batch}-${i}`, batch * 10 + i)),
    );
  }
  expect(timeline.version).toBe(200);
  return timeline;
}

async function count(path: string): Promise<number> {
  const timeline = await openTimeline({ store: sqliteStore(path, { readonly: true }) });
  const size = timeline.size;
  await timeline.close();
  return size;
}

function foreignDatabase(path: string): Buffer {
  const db = new Database(path);
  db.exec("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)");
  db.prepare("INSERT INTO customers (name) VALUES (?)").run("Ada");
  db.close();
  return readFileSync(path);
}

describe("tidemark/sqlite: the log file", () => {
  it("a store copied without its -wal file holds every acknowledged batch", async () => {
    const path = location();
    const timeline = await acknowledged(path);
    const copy = location("copy");
    copyFileSync(path, copy);
    expect(existsSync(`${copy}-wal`)).toBe(false);
    expect(await count(copy)).toBe(200);
    await timeline.close();
  });

  it("a store copied with its -wal file cut in half holds every acknowledged batch", async () => {
    const path = location();
    const timeline = await acknowledged(path);
    const copy = location("copy");
    copyFileSync(path, copy);
    if (existsSync(`${path}-wal`)) {
      const wal = readFileSync(`${path}-wal`);
      writeFileSync(`${copy}-wal`, wal.subarray(0, Math.floor(wal.length / 2)));
    }
    expect(await count(copy)).toBe(200);
    await timeline.close();
  });
});

describe("tidemark/sqlite: another program's database", () => {
  it("is refused by a writer and left byte for byte as it was", async () => {
    const path = location("foreign");
    const before = foreignDatabase(path);
    const error = await openTimeline({ store: sqliteStore(path) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as StoreUnavailableError).reason).toBe("not-a-store");
    expect((error as Error).message).toMatch(/not a tidemark store/);
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  it("is refused by a reader and left byte for byte as it was", async () => {
    const path = location("foreign");
    const before = foreignDatabase(path);
    await expect(openTimeline({ store: sqliteStore(path, { readonly: true }) })).rejects.toThrow(
      /not a tidemark store/,
    );
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it("a file of other data with a store's name is refused and left as it was", async () => {
    const path = location("text");
    writeFileSync(path, "name,place\nAda,Palmyra\n");
    await expect(openTimeline({ store: sqliteStore(path) })).rejects.toThrow(
      /not a tidemark store/,
    );
    expect(readFileSync(path, "utf8")).toBe("name,place\nAda,Palmyra\n");
  });

  it("an empty file becomes a store when a writer opens it", async () => {
    const path = location("empty");
    writeFileSync(path, "");
    const timeline = await openTimeline({ store: sqliteStore(path) });
    await timeline.append(captured("a", 1));
    await timeline.close();
    expect(await count(path)).toBe(1);
  });
});

describe("tidemark/sqlite: readers never write", () => {
  it("a reader leaves the main file byte for byte as it was", async () => {
    const path = location();
    await (await acknowledged(path)).close();
    const before = readFileSync(path);
    const reader = await openTimeline({ store: sqliteStore(path, { readonly: true }) });
    expect(reader.size).toBe(200);
    await expect(reader.append(captured("new", 1))).rejects.toThrow(/read-only/);
    await reader.close();
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it("a reader does not create a missing store", async () => {
    const path = location("absent");
    const error = await openTimeline({ store: sqliteStore(path, { readonly: true }) }).catch(
      (e: unknown) => e,
    );
    expect((error as StoreUnavailableError).reason).toBe("missing");
    expect(existsSync(path)).toBe(false);
  });

  it("reads go on while another process holds the write lock, and a writer says it waited", async () => {
    const path = location();
    await (await acknowledged(path)).close();
    const holder = new Database(path);
    holder.exec("BEGIN IMMEDIATE");
    try {
      const start = performance.now();
      expect(await count(path)).toBe(200);
      expect(performance.now() - start).toBeLessThan(2_000);
      const writer = await openTimeline({ store: sqliteStore(path, { busyTimeout: 200 }) });
      const error = await writer.append(captured("late", 1)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect((error as StoreUnavailableError).reason).toBe("locked");
      await writer.close();
    } finally {
      holder.exec("ROLLBACK");
      holder.close();
    }
    expect(await count(path)).toBe(200);
  });
});

/** Runs a script as an unprivileged user (root ignores file modes), or `undefined` when it cannot. */
function asNobody(script: string): { status: number | null; stdout: string; stderr: string } {
  const command = process.getuid?.() === 0 ? ["runuser", "-u", "nobody", "--"] : [];
  const run = spawnSync(
    command[0] ?? process.execPath,
    [
      ...command.slice(1),
      ...(command.length > 0 ? [process.execPath] : []),
      "--input-type=module",
      "-e",
      script,
    ],
    { encoding: "utf8", cwd: join(import.meta.dirname, "../..") },
  );
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const runuserWorks =
  process.getuid?.() !== 0 || spawnSync("runuser", ["-u", "nobody", "--", "true"]).status === 0;

describe.runIf(runuserWorks)("tidemark/sqlite: read-only files and folders", () => {
  /** A script that reads the store at `path` with the built-in SQLite store, as nobody. */
  const reader = (path: string) => `
    import Database from "better-sqlite3";
    const { sqliteStore } = await import(${JSON.stringify(join(import.meta.dirname, "../../node_modules/.cache/tidemark-tests/sqlite-store.mjs"))});
    const store = sqliteStore(${JSON.stringify(path)}, { readonly: true });
    let n = 0;
    for await (const chunk of store.load(0)) n += chunk.length;
    await store.close();
    console.log(n);
  `;

  it("a store in a read-only folder, its files read-only, is read in full and left as it was", async () => {
    const { build } = await import("esbuild");
    const bundle = join(
      import.meta.dirname,
      "../../node_modules/.cache/tidemark-tests/sqlite-store.mjs",
    );
    await build({
      entryPoints: [join(import.meta.dirname, "../../src/stores/sqlite.ts")],
      outfile: bundle,
      bundle: true,
      platform: "node",
      format: "esm",
      external: ["better-sqlite3"],
      logLevel: "warning",
    });
    const folder = join(dir, `ro-${++files}`);
    mkdirSync(folder);
    const path = join(folder, "store.db");
    await (await acknowledged(path)).close();
    const before = readFileSync(path);
    chmodSync(dir, 0o755);
    chmodSync(path, 0o444);
    chmodSync(folder, 0o555);
    try {
      const run = asNobody(reader(path));
      expect(run.stderr).toBe("");
      expect(run.stdout.trim()).toBe("200");
      expect(readFileSync(path).equals(before)).toBe(true);
      expect(statSync(folder).mode & 0o777).toBe(0o555);
    } finally {
      chmodSync(folder, 0o755);
      rmSync(bundle, { force: true });
    }
  });
});
