import type { Source } from "./events.js";
import { deepFreeze, isRecord } from "./json-data.js";

/** Shared frozen lists of sources, so that events citing the same sources share one array. */
export interface SourceTables {
  /** Shares one frozen array between events that cite the same sources. */
  readonly sourceLists: Map<string, readonly Source[]>;
  /** The same for lists of one source given by name alone, keyed by that name. */
  readonly singleSources: Map<string, readonly Source[]>;
}

/**
 * Reads an event's `sources` (absent: none) into a frozen list shared with every event that
 * cites the same; problems go to `problem`, and the result is then `undefined`.
 */
export function readSources(
  raw: unknown,
  ctx: SourceTables,
  problem: (path: (string | number)[], message: string) => void,
): readonly Source[] | undefined {
  if (raw === undefined) return readSources([], ctx, problem);
  // The common case, one source cited by name alone, skips building a key.
  if (Array.isArray(raw) && raw.length === 1) {
    const only = raw[0] as { name?: unknown } | null;
    if (isRecord(only) && typeof only.name === "string" && only.name.length > 0) {
      let keys = 0;
      for (const _ in only) keys++;
      const shared = keys === 1 ? ctx.singleSources.get(only.name) : undefined;
      if (shared !== undefined) return shared;
    }
  }
  if (!Array.isArray(raw)) {
    problem(["sources"], "expected an array of { name, url?, note? }");
    return undefined;
  }
  const list: Source[] = [];
  let ok = true;
  raw.forEach((s: unknown, i) => {
    if (!isRecord(s)) {
      problem(["sources", i], "expected an object { name, url?, note? }");
      ok = false;
      return;
    }
    for (const key of Object.keys(s)) {
      if (key !== "name" && key !== "url" && key !== "note") {
        problem(["sources", i, key], `unknown field "${key}" (a source has name, url and note)`);
        ok = false;
      }
    }
    if (typeof s.name !== "string" || s.name.length === 0) {
      problem(["sources", i, "name"], "expected a non-empty string");
      ok = false;
    }
    for (const key of ["url", "note"] as const) {
      if (s[key] !== undefined && typeof s[key] !== "string") {
        problem(["sources", i, key], "expected a string");
        ok = false;
      }
    }
    if (ok) {
      const source: { name: string; url?: string; note?: string } = { name: s.name as string };
      if (s.url !== undefined) source.url = s.url as string;
      if (s.note !== undefined) source.note = s.note as string;
      list.push(source);
    }
  });
  if (!ok) return undefined;
  // One source named alone is keyed by its name; anything else by its JSON (two maps, so
  // that no name can pass for the JSON of a list).
  const only = list.length === 1 ? list[0] : undefined;
  const single = only !== undefined && only.url === undefined && only.note === undefined;
  const table = single ? ctx.singleSources : ctx.sourceLists;
  const key = single ? only.name : JSON.stringify(list);
  let shared = table.get(key);
  if (shared === undefined) {
    shared = deepFreeze(list);
    table.set(key, shared);
  }
  return shared;
}
