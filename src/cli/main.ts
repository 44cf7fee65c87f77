#!/usr/bin/env node
// The `tidemark` command: a thin layer over the library. Reads a file into a timeline
// (input.ts), answers one question, writes data to stdout (or --out) and everything else to
// stderr. Sets process.exitCode (0 ok, 1 invalid data, 2 bad usage) rather than exiting.

import { writeFile } from "node:fs/promises";
import { type ParseArgsConfig, parseArgs } from "node:util";
import { TimelineValidationError } from "../core/errors.js";
import type { TimelineEvent } from "../core/events.js";
import type { Registry } from "../core/registry.js";
import type { ControlInterval } from "../core/slices.js";
import { type Precision, readTime } from "../core/time.js";
import type { QueryOptions } from "../core/timeline.js";
import { renderChart } from "../formats/chart.js";
import { toGeoJSON } from "../formats/geojson.js";
import type { FileFormat } from "../formats/text.js";
import { openTimeline } from "../stores/durable.js";
import { openStore } from "../stores/open.js";
import { StoreCorruptionError, StoreUnavailableError } from "../stores/store.js";
import { escapeControls, escapeJson, escapeLines, redactPasswords, safeMessage } from "./escape.js";
import { COMMANDS, COMMON_OPTIONS, commandHelp, mainHelp, type OptionSpec } from "./help.js";
import { InputError, type LoadedInput, loadInput, loadRegistry } from "./input.js";

/** A mistake in how the command was called: exit code 2. */
class UsageError extends Error {
  override readonly name = "UsageError";
}

/** The input is invalid: exit code 1 (the problems are already printed). */
class InvalidData extends Error {
  override readonly name = "InvalidData";
}

type Values = Record<string, string | boolean | string[] | undefined>;

interface Io {
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
}

// ---------------------------------------------------------------------------- formatting

const two = (n: number) => String(n).padStart(2, "0");

/**
 * An instant as ISO 8601 at its precision: "2016", "2016-12", "2016-W49", "2016-12-10" (dates
 * as given, in UTC), "2016-12-10T18+02:00", "2016-12-10T18:00+02:00"... (times of day in the
 * zone `offset` minutes east of UTC). Every form reads back with `parseTime`.
 */
function isoAt(at: number, precision: Precision | null | undefined, zone = 0): string {
  const utc = new Date(at);
  // At the ends of the Date range (±8.64e15 ms) a zone's shift would leave it: print in UTC.
  const offset = Number.isNaN(new Date(at + zone * 60_000).getTime()) ? 0 : zone;
  const date = `${isoYear(utc.getUTCFullYear())}-${two(utc.getUTCMonth() + 1)}-${two(utc.getUTCDate())}`;
  switch (precision) {
    case "year":
      return isoYear(utc.getUTCFullYear());
    case "month":
      return date.slice(0, 7);
    case "week": {
      // The ISO week holding the date: the one of its Thursday.
      const thursday = new Date(at + (3 - ((utc.getUTCDay() + 6) % 7)) * 86_400_000);
      const year = thursday.getUTCFullYear();
      const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 / 7) + 1;
      return `${isoYear(year)}-W${two(week)}`;
    }
    case "day":
      return date;
    default: {
      const d = new Date(at + offset * 60_000);
      const day = `${isoYear(d.getUTCFullYear())}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}`;
      const zone =
        offset === 0
          ? "Z"
          : `${offset < 0 ? "-" : "+"}${two(Math.floor(Math.abs(offset) / 60))}:${two(Math.abs(offset) % 60)}`;
      const hh = two(d.getUTCHours());
      const mm = two(d.getUTCMinutes());
      const ss = two(d.getUTCSeconds());
      if (precision === "hour") return `${day}T${hh}${zone}`;
      if (precision === "minute") return `${day}T${hh}:${mm}${zone}`;
      if (precision === "second") return `${day}T${hh}:${mm}:${ss}${zone}`;
      return `${day}T${hh}:${mm}:${ss}.${String(d.getUTCMilliseconds()).padStart(3, "0")}${zone}`;
    }
  }
}

/** A year as ISO 8601 writes it: four digits, or a sign and six beyond 0000-9999. */
function isoYear(year: number): string {
  if (year >= 0 && year <= 9999) return String(year).padStart(4, "0");
  return `${year < 0 ? "-" : "+"}${String(Math.abs(year)).padStart(6, "0")}`;
}

/** Columns padded to their widest cell, control characters from the data escaped. */
function table(data: readonly (readonly string[])[]): string {
  const rows = data.map((row) => row.map(escapeControls));
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

const who = (controller: string | null | undefined) =>
  controller === undefined ? "-" : (controller ?? "nobody");

const json = (value: unknown) => `${escapeJson(JSON.stringify(value, null, 2))}\n`;

// ---------------------------------------------------------------------------- arguments

function time(values: Values, name: string): number | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  const parsed = readTime(value);
  if (typeof parsed === "string") throw new UsageError(`--${name}: ${parsed}`);
  return parsed.at;
}

function required(values: Values, name: string): string {
  const value = values[name];
  if (typeof value !== "string" || value === "") {
    throw new UsageError(`--${name} is required (see --help)`);
  }
  return value;
}

function queryOptions(values: Values): QueryOptions {
  const asOf = time(values, "as-of");
  const sources = values.source as string[] | undefined;
  return {
    ...(asOf === undefined ? {} : { asOf }),
    ...(sources === undefined ? {} : { sources }),
  };
}

function utcOffset(text: string | undefined): number {
  if (text === undefined) return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(text);
  if (!m || Number(m[2]) > 14 || Number(m[3]) > 59) {
    throw new UsageError(`--utc-offset: "${text}" is not ±HH:MM (e.g. +02:00)`);
  }
  return (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

function parse(argv: readonly string[]): {
  command: string | undefined;
  file?: string;
  values: Values;
} {
  const command = argv[0] !== undefined && !argv[0].startsWith("-") ? argv[0] : undefined;
  const spec = command === undefined ? undefined : COMMANDS[command];
  if (command !== undefined && spec === undefined) {
    throw new UsageError(
      `unknown command "${command}" (commands: ${Object.keys(COMMANDS).join(", ")})`,
    );
  }
  const declared: Record<string, OptionSpec> = { ...COMMON_OPTIONS, ...spec?.options };
  const options: NonNullable<ParseArgsConfig["options"]> = {};
  for (const [name, o] of Object.entries(declared)) {
    options[name] = {
      type: o.type,
      ...(o.multiple ? { multiple: true } : {}),
      ...(o.short === undefined ? {} : { short: o.short }),
    };
  }
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({
      args: command === undefined ? [...argv] : argv.slice(1),
      options,
      allowPositionals: true,
      strict: true,
    }) as { values: Values; positionals: string[] };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { command, values };
  if (command === undefined) {
    if (positionals.length > 0) throw new UsageError(`unknown command "${positionals[0]}"`);
    throw new UsageError("no command given");
  }
  if (positionals.length === 0)
    throw new UsageError(`${command}: no <file> given ("-" reads stdin)`);
  if (positionals.length > 1) {
    throw new UsageError(
      `${command}: one <file> only; got ${positionals.length}: ${positionals.join(" ")}`,
    );
  }
  const format = values.format;
  if (format !== undefined && !["json", "ndjson", "csv"].includes(format as string)) {
    throw new UsageError(`--format: "${String(format)}" is not json, ndjson or csv`);
  }
  return { command, file: positionals[0] as string, values };
}

// ---------------------------------------------------------------------------- commands

/** Prints every problem of the input on stderr and fails with exit code 1. */
function reportProblems(input: LoadedInput, io: Io): void {
  if (input.problems.length === 0) return;
  for (const p of input.problems) io.stderr.write(`${p.where}: ${p.message}\n`);
  const n = input.problems.length;
  io.stderr.write(`${n} problem${n === 1 ? "" : "s"} in ${input.label}\n`);
  throw new InvalidData();
}

/** Notes on stderr about ACLED rows that were skipped (other sub-event types). */
function noteSkipped(input: LoadedInput, io: Io): void {
  if (input.skipped.length === 0) return;
  const byReason = new Map<string, number>();
  for (const s of input.skipped) {
    const reason = s.reason.replace(/; mapped: .*$/, "");
    byReason.set(reason, (byReason.get(reason) ?? 0) + 1);
  }
  const n = input.skipped.length;
  io.stderr.write(`note: ${n} row${n === 1 ? "" : "s"} skipped (not mapped to an event):\n`);
  for (const [reason, count] of [...byReason].sort((a, b) => b[1] - a[1])) {
    io.stderr.write(`  ${count} x ${reason}\n`);
  }
}

function eventsById(input: LoadedInput): Map<string, TimelineEvent> {
  return new Map(input.timeline.toJSON().events.map((e) => [e.id, e]));
}

function stateCommand(input: LoadedInput, values: Values, io: Io): string {
  const at = time(values, "at");
  const options = queryOptions(values);
  const state =
    at === undefined ? input.timeline.latest(options) : input.timeline.stateAt(at, options);
  if (values.json) return json(state);
  const offset = utcOffset(values["utc-offset"] as string | undefined);
  const byId = eventsById(input);
  const sinceOf = (since: number, eventId: string) =>
    isoAt(since, byId.get(eventId)?.precision, offset);
  // The precision of the last strike or arrest per place, to print its time no finer.
  const lastPrecision = new Map<string, Precision>();
  for (const e of input.timeline.events({ ...options, ...(at === undefined ? {} : { to: at }) })) {
    if (e.type === "Airstrike") {
      for (const place of (e.data as { places: string[] }).places)
        lastPrecision.set(`a:${place}`, e.precision);
    } else if (e.type === "Arrests") {
      lastPrecision.set(`r:${(e.data as { place: string }).place}`, e.precision);
    }
  }
  const parts: string[] = [];
  const control = Object.entries(state.control);
  if (control.length === 0) io.stderr.write("no control events by then\n");
  else {
    parts.push(
      table([
        ["place", "controller", "since", "event"],
        ...control.map(([place, e]) => [
          place,
          who(e.controller),
          sinceOf(e.since, e.eventId),
          e.eventId,
        ]),
      ]),
    );
  }
  const strikes = Object.entries(state.airstrikes);
  if (strikes.length > 0) {
    parts.push(
      table([
        ["airstrikes on", "events", "last"],
        ...strikes.map(([place, a]) => [
          place,
          String(a.count),
          isoAt(a.lastAt, lastPrecision.get(`a:${place}`), offset),
        ]),
      ]),
    );
  }
  const arrests = Object.entries(state.arrests);
  if (arrests.length > 0) {
    parts.push(
      table([
        ["arrests in", "events", "detained", "last"],
        ...arrests.map(([place, a]) => [
          place,
          String(a.events),
          String(a.detained),
          isoAt(a.lastAt, lastPrecision.get(`r:${place}`), offset),
        ]),
      ]),
    );
  }
  return parts.length === 0 ? "" : `${parts.join("\n\n")}\n`;
}

function historyCommand(input: LoadedInput, values: Values, io: Io): string {
  const place = required(values, "place");
  let history: readonly ControlInterval[];
  try {
    history = input.timeline.history(place, queryOptions(values));
  } catch (error) {
    if (error instanceof TimelineValidationError) {
      throw new UsageError(`--place: ${error.issues.map((i) => i.message).join("; ")}`);
    }
    throw error;
  }
  if (values.json) {
    return json(
      history.map((i) => ({
        controller: i.controller,
        from: i.from,
        to: i.to,
        eventId: i.eventId,
        fromPrecision: i.fromPrecision,
        toPrecision: i.toPrecision,
      })),
    );
  }
  const offset = utcOffset(values["utc-offset"] as string | undefined);
  if (history.length === 0) {
    io.stderr.write(`no control events for ${place}\n`);
    return "";
  }
  return `${table([
    ["controller", "from", "to", "event"],
    ...history.map((i) => [
      who(i.controller),
      isoAt(i.from, i.fromPrecision, offset),
      i.to === null ? "..." : isoAt(i.to, i.toPrecision, offset),
      i.eventId,
    ]),
  ])}\n`;
}

function diffCommand(input: LoadedInput, values: Values, io: Io): string {
  const from = time(values, "from") ?? required(values, "from");
  const to = time(values, "to") ?? required(values, "to");
  const diff = input.timeline.diff(from, to, queryOptions(values));
  if (values.json) {
    // As the library gives it: `null` is nobody, a missing key an absent place.
    return json(diff);
  }
  if (diff.length === 0) {
    io.stderr.write("no changes\n");
    return "";
  }
  return `${table([
    ["place", "before", "after"],
    ...diff.map((d) => [d.place, who(d.before), who(d.after)]),
  ])}\n`;
}

function validateCommand(input: LoadedInput, values: Values, io: Io): string {
  const summary = {
    valid: input.problems.length === 0,
    format: input.format,
    events: input.events,
    skipped: input.skipped.length,
    problems: input.problems.map((p) => ({ line: p.line, where: p.where, message: p.message })),
  };
  if (!summary.valid) {
    for (const p of input.problems) io.stderr.write(`${p.where}: ${p.message}\n`);
    const n = input.problems.length;
    io.stderr.write(`${n} problem${n === 1 ? "" : "s"} in ${input.label}\n`);
    process.exitCode = 1;
    return values.json ? json(summary) : "";
  }
  if (values.json) return json(summary);
  const skipped =
    input.skipped.length === 0 ? "" : `; ${input.skipped.length} rows skipped (not mapped)`;
  return `valid: ${input.events} events (${input.format})${skipped}\n`;
}

function geojsonCommand(input: LoadedInput, values: Values): string {
  const places = input.places;
  if (places === undefined) {
    throw new UsageError(
      "geojson needs coordinates: give --places FILE (a registry with coordinates)",
    );
  }
  const at = time(values, "at");
  const options = queryOptions(values);
  const state =
    at === undefined ? input.timeline.latest(options) : input.timeline.stateAt(at, options);
  return json(toGeoJSON(state, places));
}

function chartCommand(input: LoadedInput, values: Values): string {
  const from = time(values, "from");
  const to = time(values, "to");
  if (from !== undefined && to !== undefined && to <= from) {
    throw new UsageError("--to must be after --from");
  }
  const width = values.width === undefined ? undefined : Number(values.width);
  if (width !== undefined && !(Number.isInteger(width) && width >= 480 && width <= 10_000)) {
    throw new UsageError(
      `--width: "${String(values.width)}" is not a whole number from 480 to 10000`,
    );
  }
  const options = queryOptions(values);
  return renderChart(input.timeline, {
    ...options,
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
    ...(input.places === undefined ? {} : { places: input.places }),
    ...(input.actors === undefined ? {} : { actors: input.actors }),
    ...(typeof values.title === "string" ? { title: values.title } : {}),
    ...(width === undefined ? {} : { width }),
    offsetMinutes: utcOffset(values["utc-offset"] as string | undefined),
  });
}

// ---------------------------------------------------------------------------- main

async function run(argv: readonly string[], io: Io): Promise<void> {
  const { command, file, values } = parse(argv);
  if (values.help) {
    io.stdout.write(command === undefined ? mainHelp() : commandHelp(command));
    return;
  }
  const registry = async (name: "places" | "actors"): Promise<Registry | undefined> =>
    typeof values[name] === "string" ? loadRegistry(values[name] as string, name) : undefined;
  const places = await registry("places");
  const actors = await registry("actors");
  // Check times before reading a large file.
  for (const name of ["at", "from", "to", "as-of"]) time(values, name);
  utcOffset(values["utc-offset"] as string | undefined);

  let input: LoadedInput;
  try {
    input = await loadInput(file as string, {
      ...(values.format === undefined ? {} : { format: values.format as FileFormat }),
      ...(places === undefined ? {} : { places }),
      ...(actors === undefined ? {} : { actors }),
      ...(io.stderr.isTTY ? { progress: raw(io.stderr) } : {}),
      ...(command === "import" ? { locate: true } : {}),
    });
  } catch (error) {
    if (error instanceof StoreCorruptionError) {
      io.stderr.write(`tidemark: ${error.message}\n`);
      throw new InvalidData();
    }
    if (error instanceof TimelineValidationError) {
      // A registry given with --places or --actors is invalid.
      for (const issue of error.issues) {
        const [kind, ...path] = issue.path;
        io.stderr.write(`--${String(kind)}: ${path.join(".")}: ${issue.message}\n`);
      }
      throw new InvalidData();
    }
    throw error;
  }

  try {
    const output =
      command === "import"
        ? await importCommand(input, values, io)
        : answer(command, input, values, io);
    if (typeof values.out === "string") {
      try {
        await writeFile(values.out, output);
      } catch (error) {
        throw new UsageError(`--out: cannot write ${values.out}: ${(error as Error).message}`);
      }
    } else if (output !== "") {
      io.stdout.write(output);
    }
  } finally {
    await input.close();
  }
}

/**
 * `import FILE --into STORE`: every event of the file, checked, then appended to the store in
 * one transaction (all or none).
 */
async function importCommand(input: LoadedInput, values: Values, io: Io): Promise<string> {
  const into = required(values, "into");
  reportProblems(input, io);
  noteSkipped(input, io);
  let store: ReturnType<typeof openStore>;
  try {
    store = openStore(into, { create: true });
  } catch (error) {
    throw new UsageError(`--into: ${(error as Error).message}`);
  }
  const timeline = await openTimeline({
    store,
    ...(input.places === undefined ? {} : { places: input.places }),
    ...(input.actors === undefined ? {} : { actors: input.actors }),
  });
  const events = input.timeline.toJSON().events;
  try {
    const before = timeline.version;
    // Events read from any file or store: validated again as the store takes them.
    await timeline.appendAll(events as readonly never[]);
    const added = timeline.version - before;
    const kept = input.events - added;
    const already = kept > 0 ? `; ${kept} already stored` : "";
    io.stderr.write(
      `imported ${added} events into ${into}${already} (${timeline.version} stored)\n`,
    );
    return "";
  } catch (error) {
    if (!(error instanceof TimelineValidationError)) throw error;
    // Conflicts with what the store holds (an id stored with other content...), by file line.
    for (const issue of error.issues) {
      const where = issue.path.length > 0 ? ` ${issue.path.join(".")}` : "";
      const id = events[issue.index]?.id;
      const line = id === undefined ? undefined : input.lineOf?.(id);
      const at = line === undefined ? `: event ${issue.index + 1}` : `:${line}:`;
      io.stderr.write(`${input.label}${at}${where}: ${issue.message}\n`);
    }
    io.stderr.write(`nothing imported into ${into}\n`);
    throw new InvalidData();
  } finally {
    await timeline.close();
  }
}

function answer(command: string | undefined, input: LoadedInput, values: Values, io: Io): string {
  let output: string;
  if (command === "validate") {
    output = validateCommand(input, values, io);
    if (input.problems.length === 0) noteSkipped(input, io);
  } else {
    reportProblems(input, io);
    noteSkipped(input, io);
    switch (command) {
      case "state":
        output = stateCommand(input, values, io);
        break;
      case "history":
        output = historyCommand(input, values, io);
        break;
      case "diff":
        output = diffCommand(input, values, io);
        break;
      case "geojson":
        output = geojsonCommand(input, values);
        break;
      default:
        output = chartCommand(input, values);
    }
  }
  return output;
}

const RAW = Symbol("raw stream");

/** The stream under {@link messages}, for the progress line's own terminal codes. */
function raw(stream: NodeJS.WriteStream): NodeJS.WriteStream {
  return (stream as { [RAW]?: NodeJS.WriteStream })[RAW] ?? stream;
}

/**
 * Standard error for messages, which quote the data (names, ids, file lines) and store
 * locations: each line's control characters escaped, every password replaced by `***`.
 */
function messages(stream: NodeJS.WriteStream): NodeJS.WriteStream {
  return new Proxy(stream, {
    get(target, key) {
      if (key === RAW) return target;
      if (key === "write") {
        return (text: string | Uint8Array) =>
          target.write(escapeLines(redactPasswords(String(text))));
      }
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** Runs the command with `argv` (without node and the script) and sets `process.exitCode`. */
export async function main(argv: readonly string[], given: Io = process): Promise<void> {
  const io: Io = { stdout: given.stdout, stderr: messages(given.stderr) };
  io.stdout.on("error", (error: NodeJS.ErrnoException) => {
    // `tidemark state x | head`: the reader left; that is not an error.
    if (error.code !== "EPIPE") throw error;
  });
  try {
    await run(argv, io);
  } catch (error) {
    if (error instanceof InvalidData) {
      process.exitCode = 1;
    } else if (error instanceof UsageError || error instanceof InputError) {
      io.stderr.write(`tidemark: ${safeMessage(error.message)}\n`);
      if (error instanceof UsageError && /no command given|unknown command/.test(error.message)) {
        io.stderr.write("Run `tidemark --help` for the commands.\n");
      }
      process.exitCode = 2;
    } else if (error instanceof StoreUnavailableError) {
      // Not a tidemark store, missing, read-only, locked, a full disk, a server gone.
      io.stderr.write(`tidemark: ${safeMessage(error.message)}\n`);
      process.exitCode = 2;
    } else if (error instanceof StoreCorruptionError) {
      io.stderr.write(`tidemark: ${safeMessage(error.message)}\n`);
      process.exitCode = 1;
    } else {
      // A bug, not the user's doing: one line to report; the stack with TIDEMARK_DEBUG=1.
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      io.stderr.write(`tidemark: internal error (please report it): ${safeMessage(message)}\n`);
      if (process.env.TIDEMARK_DEBUG === "1" && error instanceof Error) {
        io.stderr.write(`${error.stack ?? ""}\n`);
      }
      process.exitCode = 70;
    }
  }
}

await main(process.argv.slice(2));
