// ACLED column names across vintages: exports since 2019 use lower-case names
// (`assoc_actor_1`), older ones upper case and other names (`ALLY_ACTOR_1`), and files that
// went through a spreadsheet or a data frame may gain an unnamed index column.

/** Older or variant names of today's columns (keys in the normalised form of {@link columnKey}). */
const OLD_NAMES: Readonly<Record<string, string>> = {
  ally_actor_1: "assoc_actor_1",
  ally_actor_2: "assoc_actor_2",
  eventid_cnty: "event_id_cnty",
  subevent_type: "sub_event_type",
  deleted_at: "deleted_timestamp",
};

/**
 * A column name as this reader compares it: trimmed, lower case, spaces and dashes as "_",
 * older names as today's (`"ALLY_ACTOR_1"` → `"assoc_actor_1"`).
 */
export function columnKey(name: string): string {
  const key = name
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
  return OLD_NAMES[key] ?? key;
}

/**
 * Cells of a row by normalised column name. A row object's keys are normalised once per set
 * of keys (a file's rows share one), so reading a large file costs one lookup per cell.
 */
export class ColumnIndex {
  private keys: readonly string[] = [];
  private map = new Map<string, string>();
  private row: Readonly<Record<string, unknown>> = {};

  /** Starts reading `row` (call once per row, before {@link ColumnIndex.get}). */
  use(row: Readonly<Record<string, unknown>>): void {
    this.row = row;
    const keys = Object.keys(row);
    if (sameKeys(keys, this.keys)) return;
    this.keys = keys;
    this.map = new Map();
    for (const key of keys) {
      const normal = columnKey(key);
      if (!this.map.has(normal)) this.map.set(normal, key);
    }
  }

  /** Whether the current row has a column of normalised name `name` (empty or not). */
  has(name: string): boolean {
    return this.map.has(name);
  }

  /** The current row's cell of normalised column `name`, trimmed ("" when empty or missing). */
  get(name: string): string {
    const key = this.map.get(name);
    const value = key === undefined ? undefined : this.row[key];
    if (typeof value === "string") return value.trim();
    if (typeof value === "number" && Number.isFinite(value)) return String(value);
    return "";
  }
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
