/**
 * A seeded synthetic conflict: events over ten years, places, actors, a few sources, and a
 * share of events that arrive late (appended after later ones).
 */

export interface ConflictOptions {
  events: number;
  places?: number;
  actors?: number;
  /** Share of events appended after later ones (default 0.05). */
  late?: number;
  seed?: number;
  /**
   * Places under this many regions (`r0`, `r1`, ...; place `p{i}` in region `r{i % regions}`):
   * a share of the Captured and Withdrew events then name a region. Default 0: no regions,
   * and the same events as without this option.
   */
  regions?: number;
  /** Share of Captured and Withdrew events that name a region (default 0.02). */
  regionShare?: number;
}

/** The place registry of a conflict with regions: each place under its region. */
export function regionRegistry(
  places: number,
  regions: number,
): Record<string, { name: string; parent?: string; kind: string }> {
  const registry: Record<string, { name: string; parent?: string; kind: string }> = {};
  for (let r = 0; r < regions; r++) registry[`r${r}`] = { name: `Region ${r}`, kind: "region" };
  for (let p = 0; p < places; p++) {
    registry[`p${p}`] = { name: `Place ${p}`, parent: `r${p % regions}`, kind: "town" };
  }
  return registry;
}

export type RawEvent =
  | {
      type: "Captured";
      at: string;
      recordedAt: string;
      id: string;
      sources: { name: string }[];
      data: { place: string; by: string; from?: string };
    }
  | {
      type: "Withdrew";
      at: string;
      recordedAt: string;
      id: string;
      sources: { name: string }[];
      data: { place: string; actor: string; handedTo?: string };
    }
  | {
      type: "Airstrike";
      at: string;
      recordedAt: string;
      id: string;
      sources: { name: string }[];
      data: { places: string[]; by: string; strikes?: number; killed?: number };
    }
  | {
      type: "Arrests";
      at: string;
      recordedAt: string;
      id: string;
      sources: { name: string }[];
      data: { place: string; by: string; count?: number };
    };

export const SOURCES = ["SOHR", "Amaq", "Russian MoD", "ACLED", "Reuters"];

/** mulberry32: small, fast, good enough for a benchmark's dice. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const START = Date.UTC(2010, 0, 1);
const SPAN = Date.UTC(2020, 0, 1) - START;

/** The events in append order (late ones moved after later events). */
export function generateConflict(options: ConflictOptions): RawEvent[] {
  const n = options.events;
  const placeCount = options.places ?? 5000;
  const actorCount = options.actors ?? 20;
  const rand = random(options.seed ?? 42);
  const pick = (k: number) => Math.floor(rand() * k);
  const regions = options.regions ?? 0;
  const regionShare = options.regionShare ?? 0.02;
  // Only with regions is the die rolled, so that the events without them stay the same.
  const controlTarget = (place: string) =>
    regions > 0 && rand() < regionShare ? `r${pick(regions)}` : place;
  const places = Array.from({ length: placeCount }, (_, i) => `p${i}`);
  const actors = Array.from({ length: actorCount }, (_, i) => `a${i}`);
  const sourceLists = SOURCES.map((name) => name);
  const holder = new Map<string, string>();
  // Whole minutes, increasing: ties happen but are rare.
  const times = Array.from(
    { length: n },
    () => START + Math.floor(rand() * (SPAN / 60_000)) * 60_000,
  ).sort((a, b) => a - b);
  const events: RawEvent[] = [];
  for (let i = 0; i < n; i++) {
    const at = new Date(times[i] as number).toISOString();
    // Known within three days, or within a month for the late ones (set below).
    const recordedAt = new Date((times[i] as number) + pick(3 * 1440) * 60_000).toISOString();
    const id = `e${i}`;
    const sources = [{ name: sourceLists[pick(sourceLists.length)] as string }];
    const roll = rand();
    const place = places[pick(placeCount)] as string;
    if (roll < 0.4) {
      const target = controlTarget(place);
      const by = actors[pick(actorCount)] as string;
      const from = holder.get(target);
      holder.set(target, by);
      events.push({
        type: "Captured",
        at,
        recordedAt,
        id,
        sources,
        data: from === undefined ? { place: target, by } : { place: target, by, from },
      });
    } else if (roll < 0.6) {
      const target = controlTarget(place);
      const current = holder.get(target);
      const actor =
        current !== undefined && rand() < 0.7 ? current : (actors[pick(actorCount)] as string);
      const handedTo = rand() < 0.3 ? (actors[pick(actorCount)] as string) : undefined;
      if (actor === current) {
        if (handedTo === undefined) holder.delete(target);
        else holder.set(target, handedTo);
      }
      events.push({
        type: "Withdrew",
        at,
        recordedAt,
        id,
        sources,
        data:
          handedTo === undefined ? { place: target, actor } : { place: target, actor, handedTo },
      });
    } else if (roll < 0.9) {
      const count = 1 + pick(3);
      const struck = Array.from({ length: count }, () => places[pick(placeCount)] as string);
      events.push({
        type: "Airstrike",
        at,
        recordedAt,
        id,
        sources,
        data: {
          places: struck,
          by: actors[pick(actorCount)] as string,
          strikes: 1 + pick(10),
          killed: pick(20),
        },
      });
    } else {
      const data: { place: string; by: string; count?: number } = {
        place,
        by: actors[pick(actorCount)] as string,
      };
      if (rand() < 0.7) data.count = pick(50);
      events.push({ type: "Arrests", at, recordedAt, id, sources, data });
    }
  }
  // Late arrivals: move 5% of the events after up to 1% of the events that follow them.
  const lateShare = options.late ?? 0.05;
  const delay = Math.max(1, Math.floor(n / 100));
  const keyed = events.map((event, i) => ({
    event,
    key: rand() < lateShare ? i + 1 + pick(delay) : i,
  }));
  keyed.sort((a, b) => a.key - b.key);
  return keyed.map((k) => k.event);
}

/**
 * The same kind of conflict as {@link generateConflict}, made a chunk at a time so that a
 * store of 10^7 events never holds them all in memory: chunk `c` of `chunks` covers its own
 * slice of the ten years, in time order except for `late` of its events (default 0.05), moved
 * after up to 1% of the chunk's later events. Places `p0..`, actors `a0..`, {@link SOURCES}.
 */
export function* conflictChunks(options: {
  events: number;
  chunk: number;
  places?: number;
  actors?: number;
  late?: number;
  seed?: number;
}): Generator<RawEvent[]> {
  const placeCount = options.places ?? 5000;
  const actorCount = options.actors ?? 20;
  const rand = random(options.seed ?? 42);
  const pick = (k: number) => Math.floor(rand() * k);
  const holder = new Map<string, string>();
  const chunks = Math.ceil(options.events / options.chunk);
  const width = Math.floor(SPAN / 60_000 / chunks);
  for (let c = 0, made = 0; c < chunks; c++) {
    const n = Math.min(options.chunk, options.events - made);
    const from = START + c * width * 60_000;
    const times = Array.from({ length: n }, () => from + pick(width) * 60_000).sort(
      (a, b) => a - b,
    );
    const events: RawEvent[] = [];
    for (let i = 0; i < n; i++) {
      const at = new Date(times[i] as number).toISOString();
      const recordedAt = new Date((times[i] as number) + pick(3 * 1440) * 60_000).toISOString();
      const id = `e${made + i}`;
      const sources = [{ name: SOURCES[pick(SOURCES.length)] as string }];
      const roll = rand();
      const place = `p${pick(placeCount)}`;
      const actor = () => `a${pick(actorCount)}`;
      if (roll < 0.4) {
        const by = actor();
        const before = holder.get(place);
        holder.set(place, by);
        const data = before === undefined ? { place, by } : { place, by, from: before };
        events.push({ type: "Captured", at, recordedAt, id, sources, data });
      } else if (roll < 0.6) {
        const current = holder.get(place);
        const leaving = current !== undefined && rand() < 0.7 ? current : actor();
        if (leaving === current) holder.delete(place);
        events.push({
          type: "Withdrew",
          at,
          recordedAt,
          id,
          sources,
          data: { place, actor: leaving },
        });
      } else if (roll < 0.9) {
        const places = Array.from({ length: 1 + pick(3) }, () => `p${pick(placeCount)}`);
        const data = { places, by: actor(), strikes: 1 + pick(10), killed: pick(20) };
        events.push({ type: "Airstrike", at, recordedAt, id, sources, data });
      } else {
        events.push({
          type: "Arrests",
          at,
          recordedAt,
          id,
          sources,
          data: { place, by: actor(), count: pick(50) },
        });
      }
    }
    const late = options.late ?? 0.05;
    const delay = Math.max(1, Math.floor(n / 100));
    const keyed = events.map((event, i) => ({
      event,
      key: rand() < late ? i + 1 + pick(delay) : i,
    }));
    keyed.sort((a, b) => a.key - b.key);
    made += n;
    yield keyed.map((k) => k.event);
  }
}
