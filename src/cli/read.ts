// What every command that answers a question does around its answer: read the input into a
// timeline (with the registries and zone of the command line), list its problems, then write
// the answer to stdout or --out and release the input.

import { writeFile } from "node:fs/promises";
import { TimelineValidationError } from "../core/errors.js";
import type { Registry } from "../core/registry.js";
import { readZone, type Zone } from "../core/zone.js";
import type { FileFormat } from "../formats/text.js";
import { isStoreLocation } from "../stores/open.js";
import { StoreCorruptionError } from "../stores/store.js";
import type { Io } from "./command.js";
import { InvalidData, UsageError } from "./exit.js";
import { type LoadedInput, type LoadOptions, loadInput, loadRegistry } from "./input.js";
import { Names, resolvePlace } from "./names.js";
import type { Arguments } from "./options.js";
import { invalidLines, placeLines, skippedLines } from "./report.js";
import { raw } from "./streams.js";

/** How the command line asks for a file to be read (the reading options). */
export async function readingOptions(
  args: Arguments,
  io: Io,
): Promise<LoadOptions & { readonly skipInvalid: boolean }> {
  const registry = async (name: "places" | "actors"): Promise<Registry | undefined> => {
    const path = args.string(name);
    return path === undefined ? undefined : loadRegistry(path, name);
  };
  const places = await registry("places");
  const actors = await registry("actors");
  const format = args.string("format") as FileFormat | undefined;
  const dateOrder = args.string("date-order") as "dmy" | "mdy" | undefined;
  return {
    ...(format === undefined ? {} : { format }),
    ...(places === undefined ? {} : { places }),
    ...(actors === undefined ? {} : { actors }),
    ...(args.zoneGiven ? { timeZone: args.zone.name } : {}),
    ...(io.stderr.isTTY ? { progress: raw(io.stderr) } : {}),
    ...(dateOrder === undefined ? {} : { dateOrder }),
    skipInvalid: args.flag("skip-invalid"),
  };
}

/** What a command's answer is computed from. */
export interface Question {
  readonly input: LoadedInput;
  /** The command line, its times read in {@link Question.zone}. */
  readonly args: Arguments;
  readonly io: Io;
  /** The zone times print in: --time-zone, else the input's own. */
  readonly zone: Zone;
  readonly names: Names;
  /** The place id that an option (--place) names, by id, name or alias in any case. */
  place(query: string, option?: string): string;
}

/** Reads the input, or fails with exit code 1 (a damaged store, an invalid registry). */
async function load(args: Arguments, io: Io): Promise<LoadedInput> {
  const options = await readingOptions(args, io);
  // A store's zone says how its dates were read, not how to print them: it is opened in its
  // own zone, and --time-zone only prints (and reads the times of the command line).
  const { timeZone: _, ...storeOptions } = options;
  try {
    return await loadInput(args.file, isStoreLocation(args.file) ? storeOptions : options);
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
}

/** Prints every problem of the input on stderr and fails with exit code 1. */
export function reportProblems(input: LoadedInput, io: Io): void {
  if (input.problems.length === 0) return;
  for (const p of input.problems) io.stderr.write(`${p.where}: ${p.message}\n`);
  const n = input.problems.length;
  io.stderr.write(`${n} problem${n === 1 ? "" : "s"} in ${input.label}\n`);
  throw new InvalidData();
}

/** Notes on stderr about rows that were skipped: kinds not mapped, invalid rows left out. */
export function noteSkipped(input: LoadedInput, io: Io): void {
  const lines = [
    ...skippedLines(input.skipped),
    ...invalidLines(input.invalid),
    ...placeLines(input.placeChanges ?? []),
  ];
  for (const line of lines) io.stderr.write(`${line}\n`);
}

/** The places the data speaks of, for a --place that no registry names. */
function knownPlaces(input: LoadedInput): string[] {
  const state = input.timeline.latest();
  return [
    ...Object.keys(state.control),
    ...Object.keys(state.airstrikes),
    ...Object.keys(state.arrests),
  ];
}

/**
 * A command that reads its input and answers: `answer` returns what goes to stdout (or
 * --out). Unless `checksItself`, an input with problems fails first (exit 1).
 */
export function answering(
  answer: (question: Question) => string,
  options: { readonly checksItself?: boolean } = {},
): (args: Arguments, io: Io) => Promise<void> {
  return async (given, io) => {
    const input = await load(given, io);
    try {
      if (options.checksItself !== true) {
        reportProblems(input, io);
        noteSkipped(input, io);
      }
      // A file written by toJSON() in a zone, or a store, prints in it unless one is given.
      const zone = given.zoneGiven ? given.zone : (zoneOf(input) ?? given.zone);
      const args = given.inZone(zone);
      let known: string[] | undefined;
      const output = answer({
        input,
        args,
        io,
        zone,
        names: new Names(input.places, input.actors),
        place: (query, option) => {
          known ??= knownPlaces(input);
          return resolvePlace(query, input.places, known, option);
        },
      });
      await write(output, args, io);
    } finally {
      await input.close();
    }
  };
}

function zoneOf(input: LoadedInput): Zone | undefined {
  const zone = readZone(input.timeline.timeZone);
  return typeof zone === "string" ? undefined : zone;
}

async function write(output: string, args: Arguments, io: Io): Promise<void> {
  const out = args.string("out");
  if (out === undefined) {
    if (output !== "") io.stdout.write(output);
    return;
  }
  try {
    await writeFile(out, output);
  } catch (error) {
    throw new UsageError(`--out: cannot write ${out}: ${(error as Error).message}`);
  }
}
