/** A typed array of any of the kinds the core keeps its columns and logs in. */
type Column = Float64Array | Int32Array | Uint8Array;

/**
 * A copy of `array` in a new array of `size` elements (at least its length), the rest zero:
 * how the event columns, the key logs' blocks, the id table and the event lists grow.
 */
export function grown<T extends Column>(array: T, size: number): T {
  const next = new (array.constructor as new (size: number) => T)(size);
  next.set(array);
  return next;
}
