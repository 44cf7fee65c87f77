import type { TimelineEvent } from "./events.js";
import type { Precision } from "./time.js";

/**
 * The control of a place at an instant as one source alone tells it, and whether that claim
 * still stands in the view.
 */
export interface Claim {
  readonly source: string;
  /** Who holds the place as this source tells it; `null`: nobody. */
  readonly controller: string | null;
  /** When the holding began as this source tells it: the `at` of the report that set it. */
  readonly since: number;
  /** Id of that report. */
  readonly eventId: string;
  /** Precision of `since`: that of the event that set this claim. */
  readonly precision: Precision;
  /**
   * Whether the claim stands: no other source counted in the view has reported, at a later
   * `at`, a change of the place that can follow it (a `Captured` by another actor whose `from`
   * is the claimed holder or absent, or a `Withdrew` by the claimed holder). A claim that no
   * longer stands was overtaken by events, not contradicted, and makes no place contested.
   */
  readonly standing: boolean;
  /**
   * Present on a claim set by a `Withdrew`: the actor whose departure the source reported.
   * A source that reports a withdrawal without ever having said who held the place claims
   * that the actor left and that `controller` (the `handedTo`, else `null`: nobody named)
   * holds it.
   */
  readonly left?: string;
}

/** A place with the claims of every source that reports on it at one instant. */
export interface PlaceClaims {
  readonly place: string;
  readonly claims: readonly Claim[];
}

/** A place that two standing claims give to different controllers. */
export type ContestedPlace = PlaceClaims;

export const NO_CLAIMS: readonly Claim[] = Object.freeze([]);

/**
 * The distinct source names an event cites that the view counts. `single` keeps the list of
 * each name cited alone, so that most events (one source each) make no list of their own.
 */
export function citedNames(
  event: TimelineEvent,
  accepted: ReadonlySet<string> | undefined,
  single: Map<string, readonly string[]>,
): readonly string[] {
  const { sources } = event;
  if (sources.length === 0) return NO_NAMES;
  if (sources.length === 1) {
    const name = (sources[0] as { name: string }).name;
    if (accepted !== undefined && !accepted.has(name)) return NO_NAMES;
    // Most events cite one source: one list per name, not one per event.
    let names = single.get(name);
    if (names === undefined) {
      names = Object.freeze([name]);
      single.set(name, names);
    }
    return names;
  }
  const names: string[] = [];
  for (const { name } of sources) {
    if ((accepted === undefined || accepted.has(name)) && !names.includes(name)) names.push(name);
  }
  return names;
}

const NO_NAMES: readonly string[] = Object.freeze([]);

/** Whether a control event reports a change of the place that can start from `holder`. */
function follows(event: TimelineEvent, holder: string | null): boolean {
  if (event.type === "Captured") {
    const { by, from } = event.data as { by: string; from?: string };
    return by !== holder && (from === undefined || from === holder);
  }
  if (event.type !== "Withdrew") return false;
  const { actor, handedTo } = event.data as { actor: string; handedTo?: string };
  return actor === holder && handedTo !== holder;
}

function claimOf(
  source: string,
  event: TimelineEvent,
  controller: string | null,
  left: string | undefined,
): Claim {
  const claim: {
    source: string;
    controller: string | null;
    since: number;
    eventId: string;
    precision: Precision;
    standing: boolean;
    left?: string;
  } = {
    source,
    controller,
    since: event.at,
    eventId: event.id,
    precision: event.precision,
    standing: true,
  };
  if (left !== undefined) claim.left = left;
  return Object.freeze(claim);
}

/**
 * One source's claims on a place: the public claims, and for each the `at` of the latest
 * report by which its source stated it (a confirmation renews a claim without moving its
 * `since`).
 */
export interface ClaimsState {
  readonly claims: readonly Claim[];
  readonly reported: readonly number[];
}

export const NO_CLAIMS_STATE: ClaimsState = Object.freeze({
  claims: NO_CLAIMS,
  reported: Object.freeze([]) as readonly number[],
});

/**
 * The claims on a place after a control event that cites `names` (the sources the view
 * counts): claims it can follow that other sources last stated earlier stop standing, then
 * each cited source's own claim moves on (a report that restates a claim renews it). Returns
 * `state` itself when nothing changed.
 */
export function stepClaims(
  state: ClaimsState,
  event: TimelineEvent,
  names: readonly string[],
): ClaimsState {
  const { claims, reported } = state;
  let out: Claim[] | undefined;
  let times: number[] | undefined;
  if (event.type !== "Held") {
    for (let i = 0; i < claims.length; i++) {
      const claim = claims[i] as Claim;
      if (
        claim.standing &&
        event.at > (reported[i] as number) &&
        (names.length > 1 || names[0] !== claim.source) &&
        follows(event, claim.controller)
      ) {
        out ??= claims.slice();
        out[i] = Object.freeze({ ...claim, standing: false });
      }
    }
  }
  for (const source of names) {
    const list = out ?? claims;
    let i = 0;
    while (i < list.length && (list[i] as Claim).source !== source) i++;
    const prev = i === list.length ? undefined : (list[i] as Claim);
    let next: Claim;
    if (event.type === "Withdrew") {
      const { actor, handedTo } = event.data as { actor: string; handedTo?: string };
      // The withdrawal of an actor this source does not say holds the place tells nothing
      // new, unless the source never said who held it: then it claims that `actor` left.
      if (prev !== undefined && prev.controller !== actor) continue;
      if (prev === undefined || handedTo !== actor) {
        next = claimOf(source, event, handedTo ?? null, actor);
      } else {
        // Handed to itself: the holder stays, as the source tells it.
        if (prev.standing && (reported[i] as number) === event.at) continue;
        next = prev.standing ? prev : Object.freeze({ ...prev, standing: true });
      }
    } else {
      const { by } = event.data as { by: string };
      if (prev === undefined || prev.controller !== by) {
        next = claimOf(source, event, by, undefined);
      } else {
        // The source restates its claim: it stands again from this report, since as it was.
        if (prev.standing && (reported[i] as number) === event.at) continue;
        next = prev.standing ? prev : Object.freeze({ ...prev, standing: true });
      }
    }
    out ??= claims.slice();
    times ??= reported.slice();
    if (prev === undefined) {
      out.push(next);
      times.push(event.at);
    } else {
      out[i] = next;
      times[i] = event.at;
    }
  }
  if (out === undefined) return state;
  // Only the claims are handed out (frozen); the rest stays inside the control index.
  return { claims: Object.freeze(out), reported: times ?? reported.slice() };
}

/** Whether two standing claims name different controllers. */
export function isContested(claims: readonly Claim[]): boolean {
  let first: string | null | undefined;
  for (const claim of claims) {
    if (!claim.standing) continue;
    if (first === undefined) first = claim.controller;
    else if (claim.controller !== first) return true;
  }
  return false;
}

/** Whether two claims states say the same, claim by claim. */
export function sameClaims(x: ClaimsState, y: ClaimsState): boolean {
  if (x === y) return true;
  const a = x.claims;
  const b = y.claims;
  for (let i = 0; i < x.reported.length; i++) if (x.reported[i] !== y.reported[i]) return false;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as Claim;
    const y = b[i] as Claim;
    if (
      x !== y &&
      (x.source !== y.source ||
        x.eventId !== y.eventId ||
        x.controller !== y.controller ||
        x.standing !== y.standing ||
        x.left !== y.left)
    )
      return false;
  }
  return true;
}
