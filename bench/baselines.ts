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
}

type Control = Record<
  string,
  { controller: string | null; since: number; eventId: string; precision: "millisecond" }
>;
type Strikes = Record<string, { count: number; lastAt: number }>;
type Detained = Record<
  string,
  { events: number; detained: number; uncounted: number; lastAt: number }
>;

/** What the baselines read: the generator's events, with ISO string or numeric times. */
export type BaselineInput = Pick<RawEvent, "id" | "type" | "data"> & { at: string | number };

export interface Slices {
  control: Control;
  airstrikes: Strikes;
  arrests: Detained;
}

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
    };
  }
  return out.sort((a, b) => a.at - b.at);
}

function step(s: Slices, e: Parsed): void {
  switch (e.type) {
    case "Captured": {
      const d = e.data as { place: string; by: string };
      // A capture by the holder confirms the holding: `since` stays its start.
      if (s.control[d.place]?.controller === d.by) break;
      // The generator's times are all full ISO strings or numbers: millisecond precision.
      s.control[d.place] = {
        controller: d.by,
        since: e.at,
        eventId: e.id,
        precision: "millisecond",
      };
      break;
    }
    case "Withdrew": {
      const d = e.data as { place: string; actor: string; handedTo?: string };
      const cur = s.control[d.place];
      if (cur !== undefined && cur.controller === d.actor && d.handedTo !== d.actor) {
        s.control[d.place] = {
          controller: d.handedTo ?? null,
          since: e.at,
          eventId: e.id,
          precision: "millisecond",
        };
      }
      break;
    }
    case "Airstrike": {
      for (const place of new Set((e.data as { places: string[] }).places)) {
        const cur = s.airstrikes[place];
        s.airstrikes[place] = { count: (cur?.count ?? 0) + 1, lastAt: e.at };
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
      };
      break;
    }
  }
}

/** Folds sorted events with `at <= t` into plain mutable objects, from scratch. */
export function mutableFold(sorted: readonly Parsed[], t = Number.POSITIVE_INFINITY): Slices {
  const s: Slices = { control: {}, airstrikes: {}, arrests: {} };
  for (const e of sorted) {
    if (e.at > t) break;
    step(s, e);
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
  for (const e of validateAndSort(raw)) state = produce(state, (draft) => step(draft as Slices, e));
  return state;
}
