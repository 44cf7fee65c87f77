// Dated map files (DeepState's exports, one a day) into snapshots: the date from each file's
// name, the areas from its GeoJSON. No file system here: the caller reads the files.

import { type DeepStateOptions, type DeepStateSnapshot, fromDeepState } from "./deepstate.js";

/**
 * The date a file's name carries, as `YYYY-MM-DD`: `deepstatemap_data_20241001.geojson`,
 * `2024-10-01.json`, or a Unix timestamp in seconds or milliseconds (`1727740800.geojson`,
 * read in UTC). `undefined` when the name holds none, or a date that does not exist.
 *
 * @example
 * snapshotDate("deepstatemap_data_20241001.geojson"); // "2024-10-01"
 */
export function snapshotDate(name: string): string | undefined {
  const base = name.replace(/^.*[\\/]/, "");
  const dated = /(?<!\d)(\d{4})-?(\d{2})-?(\d{2})(?!\d)/.exec(base);
  if (dated !== null) {
    const [, y, m, d] = dated as unknown as [string, string, string, string];
    const at = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
    if (
      at.getUTCFullYear() === Number(y) &&
      at.getUTCMonth() === Number(m) - 1 &&
      at.getUTCDate() === Number(d)
    )
      return `${y}-${m}-${d}`;
  }
  const stamp = /(?<!\d)(\d{10}|\d{13})(?!\d)/.exec(base)?.[1];
  if (stamp === undefined) return undefined;
  const ms = stamp.length === 10 ? Number(stamp) * 1000 : Number(stamp);
  return new Date(ms).toISOString().slice(0, 10);
}

/** A map file: its name (for the date) and its text. */
export interface SnapshotFile {
  readonly name: string;
  readonly text: string;
}

/** A file {@link fromSnapshotFiles} could not read, and why. */
export interface SnapshotFileProblem {
  readonly name: string;
  readonly message: string;
}

/** Options of {@link fromSnapshotFiles}: those of `fromDeepState`, with `at` for a lone file. */
export interface SnapshotFilesOptions extends Omit<DeepStateOptions, "at"> {
  /** The date of every file given, for files whose names carry none. */
  readonly at?: DeepStateOptions["at"];
}

/**
 * Reads DeepState map files into snapshots for `fromSnapshots`, each dated by its name
 * (or `at`), with what could not be read listed beside them (and the features of each that
 * could not be classified, in each snapshot's `unclassified`).
 *
 * @example
 * const files = readdirSync(dir).map((name) => ({ name, text: readFileSync(join(dir, name), "utf8") }));
 * const { snapshots } = fromSnapshotFiles(files);
 * const { events, report } = fromSnapshots(snapshots, places, { otherwise: "ukraine" });
 */
export function fromSnapshotFiles(
  files: Iterable<SnapshotFile>,
  options: SnapshotFilesOptions = {},
): { snapshots: DeepStateSnapshot[]; problems: SnapshotFileProblem[] } {
  const snapshots: DeepStateSnapshot[] = [];
  const problems: SnapshotFileProblem[] = [];
  for (const { name, text } of files) {
    const at = options.at ?? snapshotDate(name);
    if (at === undefined) {
      problems.push({
        name,
        message: "the name carries no date (YYYYMMDD, YYYY-MM-DD or a Unix timestamp)",
      });
      continue;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      problems.push({ name, message: `not JSON: ${(error as Error).message}` });
      continue;
    }
    try {
      snapshots.push(fromDeepState(json, { ...options, at }));
    } catch (error) {
      problems.push({ name, message: (error as Error).message });
    }
  }
  return { snapshots, problems };
}
