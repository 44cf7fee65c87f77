/**
 * Values numbered in the order first seen: each distinct value gets one small number, its
 * index in {@link Interned.values}. Values are told apart by themselves (`Map` equality), or
 * by a key of their own where equal values are distinct objects (a list, a record).
 */
export class Interned<T> {
  readonly values: T[] = [];
  private readonly numbers = new Map<unknown, number>();

  /** The number of `value`, found by `key` (the value itself unless given). */
  of(value: T, key: unknown = value): number {
    let n = this.numbers.get(key);
    if (n === undefined) {
      n = this.values.length;
      this.values.push(value);
      this.numbers.set(key, n);
    }
    return n;
  }
}
