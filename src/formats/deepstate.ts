// DeepState's map of Ukraine, as its exports are found: the daily file of one occupied
// MultiPolygon, and the layered export of the map's KML with a status per polygon.

import { TimelineValidationError } from "../core/errors.js";
import type { AreaGeometry, Position } from "../core/geometry.js";
import type { TimeInput } from "../core/time.js";
import type { SnapshotArea } from "./snapshots.js";

/** Options of {@link fromDeepState}. */
export interface DeepStateOptions {
  /** The date the map shows (DeepState's exports carry it only in their file names). */
  readonly at: TimeInput;
  /** Who holds occupied areas (`geoJSON.territories.*` included). Default `"russia"`. */
  readonly occupiedBy?: string;
  /** Who holds liberated areas. Default `"ukraine"`. */
  readonly heldBy?: string;
  /** The snapshot's source. Default `"DeepState"`. */
  readonly source?: string;
  /**
   * Occupations far from the front that the map also draws (Transnistria, Abkhazia,
   * Tskhinvali, the Kurils, and jokes such as Karelia): kept as areas of `occupiedBy`
   * (`"keep"`, the default) or left out (`"drop"`). Crimea and the areas held since 2014 are
   * never far away.
   */
  readonly farAway?: "keep" | "drop";
}

/** A polygon feature {@link fromDeepState} could not classify: listed, never guessed. */
export interface UnclassifiedFeature {
  /** The feature's position in the collection's `features` (0-based). */
  readonly index: number;
  readonly name?: string;
  readonly fill?: string;
  readonly reason: string;
}

/** A DeepState map read as a snapshot (what {@link fromDeepState} returns). */
export interface DeepStateSnapshot {
  readonly at: TimeInput;
  readonly source: string;
  readonly areas: SnapshotArea[];
  readonly unclassified: UnclassifiedFeature[];
}

type Status = "occupied" | "older" | "far" | "liberated" | "unknown" | "contested";

/** Territories occupied before 2022 that sit on Ukraine's front: never dropped. */
const NEAR_TERRITORIES = new Set(["crimea", "ordlo", "tuzla"]);

const KEY = /^geojson\.(status|territories)\.([a-z_-]+)/;

/** The status a key after the last `///` names, if it names one. */
function statusOfKey(key: string): Status | undefined {
  const match = KEY.exec(key.toLowerCase());
  if (match === null) return undefined;
  const [, kind, name = ""] = match;
  if (kind === "territories") return NEAR_TERRITORIES.has(name) ? "older" : "far";
  if (name === "occupied") return "occupied";
  if (name.startsWith("dismissed") || name === "liberated") return "liberated";
  if (name === "unknown") return "unknown";
  if (name === "contested") return "contested";
  return undefined;
}

// A stem at the start of a word (JavaScript's \b knows only Latin letters); "de-occupied" is
// not "occupied".
const word = (stem: string) => new RegExp(`(?<![\\p{L}-])${stem}`, "u");

/** Words of the map's legend, Ukrainian and English, most specific first. */
const WORDS: readonly [Status, RegExp][] = [
  ["contested", word("(під питанням|contested|спірн)")],
  ["unknown", word("(статус невідомий|невідом|unknown)")],
  ["liberated", word("(звільнен|liberated|taken back|деокупован|de-?occupied)")],
  [
    "far",
    word(
      "(придністров|transnistri|абхаз|abkhaz|цхінвал|tskhinval|south ossetia|південна осетія|курил|kuril|карел|karelia|прусс|prussia)",
    ),
  ],
  ["older", word("(крим|crimea|ордло|ordlo|cadr|calr|тузла|tuzla)")],
  ["occupied", word("(окупован|occupied)")],
];

function statusOfWords(text: string): Status | "ambiguous" | undefined {
  const found = new Set<Status>();
  for (const [status, pattern] of WORDS) if (pattern.test(text)) found.add(status);
  // An occupied territory's name says both "occupied" and which one it is.
  if (found.has("occupied") && (found.has("older") || found.has("far"))) found.delete("occupied");
  if (found.has("older") && found.has("far")) found.delete("older");
  if (found.size === 0) return undefined;
  return found.size === 1 ? [...found][0] : "ambiguous";
}

const COLOURS: Readonly<Record<string, Status>> = {
  a52714: "occupied",
  "0f9d58": "liberated",
  "0288d1": "liberated",
  "01579b": "liberated",
  bcaaa4: "unknown",
  bdbdbd: "unknown",
  "880e4f": "older",
  ff5252: "far",
};

/** The status a `fill` (or a KML `styleUrl` such as `#poly-A52714-2000-77`) gives. */
function statusOfColour(fill: unknown, styleUrl: unknown): Status | undefined {
  if (typeof fill === "string") {
    const hex = /^#?([0-9a-f]{6})/i.exec(fill.trim())?.[1]?.toLowerCase();
    if (hex !== undefined) return COLOURS[hex];
  }
  if (typeof styleUrl === "string") {
    const hex = /poly-([0-9a-f]{6})/i.exec(styleUrl)?.[1]?.toLowerCase();
    if (hex !== undefined) return COLOURS[hex];
  }
  return undefined;
}

/** Stray non-breaking spaces, line breaks and runs of spaces as one space. */
function tidy(text: string): string {
  return text.replace(/[\s\u00a0\u2007\u202f]+/gu, " ").trim();
}

function polygonsOf(geometry: unknown): Position[][][] {
  if (typeof geometry !== "object" || geometry === null) return [];
  const { type, coordinates, geometries } = geometry as Record<string, unknown>;
  if (type === "Polygon" && Array.isArray(coordinates)) return [coordinates as Position[][]];
  if (type === "MultiPolygon" && Array.isArray(coordinates)) return coordinates as Position[][][];
  if (type === "GeometryCollection" && Array.isArray(geometries))
    return geometries.flatMap(polygonsOf);
  return [];
}

function asGeometry(polygons: Position[][][]): AreaGeometry {
  return polygons.length === 1
    ? { type: "Polygon", coordinates: polygons[0] as Position[][] }
    : { type: "MultiPolygon", coordinates: polygons };
}

interface Feature {
  readonly geometry?: unknown;
  readonly properties?: Record<string, unknown> | null;
}

function featuresOf(geojson: unknown): Feature[] {
  const fail = (message: string) => new TimelineValidationError([{ index: 0, path: [], message }]);
  if (typeof geojson !== "object" || geojson === null) {
    throw fail("expected a GeoJSON FeatureCollection (a DeepState export)");
  }
  const { type, features } = geojson as Record<string, unknown>;
  if (type === "FeatureCollection") {
    if (!Array.isArray(features)) throw fail("a FeatureCollection without a `features` array");
    return features as Feature[];
  }
  if (type === "Feature") return [geojson as Feature];
  if (type === "Polygon" || type === "MultiPolygon" || type === "GeometryCollection")
    return [{ geometry: geojson }];
  throw fail(`expected a GeoJSON FeatureCollection (a DeepState export), got type ${String(type)}`);
}

/**
 * Reads a DeepState export as a snapshot for {@link fromSnapshots}, in each of its layouts:
 *
 * - the daily file: a FeatureCollection (with a `crs` member) of one MultiPolygon of occupied
 *   territory without properties;
 * - the layered export of the map's KML: polygons whose `name` ends in a status key after the
 *   last `///` (`geoJSON.status.occupied`, `.dismissed`, `.dismissed_at`, `.unknown`,
 *   `geoJSON.territories.crimea` and kin), or says it only in words ("Окуповано /// Occupied",
 *   "Звільнено 25.03 /// Liberated 25.03", "Статус невідомий /// Unknown status", "Під
 *   питанням /// Contested"), with a `fill` colour;
 * - and mixtures of the two.
 *
 * Each polygon is classified by its key, then by its words, then by its colour. Points (units,
 * directions of attack, airfields) are not areas and are ignored; the polygons of a
 * GeometryCollection are taken. Occupied areas become areas of `occupiedBy`, liberated ones
 * of `heldBy`, unknown and contested ones areas with `controller: null` and their `status`.
 * A polygon that none of the three classifies is listed in `unclassified`, never guessed.
 *
 * @throws {TimelineValidationError} when the input is not GeoJSON.
 * @example
 * const snapshot = fromDeepState(JSON.parse(text), { at: "2024-10-01" });
 * const { events } = fromSnapshots([snapshot], places, { otherwise: "ukraine" });
 */
export function fromDeepState(geojson: unknown, options: DeepStateOptions): DeepStateSnapshot {
  if (options?.at === undefined) {
    throw new TypeError("fromDeepState: `at` is required (the date of the map)");
  }
  const occupiedBy = options.occupiedBy ?? "russia";
  const heldBy = options.heldBy ?? "ukraine";
  const source = options.source ?? "DeepState";
  const dropFar = options.farAway === "drop";
  const features = featuresOf(geojson);
  // The daily layout: polygons carry nothing but their shape, and only occupied land is drawn.
  const named = features.some((f) => {
    const p = f?.properties;
    return typeof p === "object" && p !== null && (p.name ?? p.fill ?? p.styleUrl) !== undefined;
  });

  const areas: SnapshotArea[] = [];
  const unclassified: UnclassifiedFeature[] = [];
  features.forEach((feature, index) => {
    const polygons = polygonsOf(feature?.geometry);
    if (polygons.length === 0) return;
    const properties = feature.properties ?? {};
    const name = typeof properties.name === "string" ? tidy(properties.name) : undefined;
    const fill = typeof properties.fill === "string" ? properties.fill : undefined;
    let status: Status | undefined;
    let reason = "no status key, words or colour that say who holds it";
    if (name === undefined && fill === undefined && properties.styleUrl === undefined) {
      if (!named) status = "occupied";
      else reason = "a polygon without a name or colour among named ones";
    } else {
      const parts = (name ?? "").split("///");
      status = statusOfKey(tidy(parts[parts.length - 1] ?? ""));
      if (status === undefined) {
        const words = statusOfWords((name ?? "").toLowerCase());
        if (words === "ambiguous") reason = `its name "${name}" names more than one status`;
        else status = words;
      }
      status ??= statusOfColour(fill, properties.styleUrl);
    }
    if (status === undefined) {
      unclassified.push({
        index,
        ...(name === undefined ? {} : { name }),
        ...(fill === undefined ? {} : { fill }),
        reason,
      });
      return;
    }
    if (status === "far" && dropFar) return;
    const geometry = asGeometry(polygons);
    if (status === "unknown" || status === "contested") {
      areas.push({ controller: null, status, geometry });
    } else {
      areas.push({ controller: status === "liberated" ? heldBy : occupiedBy, geometry });
    }
  });
  return { at: options.at, source, areas, unclassified };
}
