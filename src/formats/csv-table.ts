// The CSV tables tidemark reads, told apart by their header.

import { columnKey } from "./acled-columns.js";

/**
 * The tables a CSV file can be, told apart by their header: an ACLED export, ACLED's list of
 * deleted events, or UCDP's Georeferenced Event Dataset.
 */
export type CsvTable = "acled" | "acled-deletions" | "ucdp-ged";

const TABLES: readonly { table: CsvTable; columns: readonly string[]; any?: readonly string[] }[] =
  [
    {
      table: "ucdp-ged",
      columns: ["id", "date_start", "type_of_violence", "side_a", "side_b", "best"],
    },
    { table: "acled-deletions", columns: ["event_id_cnty", "deleted_timestamp"] },
    {
      table: "acled",
      columns: ["event_id_cnty", "event_date", "actor1", "location"],
      any: ["sub_event_type", "event_type"],
    },
  ];

/**
 * The table a CSV header names (columns compared as ACLED's reader does: any case, older
 * names), or what an ACLED header lacks.
 */
export function detectCsvTable(
  header: readonly string[],
): CsvTable | { readonly missing: string[] } {
  const keys = new Set(header.map(columnKey));
  for (const { table, columns, any } of TABLES) {
    if (columns.every((c) => keys.has(c)) && (any === undefined || any.some((c) => keys.has(c)))) {
      return table;
    }
  }
  const acled = TABLES[2] as (typeof TABLES)[number];
  const missing = acled.columns.filter((c) => !keys.has(c));
  if (!acled.any?.some((c) => keys.has(c))) missing.push((acled.any ?? []).join(" or "));
  return { missing };
}

/** The separator a one-column header is really split by, when it names a table so split. */
export function otherSeparator(column: string): string | undefined {
  for (const [separator, name] of [
    [";", "semicolons (;)"],
    ["\t", "tabs"],
    ["|", "vertical bars (|)"],
  ] as const) {
    const split = column.split(separator).map((c) => c.trim().replace(/^"(.*)"$/, "$1"));
    if (split.length > 1 && typeof detectCsvTable(split) === "string") return name;
  }
  return undefined;
}
