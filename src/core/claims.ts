import type { TimelineEvent } from "./events.js";
import type { KeyedRule } from "./keyed.js";
import { upperBoundNumbers } from "./search.js";
import type { ControlEntry } from "./slices.js";
import type { Precision } from "./time.js";

/** The control of a place at an instant as one source alone tells it. */
export interface Claim {
  readonly source: string;
  readonly controller: string | null;
  readonly since: number;
  readonly eventId: string;
  /** Precision of `since`: that of the event that set this claim. */
  readonly precision: Precision;
}

/** A place with the claims of every source that reports on it at one instant. */
export interface PlaceClaims {
  readonly place: string;
  readonly claims: readonly Claim[];
}

/** A place whose sources disagree about who controls it. */
export type ContestedPlace = PlaceClaims;

/** One source's control values of one place, after each control event that cites it. */
interface SourceLog {
  readonly source: string;
  readonly ats: number[];
  readonly values: (ControlEntry | undefined)[];
}

function valueAt(log: SourceLog, t: number): ControlEntry | undefined {
  const i = upperBoundNumbers(log.ats, t);
  return i === 0 ? undefined : log.values[i - 1];
}

/**
 * Every source's own fold of control, per place, over the events of one view: one pass over
 * them, after which the claims of a place at any instant are a binary search per source, and
 * those of every place at once (`claimsAt`, `contested`) one per place and source.
 */
export class ClaimsIndex {
  /** Place, then source in the order the place's control events first cite it. */
  private readonly logs = new Map<string, Map<string, SourceLog>>();
  private sortedPlaces: readonly string[] | undefined;

  /**
   * @param events - the view's events in timeline order.
   * @param accepted - the source names the view counts, when it names any.
   */
  constructor(
    events: readonly TimelineEvent[],
    rule: KeyedRule<ControlEntry>,
    accepted: ReadonlySet<string> | undefined,
  ) {
    for (const event of events) {
      const places = rule.keys(event);
      if (places.length === 0) continue;
      const names = citedNames(event, accepted);
      if (names.length === 0) continue;
      for (const place of places) {
        let bySource = this.logs.get(place);
        if (bySource === undefined) {
          bySource = new Map();
          this.logs.set(place, bySource);
        }
        for (const name of names) {
          let log = bySource.get(name);
          if (log === undefined) {
            log = { source: name, ats: [], values: [] };
            bySource.set(name, log);
          }
          const prev = log.values.length === 0 ? undefined : log.values[log.values.length - 1];
          log.ats.push(event.at);
          log.values.push(rule.step(prev, event));
        }
      }
    }
  }

  /** The claims on one place at `t`, in the order its control events first cite each source. */
  claimsOf(place: string, t: number): readonly Claim[] {
    const bySource = this.logs.get(place);
    if (bySource === undefined) return EMPTY;
    const out: Claim[] = [];
    for (const log of bySource.values()) {
      const entry = valueAt(log, t);
      if (entry === undefined) continue;
      out.push(
        Object.freeze({
          source: log.source,
          controller: entry.controller,
          since: entry.since,
          eventId: entry.eventId,
          precision: entry.precision,
        }),
      );
    }
    return Object.freeze(out);
  }

  /** Every place with at least one claim at `t`, sorted by id; with `keep`, only those it keeps. */
  claimsAt(t: number, keep?: (claims: readonly Claim[]) => boolean): readonly PlaceClaims[] {
    this.sortedPlaces ??= [...this.logs.keys()].sort(byCodeUnits);
    const out: PlaceClaims[] = [];
    for (const place of this.sortedPlaces) {
      const claims = this.claimsOf(place, t);
      if (claims.length > 0 && (keep === undefined || keep(claims)))
        out.push(Object.freeze({ place, claims }));
    }
    return Object.freeze(out);
  }
}

const EMPTY: readonly Claim[] = Object.freeze([]);

/** The distinct source names an event cites that the view counts. */
function citedNames(event: TimelineEvent, accepted: ReadonlySet<string> | undefined): string[] {
  const names: string[] = [];
  for (const { name } of event.sources) {
    if ((accepted === undefined || accepted.has(name)) && !names.includes(name)) names.push(name);
  }
  return names;
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whether the claims disagree about the controller. */
export function disagree(claims: readonly Claim[]): boolean {
  const first = (claims[0] as Claim).controller;
  return claims.some((c) => c.controller !== first);
}
