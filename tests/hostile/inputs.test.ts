/**
 * What the command line refuses, and how: bytes in other encodings are read as what they are
 * or refused with their line, never turned into U+FFFD; compressed files and the wrong CSV
 * separator are named; only regular files are read; an output that fails is one line.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { escapeControls, escapeJson } from "../../src/cli/escape.js";
import { checkHeap } from "../../src/cli/input.js";
import { objectEvents } from "../../src/cli/json-object.js";
import { decodeWindows1252, sniffEncoding } from "../../src/formats/encoding.js";
import { bundleCli, cliRunner } from "../helpers/bundled-cli.js";

const dir = mkdtempSync(join(tmpdir(), "tidemark-inputs-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const CLI = bundleCli();
const tidemark = cliRunner(CLI, dir);

const HEADER =
  "event_id_cnty,event_date,event_type,sub_event_type,actor1,admin1,location,latitude,longitude";
const row = (id: string, location: string) =>
  `${id},2016-12-10,Battles,Non-state actor overtakes territory,Islamic State (Syria),Idleb,${location},35.6,36.6`;

/** Windows-1252 bytes of text whose characters all have one (as Excel saves a CSV). */
function cp1252(text: string): Buffer {
  const table = decodeWindows1252(Uint8Array.from({ length: 256 }, (_, i) => i));
  return Buffer.from([...text].map((c) => table.indexOf(c)));
}

function file(name: string, content: string | Buffer): string {
  writeFileSync(join(dir, name), content);
  return name;
}

describe("encodings", () => {
  it("reads a Windows-1252 ACLED export as Excel saves it, accents and all", async () => {
    const name = file(
      "cp1252.csv",
      cp1252(`${HEADER}\r\n${row("SYR1", "Ma’arrat an Nu’mân")}\r\n`),
    );
    const run = await tidemark(["state", name, "--json"]);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain("\ufffd");
    expect(Object.keys(JSON.parse(run.stdout).control)).toEqual(["idleb/ma-arrat-an-nu-man"]);
  });

  for (const [encoding, bytes] of [
    [
      "UTF-16 BE with a BOM",
      (t: string) => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(t, "utf16le").swap16()]),
    ],
    ["UTF-16 LE without a BOM", (t: string) => Buffer.from(t, "utf16le")],
    [
      "UTF-8 with a BOM",
      (t: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(t)]),
    ],
  ] as const) {
    it(`reads an ACLED export in ${encoding}`, async () => {
      const name = file(`${encoding}.csv`, bytes(`${HEADER}\n${row("SYR1", "Ḥomṣ")}\n`));
      const run = await tidemark(["state", name, "--json"]);
      expect(run.stderr).toBe("");
      expect(Object.keys(JSON.parse(run.stdout).control)).toEqual(["idleb/homs"]);
    });
  }

  it("refuses a Windows-1252 byte after 64 KiB of UTF-8 with its line and encoding", async () => {
    const rows = Array.from({ length: 1_000 }, (_, i) => row(`SYR${i}`, "Tadmur"));
    const late = Buffer.concat([
      Buffer.from(`${HEADER}\n${rows.join("\n")}\n`),
      cp1252(`${row("SYR9999", "Café")}\n`),
    ]);
    const run = await tidemark(["validate", file("late.csv", late)]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("line 1002 is not UTF-8");
    expect(run.stderr).toContain("Windows-1252");
  });

  it("names a gzip file for what it is", async () => {
    const run = await tidemark(["validate", file("events.csv", gzipSync(`${HEADER}\n`))]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("gzip-compressed");
  });

  it("names a zip archive for what it is", () => {
    expect(sniffEncoding(Buffer.from("PK\u0003\u0004rest"))).toEqual({
      refused: expect.stringContaining("zip archive"),
    });
  });

  it("names a semicolon-separated ACLED export for what it is", async () => {
    const text = `${HEADER}\n${row("SYR1", "Tadmur")}\n`.replaceAll(",", ";");
    const run = await tidemark(["validate", file("semicolons.csv", text)]);
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toContain("separated by semicolons");
  });

  it("names a tab-separated ACLED export for what it is", async () => {
    const text = `${HEADER}\n${row("SYR1", "Tadmur")}\n`.replaceAll(",", "\t");
    const run = await tidemark(["validate", file("tabs.csv", text)]);
    expect(run.stdout + run.stderr).toContain("separated by tabs");
  });
});

describe("what is not a regular file", () => {
  it("refuses a named pipe as a store path instead of waiting on it", async () => {
    const fifo = join(dir, "store.db");
    execFileSync("mkfifo", [fifo]);
    const run = await tidemark(["state", fifo]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("named pipe");
  });

  it("refuses a device such as /dev/zero, which would be read forever", async () => {
    const run = await tidemark(["state", "/dev/zero", "--format", "json"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("a device, not a regular file");
  });

  it("refuses a directory", async () => {
    const run = await tidemark(["state", dir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("a directory");
  });

  it("refuses NUL bytes on standard input as binary data", async () => {
    const run = await tidemark(["state", "-", "--format", "json"], "\0".repeat(100_000));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("binary data");
  });
});

describe("sizes", () => {
  it("stops at a CSV record past 64 MiB, naming its row", async () => {
    const name = file(
      "long.csv",
      `${HEADER}\nSYR1,2016-12-10,Battles,x,"${"a".repeat(65 * 1024 * 1024)}\n`,
    );
    const run = await tidemark(["validate", name]);
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toContain(
      "row 1 (line 2): CSV syntax: a record longer than 64 MiB",
    );
  });

  it("says how much heap a file needs, and what to do, before reading it", () => {
    expect(() => checkHeap("big.ndjson", 800 * 1024 * 1024, 2048 * 1024 * 1024)).toThrow(
      /needs about 5,600 MB of heap.*tidemark import big.ndjson --into.*--max-old-space-size=7000/,
    );
  });

  it("refuses a file too big for the heap with that message instead of a V8 fatal error", () => {
    // 15 MB of file needs about 105 MB of heap: more than --max-old-space-size=16 allows.
    const lines = Array.from({ length: 200_000 }, (_, i) =>
      JSON.stringify({ type: "Captured", at: "2016", data: { place: `p${i}`, by: "isis" } }),
    );
    const name = join(dir, file("heap.ndjson", `${lines.join("\n")}\n`));
    const run = spawnSync(process.execPath, ["--max-old-space-size=16", CLI, "state", name], {
      encoding: "utf8",
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("--max-old-space-size=");
  });
});

describe("JSON objects", () => {
  const events = Array.from({ length: 3_000 }, (_, i) => ({
    type: "Captured",
    at: "2016-01-01",
    data: { place: `town-${i}`, by: "isis" },
  }));

  it("streams a { version, timeZone, events } object from standard input in its zone", async () => {
    const text = JSON.stringify({ version: 1, timeZone: "Asia/Damascus", events }, null, 1);
    const run = await tidemark(["state", "-", "--json"], text);
    expect(run.stderr).toBe("");
    const control = JSON.parse(run.stdout).control;
    expect(Object.keys(control)).toHaveLength(3_000);
    // 1 January in Damascus (+02:00) began at 22:00 UTC the day before.
    expect(control["town-0"].since).toBe(Date.UTC(2015, 11, 31, 22));
  });

  it("locates what is wrong after the events array of a streamed object", async () => {
    const text = `${JSON.stringify({ version: 1, events }, null, 1).slice(0, -1)}, "x": }`;
    const run = await tidemark(["validate", "-", "--format", "json"], text);
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toMatch(/<stdin>:\d+: not valid JSON after the events array/);
  });

  it("says NDJSON is preferred when a large object has no events array up front", async () => {
    const text = JSON.stringify({ version: 1, notes: "n".repeat(1_200_000), events });
    const opened = await objectEvents(Readable.from([Buffer.from(text)]), 1024 * 1024);
    expect(opened).toMatchObject({
      problem: expect.stringContaining("NDJSON (one event a line), which is preferred"),
    });
  });
});

describe("output", () => {
  it.runIf(existsSync("/dev/full"))("says in one line that a full output cannot be written", () => {
    const name = join(
      dir,
      file(
        "one.ndjson",
        '{"type":"Captured","at":"2016","data":{"place":"palmyra","by":"isis"}}\n',
      ),
    );
    const run = spawnSync(
      "sh",
      ["-c", `"${process.execPath}" "${CLI}" state "${name}" > /dev/full`],
      {
        encoding: "utf8",
      },
    );
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split("\n")).toEqual([
      expect.stringMatching(/^tidemark: cannot write the output: ENOSPC/),
    ]);
  });

  it("escapes every invisible or bidi character, in text and in JSON", () => {
    const hidden = "a\u061cb\u200bc\u200dd\u2028e\u2029f\u2066g\ufeffh\u{e0041}i";
    const text = escapeControls(hidden);
    expect(text).toBe("a\\u061cb\\u200bc\\u200dd\\u2028e\\u2029f\\u2066g\\ufeffh\\u{e0041}i");
    const json = escapeJson(JSON.stringify({ hidden }));
    expect(json).toMatch(/^[\x20-\x7e]*$/);
    expect(JSON.parse(json).hidden).toBe(hidden);
  });
});
