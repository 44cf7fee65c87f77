// What the page shows: a timeline with its places, actors, sources and time window. Either
// the Palmyra example (examples/palmyra/) or a file dropped on the page, parsed in the
// browser by the library's own `parseEventsText`. Every timeline knows UCDP's `Fatalities`
// and sums them per place (`fatalities`), so that a dropped GED file reads like the others.

import {
  createTimeline,
  type DefinitionsFor,
  type EventOf,
  Fatalities,
  fatalities,
  type InputOf,
  parseEventsText,
  parseTime,
  type Registry,
  TimelineValidationError,
} from "tidemark";
import { actors as palmyraActors } from "../../palmyra/actors.js";
import { palmyraEvents } from "../../palmyra/events.js";
import { places as palmyraPlaces } from "../../palmyra/places.js";
import { SYRIA_OFFSET_MINUTES, TIME_LABELS } from "../../palmyra/times.js";
import { type Clock, DAY, HOUR, startOfDay } from "./time.js";

type Definitions = DefinitionsFor<[typeof Fatalities]>;
/** A stored event of the page's timelines: the built-in types and UCDP's `Fatalities`. */
export type StoredEvent = EventOf<Definitions>;
type Input = InputOf<Definitions>;

/** A timeline of the page: the built-in events and slices, with `Fatalities` summed per place. */
function newTimeline(places: Registry | undefined, actors: Registry | undefined) {
  return createTimeline({ events: [Fatalities], reducers: { fatalities }, places, actors });
}

/** The page's timeline type (see {@link newTimeline}). */
export type ViewerTimeline = ReturnType<typeof newTimeline>;

/** A range of instants (epoch ms), with the step of the sliders over it. */
export interface Window {
  readonly start: number;
  readonly end: number;
  readonly step: number;
}

export interface Dataset {
  /** What the data is, for the header. */
  readonly title: string;
  readonly subtitle: string;
  readonly timeline: ViewerTimeline;
  readonly places: Registry;
  readonly actors: Registry;
  /** Every stored event (retractions included), by id. */
  readonly eventsById: ReadonlyMap<string, StoredEvent>;
  /** Source names in order of first citation, with the number of events citing each. */
  readonly sources: readonly { readonly name: string; readonly events: number }[];
  /** Events that cite no source (they count only when every source is ticked). */
  readonly unsourced: number;
  /** Actor ids that can appear on the map: the registry's and every controller named. */
  readonly actorIds: readonly string[];
  readonly clock: Clock;
  /** The whole timeline, and its busiest last days (the sliders' default range). */
  readonly full: Window;
  readonly recent: Window;
  /** Rows of the file that are not events tidemark reads (ACLED CSV), shown above the map. */
  readonly skipped: readonly { readonly row: number; readonly reason: string }[];
}

/** A file that could not be loaded: the library's messages, one per problem. */
export interface LoadFailure {
  readonly file: string;
  readonly problems: readonly string[];
}

/** The Palmyra example, as `npm run example` prints it. */
export function palmyraDataset(): Dataset {
  const timeline = newTimeline(palmyraPlaces, palmyraActors);
  timeline.appendAll(palmyraEvents);
  const labels = new Map(
    Object.entries(TIME_LABELS).map(([iso, label]) => [parseTime(iso).at, label] as const),
  );
  return describe({
    title: "Palmyra, 8–12 December 2016",
    subtitle: "“Back and forth in Palmyra”: one Arabic news report of Sunday 11 December 2016",
    timeline,
    places: palmyraPlaces,
    actors: palmyraActors,
    clock: { offsetMinutes: SYRIA_OFFSET_MINUTES, labels },
    skipped: [],
  });
}

/** A file the user gave the page. */
export interface GivenFile {
  readonly name: string;
  readonly text: string;
}

/**
 * Loads an events file (JSON: `toJSON()` output or an array of inputs; NDJSON; ACLED or UCDP GED CSV),
 * with an optional places registry file beside it (a JSON object keyed by place id, as
 * `tidemark geojson --places` reads) and an optional actors registry file. Every problem is
 * reported with its line (or row), in the library's words.
 */
export function loadFiles(files: readonly GivenFile[]): Dataset | LoadFailure {
  const names = files.map((f) => f.name).join(" + ");
  let places: { file: string; registry: Registry } | undefined;
  let actors: { file: string; registry: Registry } | undefined;
  const eventFiles: GivenFile[] = [];
  for (const f of files) {
    const registry = asRegistry(f.text);
    if (registry === undefined) eventFiles.push(f);
    else if (Object.values(registry).some((e) => "coordinates" in e || "geometry" in e)) {
      places = { file: f.name, registry };
    } else actors = { file: f.name, registry };
  }
  const [events, ...others] = eventFiles;
  if (events === undefined || others.length > 0) {
    return {
      file: names,
      problems: [
        `give one events file (JSON, NDJSON, ACLED or UCDP GED CSV), optionally with a places file; got ${eventFiles.length} events files`,
      ],
    };
  }
  const result = loadFile(events.name, events.text, {
    places: places?.registry,
    actors: actors?.registry,
    files: { places: places?.file, actors: actors?.file },
  });
  return "problems" in result || files.length === 1 ? result : { ...result, title: names };
}

/** A registry (`{ id: { name, ... } }`) in a JSON file, or undefined if the file is not one. */
function asRegistry(text: string): Registry | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const entries = Object.entries(value);
  if (entries.length === 0 || "version" in value || "type" in value) return undefined;
  const isEntry = (e: unknown) =>
    typeof e === "object" && e !== null && typeof (e as { name?: unknown }).name === "string";
  return entries.every(([, e]) => isEntry(e)) ? (value as Registry) : undefined;
}

/** Loads one events file (see {@link loadFiles}). */
export function loadFile(
  file: string,
  text: string,
  registries: {
    places?: Registry | undefined;
    actors?: Registry | undefined;
    /** Names of the registries' files, to say where a problem with a registry is. */
    files?: { places?: string | undefined; actors?: string | undefined };
  } = {},
): Dataset | LoadFailure {
  const parsed = parseEventsText(text, formatHint(file));
  const where = (line: number) =>
    parsed.format === "csv" ? (line === 0 ? "header" : `row ${line}`) : `line ${line}`;
  // Problems reading the file, then what validation says of the events that could be read:
  // every problem at once, each with its line (or row), in the library's words.
  const problems: { line: number; text: string }[] = parsed.problems.map((p) => ({
    line: p.line,
    text: `${where(p.line)}: ${p.message}`,
  }));
  let timeline: ViewerTimeline | undefined;
  try {
    timeline = newTimeline(registries.places ?? parsed.places, registries.actors ?? parsed.actors);
    timeline.appendAll(parsed.events as Input[]);
  } catch (error) {
    timeline = undefined;
    if (!(error instanceof TimelineValidationError)) {
      problems.push({ line: 0, text: error instanceof Error ? error.message : String(error) });
    } else {
      for (const issue of error.issues) {
        const [registry, ...inside] = issue.path;
        if (registry === "places" || registry === "actors") {
          // A registry's problem (a place's bad geometry, an unknown parent): in its own file.
          const where = registries.files?.[registry] ?? registry;
          problems.push({ line: 0, text: `${where} (${inside.join(".")}): ${issue.message}` });
          continue;
        }
        const line = parsed.lines[issue.index];
        const path = issue.path.length > 0 ? ` (${issue.path.join(".")})` : "";
        problems.push({
          line: line ?? 0,
          text: `${line === undefined ? `event ${issue.index + 1}` : where(line)}${path}: ${issue.message}`,
        });
      }
    }
  }
  if (problems.length > 0 || timeline === undefined) {
    return { file, problems: problems.sort((a, b) => a.line - b.line).map((p) => p.text) };
  }
  if (parsed.events.length === 0) {
    const skipped = parsed.skipped.slice(0, 5).map((s) => `row ${s.row}: ${s.reason}`);
    return { file, problems: ["the file holds no events that tidemark reads", ...skipped] };
  }
  return describe({
    title: file,
    subtitle: `${parsed.events.length} events read from ${describeFormat(parsed.format, parsed.table)}`,
    timeline,
    places: registries.places ?? parsed.places ?? {},
    actors: registries.actors ?? parsed.actors ?? {},
    clock: { offsetMinutes: 0, labels: new Map() },
    skipped: parsed.skipped,
  });
}

function formatHint(file: string): { format?: "json" | "ndjson" | "csv" } {
  const ext = /\.([a-z]+)$/i.exec(file)?.[1]?.toLowerCase();
  if (ext === "csv") return { format: "csv" };
  if (ext === "ndjson" || ext === "jsonl") return { format: "ndjson" };
  if (ext === "json") return { format: "json" };
  return {};
}

function describeFormat(format: string, table: string | undefined): string {
  if (format === "csv") return table === "ucdp-ged" ? "a UCDP GED CSV file" : "an ACLED CSV export";
  return format === "ndjson" ? "NDJSON" : "JSON";
}

function describe(base: {
  title: string;
  subtitle: string;
  timeline: ViewerTimeline;
  places: Registry;
  actors: Registry;
  clock: Clock;
  skipped: readonly { readonly row: number; readonly reason: string }[];
}): Dataset {
  const stored = base.timeline.toJSON().events as readonly StoredEvent[];
  const eventsById = new Map(stored.map((e) => [e.id, e]));
  const counts = new Map<string, number>();
  let unsourced = 0;
  const actorIds = new Set(Object.keys(base.actors));
  for (const event of [...stored].sort((a, b) => a.at - b.at)) {
    if (event.type === "Retracted") continue;
    if (event.sources.length === 0) unsourced++;
    for (const name of new Set(event.sources.map((s) => s.name))) {
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    if (event.type === "Captured") actorIds.add(event.data.by);
    if (event.type === "Withdrew" && event.data.handedTo !== undefined) {
      actorIds.add(event.data.handedTo);
    }
  }
  const sources = [...counts].map(([name, events]) => ({ name, events }));
  const { full, recent } = windows(stored, base.clock);
  return {
    ...base,
    eventsById,
    sources,
    unsourced,
    actorIds: [...actorIds].sort(),
    full,
    recent,
  };
}

/** Slider ranges: the whole timeline, and the last week that has events. */
function windows(events: readonly StoredEvent[], clock: Clock): { full: Window; recent: Window } {
  if (events.length === 0) {
    const now = startOfDay(Date.now(), clock);
    const w = { start: now, end: now + DAY, step: HOUR };
    return { full: w, recent: w };
  }
  const ats = events.map((e) => e.at);
  const known = events.map((e) => Math.max(e.at, e.recordedAt));
  const last = max(ats);
  const window = (from: number): Window => {
    const start = startOfDay(from, clock);
    const end = startOfDay(max(known.filter((k) => k >= from)), clock) + DAY;
    const step = end - start <= 60 * DAY ? HOUR : DAY;
    return { start, end, step };
  };
  const full = window(min(ats));
  const recent = window(min(ats.filter((at) => at >= last - 7 * DAY)));
  return { full, recent };
}

// Loops, not Math.max(...list): a file may hold more events than a call takes arguments.
const max = (list: readonly number[]) => list.reduce((a, b) => Math.max(a, b), -Infinity);
const min = (list: readonly number[]) => list.reduce((a, b) => Math.min(a, b), Infinity);
