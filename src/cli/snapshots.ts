// `tidemark import DIR --snapshots --places FILE --into STORE`: a folder of dated maps of the
// front (DeepState's exports) read into events for a registry of places, appended to a store,
// with a report of what changed in each snapshot.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { TimelineValidationError } from "../core/errors.js";
import { formatTime } from "../core/format-time.js";
import type { Registry } from "../core/registry.js";
import { fromSnapshotFiles, type SnapshotFile } from "../formats/snapshot-files.js";
import { fromSnapshots, type SnapshotReport } from "../formats/snapshots.js";
import { type Opened, openInto } from "./import-store.js";
import { InputError, Progress } from "./input.js";

export { SNAPSHOT_OPTIONS } from "./snapshot-options.js";

/** What `import --snapshots` is asked to do. */
export interface SnapshotImportRequest {
  readonly path: string;
  readonly into: string;
  readonly places?: Registry;
  readonly at?: string;
  readonly otherwise?: string;
  readonly debounce?: string;
  readonly stderr: NodeJS.WritableStream;
  /** Where to show progress (standard error when it is a terminal). */
  readonly progress?: NodeJS.WriteStream;
}

const MAP_FILE = /\.(geo)?json$/i;

function mapFiles(path: string): string[] {
  let folder: boolean;
  try {
    folder = statSync(path).isDirectory();
  } catch (error) {
    throw new InputError(`${path}: ${(error as Error).message}`);
  }
  if (!folder) return [path];
  return readdirSync(path)
    .filter((name) => MAP_FILE.test(name))
    .sort()
    .map((name) => join(path, name));
}

/** One line per snapshot: what changed, what is uncertain, and the km² of each side. */
export function reportLines(report: readonly SnapshotReport[]): string[] {
  return report.map((r) => {
    const day = formatTime(r.at, r.precision);
    const changes = r.changed.map((c) => `${c.place} ${c.from} -> ${c.to}`);
    const areas = Object.entries(r.areas)
      .map(
        ([side, a]) =>
          `${side} ${Math.round(a.km2).toLocaleString("en")} km² (+${Math.round(a.gained)} -${Math.round(a.lost)})`,
      )
      .join(", ");
    return [
      `${day}: ${r.changed.length} changed${changes.length > 0 ? ` (${changes.join(", ")})` : ""}`,
      r.uncertain.length > 0 ? `${r.uncertain.length} uncertain` : "",
      r.undone.length > 0 ? `${r.undone.length} undone` : "",
      areas,
    ]
      .filter((part) => part !== "")
      .join("; ");
  });
}

/**
 * Imports a folder of dated maps into a store; resolves to false when nothing could be
 * imported (every problem written to stderr).
 */
export async function importSnapshots(request: SnapshotImportRequest): Promise<boolean> {
  const say = (line: string) => request.stderr.write(`${line}\n`);
  if (request.places === undefined) {
    throw new InputError("--snapshots needs --places FILE: the places whose sides the maps show");
  }
  const debounce = request.debounce === undefined ? 0 : Number(request.debounce);
  if (!Number.isInteger(debounce) || debounce < 0) {
    throw new InputError(`--debounce: "${request.debounce}" is not a whole number >= 0`);
  }
  const paths = mapFiles(request.path);
  if (request.at !== undefined && paths.length > 1) {
    throw new InputError("--at dates a single map: the files of a folder are dated by their names");
  }
  const progress = new Progress(request.progress, basename(request.path));
  const files: SnapshotFile[] = [];
  paths.forEach((path, i) => {
    files.push({ name: basename(path), text: readFileSync(path, "utf8") });
    progress.update("reading", i + 1, "maps", (i + 1) / paths.length);
  });
  progress.done();
  const { snapshots, problems } = fromSnapshotFiles(
    files,
    request.at === undefined ? {} : { at: request.at },
  );
  for (const p of problems) say(`${p.name}: ${p.message}`);
  for (const [i, snapshot] of snapshots.entries())
    for (const u of snapshot.unclassified)
      say(
        `${files[i]?.name ?? ""}: feature ${u.index}${u.name === undefined ? "" : ` "${u.name}"`} not classified: ${u.reason}`,
      );
  if (snapshots.length === 0) {
    say(`no map could be read in ${request.path}; nothing imported into ${request.into}`);
    return false;
  }
  const otherwise = request.otherwise ?? "ukraine";
  const { events, skipped, report } = fromSnapshots(snapshots, request.places, {
    otherwise: otherwise === "" ? null : otherwise,
    debounce,
  });
  for (const s of skipped)
    say(`${s.place === undefined ? `snapshot ${s.snapshot}` : `place ${s.place}`}: ${s.reason}`);
  for (const line of reportLines(report)) say(line);

  // The store's registries and the maps' places and sides, checked and stored together.
  const registries = (kept: Opened["kept"]) => ({
    places: { ...kept?.registries.places, ...request.places },
    actors: {
      ...Object.fromEntries(
        [...new Set(events.map((e) => e.data.by))].map((by) => [by, { name: by }]),
      ),
      ...kept?.registries.actors,
    },
  });
  // With `create`, openInto makes a missing store: it resolves to a timeline.
  const { timeline, kept } = (await openInto(request.into, true, { registries })) as Opened;
  const { places, actors } = registries(kept);
  try {
    const before = timeline.version;
    // The registries go into the store in the events' own transaction.
    await timeline.appendAll(events as never[], { registries: { places, actors } });
    const added = timeline.version - before;
    const already = events.length - added;
    say(
      `imported ${added} events from ${snapshots.length} maps into ${request.into}${already > 0 ? `; ${already} already stored` : ""} (${timeline.version} stored)`,
    );
    return true;
  } catch (error) {
    if (!(error instanceof TimelineValidationError)) throw error;
    for (const issue of error.issues) say(`${request.into}: ${issue.message}`);
    return false;
  } finally {
    await timeline.close();
  }
}
