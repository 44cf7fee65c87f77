import type { TimelineEvent } from "./events.js";
import type { ControlEntry } from "./slices.js";
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
  const { at: since, id: eventId, precision } = event;
  // One literal per shape: a property added later would take an object of its own.
  return Object.freeze(
    left === undefined
      ? { source, controller, since, eventId, precision, standing: true }
      : { source, controller, since, eventId, precision, standing: true, left },
  );
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

/**
 * Which claims of a fold stand: bit `i` for its `i`-th source while a place has at most
 * {@link BITS} sources (a small integer: no object), else one flag per source.
 */
type Standing = number | readonly boolean[];

const BITS = 30;

function stands(standing: Standing, i: number): boolean {
  return typeof standing === "number"
    ? i < BITS && ((standing >> i) & 1) === 1
    : standing[i] === true;
}

function setStands(standing: Standing, i: number, on: boolean): Standing {
  if (typeof standing === "number" && i < BITS) {
    return on ? standing | (1 << i) : standing & ~(1 << i);
  }
  const flags: boolean[] = [];
  if (typeof standing === "number") {
    for (let k = 0; k < BITS; k++) flags.push(((standing >> k) & 1) === 1);
  } else flags.push(...standing);
  while (flags.length <= i) flags.push(false);
  flags[i] = on;
  return flags;
}

/**
 * A claim its source stated again after it set it (a confirmation renews a claim without
 * moving its `since`): the claim, and the `at` of that latest report. Made only for such
 * reports, so that a claim's slot is nearly always the claim itself.
 */
class Renewal {
  constructor(
    readonly claim: Claim,
    readonly at: number,
  ) {}
}

/**
 * What control folds per place after each of its events: the entry the state shows and each
 * source's claim, from which the entry's `contested` follows. It is kept in every place's key
 * log after every control event, so it is compact: the entry itself while no source has a
 * claim on the place, else one flat array, copied (a few pointers) when an event changes it:
 *
 * `[entry, standing, slot₀, slot₁, …]`
 *
 * - `entry`: the {@link ControlEntry}, `undefined` until an event sets a controller; shared
 *   with the value before while it does not change.
 * - `standing`: which claims stand (see {@link Standing}).
 * - `slotᵢ`: the claim of the `i`-th source to report on the place, frozen, as it reads while
 *   it stands: one object per report that sets a claim, shared by every later value until its
 *   source moves on. When the source has stated it again since, a {@link Renewal} of it. A
 *   claim that no longer stands is copied with `standing: false` only when read
 *   ({@link foldClaims}).
 *
 * The previous shape (an object holding the entry, and a state of a fresh list of claims, a
 * fresh list of report times and a fresh copy of each claim an event overtook) took 377 B and
 * six objects or more per control event beside the entry; this one 157 B, an array and
 * mostly one claim (`bench/control-fold.ts`).
 */
export type ControlFold = ControlEntry | ClaimSlots;

/** A fold with claims: see {@link ControlFold}. */
export interface ClaimSlots {
  readonly [slot: number]: unknown;
  readonly length: number;
}

type Slots = unknown[];

const ENTRY = 0;
const STANDING = 1;
const FIRST = 2;

/** The value before a place's first control event. */
export const NO_FOLD: ControlFold = Object.freeze([undefined, 0]);

function hasSlots(fold: ControlFold): fold is ClaimSlots {
  return Array.isArray(fold);
}

/** The entry a fold shows, `undefined` while the place has none. */
export function foldEntry(fold: ControlFold): ControlEntry | undefined {
  return hasSlots(fold) ? (fold[ENTRY] as ControlEntry | undefined) : fold;
}

/** Number of sources with a claim in a fold. */
export function claimCount(fold: ControlFold): number {
  return hasSlots(fold) ? fold.length - FIRST : 0;
}

function claimAt(fold: ClaimSlots, i: number): Claim {
  const slot = fold[FIRST + i] as Claim | Renewal;
  return slot instanceof Renewal ? slot.claim : slot;
}

/** The `at` of the latest report by which the `i`-th source stated its claim. */
function reportedAt(fold: ClaimSlots, i: number): number {
  const slot = fold[FIRST + i] as Claim | Renewal;
  return slot instanceof Renewal ? slot.at : slot.since;
}

/**
 * The claims on a place after a control event that cites `names` (the sources the view
 * counts): claims it can follow that other sources last stated earlier stop standing, then
 * each cited source's own claim moves on (a report that restates a claim renews it). Returns
 * a new fold (its entry still that of `fold`: see {@link withEntry}), or `undefined` when
 * nothing changed.
 */
export function stepClaims(
  fold: ControlFold,
  event: TimelineEvent,
  names: readonly string[],
): ClaimSlots | undefined {
  const slots = (hasSlots(fold) ? fold : [fold, 0]) as Slots;
  let out: Slots | undefined;
  let standing = slots[STANDING] as Standing;
  if (event.type !== "Held") {
    const n = slots.length - FIRST;
    for (let i = 0; i < n; i++) {
      const claim = claimAt(slots, i);
      if (
        stands(standing, i) &&
        event.at > reportedAt(slots, i) &&
        (names.length > 1 || names[0] !== claim.source) &&
        follows(event, claim.controller)
      ) {
        standing = setStands(standing, i, false);
        out ??= slots.slice();
      }
    }
  }
  for (const source of names) {
    const list = out ?? slots;
    const count = list.length - FIRST;
    let i = 0;
    while (i < count && claimAt(list, i).source !== source) i++;
    const prev = i === count ? undefined : claimAt(list, i);
    const renewed = prev !== undefined && stands(standing, i) && reportedAt(list, i) === event.at;
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
        if (renewed) continue;
        next = prev;
      }
    } else {
      const { by } = event.data as { by: string };
      if (prev === undefined || prev.controller !== by) {
        next = claimOf(source, event, by, undefined);
      } else {
        // The source restates its claim: it stands again from this report, since as it was.
        if (renewed) continue;
        next = prev;
      }
    }
    const slot = next.since === event.at ? next : new Renewal(next, event.at);
    if (i === count) {
      // A new source: a copy of the exact length (an array grown in place keeps spare room).
      out = list.concat([slot]);
    } else {
      out ??= slots.slice();
      out[FIRST + i] = slot;
    }
    standing = setStands(standing, i, true);
  }
  if (out !== undefined) out[STANDING] = standing;
  return out;
}

/**
 * A fold with the entry `entry` and the claims of `claimed` (what {@link stepClaims} made), or
 * of `fold` when it made nothing: `fold` itself when that is all the same.
 */
export function withEntry(
  fold: ControlFold,
  claimed: ClaimSlots | undefined,
  entry: ControlEntry | undefined,
): ControlFold {
  if (claimed !== undefined) {
    (claimed as Slots)[ENTRY] = entry;
    return claimed;
  }
  if (entry === foldEntry(fold)) return fold;
  if (!hasSlots(fold) || claimCount(fold) === 0) return entry as ControlEntry;
  const copy = (fold as unknown as Slots).slice();
  copy[ENTRY] = entry;
  return copy;
}

/** Whether two standing claims of a fold name different controllers. */
export function isContestedFold(fold: ControlFold): boolean {
  if (!hasSlots(fold)) return false;
  const standing = fold[STANDING] as Standing;
  const n = claimCount(fold);
  let first: string | null | undefined;
  for (let i = 0; i < n; i++) {
    if (!stands(standing, i)) continue;
    const controller = claimAt(fold, i).controller;
    if (first === undefined) first = controller;
    else if (controller !== first) return true;
  }
  return false;
}

/**
 * The claims of a fold as the API hands them out: frozen, in the order the place's control
 * events first cite each source, a claim that no longer stands copied with `standing: false`.
 */
export function foldClaims(fold: ControlFold): readonly Claim[] {
  if (!hasSlots(fold) || claimCount(fold) === 0) return NO_CLAIMS;
  const n = claimCount(fold);
  const standing = fold[STANDING] as Standing;
  const out: Claim[] = [];
  for (let i = 0; i < n; i++) {
    const claim = claimAt(fold, i);
    out.push(stands(standing, i) ? claim : Object.freeze({ ...claim, standing: false }));
  }
  return Object.freeze(out);
}

/** Whether two folds after the same event say the same: entry, and claim by claim. */
export function sameFold(a: ControlFold, b: ControlFold): boolean {
  if (a === b) return true;
  const x = foldEntry(a);
  const y = foldEntry(b);
  if (x?.eventId !== y?.eventId || x?.controller !== y?.controller || x?.contested !== y?.contested)
    return false;
  const n = claimCount(a);
  if (n !== claimCount(b)) return false;
  if (!hasSlots(a) || !hasSlots(b)) return true;
  const sa = a[STANDING] as Standing;
  const sb = b[STANDING] as Standing;
  for (let i = 0; i < n; i++) {
    const p = claimAt(a, i);
    const q = claimAt(b, i);
    if (
      stands(sa, i) !== stands(sb, i) ||
      reportedAt(a, i) !== reportedAt(b, i) ||
      (p !== q &&
        (p.source !== q.source ||
          p.eventId !== q.eventId ||
          p.controller !== q.controller ||
          p.left !== q.left))
    )
      return false;
  }
  return true;
}

/**
 * A control fold as the stores keep it (JSON of this object): the entry, and the claims as
 * the API reads them, each with the `at` of its latest report.
 */
export interface StoredControlFold {
  readonly entry?: ControlEntry;
  readonly claims: { readonly claims: readonly Claim[]; readonly reported: readonly number[] };
}

/** A fold in the shape the stores keep. */
export function storedFold(fold: ControlFold): StoredControlFold {
  const reported: number[] = [];
  if (hasSlots(fold)) {
    for (let i = 0; i < claimCount(fold); i++) reported.push(reportedAt(fold, i));
  }
  return {
    entry: foldEntry(fold),
    claims: { claims: foldClaims(fold), reported },
  } as StoredControlFold;
}

/** A fold from the shape the stores keep. */
export function foldFromStored(stored: StoredControlFold): ControlFold {
  const { claims, reported } = stored.claims;
  if (claims.length === 0) return stored.entry ?? NO_FOLD;
  const slots: Slots = [stored.entry, 0];
  let standing: Standing = 0;
  claims.forEach((stored, i) => {
    const at = reported[i] as number;
    const claim = stored.standing ? stored : Object.freeze({ ...stored, standing: true });
    slots.push(at === claim.since ? claim : new Renewal(claim, at));
    standing = setStands(standing, i, stored.standing);
  });
  slots[STANDING] = standing;
  return slots;
}
