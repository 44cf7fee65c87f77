// What `tidemark view` shows: the data, read as every command reads it (loadInput: the same
// loader, errors and skipped-row report), wrapped in the viewer's questions (view-model.ts).
//
// A file is folded in memory as the CLI reads it (ViewModel). A store is read through its read
// models (StoreViewModel: a reader and the view's own SQL reads), never loaded: the page asks
// the same questions either way.

import { basename } from "node:path";
import type { Registry } from "../core/registry.js";
import { readOffset } from "../core/zone.js";
import { openStore } from "../stores/open.js";
import { openReader, type Reader, ReadModelError } from "../stores/reader.js";
import { keepsReadModels, OPEN_READ_MODEL } from "../stores/reader-source.js";
import { StoreUnavailableError } from "../stores/store.js";
import {
  EVENTS,
  InputError,
  type LoadedInput,
  type LoadOptions,
  loadInput,
  REDUCERS,
} from "./input.js";
import { readStoreRegistries } from "./registries.js";
import { invalidLines, placeLines, skippedLines } from "./report.js";
import { ViewModel } from "./view-model.js";
import { StoreViewModel } from "./view-store.js";
import type {
  CompactFrame,
  EventsAround,
  PlaceStory,
  SkippedReport,
  TerritorySeries,
  Ticks,
  ViewFrame,
  ViewMeta,
  ViewQuery,
  ViewState,
  ViewTimeline,
  Window,
} from "./view-types.js";

type Awaitable<T> = T | Promise<T>;
type Query = Omit<ViewQuery, "at">;

/** The viewer's questions, as the JSON API asks them: of a file in memory, or of a store. */
export interface ViewAnswers {
  meta(): Awaitable<ViewMeta>;
  frame(q: ViewQuery): Awaitable<ViewFrame>;
  state(q: ViewQuery): Awaitable<CompactFrame>;
  place(id: string, q: ViewQuery): Awaitable<PlaceStory>;
  eventsAround(q: ViewQuery): Awaitable<EventsAround>;
  ticks(q: Query, w: Window): Awaitable<Ticks>;
  changes(q: Query, w: Window): Awaitable<readonly number[]>;
  territory(q: Query, w: Window): Awaitable<TerritorySeries>;
  timed(q: Query): Awaitable<unknown>;
  /** Whether the map is answered from rows held in memory (a store's, once they are read). */
  mapInMemory?(): boolean;
}

/** The data behind the page, and how to let go of it. */
export interface ViewData {
  readonly model: ViewAnswers;
  /** What the command printed on stderr about rows left out (also on the page). */
  readonly notes: readonly string[];
  close(): Promise<void>;
}

/** A fixed offset in minutes for a zone given as an offset (`+02:00`); 0 (UTC) for anything else. */
function offsetOf(zone: string): number {
  const offset = readOffset(zone);
  return typeof offset === "number" ? offset / 60_000 : 0;
}

function describe(input: LoadedInput): string {
  if (input.format === "store") return `a store of ${input.events.toLocaleString("en")} events`;
  const what =
    input.format === "csv"
      ? input.table === "ucdp-ged"
        ? "a UCDP GED CSV file"
        : "an ACLED CSV export"
      : input.format === "ndjson"
        ? "NDJSON"
        : "JSON";
  return `${input.events.toLocaleString("en")} events read from ${what}`;
}

/** The rows left out, as the command reports them: a line to show and the report under it. */
export function skippedReport(input: LoadedInput): SkippedReport | null {
  const lines = [
    ...skippedLines(input.skipped),
    ...invalidLines(input.invalid),
    ...placeLines(input.placeChanges ?? []),
  ];
  if (lines.length === 0) return null;
  const parts: string[] = [];
  const skipped = input.skipped.filter((s) => !s.invalid).length;
  const plural = (n: number, word: string) =>
    `${n.toLocaleString("en")} ${word}${n === 1 ? "" : "s"}`;
  if (skipped > 0) parts.push(`${plural(skipped, "row")} skipped (not mapped to an event)`);
  if (input.invalid.length > 0) {
    parts.push(`${plural(input.invalid.length, "invalid row")} left out (--skip-invalid)`);
  }
  const changes = input.placeChanges?.length ?? 0;
  if (changes > 0) parts.push(`${plural(changes, "location")} merged or kept apart`);
  return { summary: parts.join("; "), lines };
}

/**
 * Reads `path` (a file or a store) for the viewer. Problems with the data are in
 * `input.problems`, for the caller to print as every command does.
 */
export async function openViewData(
  path: string,
  options: LoadOptions,
  store = false,
): Promise<{ input: LoadedInput | undefined; data: ViewData }> {
  if (store) return { input: undefined, data: await openStoreView(path, options) };
  const input = await loadInput(path, options);
  const skipped = skippedReport(input);
  const model = new ViewModel(input.timeline as unknown as ViewTimeline, {
    title: input.format === "store" ? path : basename(path),
    subtitle: describe(input),
    places: input.places ?? {},
    actors: input.actors ?? {},
    skipped,
    offsetMinutes: offsetOf(input.timeline.timeZone),
  });
  return { input, data: { model, notes: skipped?.lines ?? [], close: () => input.close() } };
}

/** A reader on `location`, with UCDP's `fatalities` when the store keeps it. */
async function readerOn(location: string): Promise<Reader<never, ViewState>> {
  const open = async (reducers: typeof REDUCERS | undefined) => {
    const reader = (await openReader({
      store: openStore(location, { readonly: true }),
      events: EVENTS,
      ...(reducers === undefined ? {} : { reducers }),
    })) as unknown as Reader<never, ViewState>;
    try {
      // Says now, as the reader says it, if a read model is missing or stale.
      await reader.stateAt(0);
      return reader;
    } catch (error) {
      await reader.close();
      throw error;
    }
  };
  try {
    return await open(REDUCERS);
  } catch (error) {
    // A store that keeps no deaths per place (no UCDP GED file in it) is read without them.
    if (
      error instanceof ReadModelError &&
      error.slice === "fatalities" &&
      error.reason === "missing"
    ) {
      return open(undefined);
    }
    throw error;
  }
}

/**
 * Opens a store for the viewer through its read models: a reader for states, claims and
 * histories, and a read-only connection for the view's overview and series.
 */
async function openStoreView(location: string, options: LoadOptions): Promise<ViewData> {
  let store: ReturnType<typeof openStore>;
  let kept: Awaited<ReturnType<typeof readStoreRegistries>>;
  try {
    store = openStore(location, { readonly: true });
    kept = await readStoreRegistries(location);
  } catch (error) {
    if (error instanceof StoreUnavailableError) {
      throw new StoreUnavailableError(error.reason, `cannot open store ${error.message}`, {
        cause: error,
      });
    }
    throw new InputError((error as Error).message);
  }
  const closing: (() => Promise<void>)[] = [() => store.close()];
  const close = async () => {
    for (const f of closing.reverse()) await f().catch(() => undefined);
  };
  try {
    if (!keepsReadModels(store))
      throw new InputError(`${location}: this store keeps no read models`);
    const zone = (await store.timeZone?.()) ?? "UTC";
    const reader = await readerOn(location);
    closing.push(() => reader.close());
    const connection = await store[OPEN_READ_MODEL]();
    closing.push(() => connection.close());
    const reads = connection.source.views?.();
    if (reads === undefined)
      throw new InputError(`${location}: this store cannot answer the map's questions`);
    const places: Registry = options.places ?? kept?.places ?? {};
    const actors: Registry = options.actors ?? kept?.actors ?? {};
    const model = new StoreViewModel(reader, reads, {
      title: location,
      subtitle: `a store of ${reader.version.toLocaleString("en")} events`,
      places,
      actors,
      skipped: null,
      offsetMinutes: offsetOf(zone),
    });
    // The overview first: the page asks it before anything else.
    await model.meta();
    return { model, notes: [], close };
  } catch (error) {
    await close();
    if (error instanceof StoreUnavailableError) {
      throw new StoreUnavailableError(error.reason, `cannot open store ${error.message}`, {
        cause: error,
      });
    }
    throw error;
  }
}
