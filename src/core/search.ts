/** Index of the first of `n` items in timeline order whose time (`at(i)`) is greater than `t`. */
export function upperBound(n: number, t: number, at: (i: number) => number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (at(mid) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first of `n` items in timeline order whose time (`at(i)`) is not less than `t`. */
export function lowerBound(n: number, t: number, at: (i: number) => number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (at(mid) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Index of the first of sorted `values[from..to)` that is greater than `t` (`to` if none): a
 * list of times, or one key's stretch of an index's shared times.
 */
export function upperBoundNumbers(
  values: ArrayLike<number>,
  t: number,
  from = 0,
  to = values.length,
): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((values[mid] as number) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
