import type { TimelineEvent } from "./events.js";

/** Probes an id may take from its home slot; past that it goes to the overflow `Map`. */
const MAX_PROBE = 32;

/**
 * Stored events by id: what finds a repeated id at every append. A `Map` of 10^6 ids costs
 * about 1 µs an append in lookups and rehashing (a fifth of a build at 10^6 events); this
 * open-addressing table of positions (linear probing on a 32-bit FNV-1a hash with a random
 * basis) costs a few tens of ns. Ids made to collide cannot make it slow: an id that would
 * land more than {@link MAX_PROBE} slots from home is kept in a `Map` instead.
 */
export class IdTable {
  /** `slots[s]`: 1 + the position in `events` of the id kept there, or 0 when empty. */
  private slots: Int32Array;
  private mask: number;
  /** The hash of each id in `events`, to grow the table without hashing again. */
  private hashes: Int32Array;
  private readonly events: TimelineEvent[] = [];
  private readonly overflow = new Map<string, TimelineEvent>();
  /** The ids' hash: {@link IdTable.get} and {@link IdTable.add} take it when it is known. */
  readonly hash: (id: string) => number;

  /**
   * @param hash - the ids' hash; tests pass one that collides, to reach the overflow.
   * @param capacity - ids it holds before it first grows.
   */
  constructor(hash?: (id: string) => number, capacity = 512) {
    const basis = ((Math.random() * 0x100000000) | 0) ^ 0x811c9dc5;
    this.hash =
      hash ??
      ((id) => {
        let h = basis;
        for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
        return h;
      });
    let size = 1024;
    while (size < capacity * 2) size *= 2;
    this.slots = new Int32Array(size);
    this.mask = size - 1;
    this.hashes = new Int32Array(size / 2);
  }

  /**
   * An empty table with the same hash, for the ids of one batch: a batch's ids are hashed
   * once, for this table and the timeline's.
   */
  scratch(capacity: number): IdTable {
    return new IdTable(this.hash, capacity);
  }

  /** The stored event with this id, if any; `h` is `hash(id)`. */
  get(id: string, h = this.hash(id)): TimelineEvent | undefined {
    const { slots, mask, hashes, events } = this;
    for (let probe = 0, s = h & mask; probe <= MAX_PROBE; probe++, s = (s + 1) & mask) {
      const at = slots[s] as number;
      if (at === 0) break;
      if (hashes[at - 1] === h && (events[at - 1] as TimelineEvent).id === id) {
        return events[at - 1];
      }
    }
    return this.overflow.size === 0 ? undefined : this.overflow.get(id);
  }

  /** Keeps an event whose id is not stored yet; `h` is `hash(event.id)`. */
  add(event: TimelineEvent, h = this.hash(event.id)): void {
    const position = this.events.length;
    if ((position + 1) * 2 > this.slots.length) this.grow();
    if (position === this.hashes.length) {
      const hashes = new Int32Array(position * 2);
      hashes.set(this.hashes);
      this.hashes = hashes;
    }
    this.events.push(event);
    this.hashes[position] = h;
    this.place(position, h);
  }

  private place(position: number, h: number): void {
    const { slots, mask } = this;
    for (let probe = 0, s = h & mask; probe <= MAX_PROBE; probe++, s = (s + 1) & mask) {
      if (slots[s] === 0) {
        slots[s] = position + 1;
        return;
      }
    }
    const event = this.events[position] as TimelineEvent;
    this.overflow.set(event.id, event);
  }

  private grow(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    this.mask = this.slots.length - 1;
    this.overflow.clear();
    for (let position = 0; position < this.events.length; position++) {
      this.place(position, this.hashes[position] as number);
    }
  }
}
