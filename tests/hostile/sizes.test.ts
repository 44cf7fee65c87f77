/**
 * Linear in every size an input can have: keys per event, columns, vertices, cell widths.
 * Each test shows the complexity class in a second or two: operations counted, or the time of
 * n against 4n (a quadratic cost grows 16-fold, a linear one 4-fold; the bound leaves room for
 * a loaded machine).
 */
import { describe, expect, it } from "vitest";
import {
  controlAreas,
  createTimeline,
  defineReducer,
  parseEventsText,
  type Registry,
} from "../../src/index.js";
import { bundledCli } from "../helpers/bundled-cli.js";

const tidemark = bundledCli();

/** The least of three timings of `run(n)`, in milliseconds (warmed up by the first). */
function fastest(run: (n: number) => void, n: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    run(n);
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

/** How much longer `run` takes on 4n than on n. */
function growth(run: (n: number) => void, n: number): number {
  fastest(run, n / 4);
  return fastest(run, 4 * n) / Math.max(fastest(run, n), 1);
}

describe("sizes an input can have", () => {
  it("asks a keyed reducer for an event's keys a bounded number of times, however many keys it has", () => {
    let calls = 0;
    const strikes = defineReducer({
      keyBy: {
        Airstrike: (event) => {
          calls++;
          return event.data.places;
        },
      },
      initial: { count: 0 },
      on: {
        Airstrike(entry) {
          entry.count += 1;
        },
      },
    });
    const timeline = createTimeline({ reducers: { strikes } });
    const places = Array.from({ length: 10_000 }, (_, i) => `village-${i}`);
    timeline.append({ type: "Airstrike", at: "2016-03-01", data: { places, by: "russia" } });
    const state = timeline.latest();
    expect(Object.keys(state.strikes)).toHaveLength(10_000);
    expect(Object.keys(state.airstrikes)).toHaveLength(10_000);
    expect(calls).toBeLessThan(10);
  });

  it("reads an ACLED header in time linear in its number of columns", () => {
    const read = (n: number) => {
      const extra = Array.from({ length: n }, (_, i) => `extra_${i}`);
      const header = ["event_id_cnty", "event_date", "actor1", "location", "event_type", ...extra];
      const row = ["SYR1", "2016-01-01", "ISIS", "Palmyra", "Battles", ...extra.map(() => "")];
      parseEventsText(`${header.join(",")}\n${row.join(",")}\n`);
    };
    expect(growth(read, 3_000)).toBeLessThan(9);
  });

  it("draws an area of 40,000 vertices on long edges in seconds, not minutes", () => {
    /** A sawtooth: every tooth's edges span the area's whole width. */
    const saw = (n: number): Registry => {
      const ring: [number, number][] = [];
      for (let i = 0; i < n; i++) ring.push([i % 2 === 0 ? 38 : 39, 34 + i / n]);
      ring.push([37, 35], [37, 34], [38, 34]);
      return {
        saw: { name: "Saw", geometry: { type: "Polygon", coordinates: [ring] } },
        box: {
          name: "Box",
          geometry: {
            type: "Polygon",
            coordinates: [
              [
                [36, 34],
                [37, 34],
                [37, 35],
                [36, 35],
                [36, 34],
              ],
            ],
          },
        },
      };
    };
    // Time ratios at sizes this small are mostly noise on a loaded machine; the bound is
    // absolute: scanning every vertex in each edge's span took 4.9 s for 20,000 vertices, and
    // about four times that for 40,000, which now take under a second.
    const start = performance.now();
    controlAreas({ control: {} }, saw(40_000));
    expect(performance.now() - start).toBeLessThan(5_000);
  });

  it("cuts a 1 MiB place id in a table instead of padding every cell to it", async () => {
    const line = (place: string) =>
      JSON.stringify({ type: "Captured", at: "2016-01-01", data: { place, by: "isis" } });
    const ids = Array.from({ length: 2_000 }, (_, i) => `town-${i}`);
    ids[1_000] = "x".repeat(1 << 20);
    const run = await tidemark(["state", "-"], `${ids.map(line).join("\n")}\n`);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout.length).toBeLessThan(2_001 * 200);
    expect(run.stdout).toContain(`${"x".repeat(100)}…`);
  });

  it("keeps a 1 MiB place id whole in JSON output", async () => {
    const place = "y".repeat(1 << 20);
    const input = JSON.stringify({ type: "Captured", at: "2016", data: { place, by: "isis" } });
    const run = await tidemark(["state", "-", "--json"], `${input}\n`);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(place);
  });
});
