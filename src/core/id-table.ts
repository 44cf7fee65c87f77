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
  private slots = new Int32Array(1024);
  private mask = 1023;
  /** The hash of each id in `events`, to grow the table without hashing again. */
  private hashes = new Int32Array(1024);
  private readonly events: TimelineEvent[] = [];
  private readonly overflow = new Map<string, TimelineEvent>();
  private readonly hash: (id: string) => number;

  /** @param hash - the ids' hash; tests pass one that collides, to reach the overflow. */
  constructor(hash?: (id: string) => number) {
    const basis = ((Math.random() * 0x100000000) | 0) ^ 0x811c9dc5;
    this.hash =
      hash ??
      ((id) => {
        let h = basis;
        for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
        return h;
      });
  }

  /** The stored event with this id, if any. */
  get(id: string): TimelineEvent | undefined {
    const h = this.hash(id);
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

  /** Keeps an event whose id is not stored yet. */
  add(event: TimelineEvent): void {
    const position = this.events.length;
    if ((position + 1) * 2 > this.slots.length) this.grow();
    if (position === this.hashes.length) {
      const hashes = new Int32Array(position * 2);
      hashes.set(this.hashes);
      this.hashes = hashes;
    }
    const h = this.hash(event.id);
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
