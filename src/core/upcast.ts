/**
 * Events whose data was written for an older version of their definition: turned into the
 * current shape by the definition's `upcast`, and checked by the current schema, on every
 * path that reads events back (a store, a reader, a `toJSON` file) and for inputs that name an
 * older version.
 */
import { TimelineValidationError } from "./errors.js";
import type { AnyEventDefinition, TimelineEvent } from "./events.js";

/** Data brought to the current version, or the problem that kept it from getting there. */
export type Upcast =
  | { readonly data: unknown; readonly problem?: undefined; readonly path?: undefined }
  | { readonly problem: string; readonly path: readonly (string | number)[] };

/** Definitions that take data of any version as it is stored (see {@link takingAnyVersion}). */
const anyVersion = new WeakSet<AnyEventDefinition>();

/**
 * Marks a definition as taking data of any version as it is, keeping the version stored with
 * each event: for event types read without their schema (the command line's opaque types),
 * whose versions it cannot check.
 */
export function takingAnyVersion<D extends AnyEventDefinition>(definition: D): D {
  anyVersion.add(definition);
  return definition;
}

/**
 * The version an event names (`fallback` when it names none), or a problem: a version is a
 * whole number from 1 up to the definition's.
 */
export function eventVersion(
  definition: AnyEventDefinition,
  version: unknown,
  fallback: number,
): number | string {
  if (version === undefined) return fallback;
  if (typeof version !== "number" || !Number.isSafeInteger(version) || version < 1) {
    return "expected a whole number from 1";
  }
  if (version > definition.version && !anyVersion.has(definition)) {
    return `"${definition.type}" version ${version} is newer than the definition given (version ${definition.version}): read it with the definition that wrote it, or a later one`;
  }
  return version;
}

/**
 * `data` of version `from` in the current shape of `definition` (data of the current version
 * is returned as it is). With `check`, upcast data is parsed by the current schema, for data
 * that no other step parses (an event read back from a store).
 */
export function upcastData(
  definition: AnyEventDefinition,
  data: unknown,
  from: number,
  check: boolean,
): Upcast {
  if (from >= definition.version || anyVersion.has(definition)) return { data };
  if (definition.upcast === undefined) {
    return {
      path: ["version"],
      problem: `a "${definition.type}" event of version ${from} cannot be read as version ${definition.version}: give defineEvent("${definition.type}", schema, { version: ${definition.version}, upcast }) an upcast from version ${from}`,
    };
  }
  let current: unknown;
  try {
    current = definition.upcast(data, from);
  } catch (error) {
    return {
      path: ["data"],
      problem: `upcasting a "${definition.type}" event from version ${from} to ${definition.version} failed: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  if (!check) return { data: current };
  const parsed = definition.schema.safeParse(current);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      path: ["data", ...((issue?.path ?? []) as (string | number)[])],
      problem: `a "${definition.type}" event upcast from version ${from} to ${definition.version} does not fit the schema: ${issue?.message ?? "invalid"}`,
    };
  }
  return { data: parsed.data };
}

/** Reads a stored event's JSON, bringing its data to the current version of its definition. */
export type StoredEventReader = (content: string) => TimelineEvent;

/**
 * The reader of stored events' JSON for these definitions: `JSON.parse` where no definition
 * has a version above 1; else stored data of an older version is upcast and checked (an event
 * of a type not given is read as it is stored).
 *
 * @throws {TimelineValidationError} (from the reader) naming the event, its type and the
 *   versions, when its data has no way to the current version.
 */
export function storedEventReader(
  definitions: readonly AnyEventDefinition[] | undefined,
): StoredEventReader {
  const versioned = new Map(
    (definitions ?? []).filter((d) => d.version !== 1).map((d) => [d.type, d] as const),
  );
  if (versioned.size === 0) return (content) => JSON.parse(content) as TimelineEvent;
  return (content) => {
    const event = JSON.parse(content) as TimelineEvent & { version?: unknown };
    const definition = versioned.get(event.type);
    if (definition === undefined) return event;
    const version = eventVersion(definition, event.version, 1);
    const up =
      typeof version === "string"
        ? { path: ["version"], problem: version }
        : upcastData(definition, event.data, version, true);
    if (up.problem !== undefined) {
      throw new TimelineValidationError([
        { index: 0, path: [...up.path], message: `stored event "${event.id}": ${up.problem}` },
      ]);
    }
    return { ...event, version: definition.version, data: up.data };
  };
}
