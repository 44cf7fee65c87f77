import type { Source, TimelineEvent } from "./events.js";
import { grown } from "./grown.js";
import { Interned } from "./interned.js";
import type { Precision } from "./time.js";

/** The keys of an event of the common shape, in the order `ingest` writes them. */
const COMMON = ["id", "type", "at", "precision", "recordedAt", "sources", "data"] as const;

/** Whether an event has exactly the keys of the common shape, in their order. */
function isCommon(event: TimelineEvent): boolean {
  let k = 0;
  for (const key in event) {
    if (key !== COMMON[k]) return false;
    k++;
  }
  return k === COMMON.length;
}

/**
 * Every stored event of a timeline, by event number (the order they were stored in), kept in
 * columns rather than as objects: at 10^6 events and more, an object per event (with its two
 * times boxed) cost more than half the timeline's heap, and the young generation copied each
 * one twice. Times are typed arrays; types, precisions and source lists are small numbers
 * into interned tables; ids and data stay as they are (the data object is the user's, and
 * ids are read back whole). An event of a rarer shape (with `note`, `notBefore`, `version`,
 * or keys in another order, as a store may give) is kept whole.
 *
 * {@link EventColumns.event} makes the event object when it is read, frozen and equal to
 * the stored one (the same keys in the same order). While a batch is being stored, its own
 * objects are handed out instead ({@link EventColumns.hold}): the objects `append` returns,
 * and no second object per event on the append path.
 */
export class EventColumns {
  private ats = new Float64Array(1024);
  private recordedAts = new Float64Array(1024);
  private types = new Int32Array(1024);
  private precisions = new Uint8Array(1024);
  private sourceLists = new Int32Array(1024);
  private readonly ids: string[] = [];
  private readonly payloads: unknown[] = [];
  private readonly typeTable = new Interned<string>();
  private readonly precisionTable = new Interned<Precision>();
  private readonly sourceTable = new Interned<readonly Source[]>();
  /** Events of a rarer shape, kept whole, by number. */
  private readonly whole = new Map<number, TimelineEvent>();
  /** The objects of the batch being stored, numbered from {@link EventColumns.heldFrom}. */
  private held: readonly TimelineEvent[] = [];
  private heldFrom = 0;

  /** Number of events stored. */
  get size(): number {
    return this.ids.length;
  }

  /** Stores an event (frozen); returns its number. */
  add(event: TimelineEvent): number {
    const n = this.ids.length;
    if (n === this.ats.length) this.grow(n * 2);
    this.ats[n] = event.at;
    this.recordedAts[n] = event.recordedAt;
    this.types[n] = this.typeTable.of(event.type);
    this.precisions[n] = this.precisionTable.of(event.precision);
    this.sourceLists[n] = this.sourceTable.of(event.sources);
    this.ids.push(event.id);
    this.payloads.push(event.data);
    if (!isCommon(event)) this.whole.set(n, event);
    return n;
  }

  /** Forgets every event from number `size` on (a batch that was not stored after all). */
  truncate(size: number): void {
    for (let n = size; n < this.ids.length; n++) this.whole.delete(n);
    this.ids.length = size;
    this.payloads.length = size;
  }

  /**
   * Until {@link EventColumns.release}, `event(from + i)` is `events[i]`: the batch being
   * stored hands out its own objects.
   */
  hold(events: readonly TimelineEvent[], from: number): void {
    this.held = events;
    this.heldFrom = from;
  }

  release(): void {
    this.held = [];
  }

  private grow(capacity: number): void {
    this.ats = grown(this.ats, capacity);
    this.recordedAts = grown(this.recordedAts, capacity);
    this.types = grown(this.types, capacity);
    this.precisions = grown(this.precisions, capacity);
    this.sourceLists = grown(this.sourceLists, capacity);
  }

  /** `at` of event `n`. */
  at(n: number): number {
    return this.ats[n] as number;
  }

  recordedAt(n: number): number {
    return this.recordedAts[n] as number;
  }

  id(n: number): string {
    return this.ids[n] as string;
  }

  type(n: number): string {
    return this.typeTable.values[this.types[n] as number] as string;
  }

  sources(n: number): readonly Source[] {
    return this.sourceTable.values[this.sourceLists[n] as number] as readonly Source[];
  }

  data(n: number): unknown {
    return this.payloads[n];
  }

  /** Event `n` as an object: frozen, equal to the one stored. */
  event(n: number): TimelineEvent {
    const h = n - this.heldFrom;
    if (h >= 0 && h < this.held.length) return this.held[h] as TimelineEvent;
    const whole = this.whole.size === 0 ? undefined : this.whole.get(n);
    if (whole !== undefined) return whole;
    return Object.freeze({
      id: this.ids[n] as string,
      type: this.typeTable.values[this.types[n] as number] as string,
      at: this.ats[n] as number,
      precision: this.precisionTable.values[this.precisions[n] as number] as Precision,
      recordedAt: this.recordedAts[n] as number,
      sources: this.sourceTable.values[this.sourceLists[n] as number] as readonly Source[],
      data: this.payloads[n],
    });
  }

  /** Events `numbers[from..to)` as objects. */
  events(numbers: ArrayLike<number>, from = 0, to = numbers.length): TimelineEvent[] {
    const out: TimelineEvent[] = new Array(Math.max(0, to - from));
    for (let i = from; i < to; i++) out[i - from] = this.event(numbers[i] as number);
    return out;
  }
}
