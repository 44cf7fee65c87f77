// The rows of control and air strikes of a store, held in the server's memory as columns, so
// that a step of the time slider is answered without a query: for each place, a binary search
// for its last row at the instant, then the rows before it until one is visible in the view
// (version and asOf), as the SQL of `mapAt` (src/stores/view-reads.ts) picks it.
//
// Each row keeps only what the map shows, as numbers: `at`, version, known-from/to,
// version-from/to, and for control the controller, `since`, precision, contested and the
// claims (indexes into tables of the distinct values). 10^6 rows take some tens of MB.

import { Interned } from "../core/interned.js";
import type { Visibility } from "../stores/reader-source.js";
import {
  type MapAt,
  type MapEntry,
  mapEntryOf,
  type SliceRow,
  strikesOf,
  type ViewReads,
} from "../stores/view-reads.js";

/** Keys read per query while loading: the server answers other requests between them. */
const KEYS_PER_READ = 100;

/** A growable column of numbers. */
class Column {
  private data: Float64Array;
  length = 0;
  constructor() {
    this.data = new Float64Array(1024);
  }
  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }
  /** The values, trimmed to their number. */
  done(): Float64Array {
    return this.data.slice(0, this.length);
  }
}

/** The rows of one slice, by key (in the order of `ViewReads.keys`), then `at` and version. */
interface Rows {
  readonly keys: readonly string[];
  /** Index of each key's first row; `start[keys.length]` is the number of rows. */
  readonly start: Int32Array;
  readonly at: Float64Array;
  readonly pos: Float64Array;
  readonly kfrom: Float64Array;
  readonly kto: Float64Array;
  readonly vfrom: Float64Array;
  readonly vto: Float64Array;
  /** What the row shows: an index into the slice's values, or -1 for nothing. */
  readonly value: Int32Array;
  /** A number the row shows beside: `since` of a control entry. */
  readonly since: Float64Array;
}

/** What a control row shows but `since`, its claims as an index into the lists of claims. */
interface Shown {
  readonly controller: string | null;
  readonly precision: string;
  readonly contested: boolean | undefined;
  readonly claims: number;
}

async function load(
  reads: ViewReads,
  slice: "control" | "airstrikes",
  shows: (row: SliceRow) => readonly [value: number, since: number],
): Promise<Rows> {
  const keys = await reads.keys(slice);
  const start = new Int32Array(keys.length + 1);
  const cols = {
    at: new Column(),
    pos: new Column(),
    kfrom: new Column(),
    kto: new Column(),
    vfrom: new Column(),
    vto: new Column(),
    value: new Column(),
    since: new Column(),
  };
  for (let k = 0; k < keys.length; k += KEYS_PER_READ) {
    const last = Math.min(k + KEYS_PER_READ, keys.length) - 1;
    const rows = await reads.rows(slice, keys[k] as string, keys[last] as string);
    let i = k;
    start[k] = cols.at.length;
    for (const row of rows) {
      while (keys[i] !== row.key) {
        i++;
        start[i] = cols.at.length;
        if (i > last) throw new Error(`rows of ${slice} out of the order of its keys`);
      }
      cols.at.push(row.at);
      cols.pos.push(row.pos);
      cols.kfrom.push(row.kfrom);
      cols.kto.push(row.kto);
      cols.vfrom.push(row.vfrom);
      cols.vto.push(row.vto);
      const [value, since] = shows(row);
      cols.value.push(value);
      cols.since.push(since);
    }
    for (i++; i <= last + 1; i++) start[i] = cols.at.length;
    // Lets the server answer the page between two reads (a store's queries may be synchronous).
    await new Promise((resolve) => setImmediate(resolve));
  }
  return {
    keys,
    start,
    at: cols.at.done(),
    pos: cols.pos.done(),
    kfrom: cols.kfrom.done(),
    kto: cols.kto.done(),
    vfrom: cols.vfrom.done(),
    vto: cols.vto.done(),
    value: Int32Array.from(cols.value.done()),
    since: cols.since.done(),
  };
}

/**
 * The row of each key of `rows` that the SQL of `mapAt` picks at `t`: the last by `at` and
 * version among the visible rows with `at <= t`. Calls `found` with the key's index and row.
 */
function eachLatest(
  rows: Rows,
  t: number,
  view: Visibility,
  found: (key: number, row: number) => void,
): void {
  const { start, at, kfrom, kto, vfrom, vto } = rows;
  const v = view.version;
  const k = view.asOf ?? Number.MAX_VALUE;
  for (let key = 0; key < rows.keys.length; key++) {
    const first = start[key] as number;
    // The first row after t.
    let lo = first;
    let hi = start[key + 1] as number;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((at[mid] as number) <= t) lo = mid + 1;
      else hi = mid;
    }
    for (let r = lo - 1; r >= first; r--) {
      if (
        (vfrom[r] as number) <= v &&
        (vto[r] as number) > v &&
        (kfrom[r] as number) <= k &&
        (kto[r] as number) > k
      ) {
        found(key, r);
        break;
      }
    }
  }
}

/** The rows of control and air strikes of a store, in memory: {@link ViewReads.mapAt} without SQL. */
export class MapRows {
  private constructor(
    private readonly control: Rows,
    private readonly strikes: Rows,
    private readonly shown: readonly Shown[],
    private readonly claimLists: readonly MapEntry["claims"][],
    private readonly counts: readonly number[],
  ) {}

  /** Reads every row of control and air strikes of the store (all sources) once. */
  static async load(reads: ViewReads): Promise<MapRows> {
    const shown = new Interned<Shown>();
    const lists = new Interned<MapEntry["claims"]>();
    lists.of([], "");
    const control = await load(reads, "control", (row) => {
      const entry = mapEntryOf(row.key, row.value);
      if (entry === undefined) return [-1, 0];
      const claims = lists.of(
        entry.claims,
        entry.claims.map((c) => `${c.source}\u0000${c.controller ?? "\u0001"}`).join("\u0000"),
      );
      const { controller, since, precision, contested } = entry;
      const shows = shown.of(
        { controller, precision, contested, claims },
        // NUL-separated (no id holds one); a null controller is \u0001.
        `${controller ?? "\u0001"}\u0000${precision}\u0000${contested}\u0000${claims}`,
      );
      return [shows, since];
    });
    const counts = new Interned<number>();
    const strikes = await load(reads, "airstrikes", (row) => {
      const count = strikesOf(row.value);
      return [count === undefined ? -1 : counts.of(count, String(count)), 0];
    });
    return new MapRows(control, strikes, shown.values, lists.values, counts.values);
  }

  /** The number of rows held, of control and of air strikes. */
  get size(): number {
    return this.control.at.length + this.strikes.at.length;
  }

  /** What {@link ViewReads.mapAt} answers at `t` in `view`, with the same values in the same order. */
  mapAt(t: number, view: Visibility): MapAt {
    const control: MapEntry[] = [];
    eachLatest(this.control, t, view, (key, row) => {
      const i = this.control.value[row] as number;
      if (i < 0) return;
      const s = this.shown[i] as Shown;
      control.push({
        key: this.control.keys[key] as string,
        controller: s.controller,
        since: this.control.since[row] as number,
        precision: s.precision,
        contested: s.contested,
        claims: this.claimLists[s.claims] as MapEntry["claims"],
      });
    });
    const airstrikes: [string, number][] = [];
    eachLatest(this.strikes, t, view, (key, row) => {
      const i = this.strikes.value[row] as number;
      if (i >= 0) airstrikes.push([this.strikes.keys[key] as string, this.counts[i] as number]);
    });
    return { control, airstrikes };
  }
}
