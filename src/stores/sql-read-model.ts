/**
 * Read models in SQL, for SQLite and PostgreSQL alike (see docs/read-models.md): the writer's
 * upkeep as a plan of queries (sql-upkeep.ts, run synchronously inside a SQLite transaction,
 * or awaited inside a PostgreSQL one) and the reader's indexed reads (sql-read-source.ts).
 * The SQL is common to both: `?` placeholders, `ON CONFLICT`, row values; each store names
 * its tables and runs the queries. This file holds the plans and how they run.
 */
/** The tables of a store's read model (names as the SQL must write them), and its log. */
export interface ReadModelTables {
  readonly slices: string;
  readonly events: string;
  readonly sources: string;
  readonly retractions: string;
  readonly keys: string;
  readonly members: string;
  readonly rows: string;
  /** The store's own table of events (`version`, `id`, `content`). */
  readonly log: string;
}

/** One query of a plan: its rows are sent back into the plan. */
export interface Query {
  readonly sql: string;
  readonly params: readonly unknown[];
  /** An INSERT of many rows: each row's params (then `params` is empty). */
  readonly rows?: readonly (readonly unknown[])[];
}

/** A row a query returns. */
export type Row = Record<string, unknown>;

/** A query of a plan, with its params. */
export const q = (sql: string, ...params: unknown[]): Query => ({ sql, params });

/**
 * An INSERT of many rows as one step of a plan (one step per row made a million steps, and
 * their garbage, per batch of 10^5 events).
 */
export const insertMany = (sql: string, rows: readonly (readonly unknown[])[]): Query => ({
  sql,
  params: [],
  rows,
});

/**
 * Plans that touch disjoint rows (each key's refold), so that they may run in any order or
 * side by side: a store with round trips sends their queries together.
 */
export interface Together {
  readonly together: readonly Plan<void>[];
}

/** A plan of queries: yields each query (or plans to run together), receives its rows. */
export type Plan<T> = Generator<Query | Together, T, readonly Row[]>;

const isTogether = (step: Query | Together): step is Together => "together" in step;

/** Runs a plan whose queries run synchronously (SQLite): plans run together, one by one. */
export function runSync<T>(plan: Plan<T>, run: (query: Query) => readonly Row[]): T {
  let step = plan.next();
  while (!step.done) {
    if (isTogether(step.value)) {
      for (const part of step.value.together) runSync(part, run);
      step = plan.next([]);
    } else step = plan.next(run(step.value));
  }
  return step.value;
}

/**
 * Runs a plan whose queries are awaited (PostgreSQL). Plans to run together advance in
 * lockstep: `runMany` gets the next query of each, as one round trip.
 */
export async function runAsync<T>(
  plan: Plan<T>,
  run: (query: Query) => readonly Row[] | Promise<readonly Row[]>,
  runMany: (queries: readonly Query[]) => Promise<readonly (readonly Row[])[]> = async (
    queries,
  ) => {
    const results: (readonly Row[])[] = [];
    for (const query of queries) results.push(await run(query));
    return results;
  },
): Promise<T> {
  let step = plan.next();
  while (!step.done) {
    if (isTogether(step.value)) {
      await lockstep(step.value.together, runMany);
      step = plan.next([]);
    } else {
      // A write kept for later answers at once: no promise per write.
      const rows = run(step.value);
      step = plan.next(rows instanceof Promise ? await rows : rows);
    }
  }
  return step.value;
}

async function lockstep(
  plans: readonly Plan<void>[],
  runMany: (queries: readonly Query[]) => Promise<readonly (readonly Row[])[]>,
): Promise<void> {
  let active = plans.map((plan) => ({ plan, step: plan.next() }));
  for (;;) {
    active = active.filter((a) => !a.step.done);
    if (active.length === 0) return;
    const queries = active.map((a) => {
      const query = a.step.value as Query | Together;
      if (isTogether(query)) throw new TypeError("read models: plans together do not nest");
      return query;
    });
    const results = await runMany(queries);
    active.forEach((a, i) => {
      a.step = a.plan.next(results[i] as readonly Row[]);
    });
  }
}
