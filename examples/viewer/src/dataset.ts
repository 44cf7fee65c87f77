// Where the page's data comes from: a timeline in the browser (the Palmyra example, or a file
// opened, dropped or named by the URL, parsed by the library's own `parseEventsText`), or
// `tidemark view` on this machine, which answers the same questions (src/cli/view-model.ts)
// over its JSON API from a file or a store. Every timeline knows UCDP's `Fatalities` and sums
// them per place (`fatalities`), so that a GED file reads like the others.

import {
  createTimeline,
  type DefinitionsFor,
  type EventOf,
  Fatalities,
  fatalities,
  type InputOf,
  type IntervalFeatureCollection,
  parseEventsText,
  parseTime,
  type Registry,
  TimelineValidationError,
} from "tidemark";
import { skippedLines } from "../../../src/cli/report.js";
import {
  type CompactFrame,
  type EventsAround,
  type PlaceStory,
  type SkippedReport,
  type TerritorySeries,
  type Ticks,
  type ViewMeta,
  ViewModel,
  type ViewQuery,
  type ViewTimeline,
  type Window,
} from "../../../src/cli/view-model.js";
import { actors as palmyraActors } from "../../palmyra/actors.js";
import { palmyraEvents } from "../../palmyra/events.js";
import { places as palmyraPlaces } from "../../palmyra/places.js";
import { SYRIA_OFFSET_MINUTES, TIME_LABELS } from "../../palmyra/times.js";
import { type Shown, shownOf } from "./shown.js";

export type { Window } from "../../../src/cli/view-model.js";

type Definitions = DefinitionsFor<[typeof Fatalities]>;
/** A stored event of the page's timelines: the built-in types and UCDP's `Fatalities`. */
export type StoredEvent = EventOf<Definitions>;
type Input = InputOf<Definitions>;
type Query = Omit<ViewQuery, "at">;

/** What the page asks of its data; the same questions in the browser or over HTTP. */
export interface Source {
  readonly meta: ViewMeta;
  /** Whether the page's URL can name the view (the example, or `tidemark view`'s data). */
  readonly linkable: boolean;
  /** The map at `q.at`. */
  frame(q: ViewQuery): Promise<Shown>;
  place(id: string, q: ViewQuery): Promise<PlaceStory>;
  events(q: ViewQuery): Promise<EventsAround>;
  ticks(q: Query, w: Window): Promise<Ticks>;
  changes(q: Query, w: Window): Promise<number[]>;
  territory(q: Query, w: Window): Promise<TerritorySeries>;
  timed(q: Query): Promise<IntervalFeatureCollection>;
}

/** A timeline in the browser, asked directly. */
function localSource(model: ViewModel, linkable: boolean): Source {
  return {
    meta: model.meta(),
    linkable,
    frame: async (q) => shownOf(model.state(q), model.meta().places),
    place: async (id, q) => model.place(id, q),
    events: async (q) => model.eventsAround(q),
    ticks: async (q, w) => model.ticks(q, w),
    changes: async (q, w) => model.changes(q, w),
    territory: async (q, w) => model.territory(q, w),
    timed: async (q) => model.timed(q),
  };
}

/** The query string of a question to `tidemark view`. */
function params(q: Partial<ViewQuery>, w?: Window, extra: Record<string, string> = {}): string {
  const p = new URLSearchParams(extra);
  if (q.at !== undefined) p.set("at", String(q.at));
  if (q.asOf !== undefined) p.set("asOf", String(q.asOf));
  if (q.sources !== undefined) {
    p.set("sources", "");
    for (const s of q.sources) p.append("source", s);
  }
  if (w !== undefined) {
    p.set("start", String(w.start));
    p.set("end", String(w.end));
    p.set("step", String(w.step));
  }
  return p.toString();
}

async function ask<T>(path: string): Promise<T> {
  const response = await fetch(path);
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** `tidemark view`'s data, when the page is served by it (its API answers); else undefined. */
export async function serverSource(): Promise<Source | undefined> {
  // `tidemark view` marks the page it serves; a static site is not asked.
  if (document.querySelector('meta[name="tidemark-view"]') === null) return undefined;
  let meta: ViewMeta;
  try {
    const response = await fetch("api/meta");
    if (!response.ok || !response.headers.get("content-type")?.includes("json")) return undefined;
    meta = (await response.json()) as ViewMeta;
  } catch {
    return undefined;
  }
  return {
    meta,
    linkable: true,
    // Control entries only: the geometry of the places came once, with the overview.
    frame: async (q) => shownOf(await ask<CompactFrame>(`api/state?${params(q)}`), meta.places),
    place: (id, q) => ask(`api/place?${params(q, undefined, { id })}`),
    events: (q) => ask(`api/events?${params(q)}`),
    ticks: (q, w) => ask(`api/ticks?${params(q, w)}`),
    changes: (q, w) => ask(`api/changes?${params(q, w)}`),
    territory: (q, w) => ask(`api/territory?${params(q, w)}`),
    timed: (q) => ask(`api/timed?${params(q)}`),
  };
}

/** A timeline of the page: the built-in events and slices, with `Fatalities` summed per place. */
function newTimeline(places: Registry | undefined, actors: Registry | undefined) {
  return createTimeline({ events: [Fatalities], reducers: { fatalities }, places, actors });
}

/** The page's timeline type (see {@link newTimeline}). */
export type ViewerTimeline = ReturnType<typeof newTimeline>;

/** A file that could not be loaded: the library's messages, one per problem. */
export interface LoadFailure {
  readonly file: string;
  readonly problems: readonly string[];
}

/** The Palmyra example, as `npm run example` prints it. */
export function palmyraSource(): Source {
  const timeline = newTimeline(palmyraPlaces, palmyraActors);
  timeline.appendAll(palmyraEvents);
  const labels = Object.entries(TIME_LABELS).map(
    ([iso, label]) => [parseTime(iso).at, label] as const,
  );
  const model = new ViewModel(timeline as unknown as ViewTimeline, {
    title: "Palmyra, 8–12 December 2016",
    subtitle: "“Back and forth in Palmyra”: one Arabic news report of Sunday 11 December 2016",
    places: palmyraPlaces,
    actors: palmyraActors,
    offsetMinutes: SYRIA_OFFSET_MINUTES,
    labels,
  });
  return localSource(model, true);
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
export function loadFiles(files: readonly GivenFile[]): Source | LoadFailure {
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
  const result = loadFile(
    events.name,
    events.text,
    {
      places: places?.registry,
      actors: actors?.registry,
      files: { places: places?.file, actors: actors?.file },
    },
    names,
  );
  return result;
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
  title = file,
): Source | LoadFailure {
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
  const model = new ViewModel(timeline as unknown as ViewTimeline, {
    title,
    subtitle: `${parsed.events.length} events read from ${describeFormat(parsed.format, parsed.table)}`,
    places: registries.places ?? parsed.places ?? {},
    actors: registries.actors ?? parsed.actors ?? {},
    skipped: report(parsed.skipped),
  });
  return localSource(model, false);
}

/** Rows skipped, in the command's words: one line to show, the full report under it. */
function report(skipped: Parameters<typeof skippedLines>[0]): SkippedReport | null {
  const lines = skippedLines(skipped);
  if (lines.length === 0) return null;
  const n = skipped.filter((s) => !s.invalid).length;
  return {
    summary: `${n.toLocaleString("en")} row${n === 1 ? "" : "s"} skipped (not mapped to an event)`,
    lines,
  };
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
