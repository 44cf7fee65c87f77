/**
 * tidemark/postgres: the conformance suite against a real server (TIDEMARK_PG_URL; .ci/run
 * starts a throwaway cluster with .ci/postgres.sh), plus what only PostgreSQL does: a user's
 * pool, LISTEN/NOTIFY, incremental refresh, concurrent creation of a table.
 *
 * Without TIDEMARK_PG_URL the suite is skipped, saying so; under CI=true that is a failure.
 */
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { openTimeline } from "../../src/index.js";
import { openStore } from "../../src/stores/open.js";
import { type PgClient, type PgPool, postgresStore } from "../../src/stores/postgres.js";
import { describeConformance } from "./conformance.js";
import { captured } from "./fixtures/events.js";

const url = process.env.TIDEMARK_PG_URL ?? "";

async function unreachable(): Promise<string | undefined> {
  if (url === "") return "TIDEMARK_PG_URL is not set";
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return undefined;
  } catch (error) {
    return `the server at TIDEMARK_PG_URL cannot be reached (${(error as Error).message})`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const reason = await unreachable();

if (reason !== undefined && process.env.CI === "true") {
  describe("tidemark/postgres", () => {
    it("has a PostgreSQL server to test against (CI=true)", () => {
      throw new Error(`CI=true but ${reason}: .ci/run starts one with .ci/postgres.sh`);
    });
  });
} else if (reason !== undefined) {
  console.warn(
    `\nPostgreSQL suite SKIPPED: ${reason}.\n` +
      "  Run it with a throwaway server: source .ci/postgres.sh && npx vitest run tests/storage/postgres.test.ts\n",
  );
  it.skip(`tidemark/postgres conformance suite (SKIPPED: ${reason})`);
} else {
  const admin = new pg.Pool({ connectionString: url, max: 2 });
  const tables: string[] = [];
  const prefix = `t${process.pid}_${Date.now().toString(36)}`;
  const newTable = () => {
    const table = `${prefix}_${tables.length}`;
    tables.push(table);
    return table;
  };
  const location = () => {
    const at = new URL(url);
    at.searchParams.set("table", newTable());
    return at.toString();
  };
  const tableOf = (at: string) => new URL(at).searchParams.get("table") as string;

  afterAll(async () => {
    for (const table of tables) await admin.query(`DROP TABLE IF EXISTS "${table}"`);
    // The zones the tests' timelines recorded (the table is shared with other timelines).
    const { rows } = await admin.query(
      "SELECT to_regclass('tidemark_timelines') IS NOT NULL AS exists",
    );
    if ((rows[0] as { exists: boolean }).exists) {
      await admin.query("DELETE FROM tidemark_timelines WHERE name = ANY($1)", [tables]);
    }
    await admin.end();
  });

  describeConformance("tidemark/postgres", {
    location,
    open: (at) => openStore(at),
    async tamper(at, version, how) {
      const table = `"${tableOf(at)}"`;
      const sql = {
        content: `UPDATE ${table} SET content = replace(content, '"by":"', '"by":"x') WHERE version = $1`,
        checksum: `UPDATE ${table} SET checksum = '0000000000000000' WHERE version = $1`,
        delete: `DELETE FROM ${table} WHERE version = $1`,
      }[how];
      expect((await admin.query(sql, [version])).rowCount).toBe(1);
    },
  });

  describe("tidemark/postgres: the database", () => {
    it("uses a pg.Pool it is given and leaves it open", async () => {
      const pool = new pg.Pool({ connectionString: url, max: 2 });
      const table = newTable();
      const timeline = await openTimeline({ store: postgresStore(pool, { table }) });
      await timeline.append(captured("a", 1));
      await timeline.close();
      expect((await pool.query(`SELECT count(*)::int AS n FROM "${table}"`)).rows).toEqual([
        { n: 1 },
      ]);
      await pool.end();
    });

    it("refresh() reads only the events after its version", async () => {
      const table = newTable();
      const queries: { text: string; values: unknown[] | undefined }[] = [];
      const pool = new pg.Pool({ connectionString: url, max: 2 });
      // A pool whose clients record what they are asked.
      const spying: PgPool = {
        async connect() {
          const client = (await pool.connect()) as unknown as PgClient;
          return new Proxy(client, {
            get(target, key) {
              if (key !== "query") return Reflect.get(target, key, target);
              return (text: string, values?: unknown[]) => {
                queries.push({ text, values });
                return target.query(text, values);
              };
            },
          });
        },
        end: () => pool.end(),
      };
      const writer = await openTimeline({ store: postgresStore(url, { table }) });
      await writer.appendAll(Array.from({ length: 40 }, (_, i) => captured(`r${i}`, i)));
      const reader = await openTimeline({ store: postgresStore(spying, { table }) });
      expect(reader.version).toBe(40);
      await writer.appendAll(Array.from({ length: 3 }, (_, i) => captured(`n${i}`, i)));
      queries.length = 0;
      expect(await reader.refresh()).toBe(3);
      const reads = queries.filter((q) => q.text.startsWith("SELECT version"));
      expect(reads.map((q) => q.values)).toEqual([[40], [43]]);
      expect(reader.toJSON()).toEqual(writer.toJSON());
      await writer.close();
      await reader.close();
      await pool.end();
    });

    it("watch() refreshes on LISTEN/NOTIFY", async () => {
      const table = newTable();
      const reader = await openTimeline({ store: postgresStore(url, { table }) });
      const writer = await openTimeline({ store: postgresStore(url, { table }) });
      const versions: number[] = [];
      const stop = await reader.watch((version) => versions.push(version));
      await writer.append(captured("w1", 1));
      await expect.poll(() => reader.version, { timeout: 2000 }).toBe(1);
      await writer.append(captured("w2", 2), captured("w3", 3));
      await expect.poll(() => versions.at(-1), { timeout: 2000 }).toBe(3);
      await stop();
      await writer.append(captured("w4", 4));
      expect(reader.version).toBe(3);
      await writer.close();
      await reader.close();
    });

    it("several processes' first opens of one table create it once", async () => {
      const table = newTable();
      const timelines = await Promise.all(
        Array.from({ length: 6 }, () => openTimeline({ store: postgresStore(url, { table }) })),
      );
      await Promise.all(timelines.map((t, i) => t.append(captured(`o${i}`, i))));
      await timelines[0]?.refresh();
      expect(timelines[0]?.version).toBe(6);
      await Promise.all(timelines.map((t) => t.close()));
    });

    it("checks table names, accepts a schema, and refuses to create when asked not to", async () => {
      expect(() => postgresStore(url, { table: "bad name" })).toThrow(TypeError);
      expect(() => postgresStore(url, { table: 'x"; DROP TABLE y; --' })).toThrow(TypeError);
      const table = newTable();
      const timeline = await openTimeline({
        store: postgresStore(url, { table: `public.${table}` }),
      });
      await timeline.append(captured("s", 1));
      await timeline.close();
      await expect(
        openTimeline({ store: postgresStore(url, { table: `${prefix}_absent`, create: false }) }),
      ).rejects.toThrow(/no table/);
    });
  });
}
