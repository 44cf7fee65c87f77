import type {
  BuiltinDefinition,
  InputOf,
  Retracted,
  Source,
  TimelineEvent,
} from "../core/events.js";
import type { Registry } from "../core/registry.js";
import type { Precision } from "../core/time.js";
import {
  readCoordinates,
  readKilled,
  readRecordedAt,
  readYearAndPrecision,
} from "./acled-cells.js";
import { ColumnIndex } from "./acled-columns.js";
import {
  type DateOrder,
  DateOrderEvidence,
  type DateReading,
  readDateForm,
  settleDate,
} from "./acled-dates.js";
import { type Kind, kindOf, unmapped } from "./acled-kinds.js";
import { reconcile } from "./acled-revisions.js";
import { splitSources } from "./acled-sources.js";
import { PlaceBook, type PlaceChange, slug } from "./places.js";

export type { DateOrder } from "./acled-dates.js";
export type { AcledDeletions } from "./acled-deletions.js";
export { AcledDeletionsReader, acledDeletions } from "./acled-deletions.js";
export { slug } from "./places.js";

/**
 * One row of an ACLED export, keyed by ACLED's column names (`event_id_cnty`, `event_date`,
 * `time_precision`, `sub_event_type`, `actor1`, `actor2`, `admin1`, `location`, `latitude`,
 * `longitude`, `source`, `notes`, `fatalities`, `timestamp`, ...), in any case and of any
 * vintage (`ALLY_ACTOR_1`). Values are strings as in the CSV, or numbers as in ACLED's JSON
 * API; other columns are ignored.
 */
export type AcledRow = Readonly<Record<string, unknown>>;

/** A row {@link fromAcled} did not turn into an event, and why. */
export interface SkippedRow {
  /** 1-based position of the row in the rows given (`rows[row - 1]`); the CSV header is not a row. */
  readonly row: number;
  readonly reason: string;
  /**
   * True when the row is of a mapped kind but cannot be read (a bad or ambiguous date, no
   * actor1...); false for a kind that is not mapped (map those yourself if you need them).
   */
  readonly invalid: boolean;
}

/** An event input made from an ACLED row: one of the built-in types, or a `Retracted`. */
export type AcledEvent = InputOf<BuiltinDefinition> | RetractedInput;

/** A `Retracted` input, as {@link fromAcled} (revisions) and {@link acledDeletions} make them. */
export type RetractedInput = InputOf<typeof Retracted>;

/** What {@link fromAcled} returns. */
export interface AcledImport {
  /** Event inputs in row order, ready for `timeline.appendAll(events)`. */
  readonly events: AcledEvent[];
  /**
   * The places the events name, keyed by id (with their `admin1` regions as parents), and the
   * places of `options.places` when given.
   */
  readonly places: Registry;
  /** The actors the events name, keyed by id, and those of `options.actors` when given. */
  readonly actors: Registry;
  /** Every row that did not map to an event, with the reason. */
  readonly skipped: SkippedRow[];
  /**
   * Locations whose names were merged into one place, or kept apart because they lie more
   * than 25 km from a place of the same name (`split`, with the id each got).
   */
  readonly placeChanges: PlaceChange[];
}

/** The timeline a newer export is reconciled with: any timeline (in memory or durable). */
export interface EventSource {
  /** Every stored event, in timeline order (the stored versions of re-exported rows). */
  events(): readonly TimelineEvent[];
}

/** Options of {@link fromAcled}. */
export interface AcledOptions {
  /**
   * How the file writes numeric dates (`10/12/2016`), when no date of the file settles it:
   * `"dmy"` day first, `"mdy"` month first.
   */
  readonly dateOrder?: DateOrder;
  /**
   * The timeline the rows update: a row whose `event_id_cnty` it holds with other content
   * becomes a `Retracted` of the stored version plus the new version (id
   * `event_id_cnty@timestamp`), both recorded at the row's `timestamp` (now, without one); an
   * unchanged row gives the stored event back (appending it is a no-op); a row older than the
   * stored version (an earlier release read late) is skipped.
   */
  readonly timeline?: EventSource;
  /** Places already known (a store's registry): their ids are reused, and returned too. */
  readonly places?: Registry;
  /** Actors already known: returned with the new ones. */
  readonly actors?: Registry;
}

/** A row of a mapped kind, read but for its date, which the whole file settles. */
interface Pending {
  readonly row: number;
  readonly kind: Kind;
  readonly id: string;
  readonly dateText: string;
  readonly date: DateReading | undefined;
  readonly year: number | undefined;
  readonly precision: Precision;
  readonly recordedAt: number | undefined;
  /** The `source` cell, split into sources once the whole file tells its separator. */
  readonly sourceText: string;
  readonly note: string;
  readonly actor: string;
  readonly actorName: string;
  readonly fromName: string;
  readonly location: string;
  readonly admin1: string;
  readonly coordinates: [number, number] | undefined;
  readonly killed: number | undefined;
  readonly problems: string[];
}

type Slot = Pending | SkippedRow;

const EMPTY: Slot = Object.freeze({ row: 0, reason: "", invalid: false });

/**
 * Reads ACLED rows one at a time, then settles what needs the whole file (the order of
 * numeric dates) in {@link AcledReader.finish}: what {@link fromAcled} uses, and what a
 * streaming reader of a large export uses.
 */
export class AcledReader {
  private readonly columns = new ColumnIndex();
  private readonly evidence = new DateOrderEvidence();
  private slots: Slot[] = [];
  private readonly book: PlaceBook;
  /** Whether a `source` cell of the file has a ";" (then only ";" separates sources). */
  private semicolons = false;
  /** Whether the file has today's layout (a `sub_event_type` column, since 2019). */
  private since2019 = false;

  constructor(private readonly options: AcledOptions = {}) {
    this.book = new PlaceBook(options.places, options.actors);
  }

  private cell(column: string): string {
    return this.columns.get(column);
  }

  /** Reads one row (numbered from 1 in the order given). */
  read(row: AcledRow): void {
    const number = this.slots.length + 1;
    if (typeof row !== "object" || row === null) {
      this.slots.push({
        row: number,
        reason: "not an object keyed by ACLED column names",
        invalid: true,
      });
      return;
    }
    this.columns.use(row);
    const dateText = this.cell("event_date");
    const date = readDateForm(dateText);
    if (!("error" in date)) this.evidence.add(date);

    const subType = this.cell("sub_event_type");
    const type = this.cell("event_type");
    const kind = kindOf(subType, type);
    if (kind === undefined) {
      this.slots.push({ row: number, reason: unmapped(subType, type), invalid: false });
      return;
    }

    const problems: string[] = [];
    const id = this.cell("event_id_cnty");
    if (id === "") problems.push("event_id_cnty is empty");
    if ("error" in date) problems.push(date.error);

    const { year, precision } = readYearAndPrecision(this.columns, problems);

    const actorName = this.cell("actor1");
    const actor = slug(actorName);
    if (actorName === "") problems.push("actor1 is empty");
    else if (actor === "") problems.push(`actor1 "${actorName}" has no letter or digit`);

    const location = this.cell("location");
    if (location === "") problems.push("location is empty");
    else if (slug(location) === "") {
      problems.push(`location "${location}" has no letter or digit`);
    }
    const coordinates = readCoordinates(this.columns, problems);

    const killed = kind === "Airstrike" ? readKilled(this.columns, problems) : undefined;
    const recordedAt = readRecordedAt(this.columns, problems);

    const sourceText = this.cell("source");
    if (sourceText.includes(";")) this.semicolons = true;
    if (this.columns.has("sub_event_type")) this.since2019 = true;
    this.slots.push({
      row: number,
      kind,
      id,
      dateText,
      date: "error" in date ? undefined : date,
      year,
      precision: precision ?? "day",
      recordedAt,
      sourceText,
      note: this.cell("notes"),
      actor,
      actorName,
      fromName: this.cell("actor2"),
      location,
      admin1: this.cell("admin1"),
      coordinates,
      killed,
      problems,
    });
  }

  /**
   * Settles every row read: the file's date order (from `dateOrder`, else from its dates), the
   * places (kept apart beyond 25 km) and, with a `timeline`, revisions. Call once, at the end.
   */
  finish(): AcledImport & { readonly eventRows: readonly number[] } {
    const order = this.options.dateOrder ?? this.evidence.order();
    const commas = !this.semicolons && !this.since2019;
    const events: AcledEvent[] = [];
    const skipped: SkippedRow[] = [];
    const eventRows: number[] = [];
    // Each row's slot is let go once its event is made, so that a large file's rows and events
    // are not all held at once.
    const slots = this.slots;
    this.slots = [];
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i] as Slot;
      slots[i] = EMPTY;
      if (!("kind" in slot)) {
        skipped.push(slot);
        continue;
      }
      const problems = [...slot.problems];
      let at: string | undefined;
      if (slot.date !== undefined) {
        const settled = settleDate(slot.dateText, slot.date, order, slot.year);
        if (typeof settled === "string") at = settled;
        else problems.push(settled.error);
      }
      if (problems.length > 0 || at === undefined) {
        skipped.push({ row: slot.row, reason: problems.join("; "), invalid: true });
        continue;
      }
      events.push(this.event(slot, at, splitSources(slot.sourceText, commas)));
      eventRows.push(slot.row);
    }
    const reconciled =
      this.options.timeline === undefined
        ? { events, rows: eventRows }
        : reconcile(events, eventRows, this.options.timeline.events());
    if ("stale" in reconciled) {
      skipped.push(...reconciled.stale);
      skipped.sort((a, b) => a.row - b.row);
    }
    return {
      events: reconciled.events,
      eventRows: reconciled.rows,
      places: this.book.places(),
      actors: this.book.actors(),
      skipped,
      placeChanges: this.book.changes(),
    };
  }

  private event(slot: Pending, at: string, sources: readonly Source[]): AcledEvent {
    const regionId = slot.admin1 === "" ? undefined : slug(slot.admin1) || undefined;
    const place = this.book.place(slot.location, regionId, slot.admin1, slot.coordinates);
    this.book.actor(slot.actor, slot.actorName);
    const envelope = {
      id: slot.id,
      at,
      precision: slot.precision,
      ...(slot.recordedAt === undefined ? {} : { recordedAt: slot.recordedAt }),
      ...(sources.length === 0 ? {} : { sources: [...sources] }),
      ...(slot.note === "" ? {} : { note: slot.note }),
    };
    if (slot.kind === "Captured") {
      const from = slug(slot.fromName);
      const data: { place: string; by: string; from?: string } = { place, by: slot.actor };
      if (from !== "" && from !== slot.actor) {
        this.book.actor(from, slot.fromName);
        data.from = from;
      }
      return { type: "Captured", ...envelope, data };
    }
    if (slot.kind === "Airstrike") {
      const data: { places: string[]; by: string; killed?: number } = {
        places: [place],
        by: slot.actor,
      };
      if (slot.killed !== undefined) data.killed = slot.killed;
      return { type: "Airstrike", ...envelope, data };
    }
    return { type: "Arrests", ...envelope, data: { place, by: slot.actor } };
  }
}

/**
 * Turns the rows of an ACLED export of any vintage into event inputs, with registries of the
 * places and actors they name. Mapped kinds (compared case-insensitively):
 * - today's `sub_event_type` "Non-state actor overtakes territory", "Government regains
 *   territory" and "Non-violent transfer of territory" → `Captured` by `actor1` (from
 *   `actor2`, when given); "Air/drone strike" → `Airstrike` by `actor1` (`fatalities` as
 *   `killed`); "Arrests" → `Arrests` by `actor1`;
 * - the pre-2019 `event_type` "Battle-Government regains territory", "Battle-Non-state
 *   actor(s) overtake(s) territory" and "Non-violent transfer of territory" → `Captured`.
 *
 * Columns are matched case-insensitively in any order, older names count (`ALLY_ACTOR_1`),
 * and other columns (a leading unnamed index) are ignored.
 *
 * - `event_date` in every form exports and spreadsheets give (`2016-12-10`,
 *   `10 December 2016`, `10-December-2016`, `10-Dec-16`, `10/12/2016`, `31-12-19`,
 *   `12/31/2019`) is `at`: the order of numeric dates is read from all rows (a date such as
 *   `31/12/2019` fits one order only), or from `options.dateOrder`; a two-digit year takes
 *   its century from `year`; a date that stays ambiguous or is not in `year` makes the row
 *   invalid, never a guess. `time_precision` 1, 2, 3 is precision day, week, month.
 * - `event_id_cnty` is the id; `timestamp` (epoch seconds) is `recordedAt`; `source`
 *   (separated by ";", or by "," in a pre-2019 export that uses no ";") is `sources`; `notes` is `note`.
 * - Places: one per `admin1` region (id: its name as a slug, e.g. `homs`) and one per
 *   `location` within it (id `homs/tadmur`, parent `homs`, coordinates from
 *   `longitude`/`latitude`). A location more than 25 km from the place of the same name is
 *   another place (id `homs/tadmur@34.55,38.27`: its coordinates). Actors: id the name as a
 *   slug (`islamic-state-syria`).
 * - Every other row is in `skipped` with its 1-based row number, the reason, and `invalid`.
 *   Without `timeline`, `events.length + skipped.length` is the number of rows.
 *
 * @example
 * import { parse } from "csv-parse/sync";
 * const rows = parse(csvText, { columns: true, bom: true });
 * const { events, places, actors, skipped } = fromAcled(rows);
 * const timeline = createTimeline({ places, actors });
 * timeline.appendAll(events);
 * // next week's export, as corrections of what the timeline holds:
 * const update = fromAcled(newerRows, { timeline, places, actors });
 */
export function fromAcled(rows: Iterable<AcledRow>, options: AcledOptions = {}): AcledImport {
  const reader = new AcledReader(options);
  for (const row of rows) reader.read(row);
  const { eventRows: _, ...result } = reader.finish();
  return result;
}
