import type { BuiltinDefinition, InputOf, Source } from "../core/events.js";
import type { Registry, RegistryEntry } from "../core/registry.js";
import { type Precision, readTime } from "../core/time.js";

/**
 * One row of an ACLED export, keyed by ACLED's column names (`event_id_cnty`, `event_date`,
 * `time_precision`, `sub_event_type`, `actor1`, `actor2`, `admin1`, `location`, `latitude`,
 * `longitude`, `source`, `notes`, `fatalities`, `timestamp`, ...). Values are strings as in
 * the CSV, or numbers as in ACLED's JSON API; other columns are ignored.
 */
export type AcledRow = Readonly<Record<string, unknown>>;

/** A row {@link fromAcled} did not turn into an event, and why. */
export interface SkippedRow {
  /** 1-based position of the row in the rows given (`rows[row - 1]`); the CSV header is not a row. */
  readonly row: number;
  readonly reason: string;
}

/** An event input made from an ACLED row: one of the built-in types. */
export type AcledEvent = InputOf<BuiltinDefinition>;

/** What {@link fromAcled} returns. `events.length + skipped.length` is the number of rows. */
export interface AcledImport {
  /** Event inputs in row order, ready for `timeline.appendAll(events)`. */
  readonly events: AcledEvent[];
  /** The places the events name, keyed by id (with their `admin1` regions as parents). */
  readonly places: Registry;
  /** The actors the events name, keyed by id. */
  readonly actors: Registry;
  /** Every row that did not map to an event, with the reason. */
  readonly skipped: SkippedRow[];
}

type Kind = "Captured" | "Airstrike" | "Arrests";

/** ACLED sub-event types that map to an event (compared case-insensitively). */
const SUB_EVENT_TYPES: ReadonlyMap<string, Kind> = new Map([
  ["non-state actor overtakes territory", "Captured"],
  ["government regains territory", "Captured"],
  ["air/drone strike", "Airstrike"],
  ["arrests", "Arrests"],
]);

const MAPPED =
  '"Non-state actor overtakes territory", "Government regains territory", "Air/drone strike", "Arrests"';

/** ACLED's `time_precision` codes. */
const PRECISION: Readonly<Record<string, Precision>> = { "1": "day", "2": "week", "3": "month" };

const MONTHS: ReadonlyMap<string, number> = new Map(
  [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
  ].flatMap((name, i) => [
    [name, i + 1],
    [name.slice(0, 3), i + 1],
  ]),
);

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const WORDS_DATE = /^(\d{1,2})[ -]([A-Za-z]+)\.?[ -](\d{4})$/;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** A cell as trimmed text ("" when empty or missing). */
function cell(row: AcledRow, column: string): string {
  const value = Object.hasOwn(row, column) ? row[column] : undefined;
  if (typeof value === "string") return value.trim();
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return "";
}

/**
 * `event_date` as an ISO date ("2016-12-10"), from "2016-12-10" or "10 December 2016"
 * (month names in English, full or abbreviated, any case), without the locale-dependent
 * `Date` parser; or a message saying what is wrong.
 */
export function acledDate(text: string): string | { error: string } {
  let iso: string | undefined;
  if (ISO_DATE.test(text)) iso = text;
  else {
    const m = WORDS_DATE.exec(text);
    const month = m ? MONTHS.get((m[2] as string).toLowerCase()) : undefined;
    if (m && month !== undefined) {
      iso = `${m[3]}-${String(month).padStart(2, "0")}-${(m[1] as string).padStart(2, "0")}`;
    }
  }
  if (iso === undefined) {
    return {
      error:
        text === ""
          ? "event_date is empty"
          : `event_date "${text}" is neither "2016-12-10" nor "10 December 2016"`,
    };
  }
  const parsed = readTime(iso);
  return typeof parsed === "string" ? { error: `event_date "${text}": ${parsed}` } : iso;
}

/** A stable id from a name: lower case, accents dropped, runs of other characters as "-". */
export function slug(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "");
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

/** The result of reading one row. */
export type AcledRowResult =
  | { readonly event: AcledEvent }
  | {
      readonly skipped: string;
      /** True when the row is of a mapped kind but cannot be read (bad date, no actor1...). */
      readonly invalid: boolean;
    };

/**
 * Reads ACLED rows one at a time, keeping the place and actor registries of the events made
 * so far: what {@link fromAcled} uses, and what a streaming reader of a large export can use.
 */
export class AcledReader {
  private readonly placeEntries = new Map<string, Entry>();
  private readonly regionEntries = new Map<string, Entry>();
  private readonly actorEntries = new Map<string, Entry>();

  /** Reads one row: the event it maps to, or why it is skipped. */
  read(row: AcledRow): AcledRowResult {
    if (typeof row !== "object" || row === null) {
      return { skipped: "not an object keyed by ACLED column names", invalid: true };
    }
    const subType = cell(row, "sub_event_type");
    const kind = SUB_EVENT_TYPES.get(subType.toLowerCase());
    if (kind === undefined) {
      const type = cell(row, "event_type");
      return {
        skipped:
          subType === ""
            ? "no sub_event_type"
            : `sub_event_type "${subType}"${type ? ` (${type})` : ""} is not mapped; mapped: ${MAPPED}`,
        invalid: false,
      };
    }

    const problems: string[] = [];
    const id = cell(row, "event_id_cnty");
    if (id === "") problems.push("event_id_cnty is empty");

    const date = acledDate(cell(row, "event_date"));
    if (typeof date !== "string") problems.push(date.error);

    const code = cell(row, "time_precision");
    const precision = code === "" ? "day" : PRECISION[code];
    if (precision === undefined) {
      problems.push(`time_precision "${code}" is not 1 (day), 2 (week) or 3 (month)`);
    }

    const actorName = cell(row, "actor1");
    const by = actorName === "" ? undefined : slug(actorName);
    if (by === undefined) problems.push("actor1 is empty");
    else if (by === "") problems.push(`actor1 "${actorName}" has no letter or digit`);

    const location = cell(row, "location");
    const admin1 = cell(row, "admin1");
    const placeSlug = slug(location);
    if (location === "") problems.push("location is empty");
    else if (placeSlug === "") problems.push(`location "${location}" has no letter or digit`);

    const coordinates = readCoordinates(row, problems);

    let killed: number | undefined;
    const fatalities = cell(row, "fatalities");
    if (kind === "Airstrike" && fatalities !== "") {
      killed = Number(fatalities);
      if (!/^\d+$/.test(fatalities) || !Number.isSafeInteger(killed)) {
        problems.push(`fatalities "${fatalities}" is not a whole number >= 0`);
      }
    }

    let recordedAt: number | undefined;
    const timestamp = cell(row, "timestamp");
    if (timestamp !== "") {
      recordedAt = Number(timestamp) * 1000;
      if (!/^\d+$/.test(timestamp) || !Number.isSafeInteger(recordedAt)) {
        problems.push(`timestamp "${timestamp}" is not epoch seconds`);
      }
    }

    if (problems.length > 0) return { skipped: problems.join("; "), invalid: true };

    const regionId = admin1 === "" ? undefined : slug(admin1) || undefined;
    const place = `${regionId ?? ""}/${placeSlug}`;
    this.addPlace(place, location, regionId, admin1, coordinates);
    const actor = by as string;
    this.addActor(actor, actorName);

    const sources: Source[] = [];
    for (const name of cell(row, "source").split(";")) {
      const trimmed = name.trim();
      if (trimmed !== "" && !sources.some((s) => s.name === trimmed))
        sources.push({ name: trimmed });
    }
    const notes = cell(row, "notes");
    const envelope = {
      id,
      at: date as string,
      precision: precision as Precision,
      ...(recordedAt === undefined ? {} : { recordedAt }),
      ...(sources.length === 0 ? {} : { sources }),
      ...(notes === "" ? {} : { note: notes }),
    };

    if (kind === "Captured") {
      const fromName = cell(row, "actor2");
      const from = slug(fromName);
      const data: { place: string; by: string; from?: string } = { place, by: actor };
      if (from !== "" && from !== actor) {
        this.addActor(from, fromName);
        data.from = from;
      }
      return { event: { type: "Captured", ...envelope, data } };
    }
    if (kind === "Airstrike") {
      const data: { places: string[]; by: string; killed?: number } = {
        places: [place],
        by: actor,
      };
      if (killed !== undefined) data.killed = killed;
      return { event: { type: "Airstrike", ...envelope, data } };
    }
    return { event: { type: "Arrests", ...envelope, data: { place, by: actor } } };
  }

  private addPlace(
    id: string,
    name: string,
    regionId: string | undefined,
    regionName: string,
    coordinates: [number, number] | undefined,
  ): void {
    if (regionId !== undefined && !this.regionEntries.has(regionId)) {
      this.regionEntries.set(regionId, { name: regionName, kind: "admin1" });
    }
    const known = this.placeEntries.get(id);
    if (known === undefined) {
      const entry: Entry = { name, kind: "location" };
      if (regionId !== undefined) entry.parent = regionId;
      if (coordinates !== undefined) entry.coordinates = coordinates;
      this.placeEntries.set(id, entry);
    } else if (known.coordinates === undefined && coordinates !== undefined) {
      known.coordinates = coordinates;
    }
  }

  private addActor(id: string, name: string): void {
    if (!this.actorEntries.has(id)) this.actorEntries.set(id, { name });
  }

  /**
   * The places named so far: each `admin1` region (id: its name as a slug, kind "admin1"),
   * then each location (id "region/location", kind "location", parent its region). A
   * location's name is also an alias of its id where no other place has that name.
   */
  places(): Registry {
    const out: Record<string, RegistryEntry> = {};
    const byName = new Map<string, string[]>();
    const all = [...this.regionEntries, ...this.placeEntries];
    for (const [id, entry] of all) byName.set(entry.name, [...(byName.get(entry.name) ?? []), id]);
    for (const [id, entry] of all) {
      const ids = byName.get(entry.name) as string[];
      const alias = ids.length === 1 && entry.name !== id && !this.isPlaceId(entry.name);
      set(out, id, Object.freeze(alias ? { ...entry, aliases: [entry.name] } : { ...entry }));
    }
    return Object.freeze(out);
  }

  private isPlaceId(name: string): boolean {
    return this.placeEntries.has(name) || this.regionEntries.has(name);
  }

  /** The actors named so far (id: the name as a slug). */
  actors(): Registry {
    const out: Record<string, RegistryEntry> = {};
    for (const [id, entry] of this.actorEntries) set(out, id, Object.freeze({ ...entry }));
    return Object.freeze(out);
  }
}

function readCoordinates(row: AcledRow, problems: string[]): [number, number] | undefined {
  const latText = cell(row, "latitude");
  const lonText = cell(row, "longitude");
  if (latText === "" && lonText === "") return undefined;
  const lat = Number(latText);
  const lon = Number(lonText);
  let ok = true;
  if (!NUMBER.test(latText) || !(lat >= -90 && lat <= 90)) {
    problems.push(`latitude "${latText}" is not a number from -90 to 90`);
    ok = false;
  }
  if (!NUMBER.test(lonText) || !(lon >= -180 && lon <= 180)) {
    problems.push(`longitude "${lonText}" is not a number from -180 to 180`);
    ok = false;
  }
  return ok ? [lon, lat] : undefined;
}

/**
 * Turns the rows of an ACLED export into event inputs, with registries of the places and
 * actors they name. Mapped sub-event types (compared case-insensitively):
 * "Non-state actor overtakes territory" and "Government regains territory" become `Captured`
 * by `actor1` (from `actor2`, when given); "Air/drone strike" becomes `Airstrike` by
 * `actor1` (`fatalities` as `killed`); "Arrests" becomes `Arrests` by `actor1`.
 *
 * - `event_id_cnty` is the event id, so appending a re-import of the same rows is a no-op
 *   (and a row ACLED has changed since is a validation error naming its id, never a
 *   duplicate).
 * - `event_date` (`2016-12-10` or `10 December 2016`) is `at`; `time_precision` 1, 2, 3 is
 *   precision day, week, month (day when empty); `timestamp` (epoch seconds) is `recordedAt`;
 *   `source` (semicolon-separated) is `sources`; `notes` is `note`.
 * - Places: one per `admin1` region (id: the region's name as a slug, e.g. `homs`) and one
 *   per `location` within it (id `homs/tadmur`, parent `homs`, coordinates from
 *   `longitude`/`latitude`). Actors: id the name as a slug (`islamic-state-syria`). Ids
 *   depend on names only, so they are the same in every import of the same names.
 * - Every other row is in `skipped` with its 1-based row number and the reason: another
 *   sub-event type, or a mapped row that cannot be read (each problem named).
 *
 * @example
 * import { parse } from "csv-parse/sync";
 * const rows = parse(csvText, { columns: true, bom: true });
 * const { events, places, actors, skipped } = fromAcled(rows);
 * const timeline = createTimeline({ places, actors });
 * timeline.appendAll(events);
 */
export function fromAcled(rows: Iterable<AcledRow>): AcledImport {
  const reader = new AcledReader();
  const events: AcledEvent[] = [];
  const skipped: SkippedRow[] = [];
  let row = 0;
  for (const input of rows) {
    row++;
    const result = reader.read(input);
    if ("event" in result) events.push(result.event);
    else skipped.push({ row, reason: result.skipped });
  }
  return { events, places: reader.places(), actors: reader.actors(), skipped };
}
