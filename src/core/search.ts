/** Index of the first element of a sorted `events` whose `at` is greater than `t`. */
export function upperBound(events: readonly { readonly at: number }[], t: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((events[mid] as { at: number }).at <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first element of a sorted `events` whose `at` is not less than `t`. */
export function lowerBound(events: readonly { readonly at: number }[], t: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((events[mid] as { at: number }).at < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first of sorted `values[0..end)` that is greater than `t` (`end` if none). */
export function upperBoundNumbers(
  values: readonly number[],
  t: number,
  end = values.length,
): number {
  let lo = 0;
  let hi = end;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((values[mid] as number) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
