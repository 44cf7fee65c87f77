#!/usr/bin/env node
// The `tidemark` command: a thin layer over the library. Reads a file into a timeline
// (input.ts), answers one question, writes data to stdout (or --out) and everything else to
// stderr. Sets process.exitCode (0 ok, 1 invalid data, 2 bad usage) rather than exiting.

import { writeFile } from "node:fs/promises";
import { type ParseArgsConfig, parseArgs } from "node:util";
import { TimelineValidationError } from "../core/errors.js";
import type { TimelineEvent } from "../core/events.js";
import { formatTime } from "../core/format-time.js";
import type { Registry } from "../core/registry.js";
import type { ArrestsEntry, ControlInterval } from "../core/slices.js";
import { type Precision, readTime } from "../core/time.js";
import type { Claim, QueryOptions } from "../core/timeline.js";
import { readZone, UTC, type Zone } from "../core/zone.js";
import { controlAreas } from "../formats/areas.js";
import { renderChart } from "../formats/chart.js";
import { toGeoJSON } from "../formats/geojson.js";
import { toGeoJSONHistory } from "../formats/geojson-history.js";
import type { FileFormat } from "../formats/text.js";
import { StoreCorruptionError, StoreUnavailableError } from "../stores/store.js";
import { escapeControls, escapeJson, escapeLines, redactPasswords, safeMessage } from "./escape.js";
import { COMMANDS, COMMON_OPTIONS, commandHelp, mainHelp, type OptionSpec } from "./help.js";
import { importFile } from "./import.js";
import { InputError, type LoadedInput, loadInput, loadRegistry } from "./input.js";
import { invalidLines, placeLines, skippedLines } from "./report.js";
import { viewCommand } from "./view.js";

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

/**
 * An instant at its precision, never finer, as ISO 8601 in the zone of --time-zone
 * (`formatTime`): "2016", "2016-12", "2016-W49", "2016-12-10", "2016-12-10T18+02:00"...
 * Every form reads back with `parseTime` in that zone.
 */
function isoAt(at: number, precision: Precision | null | undefined, zone: Zone): string {
  return formatTime(at, precision ?? "millisecond", { timeZone: zone.name });
}

/**
 * What an arrests entry says, unknown numbers as unknown: "3 events, 40 detained, 1 event
 * number unknown"; "1 event, number unknown".
 */
function arrestsText(entry: ArrestsEntry): string {
  const events = `${entry.events} event${entry.events === 1 ? "" : "s"}`;
  const uncounted = entry.uncounted;
  if (uncounted === 0) return `${events}, ${entry.detained} detained`;
  if (uncounted === entry.events) return `${events}, number unknown`;
  return `${events}, ${entry.detained} detained, ${uncounted} event${uncounted === 1 ? "" : "s"} number unknown`;
}

/** UCDP GED's deaths in a place, summed by the `fatalities` reducer. */
interface Deaths {
  readonly best: number;
  readonly low: number;
  readonly high: number;
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
  const parsed = readTime(value, timeZone(values));
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

/** The zone of --time-zone (or of --utc-offset, its older name); UTC without either. */
function timeZone(values: Values): Zone {
  const zoneName = values["time-zone"] as string | undefined;
  const offset = values["utc-offset"] as string | undefined;
  if (offset !== undefined && !/^[+-]\d{2}:?\d{2}$/.test(offset)) {
    throw new UsageError(`--utc-offset: "${offset}" is not ±HH:MM (e.g. +02:00)`);
  }
  if (zoneName !== undefined && offset !== undefined && zoneName !== offset) {
    throw new UsageError("give --time-zone or --utc-offset, not both");
  }
  const name = zoneName ?? offset;
  if (name === undefined) return UTC;
  const zone = readZone(name);
  if (typeof zone === "string")
    throw new UsageError(`--${zoneName === undefined ? "utc-offset" : "time-zone"}: ${zone}`);
  return zone;
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

/** Notes on stderr about rows that were skipped: kinds not mapped, invalid rows left out. */
function noteSkipped(input: LoadedInput, io: Io): void {
  const lines = [
    ...skippedLines(input.skipped),
    ...invalidLines(input.invalid),
    ...placeLines(input.placeChanges ?? []),
  ];
  for (const line of lines) {
    io.stderr.write(`${line}\n`);
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
  const zone = timeZone(values);
  const byId = eventsById(input);
  const sinceOf = (since: number, eventId: string) =>
    isoAt(since, byId.get(eventId)?.precision, zone);
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
  const control = Object.entries(state.control);
  const strikes = Object.entries(state.airstrikes);
  const arrests = Object.entries(state.arrests as Readonly<Record<string, ArrestsEntry>>);
  const deaths = Object.entries(
    (state as { fatalities?: Readonly<Record<string, Deaths>> }).fatalities ?? {},
  );
  if (values.json) {
    // The state as the library gives it, each time also as ISO 8601 cut to its precision.
    const withIso = <T extends object>(
      entries: [string, T][],
      iso: (place: string, e: T) => object,
    ) => Object.fromEntries(entries.map(([place, e]) => [place, { ...e, ...iso(place, e) }]));
    return json({
      ...state,
      control: withIso(control, (_, e) => ({ sinceIso: sinceOf(e.since, e.eventId) })),
      airstrikes: withIso(strikes, (place, e) => ({
        lastAtIso: isoAt(e.lastAt, lastPrecision.get(`a:${place}`), zone),
      })),
      arrests: withIso(arrests, (place, e) => ({
        lastAtIso: isoAt(e.lastAt, lastPrecision.get(`r:${place}`), zone),
      })),
    });
  }
  const parts: string[] = [];
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
  if (strikes.length > 0) {
    parts.push(
      table([
        ["airstrikes on", "events", "last"],
        ...strikes.map(([place, a]) => [
          place,
          String(a.count),
          isoAt(a.lastAt, lastPrecision.get(`a:${place}`), zone),
        ]),
      ]),
    );
  }
  if (arrests.length > 0) {
    parts.push(
      table([
        ["arrests in", "reported", "last"],
        ...arrests.map(([place, a]) => [
          place,
          arrestsText(a),
          isoAt(a.lastAt, lastPrecision.get(`r:${place}`), zone),
        ]),
      ]),
    );
  }
  if (deaths.length > 0) {
    parts.push(
      table([
        ["deaths in (UCDP GED)", "best", "low", "high"],
        ...deaths.map(([place, d]) => [place, String(d.best), String(d.low), String(d.high)]),
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
  const zone = timeZone(values);
  if (values.json) {
    return json(
      history.map((i) => ({
        controller: i.controller,
        from: i.from,
        to: i.to,
        eventId: i.eventId,
        fromPrecision: i.fromPrecision,
        toPrecision: i.toPrecision,
        fromIso: isoAt(i.from, i.fromPrecision, zone),
        toIso: i.to === null ? null : isoAt(i.to, i.toPrecision, zone),
      })),
    );
  }
  if (history.length === 0) {
    io.stderr.write(`no control events for ${place}\n`);
    return "";
  }
  return `${table([
    ["controller", "from", "to", "event"],
    ...history.map((i) => [
      who(i.controller),
      isoAt(i.from, i.fromPrecision, zone),
      i.to === null ? "..." : isoAt(i.to, i.toPrecision, zone),
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

/** A claim as --json prints it: `since` in epoch ms and as ISO 8601 cut to its precision. */
function claimJson(claim: Claim, zone: Zone) {
  return {
    source: claim.source,
    controller: claim.controller,
    since: claim.since,
    sinceText: isoAt(claim.since, claim.precision, zone),
    precision: claim.precision,
    eventId: claim.eventId,
  };
}

/** Rows of a claims table, one per source; `place` first when given. */
function claimRows(claims: readonly Claim[], zone: Zone, place?: string): string[][] {
  return claims.map((c) => [
    ...(place === undefined ? [] : [place]),
    c.source,
    who(c.controller),
    isoAt(c.since, c.precision, zone),
    c.eventId,
  ]);
}

/** `claims --at T [--place P]`: each source's account of who held P (or every place) at T. */
function claimsCommand(input: LoadedInput, values: Values, io: Io): string {
  const at = time(values, "at") ?? required(values, "at");
  const options = queryOptions(values);
  const zone = timeZone(values);
  const one = typeof values.place === "string" && values.place !== "" ? values.place : undefined;
  const places =
    one !== undefined ? [one] : Object.keys(input.timeline.stateAt(at, options).control).sort();
  let claimed: { place: string; claims: readonly Claim[] }[];
  try {
    claimed = places.map((place) => ({
      place,
      claims: input.timeline.claims(place, at, options),
    }));
  } catch (error) {
    if (error instanceof TimelineValidationError) {
      throw new UsageError(`--place: ${error.issues.map((i) => i.message).join("; ")}`);
    }
    throw error;
  }
  const sourced = claimed.filter((p) => p.claims.length > 0);
  if (values.json) {
    if (one !== undefined) return json(sourced[0]?.claims.map((c) => claimJson(c, zone)) ?? []);
    return json(
      sourced.map((p) => ({ place: p.place, claims: p.claims.map((c) => claimJson(c, zone)) })),
    );
  }
  if (sourced.length === 0) {
    io.stderr.write(`no source reports on ${one ?? "any place"} by then\n`);
    return "";
  }
  if (one !== undefined) {
    const rows = claimRows(sourced[0]?.claims ?? [], zone);
    return `${table([["source", "controller", "since", "event"], ...rows])}\n`;
  }
  return `${table([
    ["place", "source", "controller", "since", "event"],
    ...sourced.flatMap((p) => claimRows(p.claims, zone, p.place)),
  ])}\n`;
}

/** `contested --at T`: the places whose sources disagree at T, each source's claim beside. */
function contestedCommand(input: LoadedInput, values: Values, io: Io): string {
  const at = time(values, "at") ?? required(values, "at");
  const zone = timeZone(values);
  const contested = input.timeline.contested(at, queryOptions(values));
  if (values.json) {
    return json(
      contested.map((p) => ({ place: p.place, claims: p.claims.map((c) => claimJson(c, zone)) })),
    );
  }
  if (contested.length === 0) {
    io.stderr.write("no contested places then\n");
    return "";
  }
  return `${table([
    ["place", "source", "controller", "since", "event"],
    ...contested.flatMap((p) => claimRows(p.claims, zone, p.place)),
  ])}\n`;
}

/** `sources`: every source the counted events cite, with how many cite it. */
function sourcesCommand(input: LoadedInput, values: Values, io: Io): string {
  const sources = input.timeline.sources(queryOptions(values));
  if (values.json) return json(sources);
  if (sources.length === 0) {
    io.stderr.write("no event cites a source\n");
    return "";
  }
  return `${table([["source", "events"], ...sources.map((s) => [s.name, String(s.events)])])}\n`;
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
  const options = queryOptions(values);
  if (values.areas === true && values.history === true) {
    throw new UsageError("give --areas or --history, not both");
  }
  if (values.history === true) {
    if (values.at !== undefined) throw new UsageError("--history takes --from and --to, not --at");
    const from = time(values, "from");
    const to = time(values, "to");
    return json(
      toGeoJSONHistory(input.timeline, places, {
        ...options,
        ...(from === undefined ? {} : { from }),
        ...(to === undefined ? {} : { to }),
      }),
    );
  }
  if (values.from !== undefined || values.to !== undefined) {
    throw new UsageError("--from and --to go with --history");
  }
  const at = time(values, "at");
  const state =
    at === undefined ? input.timeline.latest(options) : input.timeline.stateAt(at, options);
  if (values.areas !== true) return json(toGeoJSON(state, places));
  if (!Object.values(places).some((p) => p.geometry !== undefined)) {
    throw new UsageError(
      "--areas needs areas: give --places FILE with a geometry (GeoJSON Polygon or MultiPolygon) for some places",
    );
  }
  return json(controlAreas(state, places));
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
    timeZone: timeZone(values).name,
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
  const zone = timeZone(values);
  const zoneGiven = values["time-zone"] !== undefined || values["utc-offset"] !== undefined;
  for (const name of ["at", "from", "to", "as-of"]) time(values, name);
  const dateOrder = values["date-order"];
  if (dateOrder !== undefined && dateOrder !== "dmy" && dateOrder !== "mdy") {
    throw new UsageError(`--date-order: "${String(dateOrder)}" is not dmy or mdy`);
  }
  const reading = {
    ...(values.format === undefined ? {} : { format: values.format as FileFormat }),
    ...(places === undefined ? {} : { places }),
    ...(actors === undefined ? {} : { actors }),
    ...(zoneGiven ? { timeZone: zone.name } : {}),
    ...(io.stderr.isTTY ? { progress: raw(io.stderr) } : {}),
    ...(dateOrder === undefined ? {} : { dateOrder: dateOrder as "dmy" | "mdy" }),
    skipInvalid: values["skip-invalid"] === true,
  };
  if (command === "import") {
    const into = required(values, "into");
    if (!(await importFile({ file: file as string, into, ...reading, stderr: io.stderr }))) {
      throw new InvalidData();
    }
    return;
  }

  if (command === "view") {
    await viewCommand({
      file: file as string,
      port: values.port as string | undefined,
      reading,
      stdout: io.stdout,
      stderr: io.stderr,
      reportProblems: (loaded) => reportProblems(loaded, io),
      usageError: (message) => new UsageError(message),
    }).catch((error: unknown) => loadFailed(error, io));
    return;
  }

  let input: LoadedInput;
  try {
    input = await loadInput(file as string, reading);
  } catch (error) {
    loadFailed(error, io);
  }

  // A file written by toJSON() in a zone is read and printed in it, unless one is given.
  if (!zoneGiven) values["time-zone"] = input.timeline.timeZone;
  try {
    const output = answer(command, input, values, io);
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

/** Says why the input could not be read: a damaged store, an invalid --places or --actors. */
function loadFailed(error: unknown, io: Io): never {
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
      case "claims":
        output = claimsCommand(input, values, io);
        break;
      case "contested":
        output = contestedCommand(input, values, io);
        break;
      case "sources":
        output = sourcesCommand(input, values, io);
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
