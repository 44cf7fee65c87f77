// What every table of the benchmark measures with: wall time, quantiles, a seeded dice for
// query instants and shuffles, heap after GC, and how the figures print.

/** The value of `fn()` and the milliseconds it took. */
export function time<T>(fn: () => T): [T, number] {
  const start = process.hrtime.bigint();
  const value = fn();
  return [value, Number(process.hrtime.bigint() - start) / 1e6];
}

/** The `q` quantile of sorted values (nearest rank). */
export function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

/** A linear congruential generator in [0, 1): the same instants for the same seed in every run. */
export function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a * 1664525 + 1013904223) >>> 0;
    return a / 4294967296;
  };
}

/**
 * Memory in use after garbage collection (with `node --expose-gc`): the JS heap plus the
 * array buffers behind typed arrays, which V8 keeps outside the heap (`heapUsed` alone would
 * leave out a timeline's event columns and key logs).
 */
export function heap(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3; i++) gc?.();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

/** Milliseconds as the tables print them: fewer decimals the larger the figure. */
export const ms = (v: number, decimals = 3) =>
  v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(1) : v.toFixed(decimals);
export const mb = (v: number) => `${(v / 1048576).toFixed(0)} MB`;
export const x = (v: number) => `${v.toFixed(v >= 10 ? 0 : 1)}x`;
