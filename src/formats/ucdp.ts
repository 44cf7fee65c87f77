import type { InputOf } from "../core/events.js";
import type { Registry } from "../core/registry.js";
import type { Precision } from "../core/time.js";
import type { SkippedRow } from "./acled.js";
import { ColumnIndex } from "./acled-columns.js";
import type { Fatalities } from "./fatalities.js";
import { PlaceBook, type PlaceChange, slug } from "./places.js";

/** One row of a UCDP GED CSV file, keyed by the codebook's column names. */
export type UcdpRow = Readonly<Record<string, unknown>>;

/** A `Fatalities` input made from a GED row. */
export type UcdpEvent = InputOf<typeof Fatalities>;

/** What {@link fromUcdpGed} returns. `events.length + skipped.length` is the number of rows. */
export interface UcdpImport {
  readonly events: UcdpEvent[];
  /** Each `adm_1` (kind "admin1") and each `where_coordinates` location under it. */
  readonly places: Registry;
  /** `side_a` and `side_b`, keyed by the slug of their names. */
  readonly actors: Registry;
  /** Rows that cannot be read (all are `invalid`: every GED row is of a mapped kind). */
  readonly skipped: SkippedRow[];
  /** Locations merged with another spelling, or kept apart beyond 25 km. */
  readonly placeChanges: PlaceChange[];
}

/** Options of {@link fromUcdpGed}. */
export interface UcdpOptions {
  /** Places already known (a store's registry): their ids are reused, and returned too. */
  readonly places?: Registry;
  readonly actors?: Registry;
}

/** GED's `date_prec`: how far `date_start` is from the day of the event. */
const PRECISION: Readonly<Record<string, Precision>> = {
  "1": "day",
  "2": "week",
  "3": "week",
  "4": "month",
  "5": "year",
};

const VIOLENCE = {
  "1": "state-based",
  "2": "non-state",
  "3": "one-sided",
} as const satisfies Record<string, UcdpEvent["data"]["violence"]>;

const DATE = /^(\d{4}-\d{2}-\d{2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$/;
/** Whether `YYYY-MM-DD` is a day of the calendar: `Date.parse` takes "2016-02-30" as 1 March. */
function isCalendarDate(text: string): boolean {
  const at = Date.parse(`${text}T00:00:00Z`);
  return !Number.isNaN(at) && new Date(at).toISOString().startsWith(text);
}
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** A row's dates: `start` at `precision`, and the `end` GED gives beside it. */
interface When {
  readonly start: string;
  readonly end: string | undefined;
  readonly precision: Precision;
}

type Violence = UcdpEvent["data"]["violence"];

/** A row's two sides: their ids (slugs) and names. */
interface Sides {
  readonly a: string;
  readonly nameA: string;
  readonly b: string;
  readonly nameB: string;
}

/** A row's location, its `adm_1` and its coordinates (`[lon, lat]`). */
interface Where {
  readonly adm1: string;
  readonly location: string;
  readonly coordinates: [number, number] | undefined;
}

/** A row's counts of deaths. */
interface Deaths {
  readonly best: number;
  readonly low: number;
  readonly high: number;
  readonly civilians: number | undefined;
}

/** The name of the dataset, as each event's source (so that `--source "UCDP GED"` selects them). */
export const UCDP_SOURCE = "UCDP GED";

/** Reads GED rows one at a time (what {@link fromUcdpGed} and the CLI's streaming reader use). */
export class UcdpReader {
  private readonly columns = new ColumnIndex();
  private readonly book: PlaceBook;
  private readonly events: UcdpEvent[] = [];
  private readonly eventRows: number[] = [];
  private readonly skipped: SkippedRow[] = [];
  private count = 0;

  constructor(options: UcdpOptions = {}) {
    this.book = new PlaceBook(options.places, options.actors);
  }

  private cell(column: string): string {
    return this.columns.get(column);
  }

  private count0(column: string, problems: string[], optional = false) {
    const text = this.cell(column);
    if (text === "" && optional) return undefined;
    const value = Number(text);
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(value)) {
      problems.push(`${column} "${text}" is not a whole number >= 0`);
      return undefined;
    }
    return value;
  }

  /** Reads one row (numbered from 1 in the order given). */
  read(row: UcdpRow): void {
    const number = ++this.count;
    if (typeof row !== "object" || row === null) {
      this.skipped.push({
        row: number,
        reason: "not an object keyed by GED columns",
        invalid: true,
      });
      return;
    }
    this.columns.use(row);
    // Every problem of the row is reported at once, in the order of its columns.
    const problems: string[] = [];
    const id = this.cell("id");
    if (id === "") problems.push("id is empty");
    const when = this.when(problems);
    const violence = this.violence(problems);
    const sides = this.sides(problems);
    const where = this.where(problems);
    const deaths = this.deaths(problems);
    if (problems.length > 0) {
      this.skipped.push({ row: number, reason: problems.join("; "), invalid: true });
      return;
    }
    this.keep(number, id, when as When, violence as Violence, sides, where, deaths as Deaths);
  }

  /** `date_start`, `date_end` and `date_prec`. */
  private when(problems: string[]): Partial<When> {
    const start = DATE.exec(this.cell("date_start"))?.[1];
    if (start === undefined || !isCalendarDate(start)) {
      problems.push(`date_start "${this.cell("date_start")}" is not a date (2016-12-10)`);
    }
    const endText = this.cell("date_end");
    const end = endText === "" ? undefined : DATE.exec(endText)?.[1];
    if (endText !== "" && (end === undefined || !isCalendarDate(end))) {
      problems.push(`date_end "${endText}" is not a date (2016-12-10)`);
    }
    const code = this.cell("date_prec");
    const precision = code === "" ? "day" : PRECISION[code];
    if (precision === undefined) problems.push(`date_prec "${code}" is not 1 to 5`);
    return { start, end, precision };
  }

  /** `type_of_violence`. */
  private violence(problems: string[]): Violence | undefined {
    const code = this.cell("type_of_violence");
    if (Object.hasOwn(VIOLENCE, code)) return VIOLENCE[code as keyof typeof VIOLENCE];
    problems.push(`type_of_violence "${code}" is not 1, 2 or 3`);
    return undefined;
  }

  /** `side_a` and `side_b`: the actors' ids and names. */
  private sides(problems: string[]): Sides {
    const nameA = this.cell("side_a");
    const nameB = this.cell("side_b");
    const a = slug(nameA);
    const b = slug(nameB);
    if (a === "") problems.push(`side_a "${nameA}" has no letter or digit`);
    if (b === "") problems.push(`side_b "${nameB}" has no letter or digit`);
    return { a, nameA, b, nameB };
  }

  /** The most precise location given, under its `adm_1`, with its coordinates. */
  private where(problems: string[]): Where {
    const adm1 = this.cell("adm_1");
    const location = this.cell("where_coordinates") || this.cell("adm_2") || adm1;
    if (slug(location) === "") problems.push("where_coordinates, adm_2 and adm_1 are empty");
    return { adm1, location, coordinates: this.coordinates(problems) };
  }

  /** `best`, `low`, `high` (in that order of size) and `deaths_civilians`. */
  private deaths(problems: string[]): Partial<Deaths> {
    const best = this.count0("best", problems);
    const low = this.count0("low", problems);
    const high = this.count0("high", problems);
    const civilians = this.count0("deaths_civilians", problems, true);
    if (
      best !== undefined &&
      low !== undefined &&
      high !== undefined &&
      !(low <= best && best <= high)
    ) {
      problems.push(`low ${low}, best ${best}, high ${high}: expected low <= best <= high`);
    }
    return { best, low, high, civilians };
  }

  /** Keeps the event of a row read without a problem, with its place and actors. */
  private keep(
    number: number,
    id: string,
    when: When,
    violence: Violence,
    sides: Sides,
    where: Where,
    deaths: Deaths,
  ): void {
    const { adm1, location, coordinates } = where;
    const regionId = adm1 === "" ? undefined : slug(adm1) || undefined;
    const place = this.book.place(location, regionId, adm1, coordinates);
    this.book.actor(sides.a, sides.nameA);
    this.book.actor(sides.b, sides.nameB);
    const article = this.cell("source_article");
    const { civilians } = deaths;
    this.eventRows.push(number);
    this.events.push({
      type: "Fatalities",
      id: `ucdp-ged-${id}`,
      at: when.start,
      precision: when.precision,
      sources: [{ name: UCDP_SOURCE, ...(article === "" ? {} : { note: article }) }],
      note: `date_end ${when.end ?? when.start}`,
      data: {
        place,
        sideA: sides.a,
        sideB: sides.b,
        violence,
        best: deaths.best,
        low: deaths.low,
        high: deaths.high,
        ...(civilians === undefined ? {} : { civilians }),
      },
    });
  }

  private coordinates(problems: string[]): [number, number] | undefined {
    const latText = this.cell("latitude");
    const lonText = this.cell("longitude");
    if (latText === "" && lonText === "") return undefined;
    const lat = Number(latText);
    const lon = Number(lonText);
    if (!NUMBER.test(latText) || !(lat >= -90 && lat <= 90)) {
      problems.push(`latitude "${latText}" is not a number from -90 to 90`);
      return undefined;
    }
    if (!NUMBER.test(lonText) || !(lon >= -180 && lon <= 180)) {
      problems.push(`longitude "${lonText}" is not a number from -180 to 180`);
      return undefined;
    }
    return [lon, lat];
  }

  /** Everything read, with the registries. */
  finish(): UcdpImport & { readonly eventRows: readonly number[] } {
    return {
      events: this.events,
      eventRows: this.eventRows,
      places: this.book.places(),
      actors: this.book.actors(),
      skipped: this.skipped,
      placeChanges: this.book.changes(),
    };
  }
}

/**
 * Turns rows of UCDP's Georeferenced Event Dataset (CSV columns as in the GED codebook) into
 * `Fatalities` events: `id` → id `ucdp-ged-<id>`; `date_start` → `at` at the precision
 * `date_prec` allows (1 day, 2–3 week, 4 month, 5 year); `date_end` kept in the note
 * (`"date_end 2016-12-14"`); `type_of_violence` 1, 2, 3 → "state-based", "non-state",
 * "one-sided"; `side_a`, `side_b` → actors; `best`, `low`, `high`, `deaths_civilians`;
 * `where_coordinates` within `adm_1` → the place (with `longitude`/`latitude`); the source
 * "UCDP GED" with `source_article` as its note. Append them to a timeline made with
 * `events: [Fatalities]`.
 *
 * @example
 * import { parse } from "csv-parse/sync";
 * const { events, places, actors, skipped } = fromUcdpGed(parse(csv, { columns: true, bom: true }));
 * const timeline = createTimeline({ events: [Fatalities], places, actors });
 * timeline.appendAll(events);
 */
export function fromUcdpGed(rows: Iterable<UcdpRow>, options: UcdpOptions = {}): UcdpImport {
  const reader = new UcdpReader(options);
  for (const row of rows) reader.read(row);
  const { eventRows: _, ...result } = reader.finish();
  return result;
}
