// The cells of an ACLED row read as numbers or codes (year, precision, fatalities,
// timestamp, coordinates), each adding what is wrong with it to the row's problems.

import type { Precision } from "../core/time.js";
import type { ColumnIndex } from "./acled-columns.js";
import { epochMs } from "./acled-dates.js";

/** ACLED's `time_precision` codes. */
const PRECISION: Readonly<Record<string, Precision>> = { "1": "day", "2": "week", "3": "month" };

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** `year` (which gives two-digit dates their century) and `time_precision`. */
export function readYearAndPrecision(
  columns: ColumnIndex,
  problems: string[],
): {
  year: number | undefined;
  precision: Precision | undefined;
} {
  const yearText = columns.get("year");
  let year: number | undefined;
  if (yearText !== "") {
    year = Number(yearText);
    if (!/^\d{4}$/.test(yearText)) {
      problems.push(`year "${yearText}" is not a year of four digits`);
      year = undefined;
    }
  }

  const code = columns.get("time_precision");
  const precision = code === "" ? "day" : PRECISION[code];
  if (precision === undefined) {
    problems.push(`time_precision "${code}" is not 1 (day), 2 (week) or 3 (month)`);
  }

  return { year, precision };
}

/** An airstrike's `fatalities`, as `killed`. */
export function readKilled(columns: ColumnIndex, problems: string[]): number | undefined {
  const fatalities = columns.get("fatalities");
  if (fatalities === "") return undefined;
  const killed = Number(fatalities);
  if (!/^\d+$/.test(fatalities) || !Number.isSafeInteger(killed)) {
    problems.push(`fatalities "${fatalities}" is not a whole number >= 0`);
  }
  return killed;
}

/** `timestamp`, when ACLED recorded the row, as `recordedAt`. */
export function readRecordedAt(columns: ColumnIndex, problems: string[]): number | undefined {
  const timestamp = columns.get("timestamp");
  if (timestamp === "") return undefined;
  const recordedAt = epochMs(timestamp);
  if (!/^\d+$/.test(timestamp) || !Number.isSafeInteger(recordedAt)) {
    problems.push(`timestamp "${timestamp}" is not epoch seconds (or milliseconds)`);
  }
  return recordedAt;
}

/** `latitude` and `longitude`, as `[lon, lat]`. */
export function readCoordinates(
  columns: ColumnIndex,
  problems: string[],
): [number, number] | undefined {
  const latText = columns.get("latitude");
  const lonText = columns.get("longitude");
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
