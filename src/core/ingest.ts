import type { ValidationIssue } from "./errors.js";
import {
  type AnyEventDefinition,
  BUILTIN_EVENTS,
  type Source,
  type TimelineEvent,
} from "./events.js";
import { idProblem } from "./id-rules.js";
import { contentId, type EventContent } from "./ids.js";
import { isRecord, notJson } from "./json-data.js";
import { nfc } from "./nfc.js";
import type { Resolver } from "./registry.js";
import { readSources, type SourceTables } from "./sources.js";
import { isCoarser, isPrecision, type ParsedTime, type Precision, readTime } from "./time.js";
import { eventVersion, upcastData } from "./upcast.js";
import type { Zone } from "./zone.js";

/** What validation needs to know about the timeline. */
export interface IngestContext extends SourceTables {
  readonly definitions: ReadonlyMap<string, AnyEventDefinition>;
  readonly places: Resolver | undefined;
  readonly actors: Resolver | undefined;
  /** The zone that dates and date-times without an offset are read in. */
  readonly zone: Zone;
}

const BUILTIN: ReadonlySet<AnyEventDefinition> = new Set(BUILTIN_EVENTS);

export const ENVELOPE = new Set([
  "type",
  "at",
  "data",
  "id",
  "recordedAt",
  "precision",
  "sources",
  "note",
  "notBefore",
  "notBeforePrecision",
  "version",
]);

/**
 * Reads `notBefore` (and `notBeforePrecision`, which a stored event written by `toJSON` carries,
 * with the same rule as `precision`): the earliest instant the event can have happened, so
 * that output can print a span ("between 3 and 10 Oct") where a source only brackets it.
 */
function readNotBefore(
  input: Record<string, unknown>,
  at: ParsedTime | string,
  zone: Zone,
  problem: (path: (string | number)[], message: string) => void,
): ParsedTime | undefined {
  if (input.notBefore === undefined) {
    if (input.notBeforePrecision !== undefined)
      problem(["notBeforePrecision"], "given without `notBefore`");
    return undefined;
  }
  const parsed = readTime(input.notBefore, zone);
  if (typeof parsed === "string") {
    problem(["notBefore"], parsed);
    return undefined;
  }
  let precision = parsed.precision;
  const coarser = input.notBeforePrecision;
  if (coarser !== undefined) {
    if (!isPrecision(coarser)) {
      problem(
        ["notBeforePrecision"],
        "expected one of year, month, week, day, hour, minute, second, millisecond",
      );
      return undefined;
    }
    if (isCoarser(precision, coarser)) {
      problem(
        ["notBeforePrecision"],
        `"${coarser}" is finer than the form of \`notBefore\` ("${precision}")`,
      );
      return undefined;
    }
    precision = coarser;
  }
  if (typeof at !== "string" && parsed.at > at.at) {
    problem(["notBefore"], "is after `at`: an event cannot have happened before it could begin");
    return undefined;
  }
  return { at: parsed.at, precision };
}

function resolveRefs(
  data: Record<string, unknown>,
  keys: readonly string[],
  resolver: Resolver | undefined,
  problem: (path: (string | number)[], message: string) => void,
): void {
  const what = resolver?.kind === "places" ? "place" : "actor";
  const one = (given: unknown, path: (string | number)[]): unknown => {
    if (typeof given !== "string") return given;
    // NFC and NFD "Ḥomṣ" print alike: they are one place.
    const name = nfc(given);
    if (resolver === undefined) return name;
    const id = resolver.resolve(name);
    if (id === undefined)
      problem(path, `unknown ${what} "${name}" (not in the ${resolver.kind} registry)`);
    return id ?? name;
  };
  for (const key of keys) {
    const value = data[key];
    if (Array.isArray(value)) data[key] = value.map((v, i) => one(v, ["data", key, i]));
    else if (value !== undefined) data[key] = one(value, ["data", key]);
  }
}

/** The precision of `at`: its form's, or a coarser one given as `precision`. */
function readPrecision(
  given: unknown,
  at: ParsedTime | string,
  problem: (path: (string | number)[], message: string) => void,
): Precision | undefined {
  let precision: Precision | undefined = typeof at === "string" ? undefined : at.precision;
  if (given !== undefined) {
    if (!isPrecision(given)) {
      problem(
        ["precision"],
        `expected one of year, month, week, day, hour, minute, second, millisecond`,
      );
    } else if (precision !== undefined && isCoarser(precision, given)) {
      problem(["precision"], `"${given}" is finer than the form of \`at\` ("${precision}")`);
    } else {
      precision = given;
    }
  }
  return precision;
}

/**
 * An event's data parsed by its definition's schema, its place and actor names resolved to
 * registry ids (data of an unknown type is checked for its shape only); `undefined` when it
 * has problems (reported).
 */
function readData(
  raw: unknown,
  definition: AnyEventDefinition | undefined,
  ctx: IngestContext,
  problem: (path: (string | number)[], message: string) => void,
  upcastNote = "",
): unknown {
  let data: unknown;
  // Too deep, cyclic, or with a "__proto__" key: refused before a custom schema walks it (the
  // built-in schemas are strict objects of a few flat fields).
  const unsafe =
    definition !== undefined && BUILTIN.has(definition) ? undefined : notJson(raw, ["data"], true);
  if (unsafe !== undefined) problem(unsafe.path, `data must be plain JSON; found ${unsafe.what}`);
  if (definition !== undefined && unsafe === undefined) {
    const parsed = definition.schema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        problem(["data", ...(issue.path as (string | number)[])], upcastNote + issue.message);
      }
      // Report unknown places and actors too, so that one attempt shows every problem.
      if (isRecord(raw)) {
        const copy = { ...raw };
        resolveRefs(copy, definition.refs.places, ctx.places, problem);
        resolveRefs(copy, definition.refs.actors, ctx.actors, problem);
      }
    } else {
      data = parsed.data;
      // The built-in schemas only admit strings, whole numbers and arrays of strings.
      const bad = BUILTIN.has(definition) ? undefined : notJson(data, ["data"]);
      if (bad !== undefined) problem(bad.path, `data must be plain JSON; found ${bad.what}`);
      if (isRecord(data)) {
        resolveRefs(data, definition.refs.places, ctx.places, problem);
        resolveRefs(data, definition.refs.actors, ctx.actors, problem);
      }
    }
  }
  return data;
}

/** The data an input's version names, brought to the current version (see upcast.ts). */
interface Written {
  readonly version: number | undefined;
  readonly data: unknown;
}

/**
 * An input is written for its definition's current version unless it names an older one,
 * whose data is upcast here. Returns the version to store (absent for 1), the data to parse,
 * what to prefix a schema's complaint with when an upcast made that data, and, for an older
 * version, the content as written (which names the event).
 */
function readVersion(
  input: Record<string, unknown>,
  definition: AnyEventDefinition | undefined,
  problem: (path: (string | number)[], message: string) => void,
): {
  version: number | undefined;
  given: unknown;
  upcastNote: string;
  written: Written | undefined;
} {
  let version: number | undefined;
  let given: unknown = input.data;
  let upcastNote = "";
  let written: Written | undefined;
  if (definition !== undefined) {
    const named = eventVersion(definition, input.version, definition.version);
    if (typeof named === "string") problem(["version"], named);
    else if (named !== 1 || definition.version !== 1) {
      const up = upcastData(definition, input.data, named, false);
      if (up.problem !== undefined) problem([...up.path], up.problem);
      else given = up.data;
      if (named < definition.version) {
        upcastNote = `(upcast from version ${named} to ${definition.version}) `;
        written = { version: named === 1 ? undefined : named, data: input.data };
      }
      // The definition's version, or (for one taking any version) the one named.
      const kept = Math.max(named, definition.version);
      if (kept !== 1) version = kept;
    }
  }
  return { version, given, upcastNote, written };
}

/**
 * The event a valid input becomes, shaped as it is stored (one object per event, not two):
 * an id given by the user is kept as it is; otherwise the content names the event.
 */
function assemble(
  input: Record<string, unknown>,
  type: string,
  at: number,
  precision: Precision,
  recordedAt: number,
  sources: readonly Source[],
  notBefore: ParsedTime | undefined,
  data: unknown,
  version: number | undefined,
  written: Written | undefined,
): TimelineEvent {
  // An input of an older version is named by its content as that version wrote it.
  const name = (event: EventContent) =>
    (input.id as string | undefined) ??
    contentId(written === undefined ? event : { ...event, ...written });
  if (notBefore !== undefined) {
    const candidate: { id: string } & EventContent = {
      id: "",
      type,
      at,
      precision,
      recordedAt,
      sources,
      ...(input.note === undefined ? {} : { note: input.note as string }),
      notBefore: notBefore.at,
      notBeforePrecision: notBefore.precision,
      ...(version === undefined ? {} : { version }),
      data,
    };
    candidate.id = name(candidate);
    return candidate;
  }
  const candidate: { id: string } & EventContent =
    version !== undefined
      ? {
          id: "",
          type,
          at,
          precision,
          recordedAt,
          sources,
          ...(input.note === undefined ? {} : { note: input.note as string }),
          version,
          data,
        }
      : input.note === undefined
        ? {
            id: "",
            type,
            at,
            precision,
            recordedAt,
            sources,
            data,
          }
        : {
            id: "",
            type,
            at,
            precision,
            recordedAt,
            sources,
            note: input.note as string,
            data,
          };
  candidate.id = name(candidate);
  return candidate;
}

/**
 * Validates one input and normalises it (times parsed, aliases resolved, data parsed by
 * its schema). Problems go to `issues`; returns `undefined` when there were any.
 */
export function ingest(
  input: unknown,
  index: number,
  ctx: IngestContext,
  issues: ValidationIssue[],
): TimelineEvent | undefined {
  const before = issues.length;
  const problem = (path: (string | number)[], message: string) =>
    issues.push({ index, path, message });
  if (!isRecord(input)) {
    problem(
      [],
      `expected an event object { type, at, data, ... }, got ${Array.isArray(input) ? "an array" : input === null ? "null" : typeof input}`,
    );
    return undefined;
  }
  for (const key in input) {
    if (Object.hasOwn(input, key) && !ENVELOPE.has(key)) problem([key], `unknown field "${key}"`);
  }

  const { type } = input;
  const definition = typeof type === "string" ? ctx.definitions.get(type) : undefined;
  if (typeof type !== "string") problem(["type"], "expected the event type as a string");
  else if (definition === undefined) {
    problem(
      ["type"],
      `unknown event type "${type}" (known: ${[...ctx.definitions.keys()].join(", ")})`,
    );
  }

  const at = readTime(input.at, ctx.zone);
  if (input.at === undefined) problem(["at"], "missing: when did it happen?");
  else if (typeof at === "string") problem(["at"], at);

  let recordedAt = at;
  if (input.recordedAt !== undefined) {
    recordedAt = readTime(input.recordedAt, ctx.zone);
    if (typeof recordedAt === "string") problem(["recordedAt"], recordedAt);
  }

  const precision = readPrecision(input.precision, at, problem);

  const notBefore = readNotBefore(input, at, ctx.zone, problem);

  if (input.id !== undefined) {
    const wrong =
      typeof input.id === "string" ? idProblem(input.id) : "expected a non-empty string";
    if (wrong !== undefined) problem(["id"], wrong);
  }
  if (input.note !== undefined && typeof input.note !== "string")
    problem(["note"], "expected a string");

  const sources = readSources(input.sources, ctx, problem);

  const { version, given, upcastNote, written } = readVersion(input, definition, problem);
  const data = readData(given, definition, ctx, problem, upcastNote);

  if (issues.length > before || typeof at === "string" || typeof recordedAt === "string")
    return undefined;
  return assemble(
    input,
    type as string,
    at.at,
    precision as Precision,
    recordedAt.at,
    sources as readonly Source[],
    notBefore,
    data,
    version,
    written,
  );
}
