/**
 * Events whose data was written for an older version of their definition: turned into the
 * current shape by the definition's `upcast`, and checked by the current schema, on every
 * path that reads events back (a store, a reader, a `toJSON` file) and for inputs that name an
 * older version.
 */
import type { AnyEventDefinition } from "./events.js";

/** Data brought to the current version, or the problem that kept it from getting there. */
export type Upcast =
  | { readonly data: unknown; readonly problem?: undefined; readonly path?: undefined }
  | { readonly problem: string; readonly path: readonly (string | number)[] };

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
  if (version > definition.version) {
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
  if (from >= definition.version) return { data };
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
