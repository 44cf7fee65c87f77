import type { EventColumns } from "./columns.js";
import { ReducerError } from "./errors.js";
import type { TimelineEvent } from "./events.js";
import {
  insertEntry,
  type KeyedRule,
  type KeyLog,
  newKeyLog,
  placeUnplaced,
  pushEntry,
  refoldLog,
  removeEntry,
  reserve,
  valueIndex,
} from "./key-log.js";
import { LogBlocks } from "./log-blocks.js";
import { upperBoundNumbers } from "./search.js";

export type { KeyedRule };

/** What a change did to one key's log, to put it back when a handler throws. */
interface Saved<V> {
  readonly length: number;
  readonly firstPresent: number;
  copy:
    | { ats: Float64Array; seqs: Int32Array; events: Int32Array; values: (V | undefined)[] }
    | undefined;
}

/** Sets a key of a record (assigning "__proto__" would set the prototype instead). */
export function put(record: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(record, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    record[key] = value;
  }
}

/** Whether key `a` enters the slice before key `b` (both present), as a fold from scratch does. */
function before(blocks: LogBlocks, a: KeyLog<unknown>, b: KeyLog<unknown>): boolean {
  const { ats, seqs } = blocks;
  const ka = a.start + a.firstPresent;
  const kb = b.start + b.firstPresent;
  const at = ats[ka] as number;
  const bt = ats[kb] as number;
  return at < bt || (at === bt && (seqs[ka] as number) < (seqs[kb] as number));
}

/**
 * A keyed slice, indexed per key: each key's events and the value after each. The value of
 * a key at any instant is a binary search; the whole slice at an instant is one pass over the
 * keys in the order a fold from scratch inserts them (kept as keys appear, sorted again only
 * after a change that moves a key's first entry); a late event refolds only the keys it
 * touches, from where it lands. A rule that may throw is folded at every change; the others
 * when next read ({@link KeyedIndex.foldPending}), each touched key once from the earliest
 * change, however many batches came in between.
 */
export class KeyedIndex<V, O = V> {
  private readonly logs = new Map<string, KeyLog<V>>();
  /** Every key's times, filing counters and event numbers, in blocks of shared arrays. */
  private readonly blocks = new LogBlocks();
  /** Logs with a refold due, each once. */
  private touched: KeyLog<V>[] = [];
  /** Keys present in the slice, in the order a fold from scratch inserts them (unless stale). */
  private order: KeyLog<V>[] = [];
  /** The keys of `order`, in its order: what a record is filled from. */
  private orderKeys: string[] = [];
  /** When each key of `order` entered the slice: which prefix of it a record at `t` holds. */
  private orderFirstAts: number[] = [];
  /** Whether a key of `order` is "__proto__", which a plain assignment cannot set. */
  private orderHasProto = false;
  private orderStale = false;
  /** Where `record` lays out the entries it looks up (reused from query to query). */
  private readonly entries: (O | V | undefined)[] = [];
  /** Counter of filings, for {@link KeyLog.seqs}. */
  private filed = 0;

  /**
   * @param slice - the slice's name, for the `ReducerError` of a handler that throws.
   * @param columns - the stored events, which the index files by number.
   */
  constructor(
    private readonly slice: string,
    private readonly rule: KeyedRule<V, O>,
    private readonly columns: EventColumns,
  ) {}

  /** The event types the rule reads. */
  get handles(): readonly string[] {
    return this.rule.handles;
  }

  /**
   * Removes stored events and adds new ones (event numbers, in timeline order, each after
   * every stored event with the same `at`). A handler that throws leaves the index as it was, and the error
   * propagates as a `ReducerError`. Returns what puts the index back as it was, for a batch
   * that another slice then fails.
   */
  change(added: ArrayLike<number>, removed: ArrayLike<number>): () => void {
    if (!this.rule.mayThrow) {
      // Nothing to undo: the timeline changes the indexes that cannot throw last.
      this.file(added, removed, undefined, []);
      return NOTHING;
    }
    const undo = new Map<KeyLog<V>, Saved<V>>();
    const created: string[] = [];
    try {
      this.file(added, removed, undo, created);
      this.refold();
    } catch (error) {
      this.rollBack(undo, created);
      throw error;
    }
    return () => this.rollBack(undo, created);
  }

  /** Throws what {@link KeyedIndex.change} would throw, and changes nothing. */
  dryRun(added: ArrayLike<number>, removed: ArrayLike<number>): void {
    if (this.rule.mayThrow) this.change(added, removed)();
  }

  /** Folds every key changed since the last fold: what each read does first. */
  foldPending(): void {
    if (this.touched.length > 0) this.refold();
  }

  /** Whether a value puts its key in the slice. */
  private present(value: V | undefined): boolean {
    const { output } = this.rule;
    return value !== undefined && (output === undefined || output(value) !== undefined);
  }

  /** The slice's entry in a value. */
  private out(value: V | undefined): O | undefined {
    const { output } = this.rule;
    return value === undefined || output === undefined ? (value as O | undefined) : output(value);
  }

  private keysOf(event: TimelineEvent): readonly string[] {
    if (!this.rule.mayThrow) return this.rule.keys(event);
    try {
      return this.rule.keys(event);
    } catch (error) {
      throw new ReducerError(this.slice, event.id, error);
    }
  }

  /** Files the removals, then the additions, under every key each touches. */
  private file(
    added: ArrayLike<number>,
    removed: ArrayLike<number>,
    undo: Map<KeyLog<V>, Saved<V>> | undefined,
    created: string[],
  ): void {
    const { columns } = this;
    for (let r = 0; r < removed.length; r++) {
      const n = removed[r] as number;
      for (const key of this.keysOf(columns.event(n))) {
        const log = this.logs.get(key);
        if (log !== undefined) this.unfile(log, n, undo);
      }
    }
    for (let a = 0; a < added.length; a++) {
      const n = added[a] as number;
      const event = columns.event(n);
      for (const key of this.keysOf(event)) {
        let log = this.logs.get(key);
        if (log === undefined) {
          log = newKeyLog<V>(key, this.blocks);
          this.logs.set(key, log);
          created.push(key);
        }
        this.fileOne(log, n, event, undo);
      }
    }
  }

  private unfile(log: KeyLog<V>, n: number, undo: Map<KeyLog<V>, Saved<V>> | undefined): void {
    const { blocks } = this;
    if (log.unplacedFrom !== -1) placeUnplaced(blocks, log);
    let i = valueIndex(blocks, log, this.columns.at(n));
    while (i >= 0 && blocks.events[log.start + i] !== n) i--;
    if (i < 0) return;
    if (undo !== undefined) save(blocks, undo, log, true);
    removeEntry(blocks, log, i);
    log.values.splice(i, 1);
    this.markRefold(log, i);
    log.placeholders = undefined;
    log.keptFrom = i < log.keptFrom ? log.keptFrom - 1 : i;
  }

  private fileOne(
    log: KeyLog<V>,
    n: number,
    event: TimelineEvent,
    undo: Map<KeyLog<V>, Saved<V>> | undefined,
  ): void {
    const at = event.at;
    const seq = this.filed++;
    const { blocks } = this;
    const { length, start } = log;
    const inOrder =
      log.unplacedFrom === -1 && (length === 0 || (blocks.ats[start + length - 1] as number) <= at);
    if (undo !== undefined) save(blocks, undo, log, !inOrder);
    if (!inOrder && undo !== undefined) {
      // A rule that may throw folds at once: the event goes where it belongs now.
      const i = upperBoundNumbers(blocks.ats, at, start, start + length) - start;
      insertEntry(blocks, log, i, at, seq, n);
      log.values.splice(i, 0, undefined);
      this.markRefold(log, i);
      log.placeholders = undefined;
      log.keptFrom = i < log.keptFrom ? log.keptFrom + 1 : i + 1;
      return;
    }
    pushEntry(blocks, log, at, seq, n);
    if (!inOrder) {
      // Left to be put in place at the next read.
      log.values.push(undefined);
      if (log.unplacedFrom === -1) {
        log.unplacedFrom = length;
        this.markRefold(log, length);
      }
    } else if (undo === undefined && log.refoldFrom === -1) {
      // An event after every other of a folded key: its value now, while it is at hand.
      const value = this.rule.step(length === 0 ? undefined : log.values[length - 1], event);
      log.values.push(value);
      if (log.firstPresent === -1 && this.present(value)) this.enters(log, length);
    } else {
      log.values.push(undefined);
      this.markRefold(log, length);
      log.placeholders?.push(length);
      log.keptFrom = length + 1;
    }
  }

  /** A key absent from the slice enters it at its `first` event. */
  private enters(log: KeyLog<V>, first: number): void {
    log.firstPresent = first;
    const last = this.order[this.order.length - 1];
    // Most keys enter after every other: the order grows at its end.
    if (!this.orderStale && (last === undefined || before(this.blocks, last, log))) {
      this.order.push(log);
      this.orderKeys.push(log.key);
      this.orderFirstAts.push(this.enteredAt(log));
      if (log.key === "__proto__") this.orderHasProto = true;
    } else {
      this.orderStale = true;
    }
  }

  /** `at` of the event by which a key present in the slice entered it. */
  private enteredAt(log: KeyLog<V>): number {
    return this.blocks.ats[log.start + log.firstPresent] as number;
  }

  private markRefold(log: KeyLog<V>, i: number): void {
    if (log.refoldFrom === -1) {
      log.refoldFrom = i;
      log.keptFrom = 0;
      log.placeholders = [];
      this.touched.push(log);
    } else if (i < log.refoldFrom) {
      log.refoldFrom = i;
    }
  }

  private refold(): void {
    for (const log of this.touched) {
      if (log.unplacedFrom !== -1) placeUnplaced(this.blocks, log);
      const from = log.refoldFrom;
      refoldLog(log, this.rule, this.slice, this.columns, this.blocks);
      // A change after the first present value cannot move the key in the key order.
      const old = log.firstPresent;
      if (old === -1 || from <= old) {
        const first = log.values.findIndex((v) => this.present(v));
        if (old === -1 && first !== -1) this.enters(log, first);
        else {
          log.firstPresent = first;
          this.orderStale = true;
        }
      }
    }
    this.touched = [];
  }

  private rollBack(undo: ReadonlyMap<KeyLog<V>, Saved<V>>, created: readonly string[]): void {
    for (const [log, saved] of undo) {
      const { blocks } = this;
      if (saved.copy !== undefined) {
        reserve(blocks, log, saved.length);
        blocks.ats.set(saved.copy.ats, log.start);
        blocks.seqs.set(saved.copy.seqs, log.start);
        blocks.events.set(saved.copy.events, log.start);
        log.values = saved.copy.values;
      } else {
        log.values.length = saved.length;
      }
      log.length = saved.length;
      log.firstPresent = saved.firstPresent;
      log.refoldFrom = -1;
      log.placeholders = undefined;
    }
    for (const key of created) {
      const log = this.logs.get(key) as KeyLog<V>;
      this.blocks.release(log.start, log.capacity);
      this.logs.delete(key);
    }
    for (const log of this.touched) {
      log.refoldFrom = -1;
      log.placeholders = undefined;
    }
    this.touched = [];
    this.orderStale = true;
  }

  /** Keys present in the slice, in the order a fold from scratch inserts them. */
  private sortedOrder(): readonly KeyLog<V>[] {
    this.foldPending();
    if (this.orderStale) {
      const present: KeyLog<V>[] = [];
      for (const log of this.logs.values()) if (log.firstPresent !== -1) present.push(log);
      const { blocks } = this;
      present.sort((a, b) => (before(blocks, a, b) ? -1 : before(blocks, b, a) ? 1 : 0));
      this.order = present;
      this.orderKeys = present.map((log) => log.key);
      this.orderFirstAts = present.map((log) => this.enteredAt(log));
      this.orderHasProto = this.orderKeys.includes("__proto__");
      this.orderStale = false;
    }
    return this.order;
  }

  /** The entry of one key after every event with `at <= t`; `undefined` when absent. */
  valueAt(key: string, t: number): O | undefined {
    return this.out(this.foldedAt(key, t));
  }

  /** The folded value of one key after every event with `at <= t` (beyond its entry). */
  foldedAt(key: string, t: number): V | undefined {
    this.foldPending();
    const log = this.logs.get(key);
    if (log === undefined) return undefined;
    return log.values[valueIndex(this.blocks, log, t)];
  }

  /** Calls `visit` with each key that has a folded value at `t`, in no particular order. */
  eachFoldedAt(t: number, visit: (key: string, value: V) => void): void {
    this.foldPending();
    const { blocks } = this;
    for (const log of this.logs.values()) {
      if (log.length === 0 || (blocks.ats[log.start] as number) > t) continue;
      const value = log.values[valueIndex(blocks, log, t)];
      if (value !== undefined) visit(log.key, value);
    }
  }

  /** Keys with a value at `t`, in the order a fold from scratch inserts them. */
  keysUpTo(t: number): string[] {
    const out: string[] = [];
    for (const log of this.sortedOrder()) {
      if (this.enteredAt(log) > t) break;
      out.push(log.key);
    }
    return out;
  }

  /**
   * The frozen slice after every event with `at <= t`, what a fold from scratch gives. Two
   * tight passes: each key's entry looked up (a binary search in its own times) into a flat
   * array, in key order; then the record filled from that array and the keys' flat array.
   * Filling as the lookups go was 2–3x slower: each lookup's cache misses evict the record's
   * growing hash table.
   */
  record(t: number): Readonly<Record<string, O>> {
    const order = this.sortedOrder();
    const { output } = this.rule;
    const { entries, orderFirstAts: firstAts } = this;
    // The keys present at `t` are a prefix of the order: those that entered by `t`.
    const n =
      firstAts.length === 0 || (firstAts[firstAts.length - 1] as number) <= t
        ? firstAts.length
        : upperBoundNumbers(firstAts, t);
    if (n === 0) return EMPTY as Readonly<Record<string, O>>;
    const { ats } = this.blocks;
    for (let k = 0; k < n; k++) {
      const log = order[k] as KeyLog<V>;
      const { start } = log;
      const last = start + log.length - 1;
      const i = (ats[last] as number) <= t ? last : upperBoundNumbers(ats, t, start, last + 1) - 1;
      const value = log.values[i - start];
      entries[k] = value === undefined || output === undefined ? value : output(value);
    }
    const keys = this.orderKeys;
    const record: Record<string, unknown> = {};
    if (this.orderHasProto) {
      for (let k = 0; k < n; k++) put(record, keys[k] as string, entries[k]);
    } else {
      for (let k = 0; k < n; k++) record[keys[k] as string] = entries[k];
    }
    // Entries are kept by the index, not by a record it handed out.
    entries.fill(undefined, 0, n);
    return Object.freeze(record) as Readonly<Record<string, O>>;
  }

  /** Each event of a key with the value after it, in timeline order. */
  steps(key: string): {
    readonly events: readonly TimelineEvent[];
    readonly values: readonly (O | undefined)[];
  } {
    this.foldPending();
    const log = this.logs.get(key);
    return log === undefined
      ? { events: [], values: [] }
      : {
          events: this.columns.events(
            this.blocks.events.subarray(log.start, log.start + log.length),
          ),
          values: log.values.map((value) => this.out(value)),
        };
  }
}

const NOTHING = () => {};

/** The record of a slice with no key yet: one frozen object for every such query. */
const EMPTY: Readonly<Record<string, never>> = Object.freeze({});

function save<V>(
  blocks: LogBlocks,
  undo: Map<KeyLog<V>, Saved<V>>,
  log: KeyLog<V>,
  inside: boolean,
): void {
  let saved = undo.get(log);
  if (saved === undefined) {
    saved = { length: log.length, firstPresent: log.firstPresent, copy: undefined };
    undo.set(log, saved);
  }
  if (inside && saved.copy === undefined) {
    // A change inside the log rewrites what came before the batch: keep it whole.
    saved.copy = {
      ats: blocks.ats.slice(log.start, log.start + saved.length),
      seqs: blocks.seqs.slice(log.start, log.start + saved.length),
      events: blocks.events.slice(log.start, log.start + saved.length),
      values: log.values.slice(0, saved.length),
    };
  }
}
