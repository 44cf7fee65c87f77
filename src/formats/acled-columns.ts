// ACLED column names across vintages: exports since 2019 use lower-case names
// (`assoc_actor_1`), older ones upper case and other names (`ALLY_ACTOR_1`), and files that
// went through a spreadsheet or a data frame may gain an unnamed index column.

/** Older or variant names of today's columns (keys in the normalised form of {@link columnKey}). */
const OLD_NAMES: Readonly<Record<string, string>> = {
  ally_actor_1: "assoc_actor_1",
  ally_actor_2: "assoc_actor_2",
  eventid_cnty: "event_id_cnty",
  event_id: "event_id_cnty",
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

  /** The row's own key for normalised column `name` (the first that maps to it), if any. */
  keyOf(row: Readonly<Record<string, unknown>>, name: string): string | undefined {
    const keys = Object.keys(row);
    if (!sameKeys(keys, this.keys)) {
      this.keys = keys;
      this.map = new Map();
      for (const key of keys) {
        const normal = columnKey(key);
        if (!this.map.has(normal)) this.map.set(normal, key);
      }
    }
    return this.map.get(name);
  }
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
