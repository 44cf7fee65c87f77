// Names for people: the command prints each place's and actor's name from its registry beside
// its id, sorts rows by name, and finds the place a person means by its id, its name or an
// alias, in any letter case.

import type { Registry } from "../core/registry.js";
import { UsageError } from "./exit.js";

const COLLATOR = new Intl.Collator("en", { sensitivity: "base", numeric: true });

/** How a name is compared: NFC, lower case, spaces collapsed. */
export function nameKey(text: string): string {
  return text.normalize("NFC").toLowerCase().trim().replace(/\s+/g, " ");
}

/** The names of the places and actors of an input, for printing. */
export class Names {
  constructor(
    readonly places: Registry | undefined,
    readonly actors: Registry | undefined,
  ) {}

  /** The registry's name of a place, when it has one other than the id. */
  place(id: string): string | undefined {
    return nameIn(this.places, id);
  }

  /** The registry's name of an actor, when it has one other than the id. */
  actor(id: string | null | undefined): string | undefined {
    return id === null || id === undefined ? undefined : nameIn(this.actors, id);
  }

  /** A place as a table prints it: "Palmyra [palmyra]", or the id alone. */
  placeCell(id: string): string {
    return cell(this.place(id), id);
  }

  /** A controller as a table prints it: a name and id, "nobody", or "-" (no report). */
  actorCell(controller: string | null | undefined): string {
    if (controller === undefined) return "-";
    if (controller === null) return "nobody";
    return cell(this.actor(controller), controller);
  }

  /** `items` sorted by their place's name (the id without one), then by id. */
  byPlace<T>(items: readonly T[], id: (item: T) => string): T[] {
    const keyed = items.map((item) => {
      const placeId = id(item);
      return { item, id: placeId, name: this.place(placeId) ?? placeId };
    });
    keyed.sort((a, b) => COLLATOR.compare(a.name, b.name) || compareIds(a.id, b.id));
    return keyed.map((k) => k.item);
  }
}

const compareIds = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function nameIn(registry: Registry | undefined, id: string): string | undefined {
  const name =
    registry !== undefined && Object.hasOwn(registry, id) ? registry[id]?.name : undefined;
  return name === undefined || name === id ? undefined : name;
}

const cell = (name: string | undefined, id: string) =>
  name === undefined ? id : `${name} [${id}]`;

/** Sorts texts as people read them (case and accents aside, numbers by value). */
export function compareNames(a: string, b: string): number {
  return COLLATOR.compare(a, b) || compareIds(a, b);
}

/** Largest edit distance at which a name is offered for a query of `length` characters. */
const reach = (length: number) => Math.max(2, Math.floor(length / 3));

/** Offered names when a place is unknown. */
const SUGGESTIONS = 5;

/**
 * Levenshtein distance of `a` and `b`, or `limit + 1` as soon as it must exceed `limit`
 * (rows of the table stop early), so that a query against many names stays cheap.
 */
function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(
        (previous[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
      row.push(value);
      if (value < best) best = value;
    }
    if (best > limit) return limit + 1;
    previous = row;
  }
  return previous[b.length] as number;
}

/** Each spelling that stands for a place (id, name, names in other languages, aliases). */
function spellings(
  places: Registry | undefined,
  known: Iterable<string>,
): Map<string, Set<string>> {
  const byKey = new Map<string, Set<string>>();
  const add = (text: string, id: string) => {
    const key = nameKey(text);
    if (key === "") return;
    const ids = byKey.get(key) ?? new Set<string>();
    ids.add(id);
    byKey.set(key, ids);
  };
  for (const id of known) add(id, id);
  for (const [id, entry] of Object.entries(places ?? {})) {
    add(id, id);
    add(entry.name, id);
    for (const name of Object.values(entry.names ?? {})) add(name, id);
    for (const alias of entry.aliases ?? []) add(alias, id);
  }
  return byKey;
}

/**
 * The id of the place `query` names: an id, a name or an alias from `places`, or an id of
 * `known` (the places of the data), in any letter case. Throws a {@link UsageError} listing
 * the candidates when it names several places, or offering the nearest names when none.
 */
export function resolvePlace(
  query: string,
  places: Registry | undefined,
  known: Iterable<string>,
  option = "--place",
): string {
  if (places !== undefined && Object.hasOwn(places, query)) return query;
  const byKey = spellings(places, known);
  const key = nameKey(query);
  const ids = byKey.get(key);
  const names = new Names(places, undefined);
  if (ids !== undefined && ids.size === 1) return [...ids][0] as string;
  if (ids !== undefined) {
    // An id given exactly wins over a name that other places share.
    if (ids.has(query)) return query;
    const candidates = names.byPlace([...ids], (id) => id).map((id) => names.placeCell(id));
    throw new UsageError(
      `${option}: "${query}" names ${ids.size} places: ${candidates.join(", ")}; give an id`,
    );
  }
  const limit = reach(key.length);
  const near: { text: string; d: number }[] = [];
  for (const [text, ids] of byKey) {
    const d = distance(key, text, limit);
    if (d > limit) continue;
    for (const id of ids) near.push({ text: names.placeCell(id), d });
  }
  near.sort((a, b) => a.d - b.d || compareNames(a.text, b.text));
  const offered = [...new Set(near.map((n) => n.text))].slice(0, SUGGESTIONS);
  throw new UsageError(
    `${option}: no place "${query}"${offered.length === 0 ? "" : `; did you mean ${offered.join(", ")}?`}`,
  );
}

/** `root` and every place below it in `places` (by `parent`), in registry order. */
export function placesUnder(root: string, places: Registry): string[] {
  const children = new Map<string, string[]>();
  for (const [id, entry] of Object.entries(places)) {
    if (entry.parent === undefined) continue;
    const list = children.get(entry.parent) ?? [];
    list.push(id);
    children.set(entry.parent, list);
  }
  const inside = new Set<string>([root]);
  const stack = [root];
  for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
    for (const child of children.get(id) ?? []) {
      if (inside.has(child)) continue;
      inside.add(child);
      stack.push(child);
    }
  }
  return Object.keys(places).filter((id) => inside.has(id));
}
