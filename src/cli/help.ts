// The help text of the `tidemark` command: the single source of what it accepts. The README
// pastes `tidemark --help` and `tidemark <command> --help` from here.

/** An option a command accepts, as `node:util` parseArgs declares it, with its help line. */
export interface OptionSpec {
  readonly type: "string" | "boolean";
  readonly multiple?: boolean;
  readonly short?: string;
  /** "--name VALUE" as the help prints it. */
  readonly usage: string;
  readonly help: string;
}

/** Options every command accepts. */
export const COMMON_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  "as-of": {
    type: "string",
    usage: "--as-of T",
    help: "count only what was known at T (events recorded by T)",
  },
  source: {
    type: "string",
    multiple: true,
    usage: "--source NAME",
    help: "count only events citing NAME (repeatable)",
  },
  places: {
    type: "string",
    usage: "--places FILE",
    help: "place registry, JSON keyed by id: names, aliases, parents, coordinates",
  },
  actors: { type: "string", usage: "--actors FILE", help: "actor registry, JSON keyed by id" },
  format: {
    type: "string",
    usage: "--format F",
    help: "json, ndjson or csv (default: from the file name, else its content)",
  },
  "time-zone": {
    type: "string",
    usage: "--time-zone Z",
    help: "read and print local times in Z: IANA (Asia/Damascus) or ±HH:MM (default: UTC)",
  },
  "utc-offset": {
    type: "string",
    usage: "--utc-offset ±HH:MM",
    help: "the same as --time-zone ±HH:MM (kept for existing scripts)",
  },
  "skip-invalid": {
    type: "boolean",
    usage: "--skip-invalid",
    help: "leave out CSV rows of a mapped kind that cannot be read (still listed)",
  },
  "date-order": {
    type: "string",
    usage: "--date-order dmy|mdy",
    help: "order of an ACLED file's numeric dates (10/12/2016) when none settles it",
  },
  json: {
    type: "boolean",
    usage: "--json",
    help: "machine-readable output where the default is a table",
  },
  out: { type: "string", usage: "--out FILE", help: "write the output to FILE (default: stdout)" },
  help: { type: "boolean", short: "h", usage: "-h, --help", help: "show help" },
};

/** A command: what it does and the options of its own. */
export interface CommandSpec {
  readonly summary: string;
  /** Paragraph under the usage line of `tidemark <command> --help`. */
  readonly description: string;
  /** The command's arguments after `<file>`, as the usage line prints them. */
  readonly usage: string;
  readonly options: Readonly<Record<string, OptionSpec & { readonly required?: boolean }>>;
  readonly example: string;
}

export const COMMANDS: Readonly<Record<string, CommandSpec>> = {
  state: {
    summary: "who controls each place at a time",
    description:
      "Prints the control of every place at T (default: after every event), then the air strikes and arrests counted so far (a number nobody gave prints as unknown, never 0). Times print at their precision. --json prints the whole state object, each time also as ISO 8601 (sinceIso, lastAtIso).",
    usage: "[--at T]",
    options: {
      at: { type: "string", usage: "--at T", help: "the instant (default: after every event)" },
    },
    example: "tidemark state events.ndjson --at 2016-12-11T08:00+02:00",
  },
  history: {
    summary: "control intervals of one place",
    description:
      "Prints who held place P from when to when; a new interval only where the controller changes. Times print at the precision of the events that bound them. --json adds fromIso and toIso.",
    usage: "--place P",
    options: {
      place: { type: "string", usage: "--place P", help: "place id or alias", required: true },
    },
    example: "tidemark history events.ndjson --place palmyra --source SOHR",
  },
  diff: {
    summary: "places whose controller changed between two times",
    description:
      'Prints each place whose controller differs between --from and --to ("-": no report).',
    usage: "--from T --to T",
    options: {
      from: { type: "string", usage: "--from T", help: "the earlier instant", required: true },
      to: { type: "string", usage: "--to T", help: "the later instant", required: true },
    },
    example: "tidemark diff events.ndjson --from 2016-12-10 --to 2016-12-12",
  },
  claims: {
    summary: "who held a place at a time, according to each source",
    description:
      "Prints, for each source cited by control events (Captured, Withdrew, Held) of place P, who held P at T by that source alone, since when, and the event that says so. Without --place, prints every place that any source reports on, one row per place and source.",
    usage: "--at T [--place P]",
    options: {
      at: { type: "string", usage: "--at T", help: "the instant", required: true },
      place: {
        type: "string",
        usage: "--place P",
        help: "place id or alias (default: every place)",
      },
    },
    example: "tidemark claims events.ndjson --place palmyra --at 2016-12-11T08:00+02:00",
  },
  contested: {
    summary: "places whose sources disagree about who held them at a time",
    description:
      "Prints every place whose sources disagree about its controller at T, one row per source with that source's claim (see claims).",
    usage: "--at T",
    options: {
      at: { type: "string", usage: "--at T", help: "the instant", required: true },
    },
    example: "tidemark contested events.ndjson --at 2016-12-11T08:00+02:00",
  },
  sources: {
    summary: "every source the events cite, with how many events cite it",
    description:
      "Prints each source name cited by the events that count (retracted events do not), sorted by name, with the number of events citing it. --as-of and --source select the events as in every query.",
    usage: "",
    options: {},
    example: "tidemark sources events.ndjson --as-of 2016-12-11T08:00+02:00",
  },
  validate: {
    summary: "check every event; list every problem with its line or row",
    description:
      "Reads the whole file and checks every event as append would. Prints a summary on stdout; every problem goes to stderr as FILE:LINE: message (CSV: FILE: row N (line L): message), and the exit code is 1 if there is any. ACLED rows of sub-event types that do not map are counted, not errors.",
    usage: "",
    options: {},
    example: "tidemark validate acled-export.csv",
  },
  geojson: {
    summary: "places as GeoJSON points with their controller at a time",
    description:
      "Prints a GeoJSON FeatureCollection (RFC 7946): one feature per place with a geometry (its area) or coordinates (a Point), properties { id, name, controller, since, precision }. With --areas, one MultiPolygon per controller instead: the territory it holds (areas of places held by others cut out), properties { controller, places }. With --history, one feature per place and interval of control, properties { id, name, controller, start, end, fromPrecision, toPrecision } (ISO 8601; end absent while it lasts), for time-slider maps. The places come from --places, or from the ACLED file itself.",
    usage: "[--at T] [--places FILE] [--areas | --history [--from T] [--to T]]",
    options: {
      at: { type: "string", usage: "--at T", help: "the instant (default: after every event)" },
      areas: {
        type: "boolean",
        usage: "--areas",
        help: "the territory of each controller (places need a geometry)",
      },
      history: {
        type: "boolean",
        usage: "--history",
        help: "every interval of control, with start and end (timed GeoJSON)",
      },
      from: { type: "string", usage: "--from T", help: "--history: intervals still open at T" },
      to: { type: "string", usage: "--to T", help: "--history: intervals begun by T" },
    },
    example:
      "tidemark geojson events.ndjson --at 2016-12-11 --places places.json --out map.geojson",
  },
  import: {
    summary: "append a file's events to a store",
    description:
      "Checks every event of <file> (JSON, NDJSON, an ACLED export, an ACLED deletions list, a UCDP GED file, or another store) against what STORE holds, then appends them all in one transaction: all land or none. STORE is a SQLite file (.db, .sqlite, .sqlite3), created when missing, or a postgres:// URL (?table=NAME, default tidemark_events). A newer ACLED export applies as corrections (a revised event is retracted and replaced; earlier versions stay visible with an earlier --as-of) and a deletions list retracts what it names; events already stored with the same content are skipped, so importing the same export again is a no-op. New places join the registry kept beside a SQLite store (STORE.registry.json). A report of rows read, events, skipped rows by reason and places merged or split ends on stderr.",
    usage: "--into STORE",
    options: {
      into: {
        type: "string",
        usage: "--into STORE",
        help: "the store to append to (SQLite file or postgres:// URL)",
        required: true,
      },
    },
    example: "tidemark import acled-export.csv --into palmyra.db",
  },
  chart: {
    summary: "an SVG chart of control over time",
    description:
      "Prints an SVG: one band per place, one colour per actor (colour-blind safe, stable), nobody in grey, contested spans (sources disagree) hatched, starts known only to the day or month faded in, a legend and a dated time axis (in --time-zone).",
    usage: "[--from T] [--to T] [--title TEXT]",
    options: {
      from: { type: "string", usage: "--from T", help: "start of the time axis" },
      to: { type: "string", usage: "--to T", help: "end of the time axis" },
      title: { type: "string", usage: "--title TEXT", help: "title above the chart" },
      width: { type: "string", usage: "--width PX", help: "width in pixels (default 960)" },
    },
    example: "tidemark chart events.ndjson --from 2016-12-07 --to 2016-12-13 --out chart.svg",
  },
  view: {
    summary: "the map page in a browser, on this machine only",
    description:
      "Serves the map page that ships with tidemark on 127.0.0.1 only, opened on the data (a file read as every command reads it, with the same errors and skipped-row report; or a store, queried where it lies so that the page never downloads its events), and prints its URL. The page reads nothing from off the machine. Ctrl-C stops it (exit 0); a port in use is exit 2.",
    usage: "[--port N]",
    options: {
      port: {
        type: "string",
        usage: "--port N",
        help: "port on 127.0.0.1 (default 7317; 0 picks a free one)",
      },
    },
    example: "tidemark view acled-export.csv --port 8080",
  },
};

const INPUT =
  '<file> is JSON (timeline.toJSON() output or an array of event inputs), NDJSON (one event\ninput per line), a CSV file (an ACLED export of any vintage, an ACLED deletions list or a\nUCDP GED file, told by its header), or a store: a SQLite file (.db, .sqlite, .sqlite3) or a\npostgres:// URL; "-" reads standard input.';
const TIMES = "Times are ISO 8601: 2016-12-11, 2016-12-11T08:00+02:00, 2016-W49, 2016-12.";
const EXIT = "Exit codes: 0 success, 1 invalid data (every problem on stderr), 2 bad usage.";

function optionLines(options: Readonly<Record<string, OptionSpec>>): string[] {
  const specs = Object.values(options);
  const width = Math.max(...specs.map((o) => o.usage.length));
  return specs.map((o) => `  ${o.usage.padEnd(width)}  ${o.help}`);
}

function wrap(text: string, width = 88): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  if (line !== "") lines.push(line);
  return lines.join("\n");
}

/** `tidemark --help`. */
export function mainHelp(): string {
  const names = Object.keys(COMMANDS);
  const width = Math.max(...names.map((n) => n.length));
  return [
    "Usage: tidemark <command> <file> [options]",
    "",
    "Answers questions about a timeline of territorial control kept in a file.",
    INPUT,
    "",
    "Commands:",
    ...names.map((name) => `  ${name.padEnd(width)}  ${COMMANDS[name]?.summary}`),
    "",
    "Options of every command:",
    ...optionLines(COMMON_OPTIONS),
    "",
    TIMES,
    EXIT,
    "Run `tidemark <command> --help` for a command's own options.",
    "",
  ].join("\n");
}

/** `tidemark <command> --help`. */
export function commandHelp(name: string): string {
  const command = COMMANDS[name];
  if (command === undefined) return mainHelp();
  const own = optionLines(command.options);
  return [
    `Usage: tidemark ${name} <file>${command.usage ? ` ${command.usage}` : ""} [options]`,
    "",
    wrap(command.description),
    "",
    INPUT,
    "",
    ...(own.length > 0 ? ["Options:", ...own, ""] : []),
    "Options of every command:",
    ...optionLines(COMMON_OPTIONS),
    "",
    `Example: ${command.example}`,
    TIMES,
    EXIT,
    "",
  ].join("\n");
}
