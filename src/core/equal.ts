/**
 * Whether two values a reducer made are the same data: primitives equal by `Object.is`,
 * plain objects with the same keys in the same order and arrays of the same length, equal
 * all the way down. Anything else (a Map, a Date, a class instance) is only the same as
 * itself. A pure handler given either of two such values gives the same data again, which
 * is what lets a refold stop early. Stricter than ingest's `deepEqual`, which compares stored
 * events as JSON (key order and `undefined` members do not count there; a handler may read
 * both).
 */
export function sameData(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  const proto = Object.getPrototypeOf(a);
  if (proto !== Object.getPrototypeOf(b)) return false;
  if (proto === Array.prototype) {
    const x = a as unknown[];
    const y = b as unknown[];
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!sameData(x[i], y[i])) return false;
    return true;
  }
  if (proto !== Object.prototype && proto !== null) return false;
  const keys = Object.keys(a);
  const other = Object.keys(b);
  if (keys.length !== other.length) return false;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (key !== other[i]) return false;
    if (!sameData((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) {
      return false;
    }
  }
  return true;
}
