/**
 * The hostile-input corpus through every command of the `tidemark` CLI, run as users run it:
 * invalid inputs exit 1 with a located one-line message and store nothing; hostile names are
 * printed with their control characters escaped; no command prints a stack trace.
 */
import { spawn, spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { XMLValidator } from "fast-xml-parser";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { COMMANDS } from "../../src/cli/help.js";
import { defineEvent, openTimeline } from "../../src/index.js";
import { sqliteStore } from "../../src/stores/sqlite.js";
import { bundleCli, type CliRun, cliRunner } from "../helpers/bundled-cli.js";
import { HOSTILE_PLACES, HOSTILE_VALID, INVALID } from "./corpus.js";

const _root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const dir = mkdtempSync(join(tmpdir(), "tidemark-hostile-"));
const CLI = bundleCli();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Run = CliRun;

/** Runs `tidemark ...args` (the bundled source) in the test folder, `input` on standard input. */
const tidemark = cliRunner(CLI, dir);

let stores = 0;
/** The arguments every command needs besides its file (a new store for import). */
function argsFor(command: string, place = "palmyra"): string[] {
  const values: Record<string, string> = {
    place,
    from: "2016",
    to: "2017",
    at: "2016-12-31",
    into: join(dir, `into-${++stores}.db`),
  };
  const spec = COMMANDS[command];
  const args: string[] = [];
  for (const [name, option] of Object.entries(spec?.options ?? {})) {
    if ((option as { required?: boolean }).required === true) {
      args.push(`--${name}`, values[name] ?? "x");
    }
  }
  return args;
}

/** C0 and C1 controls but the line breaks between messages, DEL, bidi controls. */
const RAW_CONTROL =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding raw control characters is the test
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

function expectClean(run: Run): void {
  expect(run.stderr).not.toMatch(RAW_CONTROL);
  expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
  if (!run.stdout.startsWith("<svg") && !run.stdout.startsWith("<?xml")) {
    expect(run.stdout).not.toMatch(RAW_CONTROL);
  }
}

const commands = Object.keys(COMMANDS);

describe.concurrent("hostile files: every command exits 1 with a located message, storing nothing", {
  timeout: 120_000,
}, () => {
  for (const input of INVALID.filter((i) => i.decodedByCli !== true)) {
    for (const command of commands) {
      it(`${command}: ${input.name}`, async () => {
        const path = join(dir, `${command}-${input.file}`);
        writeFileSync(path, input.content);
        const args = argsFor(command);
        const run = await tidemark([command, path, ...args]);
        expect(run.code, run.stderr).toBe(1);
        expect(run.stderr).toMatch(input.message);
        expectClean(run);
        const into = args[args.indexOf("--into") + 1];
        if (command === "import" && into !== undefined) expect(existsSync(into)).toBe(false);
      }, 60_000);
    }
  }
});

describe.concurrent("empty standard input", { timeout: 120_000 }, () => {
  for (const command of commands) {
    it(`${command} - </dev/null exits 1 with "empty input"`, async () => {
      const run = await tidemark([command, "-", ...argsFor(command)], "");
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/<stdin>: empty input/);
    });
  }

  it('import - with only blank lines exits 1 with "empty input", creating no store', async () => {
    const args = argsFor("import");
    const run = await tidemark(["import", "-", ...args], "\n  \n\t\n");
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/<stdin>: empty input/);
    expect(existsSync(args[args.indexOf("--into") + 1] as string)).toBe(false);
  });
});

describe("instants at the ends of the Date range", { timeout: 120_000 }, () => {
  it("print as ISO 8601 expanded years, in any --time-zone, never NaN", async () => {
    const path = join(dir, "edges.ndjson");
    writeFileSync(
      path,
      [8.64e15, -8.64e15]
        .map((at, i) => JSON.stringify({ type: "Captured", at, data: { place: `p${i}`, by: "a" } }))
        .join("\n"),
    );
    const run = await tidemark(["state", path, "--time-zone", "+02:00"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).not.toContain("NaN");
    expect(run.stdout).toContain("+275760-09-13T00:00:00.000Z");
    expect(run.stdout).toContain("-271821-04-20T02:00:00.000+02:00");
  });
});

describe("a line longer than a string may be", { timeout: 120_000 }, () => {
  it("is a located problem, not a RangeError", async () => {
    const path = join(dir, "huge.ndjson");
    const event = JSON.stringify({ type: "Captured", at: "2016", data: { place: "p", by: "a" } });
    writeFileSync(
      path,
      `${event}\n{"type":"Captured","note":"${"x".repeat(65 * 1024 * 1024)}"}\n${event}\n`,
    );
    const run = await tidemark(["validate", path]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/huge\.ndjson:2: line too long/);
    expectClean(run);
  }, 120_000);
});

describe.concurrent("hostile names: printed escaped by every command", { timeout: 120_000 }, () => {
  const path = join(dir, "names.ndjson");
  writeFileSync(path, HOSTILE_VALID);
  const places = join(dir, "names-places.json");
  writeFileSync(places, JSON.stringify(HOSTILE_PLACES));
  // `view` serves its page until it is stopped, so it never exits 0 here (its reading of
  // hostile files is checked above, as every command's is).
  for (const command of commands.filter((name) => name !== "view")) {
    it(`${command} reads them and prints no raw control character`, async () => {
      const run = await tidemark([
        command,
        path,
        ...argsFor(command, "\u001b]0;pwned\u0007"),
        "--places",
        places,
      ]);
      expectClean(run);
      expect(run.code, run.stderr).toBe(0);
      if (run.stdout.startsWith("<")) expect(XMLValidator.validate(run.stdout)).toBe(true);
    });
  }

  it("a store holding them is read back escaped", async () => {
    const store = join(dir, "names.db");
    expect((await tidemark(["import", path, "--into", store])).code).toBe(0);
    const run = await tidemark(["state", store]);
    expect(run.code).toBe(0);
    expectClean(run);
    expect(run.stdout).toContain("\\x1b]0;pwned\\x07");
  });
});

describe.concurrent("stores that cannot be used: exit 2, one line, left as they were", {
  timeout: 120_000,
}, () => {
  const event = `${JSON.stringify({ type: "Captured", at: "2016", data: { place: "p", by: "a" } })}\n`;
  const events = join(dir, "one.ndjson");
  writeFileSync(events, event);

  it("another program's database, read or imported into, is refused and left byte for byte", async () => {
    const path = join(dir, "customers.db");
    const db = new Database(path);
    db.exec("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)");
    db.close();
    const before = readFileSync(path);
    for (const args of [
      ["state", path],
      ["validate", path],
      ["import", events, "--into", path],
    ]) {
      const run = await tidemark(args);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^tidemark: .*not a tidemark store.*\n$/);
    }
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  it("a store holding custom event types is read, their events as stored", async () => {
    const path = join(dir, "custom.db");
    const Clashes = defineEvent("Clashes", z.object({ place: z.string(), dead: z.number() }));
    const timeline = await openTimeline({ store: sqliteStore(path), events: [Clashes] });
    await timeline.append(
      { type: "Clashes", at: "2016-12-09", data: { place: "palmyra", dead: 12 } },
      { type: "Captured", at: "2016-12-11", data: { place: "palmyra", by: "isis" } },
    );
    await timeline.close();
    const state = await tidemark(["state", path]);
    expect(state.code, state.stderr).toBe(0);
    expect(state.stdout).toMatch(/palmyra\s+isis/);
    const valid = await tidemark(["validate", path, "--json"]);
    expect(valid.code, valid.stderr).toBe(0);
    expect(JSON.parse(valid.stdout)).toMatchObject({ valid: true, events: 2 });
  });

  it("an import conflicting with the store names the file line", async () => {
    const store = join(dir, "conflict.db");
    const first = join(dir, "first.ndjson");
    const second = join(dir, "second.ndjson");
    const captured = (id: string, by: string, day: number) =>
      JSON.stringify({
        id,
        type: "Captured",
        at: `2016-12-${String(day).padStart(2, "0")}`,
        data: { place: "p", by },
      });
    writeFileSync(first, `${captured("a", "isis", 10)}\n${captured("b", "isis", 11)}\n`);
    // Line 3 reuses id "a" with other content; the timeline orders it first (an earlier day).
    writeFileSync(
      second,
      `${captured("c", "regime", 20)}\n${captured("d", "regime", 21)}\n${captured("a", "regime", 1)}\n`,
    );
    expect((await tidemark(["import", first, "--into", store])).code).toBe(0);
    const run = await tidemark(["import", second, "--into", store]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/second\.ndjson:3: id: id "a" is already used/);
  });

  it("a write lock held past the busy timeout: reads go on, import waits then says so", async () => {
    const store = join(dir, "locked.db");
    expect((await tidemark(["import", events, "--into", store])).code).toBe(0);
    const holder = new Database(store);
    holder.exec("BEGIN IMMEDIATE");
    try {
      const read = await tidemark(["state", store]);
      expect(read.code, read.stderr).toBe(0);
      const other = join(dir, "other.ndjson");
      writeFileSync(
        other,
        `${JSON.stringify({ id: "late", type: "Captured", at: "2017", data: { place: "q", by: "a" } })}\n`,
      );
      const run = await tidemark(["import", other, "--into", store]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^tidemark: .*locked by another writer.*\n$/);
    } finally {
      holder.exec("ROLLBACK");
      holder.close();
    }
  });

  it.runIf(
    process.getuid?.() === 0 && spawnSync("runuser", ["-u", "nobody", "--", "true"]).status === 0,
  )("a store on read-only media (read-only file and folder) is read by another user", async () => {
    const folder = join(dir, "media");
    mkdirSync(folder);
    const store = join(folder, "store.db");
    expect((await tidemark(["import", events, "--into", store])).code).toBe(0);
    const before = readFileSync(store);
    chmodSync(dir, 0o755);
    chmodSync(dirname(CLI), 0o755);
    chmodSync(store, 0o444);
    chmodSync(folder, 0o555);
    try {
      const run = spawnSync(
        "runuser",
        ["-u", "nobody", "--", process.execPath, CLI, "state", store],
        {
          encoding: "utf8",
        },
      );
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/^p\s+a\s/m);
      const write = spawnSync(
        "runuser",
        ["-u", "nobody", "--", process.execPath, CLI, "import", events, "--into", store],
        { encoding: "utf8" },
      );
      expect(write.status).toBe(2);
      expect(write.stderr).toMatch(/^tidemark: .*read-only/);
      expect(readFileSync(store).equals(before)).toBe(true);
    } finally {
      chmodSync(folder, 0o755);
    }
  });

  it("--into in a folder that does not exist", async () => {
    const run = await tidemark(["import", events, "--into", join(dir, "absent", "x.db")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^tidemark: .*does not exist\n$/);
  });

  it("a missing store to read is not created", async () => {
    const path = join(dir, "never.db");
    const run = await tidemark(["state", path]);
    expect(run.code).toBe(2);
    expect(existsSync(path)).toBe(false);
  });

  it("PostgreSQL refusing connections, its password never echoed", async () => {
    const run = await tidemark([
      "import",
      events,
      "--into",
      "postgres://ada:s3cret@127.0.0.1:1/db",
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^tidemark: PostgreSQL at 127\.0\.0\.1:1\/db cannot be reached/);
    expect(run.stderr).not.toContain("s3cret");
    const read = await tidemark(["state", "postgres://ada:s3cret@127.0.0.1:1/db?table=x"]);
    expect(read.code).toBe(2);
    expect(read.stderr).not.toContain("s3cret");
  });

  it.runIf(process.platform === "linux")(
    "a full disk (a file-size limit) during import",
    async () => {
      const big = join(dir, "big.ndjson");
      writeFileSync(
        big,
        Array.from({ length: 3000 }, (_, i) =>
          JSON.stringify({
            type: "Captured",
            at: 1_450_000_000_000 + i * 1000,
            data: { place: `place-${i}`, by: "a" },
            note: "x".repeat(200),
          }),
        ).join("\n"),
      );
      const into = join(dir, "full.db");
      const run = await new Promise<Run>((done) => {
        const child = spawn(
          "sh",
          [
            "-c",
            `ulimit -f 256 && exec "${process.execPath}" "${CLI}" import "${big}" --into "${into}"`,
          ],
          { cwd: dir },
        );
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (c) => {
          stdout += c;
        });
        child.stderr.on("data", (c) => {
          stderr += c;
        });
        child.on("close", (code) => done({ code, stdout, stderr }));
      });
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toMatch(/^tidemark: .*(disk is full|file-size limit|cannot write)/);
      expectClean(run);
    },
  );

  it.runIf(process.getuid?.() !== 0)("a read-only folder for a new store", async () => {
    const folder = join(dir, "ro-folder");
    mkdirSync(folder);
    chmodSync(folder, 0o555);
    const run = await tidemark(["import", events, "--into", join(folder, "x.db")]);
    chmodSync(folder, 0o755);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/read-only|cannot open/);
  });
});
