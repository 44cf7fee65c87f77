// Content-derived ids (DESIGN "Ids", README "Event ids"): an input without an id is named by
// its content, so appending or importing it again is a no-op everywhere.

import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { sha256 } from "../src/core/sha256.js";
import { createTimeline, fromJSON, openTimeline } from "../src/index.js";
import { sqliteStore } from "../src/stores/sqlite.js";
import { arrests, captured, cites, ms } from "./helpers/assertions.js";
import { bundledCli, root } from "./helpers/bundled-cli.js";
import { expectedContentId } from "./helpers/content-id.js";

const dir = mkdtempSync(join(tmpdir(), "tidemark-ids-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const utf8 = (text: string) => new TextEncoder().encode(text);

/** A small file of id-less events, as a newsroom would write one. */
const TAKEN = captured("2016-12-10T18:00+02:00", "palmyra", "isis", { sources: cites("Amaq") });
const DETAINED = arrests("2016-12-11", "palmyra", "isis");
const FILE = [
  TAKEN,
  DETAINED,
  captured("2016-12-11", "tadmur-citadel", "isis", { sources: cites("SOHR"), note: "citadel" }),
  arrests("2016-12-12", "palmyra", "isis", 40),
];

describe("SHA-256", () => {
  it.each([
    ["", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
    ["abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
    [
      "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
    ],
  ])("gives the FIPS 180-4 digest of %j", (text, digest) => {
    expect(hex(sha256(utf8(text)))).toBe(digest);
  });

  it("agrees with node:crypto on every length from 0 to 300 bytes", () => {
    for (let n = 0; n <= 300; n++) {
      const bytes = randomBytes(n);
      expect(hex(sha256(bytes))).toBe(createHash("sha256").update(bytes).digest("hex"));
    }
  });
});

describe("content ids", () => {
  it("an event without an id gets h- and 26 base32 characters of the documented hash", () => {
    const [event] = createTimeline().append(TAKEN);
    expect(event?.id).toMatch(/^h-[a-z2-7]{26}$/);
    expect(event?.id).toBe(expectedContentId(event as Parameters<typeof expectedContentId>[0]));
  });

  it("appending the same input twice stores it once and returns the stored event", () => {
    const timeline = createTimeline();
    const [first] = timeline.append(TAKEN);
    const [again] = timeline.append(structuredClone(TAKEN));
    expect(again).toStrictEqual(first);
    expect(timeline.size).toBe(1);
  });

  it("two equal inputs in one batch are one event", () => {
    const timeline = createTimeline();
    const result = timeline.append(DETAINED, structuredClone(DETAINED));
    expect(result[0]).toBe(result[1]);
    expect(timeline.size).toBe(1);
  });

  it("a date and its epoch milliseconds at the same precision are the same event", () => {
    const timeline = createTimeline();
    timeline.append(captured("2016-12-10", "palmyra", "isis"));
    timeline.append(captured(ms("2016-12-10T00:00Z"), "palmyra", "isis", { precision: "day" }));
    expect(timeline.size).toBe(1);
  });

  it("the order of keys in the input does not change the id", () => {
    const timeline = createTimeline();
    timeline.append({
      type: "Captured",
      at: "2016-12-10",
      data: { place: "palmyra", by: "isis", from: "regime" },
      sources: [{ name: "SOHR", url: "https://www.syriahr.com/en/" }],
    });
    timeline.append({
      sources: [{ url: "https://www.syriahr.com/en/", name: "SOHR" }],
      data: { from: "regime", by: "isis", place: "palmyra" },
      at: "2016-12-10",
      type: "Captured",
    });
    expect(timeline.size).toBe(1);
  });

  it("an alias and the id it stands for give the same id", () => {
    const places = { palmyra: { name: "Palmyra", aliases: ["Tadmur"] } };
    const timeline = createTimeline({ places });
    timeline.append(captured("2016-12-10", "Tadmur", "isis"));
    timeline.append(captured("2016-12-10", "palmyra", "isis"));
    expect(timeline.size).toBe(1);
  });

  it("a recordedAt equal to at is the same event as none", () => {
    const timeline = createTimeline();
    timeline.append(captured("2016-12-10", "palmyra", "isis"));
    timeline.append(captured("2016-12-10", "palmyra", "isis", { recordedAt: "2016-12-10" }));
    expect(timeline.size).toBe(1);
  });

  it.each([
    ["another source", { sources: cites("Amaq") }],
    ["a note", { note: "claimed" }],
    ["a coarser precision", { precision: "month" as const }],
    ["a later recordedAt", { recordedAt: "2016-12-11" }],
  ])("the same event with %s is another event", (_, extra) => {
    const timeline = createTimeline();
    const [a] = timeline.append(captured("2016-12-10", "palmyra", "isis"));
    const [b] = timeline.append(captured("2016-12-10", "palmyra", "isis", extra));
    expect(b?.id).not.toBe(a?.id);
    expect(timeline.size).toBe(2);
  });

  it("an id given by the user is kept as it is", () => {
    const [event] = createTimeline().append(captured("2016-12-10", "palmyra", "isis", { id: "7" }));
    expect(event?.id).toBe("7");
  });

  it("an id does not depend on the position of the input in a batch", () => {
    const ids = createTimeline()
      .append(...FILE)
      .map((e) => e.id);
    const reversed = createTimeline()
      .append(...[...FILE].reverse())
      .map((e) => e.id);
    expect(reversed).toEqual([...ids].reverse());
  });

  it("re-importing a file with one event added at the top adds that event only", () => {
    const timeline = createTimeline();
    timeline.append(...FILE);
    const added = captured("2016-12-09", "palmyra", "regime");
    timeline.append(added, ...FILE);
    expect(timeline.size).toBe(FILE.length + 1);
  });

  it("a second file that repeats some events of the first adds only the others", () => {
    const timeline = createTimeline();
    timeline.append(...FILE.slice(0, 3));
    timeline.append(...FILE.slice(1));
    expect(timeline.size).toBe(FILE.length);
  });

  it("toJSON and fromJSON keep generated ids, so appending the file again is a no-op", () => {
    const timeline = createTimeline();
    timeline.append(...FILE);
    const copy = fromJSON(JSON.stringify(timeline));
    copy.append(...FILE);
    expect(copy.size).toBe(FILE.length);
  });
});

// Child processes start slowly on a busy machine.
describe("content ids across processes and stores", { timeout: 60_000 }, () => {
  it("another process gives the same ids", async () => {
    const script = join(dir, "ids.ts");
    writeFileSync(
      script,
      `import { createTimeline } from ${JSON.stringify(join(root, "src/index.ts"))};
const inputs = JSON.parse(process.argv[2] ?? "[]");
process.stdout.write(JSON.stringify(createTimeline().append(...inputs).map((e) => e.id)));`,
    );
    const tsx = join(root, "node_modules", ".bin", "tsx");
    const { stdout } = await promisify(execFile)(tsx, [script, JSON.stringify(FILE)], {
      cwd: root,
    });
    const here = createTimeline()
      .append(...FILE)
      .map((e) => e.id);
    expect(JSON.parse(stdout)).toEqual(here);
  });

  it("appending the same inputs to a SQLite store again, after reopening it, stores nothing", async () => {
    const path = join(dir, "again.db");
    const first = await openTimeline({ store: sqliteStore(path) });
    await first.append(...FILE);
    await first.close();
    const second = await openTimeline({ store: sqliteStore(path) });
    try {
      await second.append(...FILE, captured("2016-12-09", "palmyra", "regime"));
      expect(second.version).toBe(FILE.length + 1);
    } finally {
      await second.close();
    }
  });

  describe("through the CLI", () => {
    const tidemark = bundledCli();

    const ndjson = (events: readonly unknown[]) =>
      `${events.map((e) => JSON.stringify(e)).join("\n")}\n`;

    it("importing an id-less file twice, then a file with one more event at its top, adds that event only", async () => {
      const store = join(dir, "cli.db");
      const file = join(dir, "events.ndjson");
      writeFileSync(file, ndjson(FILE));
      const once = await tidemark(["import", file, "--into", store]);
      expect(once.code, once.stderr).toBe(0);
      const twice = await tidemark(["import", file, "--into", store]);
      expect(twice.code, twice.stderr).toBe(0);
      expect(twice.stderr).toContain(`imported 0 events into ${store}`);
      const longer = join(dir, "longer.ndjson");
      writeFileSync(longer, ndjson([captured("2016-12-09", "palmyra", "regime"), ...FILE]));
      const more = await tidemark(["import", longer, "--into", store]);
      expect(more.code, more.stderr).toBe(0);
      expect(more.stderr).toContain(`imported 1 events into ${store}`);
      // The ids the CLI stored are those this process gives the same inputs.
      const stored = await openTimeline({ store: sqliteStore(store) });
      try {
        const here = createTimeline().append(...FILE);
        for (const event of here) expect(stored.events().map((e) => e.id)).toContain(event.id);
      } finally {
        await stored.close();
      }
    });
  });
});
