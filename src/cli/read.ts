// What every command that answers a question does around its answer: read the input into a
// timeline (with the registries and zone of the command line), list its problems, then write
// the answer to stdout or --out and release the input.

import { writeFile } from "node:fs/promises";
import { TimelineValidationError } from "../core/errors.js";
import type { Registry } from "../core/registry.js";
import { readZone, type Zone } from "../core/zone.js";
import type { FileFormat } from "../formats/parsed-file.js";
import { isStoreLocation } from "../stores/open.js";
import { StoreCorruptionError } from "../stores/store.js";
import { type AnsweringInput, type Answers, timelineAnswers } from "./answers.js";
import type { Io } from "./command.js";
import { InvalidData, UsageError } from "./exit.js";
import type { LoadedInput, LoadOptions } from "./input.js";
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
    if (path === undefined) return undefined;
    return (await import("./input.js")).loadRegistry(path, name);
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

/** What a read command's answer is computed from. */
export interface Question {
  /** The input's queries: a file folded in memory, or a store read through a reader. */
  readonly answers: Answers;
  /** The registries that name the input's places and actors (given, or the input's own). */
  readonly places?: Registry;
  readonly actors?: Registry;
  /** The command line, its times read in {@link Question.zone}. */
  readonly args: Arguments;
  readonly io: Io;
  /** The zone times print in: --time-zone, else the input's own. */
  readonly zone: Zone;
  readonly names: Names;
  /** The place id that an option (--place) names, by id, name or alias in any case. */
  place(query: string, option?: string): Promise<string>;
}

/** What `validate` looks at: the whole input, every event checked. */
export interface Check {
  readonly input: LoadedInput;
  readonly args: Arguments;
  readonly io: Io;
}

/** Reads the input, or fails with exit code 1 (a damaged store, an invalid registry). */
async function load(args: Arguments, io: Io): Promise<LoadedInput> {
  const options = await readingOptions(args, io);
  // A store's zone says how its dates were read, not how to print them: it is opened in its
  // own zone, and --time-zone only prints (and reads the times of the command line).
  const { timeZone: _, ...storeOptions } = options;
  try {
    // The readers of every format, loaded by the commands that read a file (or check a store).
    const { loadInput } = await import("./input.js");
    return await loadInput(args.file, isStoreLocation(args.file) ? storeOptions : options);
  } catch (error) {
    if (error instanceof StoreCorruptionError) {
      io.stderr.write(`tidemark: ${error.message}\n`);
      throw new InvalidData();
    }
    if (error instanceof TimelineValidationError) reportRegistryIssues(error, io);
    throw error;
  }
}

/** Lists the issues of a registry given with --places or --actors; fails with exit code 1. */
function reportRegistryIssues(error: TimelineValidationError, io: Io): never {
  for (const issue of error.issues) {
    const [kind, ...path] = issue.path;
    io.stderr.write(`--${String(kind)}: ${path.join(".")}: ${issue.message}\n`);
  }
  throw new InvalidData();
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

/**
 * A file as a read command's input: read and checked (its problems fail the command, exit 1),
 * then folded in memory.
 */
async function fileInput(args: Arguments, io: Io): Promise<AnsweringInput> {
  const input = await load(args, io);
  try {
    reportProblems(input, io);
    noteSkipped(input, io);
  } catch (error) {
    await input.close();
    throw error;
  }
  return {
    answers: timelineAnswers(input.timeline),
    ...(input.places === undefined ? {} : { places: input.places }),
    ...(input.actors === undefined ? {} : { actors: input.actors }),
    close: () => input.close(),
  };
}

/**
 * A store as a read command's input: read through a reader (loaded only for a store), with
 * the registries it keeps unless --places or --actors is given.
 */
async function storeInput(args: Arguments, io: Io): Promise<AnsweringInput> {
  const { places, actors } = await readingOptions(args, io);
  try {
    // A registry given on the command line is checked as a timeline made with it would be.
    if (places !== undefined || actors !== undefined) {
      (await import("../core/timeline.js")).createTimeline({ places, actors });
    }
  } catch (error) {
    if (error instanceof TimelineValidationError) reportRegistryIssues(error, io);
    throw error;
  }
  const { storeInput: open } = await import("./store-answers.js");
  try {
    return await open(args.file, {
      ...(places === undefined ? {} : { places }),
      ...(actors === undefined ? {} : { actors }),
    });
  } catch (error) {
    if (error instanceof StoreCorruptionError) {
      io.stderr.write(`tidemark: ${error.message}\n`);
      throw new InvalidData();
    }
    throw error;
  }
}

/**
 * A read command (state, history...): `answer` returns what goes to stdout (or --out). A file
 * with problems fails first (exit 1); a store is read through a reader.
 */
export function answering(
  answer: (question: Question) => string | Promise<string>,
): (args: Arguments, io: Io) => Promise<void> {
  return async (given, io) => {
    const input = isStoreLocation(given.file)
      ? await storeInput(given, io)
      : await fileInput(given, io);
    try {
      const { answers } = input;
      // A file written by toJSON() in a zone, or a store, prints in it unless one is given.
      const zone = given.zoneGiven ? given.zone : (zoneOf(answers.timeZone) ?? given.zone);
      const args = given.inZone(zone);
      let known: readonly string[] | undefined;
      const output = await answer({
        answers,
        ...(input.places === undefined ? {} : { places: input.places }),
        ...(input.actors === undefined ? {} : { actors: input.actors }),
        args,
        io,
        zone,
        names: new Names(input.places, input.actors),
        place: async (query, option) => {
          // An id of the registry needs no look at the data (which, in a store, costs a read).
          if (input.places !== undefined && Object.hasOwn(input.places, query)) return query;
          known ??= await answers.knownPlaces();
          return resolvePlace(query, input.places, known, option);
        },
      });
      await write(output, args, io);
    } finally {
      await input.close();
    }
  };
}

/** `validate`: the whole input read and checked; `check` reports its problems itself. */
export function checking(
  check: (input: Check) => string,
): (args: Arguments, io: Io) => Promise<void> {
  return async (given, io) => {
    const input = await load(given, io);
    try {
      const zone = given.zoneGiven ? given.zone : (zoneOf(input.timeline.timeZone) ?? given.zone);
      const args = given.inZone(zone);
      await write(check({ input, args, io }), args, io);
    } finally {
      await input.close();
    }
  };
}

function zoneOf(timeZone: string | undefined): Zone | undefined {
  const zone = readZone(timeZone);
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
