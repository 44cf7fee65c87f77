import { grown } from "./grown.js";

/**
 * The per-key logs of a keyed index, side by side in shared typed arrays: each key's times,
 * filing counters and event numbers lie in one block of these arrays (a power of two long),
 * moved to a block twice as long when full; a freed block is reused by the next log of its
 * size. One growing array per key and field cost a header per array, slack per array, and a
 * copy per growth that the young generation then copied again; a block costs none of these.
 * Blocks are offsets, not views: the arrays themselves grow (by doubling) without touching
 * any log.
 */
export class LogBlocks {
  ats = new Float64Array(1024);
  seqs = new Int32Array(1024);
  events = new Int32Array(1024);
  /** The end of the blocks handed out so far. */
  private top = 0;
  /** Freed blocks' starts, by the log2 of their length. */
  private readonly free: number[][] = [];

  /** The start of a free block of `capacity` (a power of two) entries. */
  alloc(capacity: number): number {
    const spare = this.free[Math.log2(capacity)];
    if (spare !== undefined && spare.length > 0) return spare.pop() as number;
    const start = this.top;
    this.top += capacity;
    if (this.top > this.ats.length) {
      let size = this.ats.length * 2;
      while (size < this.top) size *= 2;
      this.ats = grown(this.ats, size);
      this.seqs = grown(this.seqs, size);
      this.events = grown(this.events, size);
    }
    return start;
  }

  /** Gives a block back, for the next log of its length. */
  release(start: number, capacity: number): void {
    const k = Math.log2(capacity);
    let list = this.free[k];
    if (list === undefined) {
      list = [];
      this.free[k] = list;
    }
    list.push(start);
  }
}
