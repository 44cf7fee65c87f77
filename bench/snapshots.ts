/**
 * fromSnapshots on a year of daily maps: 365 snapshots × 30,000 places (points), each map an
 * occupied polygon whose front line has 2,000 vertices, 3 stretches of it redrawn each day,
 * plus 20 grey patches of unknown status along it; and a second run with 1,000 of the places given
 * as areas (small squares), which the boundary ones need clipped. The polygons and places are
 * generated here (a fixed pseudo-random sequence). Run: `npm run bench:snapshots`.
 */
import { cpus, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { fromSnapshots } from "../src/formats/snapshots.js";
import type { PolygonGeometry, Registry, RegistryEntry, Snapshot } from "../src/index.js";

const DAYS = Number(process.env.DAYS ?? 365);
const PLACES = 30_000;
const FRONT_VERTICES = 2000;
const GREY_PATCHES = 20;
const AREAS = Number(process.env.AREAS ?? 1000);

/** A small deterministic PRNG (mulberry32): the same maps on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// A country from 30° to 40° E and 46° to 52° N; the front runs north-south near 36° E.
const WEST = 30;
const EAST = 40;
const SOUTH = 46;
const NORTH = 52;

function square(lon: number, lat: number, half: number): PolygonGeometry {
  return {
    type: "Polygon",
    coordinates: [
      [
        [lon - half, lat - half],
        [lon + half, lat - half],
        [lon + half, lat + half],
        [lon - half, lat + half],
        [lon - half, lat - half],
      ],
    ],
  };
}

/** A wavy line near 36° E. */
function baseLon(lat: number): number {
  return 36 + 0.4 * Math.sin(lat * 7) + 0.1 * Math.sin(lat * 53);
}

/**
 * How far west of its start each vertex of the front is, day by day: as on a daily map, each
 * day redraws a few stretches (here 3 of about 40 vertices, 12 km of front each), each pushed
 * west or back east by up to 2 km.
 */
function advances(): Float64Array[] {
  const next = random(7);
  const out: Float64Array[] = [];
  let now = new Float64Array(FRONT_VERTICES);
  for (let day = 0; day < DAYS; day++) {
    now = Float64Array.from(now);
    for (let s = 0; s < 3; s++) {
      const centre = Math.floor(next() * FRONT_VERTICES);
      const push = (next() - 0.3) * 0.03;
      for (let i = Math.max(1, centre - 20); i < Math.min(FRONT_VERTICES - 1, centre + 20); i++) {
        const t = (i - centre) / 20;
        now[i] = (now[i] as number) + push * (1 - t * t);
      }
    }
    out.push(now);
  }
  return out;
}

function snapshots(): Snapshot[] {
  const out: Snapshot[] = [];
  const offsets = advances();
  for (let day = 0; day < DAYS; day++) {
    const front: [number, number][] = [];
    for (let i = 0; i < FRONT_VERTICES; i++) {
      const lat = NORTH - ((NORTH - SOUTH) * i) / (FRONT_VERTICES - 1);
      front.push([baseLon(lat) - ((offsets[day] as Float64Array)[i] as number), lat]);
    }
    // Counter-clockwise: down the front, then along the southern, eastern and northern edges.
    const ring = [...front, [EAST, SOUTH], [EAST, NORTH], front[0]] as [number, number][];
    const areas: Snapshot["areas"][number][] = [
      { controller: "russia", geometry: { type: "Polygon", coordinates: [ring] } },
    ];
    for (let g = 0; g < GREY_PATCHES; g++) {
      const lat = SOUTH + ((g + 0.5) * (NORTH - SOUTH)) / GREY_PATCHES;
      areas.push({
        controller: null,
        status: "unknown",
        geometry: square(baseLon(lat) - 0.06, lat, 0.05),
      });
    }
    const date = new Date(Date.UTC(2024, 0, 1 + day)).toISOString().slice(0, 10);
    out.push({ at: date, source: "bench", areas });
  }
  return out;
}

function places(withAreas: number): Registry {
  const next = random(42);
  const out: Record<string, RegistryEntry> = {};
  for (let i = 0; i < PLACES; i++) {
    const lon = WEST + next() * (EAST - WEST);
    const lat = SOUTH + next() * (NORTH - SOUTH);
    out[`p${i}`] =
      i < withAreas
        ? { name: `Area ${i}`, geometry: square(lon, lat, 0.05) }
        : { name: `Place ${i}`, coordinates: [lon, lat] };
  }
  return out;
}

const maps = snapshots();
console.log(
  `fromSnapshots: ${DAYS} daily snapshots (front of ${FRONT_VERTICES} vertices, ${GREY_PATCHES} grey patches) × ${PLACES} places`,
);
console.log(
  `machine: ${cpus()[0]?.model ?? "?"} × ${cpus().length}, load ${loadavg()[0]?.toFixed(2)}`,
);
for (const [label, withAreas] of [
  ["points only", 0],
  [`${AREAS} of them areas`, AREAS],
] as const) {
  const registry = places(withAreas);
  const start = performance.now();
  const cpu = process.cpuUsage();
  const { events, report } = fromSnapshots(maps, registry, { otherwise: "ukraine" });
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const captured = events.filter((e) => e.type === "Captured").length;
  const uncertain = report.reduce((n, r) => n + r.uncertain.length, 0);
  console.log(
    `${label}: ${(ms / 1000).toFixed(2)} s wall, ${((used.user + used.system) / 1e6).toFixed(2)} s CPU; ${events.length} events (${captured} Captured), ${uncertain} uncertain place-days`,
  );
}
