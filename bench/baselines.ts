/**
 * What tidemark is measured against: the practical limit (a hand-written mutable fold with
 * the same validation) and the naive immer fold a user would write.
 */
import { produce } from "immer";
import type { RawEvent } from "./generate.js";
import { tidemark } from "./tidemark.js";

const { Airstrike, Arrests, Captured, Withdrew } = tidemark;

export interface Parsed {
  id: string;
  type: RawEvent["type"];
  at: number;
  data: RawEvent["data"];
  /** The source it cites (the generator cites one an event), for the claims. */
  source: string | undefined;
}

type Control = Record<
  string,
  {
    controller: string | null;
    since: number;
    eventId: string;
    precision: "millisecond";
    contested: boolean;
  }
>;
type Strikes = Record<string, { count: number; lastAt: number; lastPrecision: "millisecond" }>;
type Detained = Record<
  string,
  {
    events: number;
    detained: number;
    uncounted: number;
    lastAt: number;
    lastPrecision: "millisecond";
  }
>;

/** One source's claim on a place, and the `at` of its latest report stating it. */
interface SourceClaim {
  source: string;
  controller: string | null;
  standing: boolean;
  reported: number;
}

/** What the baselines read: the generator's events, with ISO string or numeric times. */
export type BaselineInput = Pick<RawEvent, "id" | "type" | "data"> & {
  at: string | number;
  sources?: readonly { name: string }[];
};

export interface Slices {
  control: Control;
  airstrikes: Strikes;
  arrests: Detained;
}

/** Each place's claims, which `contested` is read from; kept beside the slices. */
type Claims = Map<string, SourceClaim[]>;

const schemas = {
  Captured: Captured.schema,
  Withdrew: Withdrew.schema,
  Airstrike: Airstrike.schema,
  Arrests: Arrests.schema,
};

/** Validates each event's data with the library's zod schemas, parses times, sorts stably. */
export function validateAndSort(raw: readonly BaselineInput[]): Parsed[] {
  const out: Parsed[] = new Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const e = raw[i] as BaselineInput;
    const at = typeof e.at === "number" ? e.at : Date.parse(e.at);
    if (Number.isNaN(at)) throw new Error(`bad time ${e.at}`);
    out[i] = {
      id: e.id,
      type: e.type,
      at,
      data: schemas[e.type].parse(e.data) as RawEvent["data"],
      source: e.sources?.[0]?.name,
    };
  }
  return out.sort((a, b) => a.at - b.at);
}

/** Whether a report of a change of the place can follow a claim that `holder` holds it. */
function follows(e: Parsed, holder: string | null): boolean {
  if (e.type === "Captured") {
    const { by, from } = e.data as { by: string; from?: string };
    return by !== holder && (from === undefined || from === holder);
  }
  if (e.type !== "Withdrew") return false;
  const { actor, handedTo } = e.data as { actor: string; handedTo?: string };
  return actor === holder && handedTo !== holder;
}

/**
 * The claims of a place after a control event from `source` (the generator cites one source
 * an event): claims it can follow stop standing, then the source's own claim moves on.
 * Returns whether any claim changed.
 */
function stepClaims(claims: SourceClaim[], e: Parsed, source: string): boolean {
  let changed = false;
  for (const c of claims) {
    if (c.standing && e.at > c.reported && c.source !== source && follows(e, c.controller)) {
      c.standing = false;
      changed = true;
    }
  }
  const prev = claims.find((c) => c.source === source);
  let controller: string | null;
  if (e.type === "Withdrew") {
    const { actor, handedTo } = e.data as { actor: string; handedTo?: string };
    if (prev !== undefined && prev.controller !== actor) return changed;
    if (prev !== undefined && handedTo === actor) {
      if (prev.standing && prev.reported === e.at) return changed;
      prev.standing = true;
      prev.reported = e.at;
      return true;
    }
    controller = handedTo ?? null;
  } else {
    const { by } = e.data as { by: string };
    if (prev !== undefined && prev.controller === by) {
      if (prev.standing && prev.reported === e.at) return changed;
      prev.standing = true;
      prev.reported = e.at;
      return true;
    }
    controller = by;
  }
  if (prev === undefined) claims.push({ source, controller, standing: true, reported: e.at });
  else Object.assign(prev, { controller, standing: true, reported: e.at });
  return true;
}

function isContested(claims: readonly SourceClaim[]): boolean {
  let first: string | null | undefined;
  for (const c of claims) {
    if (!c.standing) continue;
    if (first === undefined) first = c.controller;
    else if (c.controller !== first) return true;
  }
  return false;
}

function stepControl(s: Slices, places: Claims, e: Parsed): void {
  const { place } = e.data as { place: string };
  let claims = places.get(place);
  if (claims === undefined) {
    claims = [];
    places.set(place, claims);
  }
  const changed = e.source === undefined ? false : stepClaims(claims, e, e.source);
  const cur = s.control[place];
  let controller: string | null | undefined;
  if (e.type === "Withdrew") {
    const d = e.data as { actor: string; handedTo?: string };
    if (cur !== undefined && cur.controller === d.actor && d.handedTo !== d.actor)
      controller = d.handedTo ?? null;
  } else if (cur === undefined || cur.controller !== (e.data as { by: string }).by) {
    // A capture by the holder confirms the holding: `since` stays its start.
    controller = (e.data as { by: string }).by;
  }
  const contested = !changed && cur !== undefined ? cur.contested : isContested(claims);
  if (controller !== undefined) {
    // The generator's times are all full ISO strings or numbers: millisecond precision.
    s.control[place] = {
      controller,
      since: e.at,
      eventId: e.id,
      precision: "millisecond",
      contested,
    };
  } else if (cur !== undefined && cur.contested !== contested) {
    s.control[place] = { ...cur, contested };
  }
}

function step(s: Slices, claims: Claims, e: Parsed): void {
  switch (e.type) {
    case "Captured":
    case "Withdrew":
      stepControl(s, claims, e);
      break;
    case "Airstrike": {
      for (const place of new Set((e.data as { places: string[] }).places)) {
        const cur = s.airstrikes[place];
        s.airstrikes[place] = {
          count: (cur?.count ?? 0) + 1,
          lastAt: e.at,
          lastPrecision: "millisecond",
        };
      }
      break;
    }
    case "Arrests": {
      const d = e.data as { place: string; count?: number };
      const cur = s.arrests[d.place];
      s.arrests[d.place] = {
        events: (cur?.events ?? 0) + 1,
        detained: (cur?.detained ?? 0) + (d.count ?? 0),
        uncounted: (cur?.uncounted ?? 0) + (d.count === undefined ? 1 : 0),
        lastAt: e.at,
        lastPrecision: "millisecond",
      };
      break;
    }
  }
}

/** Folds sorted events with `at <= t` into plain mutable objects, from scratch. */
export function mutableFold(sorted: readonly Parsed[], t = Number.POSITIVE_INFINITY): Slices {
  const s: Slices = { control: {}, airstrikes: {}, arrests: {} };
  const claims: Claims = new Map();
  for (const e of sorted) {
    if (e.at > t) break;
    step(s, claims, e);
  }
  return s;
}

/** The practical limit of a build: validate, sort, fold mutably. */
export function practicalLimit(raw: readonly BaselineInput[]): Slices {
  return mutableFold(validateAndSort(raw));
}

/** The naive immer fold: one `produce` per event over the whole state. */
export function naiveImmer(raw: readonly RawEvent[]): Slices {
  let state: Slices = { control: {}, airstrikes: {}, arrests: {} };
  // The claims are bookkeeping beside the state, not part of it: kept outside the drafts.
  const claims: Claims = new Map();
  for (const e of validateAndSort(raw))
    state = produce(state, (draft) => step(draft as Slices, claims, e));
  return state;
}
