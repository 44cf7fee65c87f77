// `tidemark import FILE --into STORE`: a file's events appended to a store (see ../import.ts).

import { isStoreLocation, openStore } from "../../stores/open.js";
import type { Command, Io } from "../command.js";
import { InvalidData } from "../exit.js";
import { type Arguments, NO_OUTPUT, READING } from "../options.js";
import { readingOptions } from "../read.js";
import { SNAPSHOT_OPTIONS } from "../snapshot-options.js";

/**
 * The zone recorded with a store's events, read after an import that wrote to it. Opened as a
 * writer would (a SQLite store opened read-only in WAL mode leaves its -wal and -shm files
 * behind when it closes; a writer's last connection removes them).
 */
async function storedZone(location: string): Promise<string | undefined> {
  let store: ReturnType<typeof openStore>;
  try {
    store = openStore(location);
  } catch {
    return undefined;
  }
  try {
    return await store.timeZone?.();
  } catch {
    return undefined;
  } finally {
    await store.close().catch(() => undefined);
  }
}

/** The line that says which zone the file's dates and offset-less times were read in. */
async function zoneLine(args: Arguments, into: string): Promise<string> {
  if (args.zoneGiven) return `note: dates read in ${args.zone.name} (--time-zone)`;
  const stored = await storedZone(into);
  if (stored !== undefined) return `note: dates read in ${stored}, the zone of ${into}`;
  return "note: dates read in UTC (the default; --time-zone Z reads them in Z)";
}

async function run(args: Arguments, io: Io): Promise<void> {
  const into = args.string("into") as string;
  const reading = await readingOptions(args, io);
  if (args.flag("snapshots")) {
    const given = Object.entries({
      at: args.string("at"),
      otherwise: args.string("otherwise"),
      debounce: args.string("debounce"),
    }).filter(([, value]) => value !== undefined);
    const request = { path: args.file, into, ...Object.fromEntries(given), stderr: io.stderr };
    const places = reading.places === undefined ? {} : { places: reading.places };
    const progress = reading.progress === undefined ? {} : { progress: reading.progress };
    const { importSnapshots } = await import("../snapshots.js");
    if (!(await importSnapshots({ ...request, ...places, ...progress }))) throw new InvalidData();
    return;
  }
  const { importFile } = await import("../import.js");
  if (!(await importFile({ file: args.file, into, ...reading, stderr: io.stderr }))) {
    throw new InvalidData();
  }
  // Last in the report, so that a failure stays one line; the store now records its zone.
  if (!isStoreLocation(args.file)) io.stderr.write(`${await zoneLine(args, into)}\n`);
}

export const importCommand: Command = {
  name: "import",
  summary: "append a file's events to a store",
  description:
    "Checks every event of <file> (JSON, NDJSON, an ACLED export, an ACLED deletions list, a UCDP GED file, or another store) against what STORE holds, then appends them all in one transaction: all land or none. STORE is a SQLite file (.db, .sqlite, .sqlite3), created when missing, or a postgres:// URL (?table=NAME, default tidemark_events). A newer ACLED export applies as corrections (a revised event is retracted and replaced; earlier versions stay visible with an earlier --as-of) and a deletions list retracts what it names; events already stored with the same content are skipped, so importing the same export again is a no-op. New places join the registry kept beside a SQLite store (STORE.registry.json). A report of rows read, events, skipped rows by reason and places merged or split ends on stderr, with the zone the dates were read in (--time-zone, else the store's, else UTC).",
  usage: "--into STORE [--snapshots --places FILE [--at DATE]]",
  options: {
    into: {
      type: "string",
      required: true,
      usage: "--into STORE [--snapshots --places FILE [--at DATE]]",
      help: "the store to append to (SQLite file or postgres:// URL)",
    },
    ...SNAPSHOT_OPTIONS,
  },
  groups: [READING, NO_OUTPUT],
  example: "tidemark import acled-export.csv --into palmyra.db",
  run,
};
