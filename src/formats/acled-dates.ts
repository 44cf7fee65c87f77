// ACLED's `event_date` in every form that exports and spreadsheets give it. A numeric date
// such as "10/12/2016" is day-first in one file and month-first in another, so its order is
// settled for the whole file (see DateOrderEvidence), never guessed row by row.

/** How a file writes numeric dates: day first (`10/12/2016`) or month first (`12/10/2016`). */
export type DateOrder = "dmy" | "mdy";

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
    // "Sept" is how several spreadsheets abbreviate September.
    ...(name === "september" ? [["sept", i + 1] as const] : []),
  ]),
);

const ISO = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/;
/** "10 December 2016", "10-December-2016", "10-Dec-16", "9-May-20", "10 Dec. 2016". */
const NAMED = /^(\d{1,2})[ -/]([A-Za-z]+)\.?[ -/](\d{4}|\d{2})$/;
/** "10/12/2016", "31-12-19", "12/31/2019", "10.12.2016". */
const NUMERIC = /^(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})$/;

/** A date whose fields are known, except perhaps which of two numbers is the day. */
export type DateReading =
  | {
      readonly kind: "exact";
      readonly year: YearText;
      readonly month: number;
      readonly day: number;
    }
  | {
      readonly kind: "numeric";
      readonly year: YearText;
      /** The first and second numbers of the date. */
      readonly first: number;
      readonly second: number;
    };

/** A year as written: four digits, or two that need a century. */
export interface YearText {
  readonly value: number;
  readonly digits: 2 | 4;
}

/** Reads the form of `text`, or says why it is no date form ACLED files use. */
export function readDateForm(text: string): DateReading | { readonly error: string } {
  if (text === "") return { error: "event_date is empty" };
  let m = ISO.exec(text);
  if (m) {
    return {
      kind: "exact",
      year: { value: Number(m[1]), digits: 4 },
      month: Number(m[2]),
      day: Number(m[3]),
    };
  }
  m = NAMED.exec(text);
  if (m) {
    const month = MONTHS.get((m[2] as string).toLowerCase());
    if (month === undefined) return { error: `event_date "${text}": no month "${m[2]}"` };
    return { kind: "exact", year: yearText(m[3] as string), month, day: Number(m[1]) };
  }
  m = NUMERIC.exec(text);
  if (m) {
    return {
      kind: "numeric",
      year: yearText(m[4] as string),
      first: Number(m[1]),
      second: Number(m[3]),
    };
  }
  return {
    error: `event_date "${text}" is in no form ACLED exports or spreadsheets give (2016-12-10, 10 December 2016, 10-Dec-16, 10/12/2016, 12/31/2019)`,
  };
}

function yearText(text: string): YearText {
  return { value: Number(text), digits: text.length === 4 ? 4 : 2 };
}

/** Whether year-month-day is a day of the calendar. */
function isDay(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The orders a numeric date can be read in (with a leap year, as the year is not settled yet). */
export function possibleOrders(reading: DateReading): DateOrder[] {
  if (reading.kind === "exact") return [];
  const orders: DateOrder[] = [];
  if (isDay(2000, reading.second, reading.first)) orders.push("dmy");
  if (isDay(2000, reading.first, reading.second)) orders.push("mdy");
  return orders;
}

/**
 * What a file's numeric dates say about their order: a date that fits one order only
 * ("31/12/2019") is evidence for it. Evidence for both means the file mixes them.
 */
export class DateOrderEvidence {
  private dmy = 0;
  private mdy = 0;

  /** Counts one date. */
  add(reading: DateReading): void {
    if (reading.kind !== "numeric" || reading.first === reading.second) return;
    const orders = possibleOrders(reading);
    if (orders.length !== 1) return;
    if (orders[0] === "dmy") this.dmy++;
    else this.mdy++;
  }

  /** The file's order, or why it has none. */
  order(): DateOrder | { readonly unsettled: "none" | "mixed" } {
    if (this.dmy > 0 && this.mdy > 0) return { unsettled: "mixed" };
    if (this.dmy > 0) return "dmy";
    if (this.mdy > 0) return "mdy";
    return { unsettled: "none" };
  }
}

/**
 * ACLED's first events are of 1997: a two-digit year without a `year` column to say its
 * century is 1997-1999 from 97 up, 2000-2096 below.
 */
const ACLED_FIRST_YEAR = 97;

/**
 * Finishes a date: settles its order (the option, else the file's), its century (from the
 * row's `year` when given) and checks it against `year`. Returns the ISO date or an error.
 */
export function settleDate(
  text: string,
  reading: DateReading,
  order: DateOrder | { readonly unsettled: "none" | "mixed" },
  yearColumn: number | undefined,
): string | { readonly error: string } {
  let year = reading.year.value;
  if (reading.year.digits === 2) {
    if (yearColumn !== undefined) {
      if (yearColumn % 100 !== year) {
        return { error: `event_date "${text}" is not in ${yearColumn}, the row's year` };
      }
      year = yearColumn;
    } else {
      year += year >= ACLED_FIRST_YEAR ? 1900 : 2000;
    }
  } else if (yearColumn !== undefined && yearColumn !== year) {
    return { error: `event_date "${text}" is not in ${yearColumn}, the row's year` };
  }
  let month: number;
  let day: number;
  if (reading.kind === "exact") {
    month = reading.month;
    day = reading.day;
  } else if (reading.first === reading.second) {
    month = reading.first;
    day = reading.first;
  } else {
    const orders = possibleOrders(reading);
    let chosen: DateOrder | undefined;
    if (typeof order === "string") {
      if (!orders.includes(order)) {
        return {
          error: `event_date "${text}" is no date read ${order === "dmy" ? "day first" : "month first"}, as the file's other dates are`,
        };
      }
      chosen = order;
    } else if (orders.length === 1) {
      chosen = orders[0];
    } else if (orders.length === 0) {
      return { error: `event_date "${text}" is no date, day first or month first` };
    } else {
      const why =
        order.unsettled === "mixed"
          ? "the file has dates of both orders"
          : "no date in the file settles the order";
      return {
        error: `event_date "${text}" may be day first or month first and ${why}: give dateOrder ("dmy" or "mdy", --date-order on the command line)`,
      };
    }
    [day, month] =
      chosen === "dmy" ? [reading.first, reading.second] : [reading.second, reading.first];
  }
  if (!isDay(year, month, day)) return { error: `event_date "${text}" is no day of the calendar` };
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/**
 * ACLED's epoch seconds as milliseconds. A value past 10^11 is taken as milliseconds already
 * (an export through a tool that writes them): as seconds it would be after the year 5138.
 */
export function epochMs(stamp: string): number {
  const value = Number(stamp);
  return value > 1e11 ? value : value * 1000;
}
