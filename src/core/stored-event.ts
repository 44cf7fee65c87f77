import type { ValidationIssue } from "./errors.js";
import type { TimelineEvent } from "./events.js";
import { ENVELOPE, type IngestContext } from "./ingest.js";
import { isRecord } from "./json-data.js";
import type { Resolver } from "./registry.js";
import { readSources } from "./sources.js";
import { isPrecision } from "./time.js";
import { eventVersion, upcastData } from "./upcast.js";

/** Where `readStored` reports problems: set before each call of `readSources` from it. */
const sink: { issues: ValidationIssue[]; index: number } = { issues: [], index: 0 };
function report(path: (string | number)[], message: string): void {
  sink.issues.push({ index: sink.index, path, message });
}

/**
 * Reads an event back from a store: the object `JSON.parse` made of what the timeline wrote.
 * It was validated and normalised when it was appended, so its data is not parsed by its
 * schema again (a schema's transforms would apply twice); what may have changed since is
 * checked: the envelope's shape, that its type is defined, and that its places and actors are
 * in the registries. The object itself becomes the stored event (no copy: a store is read fast).
 */
export function readStored(
  raw: unknown,
  index: number,
  ctx: IngestContext,
  issues: ValidationIssue[],
): TimelineEvent | undefined {
  const before = issues.length;
  sink.issues = issues;
  sink.index = index;
  if (!isRecord(raw)) {
    report([], "expected a stored event object");
    return undefined;
  }
  for (const key in raw) {
    if (!ENVELOPE.has(key)) report([key], `unknown field "${key}"`);
  }
  const { id, type, at, precision, recordedAt, note, data } = raw;
  if (typeof id !== "string" || id.length === 0) report(["id"], "expected a non-empty string");
  const definition = typeof type === "string" ? ctx.definitions.get(type) : undefined;
  if (definition === undefined) {
    report(
      ["type"],
      typeof type === "string"
        ? `unknown event type "${type}" (pass its definition in \`events\`)`
        : "expected the event type as a string",
    );
  }
  if (!Number.isSafeInteger(at)) report(["at"], "expected epoch milliseconds");
  if (!Number.isSafeInteger(recordedAt)) report(["recordedAt"], "expected epoch milliseconds");
  if (!isPrecision(precision)) report(["precision"], "expected a precision");
  if (note !== undefined && typeof note !== "string") report(["note"], "expected a string");
  if (raw.notBefore !== undefined || raw.notBeforePrecision !== undefined) {
    if (!Number.isSafeInteger(raw.notBefore)) report(["notBefore"], "expected epoch milliseconds");
    if (!isPrecision(raw.notBeforePrecision))
      report(["notBeforePrecision"], "expected a precision");
  }
  const sources = readSources(raw.sources, ctx, report);
  // Stored without a version: written for version 1, or before versions existed.
  let current = data;
  if (definition !== undefined) {
    const version = eventVersion(definition, raw.version, 1);
    if (typeof version === "string") report(["version"], version);
    else if (version < definition.version) {
      const up = upcastData(definition, data, version, true);
      if (up.problem !== undefined) report([...up.path], up.problem);
      else {
        current = up.data;
        raw.data = current;
        raw.version = definition.version;
      }
    } else if (version === 1) delete raw.version;
  }
  if (definition !== undefined && isRecord(current)) {
    checkRefs(current, definition.refs.places, ctx.places);
    checkRefs(current, definition.refs.actors, ctx.actors);
  }
  if (issues.length > before) return undefined;
  raw.sources = sources;
  return raw as unknown as TimelineEvent;
}

/** Reports the place or actor ids in `data[keys]` that the registry does not know. */
function checkRefs(
  data: Record<string, unknown>,
  keys: readonly string[],
  resolver: Resolver | undefined,
): void {
  if (resolver === undefined) return;
  const what = resolver.kind === "places" ? "place" : "actor";
  for (const key of keys) {
    const value = data[key];
    const names = Array.isArray(value) ? value : value === undefined ? [] : [value];
    names.forEach((name, i) => {
      if (typeof name === "string" && resolver.resolve(name) === undefined) {
        const path = Array.isArray(value) ? ["data", key, i] : ["data", key];
        report(path, `unknown ${what} "${name}" (not in the ${resolver.kind} registry)`);
      }
    });
  }
}
