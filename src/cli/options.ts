// The options of the `tidemark` command, declared once: each command lists the options it
// takes, and that one declaration feeds the parser (node:util parseArgs), the checks (an
// option the command does not take, a required one missing, a value of the wrong form) and
// the help text. Every check runs before any input is read.

import { type ParseArgsConfig, parseArgs } from "node:util";
import { readTime } from "../core/time.js";
import { readZone, UTC, type Zone } from "../core/zone.js";
import { UsageError } from "./exit.js";

/** What an option's value must be, checked before the input is read. */
export type ValueRule =
  | "time"
  | "zone"
  | { readonly choices: readonly string[]; readonly message: string }
  | { readonly min: number; readonly max: number };

/** An option a command takes: how it parses, what it checks, and its help line. */
export interface OptionSpec {
  readonly type: "string" | "boolean";
  /** Given more than once, its values are all kept (`--source A --source B`). */
  readonly multiple?: boolean;
  readonly short?: string;
  /** Missing or empty, the command is not run (exit 2). */
  readonly required?: boolean;
  readonly value?: ValueRule;
  /** "--name VALUE" as the help prints it. */
  readonly usage: string;
  readonly help: string;
}

/** Options by name (without the dashes), in the order the help lists them. */
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** Options that several commands take, under one heading of the help. */
export interface OptionGroup {
  readonly title: string;
  readonly options: OptionSpecs;
}

/** How a file is read into a timeline: every command that reads one takes these. */
export const READING: OptionGroup = {
  title: "Reading the input",
  options: {
    places: {
      type: "string",
      usage: "--places FILE",
      help: "place registry, JSON keyed by id: names, aliases, parents, coordinates",
    },
    actors: { type: "string", usage: "--actors FILE", help: "actor registry, JSON keyed by id" },
    format: {
      type: "string",
      value: { choices: ["json", "ndjson", "csv"], message: "is not json, ndjson or csv" },
      usage: "--format F",
      help: "json, ndjson or csv (default: from the file name, else its content)",
    },
    "time-zone": {
      type: "string",
      value: "zone",
      usage: "--time-zone Z",
      help: "read and print local times in Z: IANA (Asia/Damascus) or ±HH:MM (default: UTC)",
    },
    "skip-invalid": {
      type: "boolean",
      usage: "--skip-invalid",
      help: "leave out CSV rows of a mapped kind that cannot be read (still listed)",
    },
    "date-order": {
      type: "string",
      value: { choices: ["dmy", "mdy"], message: "is not dmy or mdy" },
      usage: "--date-order dmy|mdy",
      help: "order of an ACLED file's numeric dates (10/12/2016) when none settles it",
    },
  },
};

/** Which events a query counts. */
export const QUERY: OptionGroup = {
  title: "Which events count",
  options: {
    "as-of": {
      type: "string",
      value: "time",
      usage: "--as-of T",
      help: "count only what was known at T (events recorded by T)",
    },
    source: {
      type: "string",
      multiple: true,
      usage: "--source NAME",
      help: "count only events citing NAME (repeatable)",
    },
  },
};

const JSON_OPTION: OptionSpec = {
  type: "boolean",
  usage: "--json",
  help: "machine-readable output where the default is a table",
};
const OUT_OPTION: OptionSpec = {
  type: "string",
  usage: "--out FILE",
  help: "write the output to FILE (default: stdout)",
};
const HELP_OPTION: OptionSpec = {
  type: "boolean",
  short: "h",
  usage: "-h, --help",
  help: "show help",
};

/** Where the answer goes: a table or JSON, on stdout or in a file. */
export const OUTPUT: OptionGroup = {
  title: "Output",
  options: { json: JSON_OPTION, out: OUT_OPTION, help: HELP_OPTION },
};

/** Output of a command whose answer is one kind of document (GeoJSON, SVG): no --json. */
export const DOCUMENT_OUTPUT: OptionGroup = {
  title: "Output",
  options: { out: OUT_OPTION, help: HELP_OPTION },
};

/** Output of a command that prints no answer (`import` reports on stderr). */
export const NO_OUTPUT: OptionGroup = { title: "Help", options: { help: HELP_OPTION } };

/** What {@link parseOptions} needs to know of a command. */
export interface DeclaredCommand {
  readonly name: string;
  readonly options: OptionSpecs;
  readonly groups: readonly OptionGroup[];
}

/** Every option a command takes: its own, then those of its groups. */
export function optionsOf(command: DeclaredCommand): OptionSpecs {
  return Object.assign({}, command.options, ...command.groups.map((g) => g.options));
}

type Values = Readonly<Record<string, string | boolean | string[] | undefined>>;

/** A command line, checked against its command's declaration. */
export class Arguments {
  /** The zone of --time-zone, or UTC; {@link Arguments.zoneGiven} tells which. */
  readonly zone: Zone;

  constructor(
    readonly command: string,
    readonly file: string,
    private readonly values: Values,
    zone?: Zone,
  ) {
    const name = this.string("time-zone");
    const given = name === undefined ? UTC : readZone(name);
    if (typeof given === "string") throw new UsageError(`--time-zone: ${given}`);
    this.zone = zone ?? given;
  }

  /** The same arguments, with times read in `zone` (the input's own, when none is given). */
  inZone(zone: Zone): Arguments {
    return new Arguments(this.command, this.file, this.values, zone);
  }

  get zoneGiven(): boolean {
    return this.values["time-zone"] !== undefined;
  }

  /** A string option's value (the last one given); undefined when absent. */
  string(name: string): string | undefined {
    const value = this.values[name];
    return typeof value === "string" ? value : undefined;
  }

  /** A repeatable option's values; undefined when absent. */
  strings(name: string): readonly string[] | undefined {
    const value = this.values[name];
    return Array.isArray(value) ? value : undefined;
  }

  flag(name: string): boolean {
    return this.values[name] === true;
  }

  /** A time option as epoch ms, local times read in {@link Arguments.zone}. */
  time(name: string): number | undefined {
    const value = this.string(name);
    if (value === undefined) return undefined;
    const parsed = readTime(value, this.zone);
    if (typeof parsed === "string") throw new UsageError(`--${name}: ${parsed}`);
    return parsed.at;
  }

  /** A whole-number option. */
  integer(name: string): number | undefined {
    const value = this.string(name);
    return value === undefined ? undefined : Number(value);
  }

  /** The `asOf` and `sources` of a query, from --as-of and --source. */
  query(): { asOf?: number; sources?: readonly string[] } {
    const asOf = this.time("as-of");
    const sources = this.strings("source");
    return {
      ...(asOf === undefined ? {} : { asOf }),
      ...(sources === undefined ? {} : { sources }),
    };
  }
}

/** A command line asking for help: `tidemark --help`, `tidemark <command> --help`. */
export interface HelpRequest {
  readonly help: true;
  readonly command: string | undefined;
}

const list = (names: readonly string[]) => names.map((n) => `--${n}`).join(", ");

/** Options the command does not take, or that lack a value or have one they cannot: exit 2. */
function checkTokens(command: DeclaredCommand, args: readonly string[], declared: OptionSpecs) {
  const { tokens } = parseArgs({
    args: [...args],
    options: parseConfig(declared),
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  for (const token of tokens) {
    if (token.kind !== "option") continue;
    const spec = declared[token.name];
    if (spec === undefined) {
      throw new UsageError(
        `${command.name} does not take ${token.rawName}; its options: ${list(Object.keys(declared))}`,
      );
    }
    if (spec.type === "string" && token.value === undefined) {
      throw new UsageError(`${token.rawName} needs a value (${spec.usage})`);
    }
    if (spec.type === "boolean" && token.value !== undefined) {
      throw new UsageError(`${token.rawName} takes no value (${spec.usage})`);
    }
  }
}

function parseConfig(declared: OptionSpecs): NonNullable<ParseArgsConfig["options"]> {
  const options: NonNullable<ParseArgsConfig["options"]> = {};
  for (const [name, o] of Object.entries(declared)) {
    options[name] = {
      type: o.type,
      ...(o.multiple ? { multiple: true } : {}),
      ...(o.short === undefined ? {} : { short: o.short }),
    };
  }
  return options;
}

/** Required options present, and each value of the form its rule asks. */
function checkValues(declared: OptionSpecs, parsed: Arguments, values: Values): void {
  for (const [name, spec] of Object.entries(declared)) {
    const value = values[name];
    if (spec.required === true && (value === undefined || value === "")) {
      throw new UsageError(`--${name} is required (see --help)`);
    }
    if (typeof value !== "string" || spec.value === undefined) continue;
    const rule = spec.value;
    if (rule === "time") parsed.time(name);
    else if (rule === "zone") continue;
    else if ("choices" in rule) {
      if (!rule.choices.includes(value))
        throw new UsageError(`--${name}: "${value}" ${rule.message}`);
    } else {
      const n = Number(value);
      if (!(Number.isInteger(n) && n >= rule.min && n <= rule.max)) {
        throw new UsageError(
          `--${name}: "${value}" is not a whole number from ${rule.min} to ${rule.max}`,
        );
      }
    }
  }
}

/**
 * Reads `argv` (after the program name) for the command it names among `commands`: throws a
 * {@link UsageError} for anything the command does not take or cannot use.
 */
export function parseOptions(
  argv: readonly string[],
  commands: Readonly<Record<string, DeclaredCommand>>,
): Arguments | HelpRequest {
  const name = argv[0] !== undefined && !argv[0].startsWith("-") ? argv[0] : undefined;
  if (name === undefined) {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: parseConfig({ help: HELP_OPTION }),
      allowPositionals: true,
      strict: false,
    });
    if (values.help === true) return { help: true, command: undefined };
    if (positionals.length > 0) throw new UsageError(`unknown command "${positionals[0]}"`);
    throw new UsageError("no command given");
  }
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (command === undefined) {
    throw new UsageError(
      `unknown command "${name}" (commands: ${Object.keys(commands).join(", ")})`,
    );
  }
  const declared = optionsOf(command);
  const args = argv.slice(1);
  checkTokens(command, args, declared);
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({
      args,
      options: parseConfig(declared),
      allowPositionals: true,
      strict: true,
    }) as { values: Values; positionals: string[] };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help === true) return { help: true, command: name };
  if (positionals.length === 0) throw new UsageError(`${name}: no <file> given ("-" reads stdin)`);
  if (positionals.length > 1) {
    throw new UsageError(
      `${name}: one <file> only; got ${positionals.length}: ${positionals.join(" ")}`,
    );
  }
  const result = new Arguments(name, positionals[0] as string, values);
  checkValues(declared, result, values);
  return result;
}
