import type { TimelineEvent } from "./events.js";

/** How a built-in slice's record changes with one event. */
export interface RecordRule<Out> {
  /** Places the event touches, each once, in the order a naive fold would write them. */
  readonly places: (event: TimelineEvent) => readonly string[];
  /** A place's entry after the event; `prev` is `undefined` while the place is absent. */
  readonly advance: (prev: Out | undefined, event: TimelineEvent) => Out | undefined;
}

/**
 * A whole record at one position of the timeline, packed: `order[0..length)` are the places
 * in the record's key order and `values` their entries. `order` may be shared with later
 * marks, which only ever append to it.
 */
interface RecordMark<Out> {
  readonly pos: number;
  readonly order: string[];
  readonly length: number;
  readonly values: readonly Out[];
}

// Assigning "__proto__" would set the prototype instead of adding the place.
function put(record: Record<string, unknown>, key: string, value: unknown): void {
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

/**
 * Marks of a built-in slice's whole record every `spacing` events, so that the record at any
 * position is a copy of the nearest mark (sequential reads) plus at most `spacing` events.
 * Marks are made on demand and dropped from the position of a late event on.
 */
export class RecordMarks<Out> {
  private marks: RecordMark<Out>[] = [{ pos: 0, order: [], length: 0, values: [] }];

  constructor(
    private readonly rule: RecordRule<Out>,
    private readonly spacing: number,
  ) {}

  /** Forgets every mark after `pos` (the events from there on have changed). */
  invalidate(pos: number): void {
    let keep = this.marks.length;
    while (keep > 1 && (this.marks[keep - 1] as RecordMark<Out>).pos > pos) keep--;
    if (keep < this.marks.length) this.marks = this.marks.slice(0, keep);
  }

  /**
   * The latest mark at or before `pos`; with `list`, the marks up to `pos` are made from it
   * first, so that at most `spacing` events remain to replay.
   */
  markFor(pos: number, list?: readonly TimelineEvent[]): RecordMark<Out> {
    const last = this.marks[this.marks.length - 1] as RecordMark<Out>;
    if (list !== undefined && last.pos + this.spacing <= pos) this.roll(list, last, pos);
    const marks = this.marks;
    let lo = 0;
    let hi = marks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((marks[mid] as RecordMark<Out>).pos <= pos) lo = mid;
      else hi = mid - 1;
    }
    return marks[lo] as RecordMark<Out>;
  }

  private roll(list: readonly TimelineEvent[], from: RecordMark<Out>, pos: number): void {
    const order = from.order.length === from.length ? from.order : from.order.slice(0, from.length);
    const values = from.values.slice();
    const slot = new Map<string, number>();
    for (let i = 0; i < from.length; i++) slot.set(order[i] as string, i);
    const end = Math.floor(pos / this.spacing) * this.spacing;
    const { places, advance } = this.rule;
    for (let p = from.pos; p < end; p++) {
      const event = list[p] as TimelineEvent;
      for (const place of places(event)) {
        const i = slot.get(place);
        const next = advance(i === undefined ? undefined : values[i], event);
        if (next === undefined) continue;
        if (i === undefined) {
          slot.set(place, order.length);
          values[order.length] = next;
          order.push(place);
        } else {
          values[i] = next;
        }
      }
      if ((p + 1) % this.spacing === 0) {
        this.marks.push({ pos: p + 1, order, length: order.length, values: values.slice() });
      }
    }
  }

  /** The frozen record of a mark followed by `events` (the events after the mark, in order). */
  record(mark: RecordMark<Out>, events: readonly TimelineEvent[]): Readonly<Record<string, Out>> {
    const record: Record<string, Out> = {};
    const { order, values } = mark;
    for (let i = 0; i < mark.length; i++) put(record, order[i] as string, values[i]);
    const { places, advance } = this.rule;
    for (const event of events) {
      for (const place of places(event)) {
        const prev = Object.hasOwn(record, place) ? record[place] : undefined;
        const next = advance(prev, event);
        if (next !== undefined) put(record, place, next);
      }
    }
    return Object.freeze(record);
  }
}
