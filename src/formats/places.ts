// The place and actor registries that ACLED and UCDP imports build: ids from names, regions as
// parents, and locations of one name kept apart when they lie far from each other.

import type { Registry, RegistryEntry } from "../core/registry.js";

const slugs = new Map<string, string>();

/** A stable id from a name: lower case, accents dropped, runs of other characters as "-". */
export function slug(name: string): string {
  // Large files repeat a few thousand names a million times: remember them (bounded).
  const known = slugs.get(name);
  if (known !== undefined) return known;
  const made = makeSlug(name);
  if (slugs.size >= 100_000) slugs.clear();
  slugs.set(name, made);
  return made;
}

function makeSlug(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "");
}

/** Locations of one name farther apart than this are two places. */
export const SPLIT_KM = 25;

/**
 * A location an import merged into a place of another spelling (`"merged"`: "Al Bab" into
 * "Al-Bab", within 25 km), or kept apart from a place of the same name more than 25 km away
 * (`"split"`, under an id that carries its coordinates).
 */
export interface PlaceChange {
  readonly change: "merged" | "split";
  /** The place the location became. */
  readonly id: string;
  /** The location's name as the row gives it. */
  readonly name: string;
  /** The place of the same name it was merged into or kept apart from. */
  readonly of: string;
  /** Distance between the two, in km (when both have coordinates). */
  readonly km?: number;
}

type Entry = { -readonly [K in keyof RegistryEntry]: RegistryEntry[K] };

function set<T>(record: Record<string, T>, key: string, value: T): void {
  // A defined property, so that an id such as "__proto__" is a key like any other.
  Object.defineProperty(record, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/** Great-circle distance in km between two [lon, lat] points. */
export function distanceKm(a: readonly [number, number], b: readonly [number, number]): number {
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLon = (b[0] - a[0]) * rad;
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Builds place and actor registries as rows name them, on top of known ones. */
export class PlaceBook {
  private readonly knownPlaces: Registry;
  private readonly knownActors: Registry;
  private readonly regions = new Map<string, Entry>();
  private readonly locations = new Map<string, Entry>();
  private readonly spellings = new Map<string, Set<string>>();
  private readonly newActors = new Map<string, Entry>();
  /** Ids of the places of one base id ("homs/tadmur"): it and its "@lat,lon" variants. */
  private readonly variants = new Map<string, string[]>();
  private readonly changeList: PlaceChange[] = [];
  private readonly reported = new Set<string>();

  constructor(places: Registry = {}, actors: Registry = {}) {
    this.knownPlaces = places;
    this.knownActors = actors;
    for (const id of Object.keys(places)) {
      if (id.includes("/")) this.variant(id);
    }
  }

  private variant(id: string): void {
    const at = id.indexOf("@");
    const base = at === -1 ? id : id.slice(0, at);
    const list = this.variants.get(base);
    if (list === undefined) this.variants.set(base, [id]);
    else list.push(id);
  }

  private entry(id: string): RegistryEntry | undefined {
    return (
      this.locations.get(id) ??
      (Object.hasOwn(this.knownPlaces, id) ? this.knownPlaces[id] : undefined)
    );
  }

  /**
   * The id of a location named `name` in region `regionId` (registering both): the place of
   * that name within 25 km, or a new one.
   */
  place(
    name: string,
    regionId: string | undefined,
    regionName: string,
    coordinates: [number, number] | undefined,
  ): string {
    if (
      regionId !== undefined &&
      !this.regions.has(regionId) &&
      !Object.hasOwn(this.knownPlaces, regionId)
    ) {
      this.regions.set(regionId, { name: regionName, kind: "admin1" });
    }
    const base = `${regionId ?? ""}/${slug(name)}`;
    const ids = this.variants.get(base) ?? [];
    let nearest: { id: string; km: number | undefined } | undefined;
    let far: { id: string; km: number } | undefined;
    for (const id of ids) {
      const known = this.entry(id)?.coordinates;
      const km =
        known === undefined || coordinates === undefined
          ? undefined
          : distanceKm(known, coordinates);
      if (km !== undefined && km > SPLIT_KM) {
        if (far === undefined) far = { id, km };
      } else if (nearest === undefined || (km ?? 0) < (nearest.km ?? 0)) {
        nearest = { id, km };
      }
    }
    if (nearest !== undefined) {
      this.merge(nearest.id, name, coordinates, nearest.km);
      return nearest.id;
    }
    let id = base;
    if (far !== undefined && coordinates !== undefined) {
      id = `${base}@${coordinates[1].toFixed(2)},${coordinates[0].toFixed(2)}`;
      this.changeList.push({
        change: "split",
        id,
        name,
        of: far.id,
        km: Math.round(far.km),
      });
    }
    const entry: Entry = { name, kind: "location" };
    if (regionId !== undefined) entry.parent = regionId;
    if (coordinates !== undefined) entry.coordinates = coordinates;
    this.locations.set(id, entry);
    this.variant(id);
    return id;
  }

  private merge(
    id: string,
    name: string,
    coordinates: [number, number] | undefined,
    km: number | undefined,
  ): void {
    const entry = this.locations.get(id);
    if (entry !== undefined && entry.coordinates === undefined && coordinates !== undefined) {
      entry.coordinates = coordinates;
    }
    const known = this.entry(id);
    if (known === undefined || known.name === name || known.aliases?.includes(name)) return;
    const key = `${id}\u0000${name}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.changeList.push({
      change: "merged",
      id,
      name,
      of: id,
      ...(km === undefined ? {} : { km: Math.round(km * 10) / 10 }),
    });
    if (entry !== undefined) {
      const names = this.spellings.get(id) ?? new Set<string>();
      names.add(name);
      this.spellings.set(id, names);
    }
  }

  /** Registers an actor (its first name wins). */
  actor(id: string, name: string): void {
    if (!this.newActors.has(id) && !Object.hasOwn(this.knownActors, id)) {
      this.newActors.set(id, { name });
    }
  }

  /** Places merged or split so far. */
  changes(): PlaceChange[] {
    return [...this.changeList];
  }

  /**
   * The known places, then each new region (kind "admin1") and location (kind "location",
   * parent its region). A new place's names are its aliases where no other place has them.
   */
  places(): Registry {
    const out: Record<string, RegistryEntry> = {};
    const uses = new Map<string, number>();
    const use = (name: string) => uses.set(name, (uses.get(name) ?? 0) + 1);
    for (const [id, entry] of Object.entries(this.knownPlaces)) {
      use(entry.name);
      for (const alias of entry.aliases ?? []) use(alias);
      set(out, id, entry);
    }
    const fresh = [...this.regions, ...this.locations];
    for (const [id, entry] of fresh) {
      for (const name of [entry.name, ...(this.spellings.get(id) ?? [])]) use(name);
    }
    const isId = (name: string) =>
      Object.hasOwn(this.knownPlaces, name) || this.regions.has(name) || this.locations.has(name);
    for (const [id, entry] of fresh) {
      const aliases = [entry.name, ...(this.spellings.get(id) ?? [])].filter(
        (name) => uses.get(name) === 1 && name !== id && !isId(name),
      );
      set(out, id, Object.freeze(aliases.length > 0 ? { ...entry, aliases } : { ...entry }));
    }
    return Object.freeze(out);
  }

  /** The known actors, then the new ones (id: the name as a slug). */
  actors(): Registry {
    const out: Record<string, RegistryEntry> = {};
    for (const [id, entry] of Object.entries(this.knownActors)) set(out, id, entry);
    for (const [id, entry] of this.newActors) set(out, id, Object.freeze({ ...entry }));
    return Object.freeze(out);
  }
}
