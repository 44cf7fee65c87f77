import type { ValidationIssue } from "./errors.js";
import { type AnyEventDefinition, BUILTIN_EVENTS, type Source } from "./events.js";
import { idProblem } from "./id-rules.js";
import { contentId } from "./ids.js";
import { nfc } from "./nfc.js";
import type { Resolver } from "./registry.js";
import { isCoarser, isPrecision, type ParsedTime, type Precision, readTime } from "./time.js";
import { eventVersion, upcastData } from "./upcast.js";
import type { Zone } from "./zone.js";

/**
 * An input that passed validation: already shaped as the stored event it becomes once it has
 * an id and is frozen (one object per event, not two).
 */
export interface Candidate {
  id: string;
  readonly type: string;
  readonly at: number;
  readonly precision: Precision;
  readonly recordedAt: number;
  readonly sources: readonly Source[];
  readonly note?: string;
  readonly notBefore?: number;
  readonly notBeforePrecision?: Precision;
  /** The definition's version, when not 1 (the data has been brought to it). */
  readonly version?: number;
  readonly data: unknown;
}

/** What validation needs to know about the timeline. */
export interface IngestContext {
  readonly definitions: ReadonlyMap<string, AnyEventDefinition>;
  readonly places: Resolver | undefined;
  readonly actors: Resolver | undefined;
  /** The zone that dates and date-times without an offset are read in. */
  readonly zone: Zone;
  /** Shares one frozen array between events that cite the same sources. */
  readonly sourceLists: Map<string, readonly Source[]>;
  /** The same for lists of one source given by name alone, keyed by that name. */
  readonly singleSources: Map<string, readonly Source[]>;
}

const BUILTIN: ReadonlySet<AnyEventDefinition> = new Set(BUILTIN_EVENTS);

const ENVELOPE = new Set([
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * How deep objects and arrays may nest in event data. Deeper data is refused with a located
 * issue: stored events are written with `JSON.stringify` and compared and frozen by walks
 * that a 10^5-deep value would take past the call stack.
 */
export const MAX_DEPTH = 1_000;

type NotJson = { path: (string | number)[]; what: string } | undefined;

/**
 * Where a value is not plain JSON data (a Map, a Date, a typed array, a BigInt, a function,
 * a non-finite number, a cycle, nesting deeper than {@link MAX_DEPTH}, a `__proto__` key...):
 * its path, or `undefined` when it is JSON. Stored events must be JSON so that `toJSON` and
 * `fromJSON` lose nothing. With `shapeOnly`, only depth, cycles and `__proto__` keys are
 * checked (the raw input, before its schema reads it: zod drops `__proto__` keys silently).
 * Iterative, with the path built only for the value reported, so any depth costs linear time.
 */
function notJson(root: unknown, base: (string | number)[], shapeOnly = false): NotJson {
  const keys: { parent: number; key: string | number }[] = [];
  const pathOf = (node: number) => {
    const path: (string | number)[] = [];
    for (let at = node; at >= 0; at = (keys[at] as { parent: number }).parent) {
      path.push((keys[at] as { key: string | number }).key);
    }
    return [...base, ...path.reverse()];
  };
  const within = new Set<object>();
  type Visit = { value: unknown; node: number; depth: number } | { leave: object };
  const stack: Visit[] = [{ value: root, node: -1, depth: 0 }];
  const child = (value: unknown, parent: number, key: string | number, depth: number) => {
    keys.push({ parent, key });
    stack.push({ value, node: keys.length - 1, depth });
  };
  while (stack.length > 0) {
    const visit = stack.pop() as Visit;
    if ("leave" in visit) {
      within.delete(visit.leave);
      continue;
    }
    const { value, node, depth } = visit;
    if (value === null || typeof value === "string" || typeof value === "boolean") continue;
    if (typeof value === "number") {
      if (!shapeOnly && !Number.isFinite(value)) return { path: pathOf(node), what: String(value) };
      continue;
    }
    if (typeof value !== "object") {
      if (shapeOnly) continue;
      return { path: pathOf(node), what: `a ${typeof value}` };
    }
    if (within.has(value)) return { path: pathOf(node), what: "a cycle" };
    if (depth >= MAX_DEPTH) {
      return { path: pathOf(node), what: `data nested deeper than ${MAX_DEPTH} levels` };
    }
    within.add(value);
    stack.push({ leave: value });
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) child(value[i], node, i, depth + 1);
      continue;
    }
    if (!shapeOnly) {
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        return { path: pathOf(node), what: `a ${value.constructor?.name ?? "non-plain object"}` };
      }
    }
    if (Object.hasOwn(value, "__proto__")) {
      return { path: pathOf(node), what: 'a "__proto__" key (not kept by JavaScript objects)' };
    }
    const names = Object.keys(value);
    for (let i = names.length - 1; i >= 0; i--) {
      const key = names[i] as string;
      const item = (value as Record<string, unknown>)[key];
      if (item !== undefined) child(item, node, key, depth + 1);
    }
  }
  return undefined;
}

/** Freezes a plain value and everything inside it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    if (Array.isArray(value)) {
      for (const item of value) if (typeof item === "object") deepFreeze(item);
    } else {
      for (const key in value) {
        const item = (value as Record<string, unknown>)[key];
        if (typeof item === "object") deepFreeze(item);
      }
    }
  }
  return value;
}

/** Structural equality of JSON-like values (what stored events are made of). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) =>
    deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
  );
}

/** What the duplicate-id rule compares: everything an event says but its id. */
type Content = Pick<
  Candidate,
  | "type"
  | "at"
  | "precision"
  | "recordedAt"
  | "note"
  | "notBefore"
  | "notBeforePrecision"
  | "version"
  | "sources"
  | "data"
>;

/** True when two events (stored or candidates) say the same: the duplicate-id rule. */
export function sameContent(a: Content, b: Content): boolean {
  return (
    a.type === b.type &&
    a.at === b.at &&
    a.precision === b.precision &&
    a.recordedAt === b.recordedAt &&
    a.note === b.note &&
    a.notBefore === b.notBefore &&
    a.notBeforePrecision === b.notBeforePrecision &&
    a.version === b.version &&
    deepEqual(a.sources, b.sources) &&
    deepEqual(a.data, b.data)
  );
}

function readSources(
  raw: unknown,
  ctx: IngestContext,
  problem: (path: (string | number)[], message: string) => void,
): readonly Source[] | undefined {
  if (raw === undefined) return readSources([], ctx, problem);
  // The common case, one source cited by name alone, skips building a key.
  if (Array.isArray(raw) && raw.length === 1) {
    const only = raw[0] as { name?: unknown } | null;
    if (isRecord(only) && typeof only.name === "string" && only.name.length > 0) {
      let keys = 0;
      for (const _ in only) keys++;
      const shared = keys === 1 ? ctx.singleSources.get(only.name) : undefined;
      if (shared !== undefined) return shared;
    }
  }
  if (!Array.isArray(raw)) {
    problem(["sources"], "expected an array of { name, url?, note? }");
    return undefined;
  }
  const list: Source[] = [];
  let ok = true;
  raw.forEach((s: unknown, i) => {
    if (!isRecord(s)) {
      problem(["sources", i], "expected an object { name, url?, note? }");
      ok = false;
      return;
    }
    for (const key of Object.keys(s)) {
      if (key !== "name" && key !== "url" && key !== "note") {
        problem(["sources", i, key], `unknown field "${key}" (a source has name, url and note)`);
        ok = false;
      }
    }
    if (typeof s.name !== "string" || s.name.length === 0) {
      problem(["sources", i, "name"], "expected a non-empty string");
      ok = false;
    }
    for (const key of ["url", "note"] as const) {
      if (s[key] !== undefined && typeof s[key] !== "string") {
        problem(["sources", i, key], "expected a string");
        ok = false;
      }
    }
    if (ok) {
      const source: { name: string; url?: string; note?: string } = { name: s.name as string };
      if (s.url !== undefined) source.url = s.url as string;
      if (s.note !== undefined) source.note = s.note as string;
      list.push(source);
    }
  });
  if (!ok) return undefined;
  // One source named alone is keyed by its name; anything else by its JSON (two maps, so
  // that no name can pass for the JSON of a list).
  const only = list.length === 1 ? list[0] : undefined;
  const single = only !== undefined && only.url === undefined && only.note === undefined;
  const table = single ? ctx.singleSources : ctx.sourceLists;
  const key = single ? only.name : JSON.stringify(list);
  let shared = table.get(key);
  if (shared === undefined) {
    shared = deepFreeze(list);
    table.set(key, shared);
  }
  return shared;
}

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

/**
 * Validates one input and normalises it (times parsed, aliases resolved, data parsed by
 * its schema). Problems go to `issues`; returns `undefined` when there were any.
 */
export function ingest(
  input: unknown,
  index: number,
  ctx: IngestContext,
  issues: ValidationIssue[],
): Candidate | undefined {
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

  let precision: Precision | undefined = typeof at === "string" ? undefined : at.precision;
  if (input.precision !== undefined) {
    if (!isPrecision(input.precision)) {
      problem(
        ["precision"],
        `expected one of year, month, week, day, hour, minute, second, millisecond`,
      );
    } else if (precision !== undefined && isCoarser(precision, input.precision)) {
      problem(
        ["precision"],
        `"${input.precision}" is finer than the form of \`at\` ("${precision}")`,
      );
    } else {
      precision = input.precision;
    }
  }

  const notBefore = readNotBefore(input, at, ctx.zone, problem);

  if (input.id !== undefined) {
    const wrong =
      typeof input.id === "string" ? idProblem(input.id) : "expected a non-empty string";
    if (wrong !== undefined) problem(["id"], wrong);
  }
  if (input.note !== undefined && typeof input.note !== "string")
    problem(["note"], "expected a string");

  const sources = readSources(input.sources, ctx, problem);

  // An input is written for the current version unless it names an older one.
  let version: number | undefined;
  let given: unknown = input.data;
  /** Says where data that the schema refuses came from, when an upcast made it. */
  let upcastNote = "";
  /** An input of an older version is named by its content as that version wrote it. */
  let written: { version: number | undefined; data: unknown } | undefined;
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

  let data: unknown;
  // Too deep, cyclic, or with a "__proto__" key: refused before a custom schema walks it (the
  // built-in schemas are strict objects of a few flat fields).
  const unsafe =
    definition !== undefined && BUILTIN.has(definition)
      ? undefined
      : notJson(given, ["data"], true);
  if (unsafe !== undefined) problem(unsafe.path, `data must be plain JSON; found ${unsafe.what}`);
  if (definition !== undefined && unsafe === undefined) {
    const parsed = definition.schema.safeParse(given);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        problem(["data", ...(issue.path as (string | number)[])], upcastNote + issue.message);
      }
      // Report unknown places and actors too, so that one attempt shows every problem.
      if (isRecord(given)) {
        const copy = { ...given };
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

  if (issues.length > before || typeof at === "string" || typeof recordedAt === "string")
    return undefined;
  if (notBefore !== undefined) {
    const candidate: Candidate = {
      id: "",
      type: type as string,
      at: at.at,
      precision: precision as Precision,
      recordedAt: recordedAt.at,
      sources: sources as readonly Source[],
      ...(input.note === undefined ? {} : { note: input.note as string }),
      notBefore: notBefore.at,
      notBeforePrecision: notBefore.precision,
      ...(version === undefined ? {} : { version }),
      data,
    };
    candidate.id =
      (input.id as string | undefined) ??
      contentId(written === undefined ? candidate : { ...candidate, ...written });
    return candidate;
  }
  // An id given by the user is kept as it is; otherwise the content names the event.
  const givenId = input.id as string | undefined;
  const candidate: Candidate =
    version !== undefined
      ? {
          id: "",
          type: type as string,
          at: at.at,
          precision: precision as Precision,
          recordedAt: recordedAt.at,
          sources: sources as readonly Source[],
          ...(input.note === undefined ? {} : { note: input.note as string }),
          version,
          data,
        }
      : input.note === undefined
        ? {
            id: "",
            type: type as string,
            at: at.at,
            precision: precision as Precision,
            recordedAt: recordedAt.at,
            sources: sources as readonly Source[],
            data,
          }
        : {
            id: "",
            type: type as string,
            at: at.at,
            precision: precision as Precision,
            recordedAt: recordedAt.at,
            sources: sources as readonly Source[],
            note: input.note as string,
            data,
          };
  candidate.id =
    givenId ?? contentId(written === undefined ? candidate : { ...candidate, ...written });
  return candidate;
}

/** Where `restore` reports problems: set before each call of `readSources` from it. */
const sink: { issues: ValidationIssue[]; index: number } = { issues: [], index: 0 };
function report(path: (string | number)[], message: string): void {
  sink.issues.push({ index: sink.index, path, message });
}

/**
 * Reads an event back from a store: the object `JSON.parse` made of what the timeline wrote.
 * It was validated and normalised when it was appended, so its data is not parsed by its
 * schema again (a schema's transforms would apply twice); what may have changed since is
 * checked: the envelope's shape, that its type is defined, and that its places and actors are
 * in the registries. The object itself becomes the candidate (no copy: a store is read fast).
 */
export function restore(
  raw: unknown,
  index: number,
  ctx: IngestContext,
  issues: ValidationIssue[],
): Candidate | undefined {
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
  return raw as unknown as Candidate;
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
