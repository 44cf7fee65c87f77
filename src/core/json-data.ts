// What stored events are made of: plain JSON data, frozen, compared by structure.

/** A plain object (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * How deep objects and arrays may nest in event data. Deeper data is refused with a located
 * issue: stored events are written with `JSON.stringify` and compared and frozen by walks
 * that a 10^5-deep value would take past the call stack.
 */
export const MAX_DEPTH = 1_000;

type NotJson = { path: (string | number)[]; what: string } | undefined;

/**
 * Where a value is not plain JSON data (a Map, a Date, a typed array, a BigInt, a function,
 * a non-finite number, a cycle, nesting deeper than {@link MAX_DEPTH}, a `__proto__` key...):
 * its path, or `undefined` when it is JSON. Stored events must be JSON so that `toJSON` and
 * `fromJSON` lose nothing. With `shapeOnly`, only depth, cycles and `__proto__` keys are
 * checked (the raw input, before its schema reads it: zod drops `__proto__` keys silently).
 * Iterative, with the path built only for the value reported, so any depth costs linear time.
 */
export function notJson(root: unknown, base: (string | number)[], shapeOnly = false): NotJson {
  const keys: { parent: number; key: string | number }[] = [];
  const pathOf = (node: number) => {
    const path: (string | number)[] = [];
    for (let at = node; at >= 0; at = (keys[at] as { parent: number }).parent) {
      path.push((keys[at] as { key: string | number }).key);
    }
    return [...base, ...path.reverse()];
  };
  const within = new Set<object>();
  type Visit = { value: unknown; node: number; depth: number } | { leave: object };
  const stack: Visit[] = [{ value: root, node: -1, depth: 0 }];
  const child = (value: unknown, parent: number, key: string | number, depth: number) => {
    keys.push({ parent, key });
    stack.push({ value, node: keys.length - 1, depth });
  };
  while (stack.length > 0) {
    const visit = stack.pop() as Visit;
    if ("leave" in visit) {
      within.delete(visit.leave);
      continue;
    }
    const { value, node, depth } = visit;
    if (value === null || typeof value === "string" || typeof value === "boolean") continue;
    if (typeof value === "number") {
      if (!shapeOnly && !Number.isFinite(value)) return { path: pathOf(node), what: String(value) };
      continue;
    }
    if (typeof value !== "object") {
      if (shapeOnly) continue;
      return { path: pathOf(node), what: `a ${typeof value}` };
    }
    if (within.has(value)) return { path: pathOf(node), what: "a cycle" };
    if (depth >= MAX_DEPTH) {
      return { path: pathOf(node), what: `data nested deeper than ${MAX_DEPTH} levels` };
    }
    within.add(value);
    stack.push({ leave: value });
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) child(value[i], node, i, depth + 1);
      continue;
    }
    if (!shapeOnly) {
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        return { path: pathOf(node), what: `a ${value.constructor?.name ?? "non-plain object"}` };
      }
    }
    if (Object.hasOwn(value, "__proto__")) {
      return { path: pathOf(node), what: 'a "__proto__" key (not kept by JavaScript objects)' };
    }
    const names = Object.keys(value);
    for (let i = names.length - 1; i >= 0; i--) {
      const key = names[i] as string;
      const item = (value as Record<string, unknown>)[key];
      if (item !== undefined) child(item, node, key, depth + 1);
    }
  }
  return undefined;
}

/** Freezes a plain value and everything inside it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    if (Array.isArray(value)) {
      for (const item of value) if (typeof item === "object") deepFreeze(item);
    } else {
      for (const key in value) {
        const item = (value as Record<string, unknown>)[key];
        if (typeof item === "object") deepFreeze(item);
      }
    }
  }
  return value;
}

/** Structural equality of JSON-like values (what stored events are made of). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) =>
    deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
  );
}
