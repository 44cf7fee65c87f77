// Loading data: the first data the page shows (a file the URL names, what `tidemark view`
// serves through its JSON API, or the Palmyra example), files opened or dropped on the page,
// and setting the page up for each dataset.

import { setUpSliders, setUpSources } from "./controls.js";
import {
  type LoadFailure,
  loadFiles,
  palmyraSource,
  type Source,
  serverSource,
} from "./dataset.js";
import { map, update } from "./draw.js";
import { showFailure, showNotices } from "./notices.js";
import { forgetSeries } from "./series.js";
import { $, clock, meta, setView, useSource } from "./state.js";
import { formatOffset } from "./time.js";
import { defaultAt, readUrl } from "./url.js";

function setUp(given: Source, isExample: boolean): void {
  useSource(given);
  forgetSeries();
  $("title").textContent = meta.title;
  $("subtitle").textContent = meta.subtitle;
  $("example").hidden = isExample;
  $("zone").textContent =
    `Times in ${formatOffset(clock.offsetMinutes)}${isExample ? ", local time in Syria" : ""}.`;
  document.title = `${meta.title} · tidemark viewer`;
  map.setPlaces(meta.places, new Set(meta.named));
  setUpSliders();
  setUpSources();
  showNotices();
}

async function openFiles(files: readonly File[]): Promise<void> {
  if (files.length === 0) return;
  let result: Source | LoadFailure;
  try {
    const given = await Promise.all(
      files.map(async (f) => ({ name: f.name, text: await f.text() })),
    );
    result = loadFiles(given);
  } catch (error) {
    const problem = error instanceof Error ? error.message : String(error);
    result = { file: files.map((f) => f.name).join(" + "), problems: [problem] };
  }
  if ("problems" in result) {
    showFailure(result);
    return;
  }
  showFailure(undefined);
  history.replaceState(null, "", location.pathname);
  await show(result, false, false);
}

/** Shows a new source, on the view the URL names (when it can) or its default view. */
function show(given: Source, isExample: boolean, fromUrl: boolean): Promise<void> {
  const d = given.meta;
  setView(
    fromUrl
      ? readUrl(d)
      : {
          at: defaultAt(d),
          asOf: undefined,
          sources: undefined,
          place: d.busiest ?? undefined,
          range: "recent",
        },
  );
  setUp(given, isExample);
  return update();
}

$<HTMLInputElement>("file").addEventListener("change", (e) => {
  const input = e.target as HTMLInputElement;
  void openFiles([...(input.files ?? [])]);
  input.value = "";
});
$("example").addEventListener("click", () => {
  showFailure(undefined);
  history.replaceState(null, "", location.pathname);
  void show(palmyraSource(), true, true);
});

const overlay = $("drop-overlay");
let dragDepth = 0;
window.addEventListener("dragenter", (e) => {
  if (!e.dataTransfer?.types.includes("Files")) return;
  dragDepth++;
  overlay.hidden = false;
});
window.addEventListener("dragleave", () => {
  dragDepth = Math.max(0, dragDepth - 1);
  if (dragDepth === 0) overlay.hidden = true;
});
window.addEventListener("dragover", (e) => e.preventDefault());
window.addEventListener("drop", (e) => {
  e.preventDefault();
  dragDepth = 0;
  overlay.hidden = true;
  void openFiles([...(e.dataTransfer?.files ?? [])]);
});

/**
 * The first data: a file the URL names (`?file=events.csv&places=places.json`, relative to
 * the page), else what `tidemark view` serves, else the Palmyra example.
 */
export async function start(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const file = params.get("file");
  if (file === null) {
    const served = await serverSource();
    await show(served ?? palmyraSource(), served === undefined, true);
    return;
  }
  const names = [file, params.get("places"), params.get("actors")].filter(
    (n): n is string => n !== null && n !== "",
  );
  let result: Source | LoadFailure;
  try {
    const given = await Promise.all(
      names.map(async (name) => {
        const response = await fetch(name);
        if (!response.ok) throw new Error(`${name}: ${response.status} ${response.statusText}`);
        return { name: name.replace(/^.*\//, ""), text: await response.text() };
      }),
    );
    result = loadFiles(given);
  } catch (error) {
    result = { file, problems: [error instanceof Error ? error.message : String(error)] };
  }
  if (!("problems" in result)) {
    await show({ ...result, linkable: true }, false, true);
    return;
  }
  // The example behind the file's problems, so that the page has something to show.
  await show(palmyraSource(), true, false);
  showFailure(result);
}
