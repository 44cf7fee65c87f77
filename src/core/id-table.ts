import { grown } from "./grown.js";

/** Probes an id may take from its home slot; past that it goes to the overflow `Map`. */
const MAX_PROBE = 32;

/**
 * Positions by id: what finds a repeated id at every append (the timeline's table holds event
 * numbers, a batch's holds positions in the batch). A `Map` of 10^6 ids costs about 1 µs an
 * append in lookups and rehashing (a fifth of a build at 10^6 events); this open-addressing
 * table of positions (linear probing on a 32-bit FNV-1a hash with a random basis) costs a
 * few tens of ns, and holds no object: an id is read back by its position (`idOf`). Ids
 * made to collide cannot make it slow: an id that would land more than {@link MAX_PROBE}
 * slots from home is kept in a `Map` instead.
 */
export class IdTable {
  /** `slots[s]`: 1 + the position kept there, or 0 when empty. */
  private slots: Int32Array;
  private mask: number;
  /** The positions added, in order, and the hash of each: to grow without hashing again. */
  private positions: Int32Array;
  private hashes: Int32Array;
  private count = 0;
  private readonly overflow = new Map<string, number>();
  /** The ids' hash: {@link IdTable.get} and {@link IdTable.add} take it when it is known. */
  readonly hash: (id: string) => number;

  /**
   * @param idOf - the id at a position added.
   * @param hash - the ids' hash; tests pass one that collides, to reach the overflow.
   * @param capacity - ids it holds before it first grows.
   */
  constructor(
    private readonly idOf: (position: number) => string,
    hash?: (id: string) => number,
    capacity = 512,
  ) {
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
    this.positions = new Int32Array(size / 2);
    this.hashes = new Int32Array(size / 2);
  }

  /**
   * An empty table with the same hash, for the ids of one batch: a batch's ids are hashed
   * once, for this table and the timeline's.
   */
  scratch(capacity: number, idOf: (position: number) => string): IdTable {
    return new IdTable(idOf, this.hash, capacity);
  }

  /** The position of this id, or -1; `h` is `hash(id)`. */
  get(id: string, h = this.hash(id)): number {
    const { slots, mask, positions, hashes } = this;
    for (let probe = 0, s = h & mask; probe <= MAX_PROBE; probe++, s = (s + 1) & mask) {
      const k = slots[s] as number;
      if (k === 0) break;
      if (hashes[k - 1] === h && this.idOf(positions[k - 1] as number) === id) {
        return positions[k - 1] as number;
      }
    }
    return this.overflow.size === 0 ? -1 : (this.overflow.get(id) ?? -1);
  }

  /** Keeps a position whose id is not kept yet; `h` is `hash(idOf(position))`. */
  add(position: number, h = this.hash(this.idOf(position))): void {
    const k = this.count;
    if ((k + 1) * 2 > this.slots.length) this.grow();
    if (k === this.hashes.length) {
      this.hashes = grown(this.hashes, k * 2);
      this.positions = grown(this.positions, k * 2);
    }
    this.positions[k] = position;
    this.hashes[k] = h;
    this.count = k + 1;
    this.place(k, h);
  }

  /** Puts the `k`th position added in a slot (or the overflow). */
  private place(k: number, h: number): void {
    const { slots, mask } = this;
    for (let probe = 0, s = h & mask; probe <= MAX_PROBE; probe++, s = (s + 1) & mask) {
      if (slots[s] === 0) {
        slots[s] = k + 1;
        return;
      }
    }
    const position = this.positions[k] as number;
    this.overflow.set(this.idOf(position), position);
  }

  private grow(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    this.mask = this.slots.length - 1;
    this.overflow.clear();
    for (let k = 0; k < this.count; k++) this.place(k, this.hashes[k] as number);
  }
}
