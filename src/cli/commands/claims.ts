// `tidemark claims FILE --at T [--place P]`: each source's account of who held a place.

import type { Claim } from "../../core/claims.js";
import { TimelineValidationError } from "../../core/errors.js";
import type { TimelineEvent } from "../../core/events.js";
import type { Zone } from "../../core/zone.js";
import type { Answers } from "../answers.js";
import type { Command } from "../command.js";
import { UsageError } from "../exit.js";
import type { Names } from "../names.js";
import { OUTPUT, QUERY, READING } from "../options.js";
import { answering, type Question } from "../read.js";
import { isoAt, json, notBeforeJson, spanAt, table } from "../table.js";

/**
 * A claim as --json prints it: the library's fields (`since` in epoch ms), `sinceIso` (ISO
 * 8601 at its precision, as `state` prints it) and `controllerName` where the registry has one.
 */
export function claimJson(
  claim: Claim,
  zone: Zone,
  names: Names,
  byId: ReadonlyMap<string, TimelineEvent>,
): object {
  const controllerName = names.actor(claim.controller);
  return {
    ...claim,
    ...(controllerName === undefined ? {} : { controllerName }),
    sinceIso: isoAt(claim.since, claim.precision, zone),
    ...notBeforeJson(byId.get(claim.eventId), zone),
  };
}

/** The report behind each claim, by id, for its `notBefore`. */
export function claimEvents(
  answers: Answers,
  claimed: readonly { readonly claims: readonly Claim[] }[],
): Promise<ReadonlyMap<string, TimelineEvent>> {
  return answers.eventsById(claimed.flatMap((p) => p.claims.map((c) => c.eventId)));
}

/** The header of a claims table (after `place` when every place is listed). */
export const CLAIM_HEADER = ["source", "controller", "since", "event", "standing"];

/** A place's claims as --json prints them. */
export function placeClaimsJson(
  place: string,
  claims: readonly Claim[],
  zone: Zone,
  names: Names,
  byId: ReadonlyMap<string, TimelineEvent>,
): object {
  const placeName = names.place(place);
  return {
    place,
    ...(placeName === undefined ? {} : { placeName }),
    claims: claims.map((c) => claimJson(c, zone, names, byId)),
  };
}

/** Rows of a claims table, one per source; the place first when given. */
export function claimRows(
  claims: readonly Claim[],
  zone: Zone,
  names: Names,
  byId: ReadonlyMap<string, TimelineEvent>,
  place?: string,
): string[][] {
  return claims.map((c) => [
    ...(place === undefined ? [] : [names.placeCell(place)]),
    c.source,
    // A withdrawal claims who left, beside who holds the place then.
    c.left === undefined
      ? names.actorCell(c.controller)
      : `${names.actorCell(c.controller)} (${names.actorCell(c.left)} left)`,
    spanAt(byId.get(c.eventId), c.since, c.precision, zone),
    c.eventId,
    // A claim overtaken by a later report that can follow it makes nothing contested.
    c.standing ? "standing" : "overtaken",
  ]);
}

async function answer({
  answers,
  args,
  io,
  zone,
  names,
  place: resolve,
}: Question): Promise<string> {
  const at = args.time("at") as number;
  const query = args.query();
  const given = args.string("place");
  const one = given === undefined || given === "" ? undefined : await resolve(given);
  let claimed: readonly { place: string; claims: readonly Claim[] }[];
  try {
    // Every place with a claim, one that a withdrawal alone was reported from included.
    claimed =
      one !== undefined
        ? [{ place: one, claims: await answers.claims(one, at, query) }]
        : await answers.claimsAt(at, query);
  } catch (error) {
    if (error instanceof TimelineValidationError) {
      throw new UsageError(`--place: ${error.issues.map((i) => i.message).join("; ")}`);
    }
    throw error;
  }
  const sourced = names.byPlace(
    claimed.filter((p) => p.claims.length > 0),
    (p) => p.place,
  );
  const byId = await claimEvents(answers, sourced);
  if (args.flag("json")) {
    if (one !== undefined) {
      return json((sourced[0]?.claims ?? []).map((c) => claimJson(c, zone, names, byId)));
    }
    return json(sourced.map((p) => placeClaimsJson(p.place, p.claims, zone, names, byId)));
  }
  if (sourced.length === 0) {
    io.stderr.write(
      `no source reports on ${one === undefined ? "any place" : names.placeCell(one)} by then\n`,
    );
    return "";
  }
  if (one !== undefined) {
    const rows = claimRows(sourced[0]?.claims ?? [], zone, names, byId);
    return `${table([CLAIM_HEADER, ...rows])}\n`;
  }
  return `${table([
    ["place", ...CLAIM_HEADER],
    ...sourced.flatMap((p) => claimRows(p.claims, zone, names, byId, p.place)),
  ])}\n`;
}

export const claims: Command = {
  name: "claims",
  summary: "who held a place at a time, according to each source",
  description:
    "Prints, for each source cited by control events (Captured, Withdrew, Held) of place P, who held P at T by that source alone, since when, and the event that says so. P is a place's id, name or alias, in any letter case. Without --place, prints every place that any source reports on, one row per place and source, sorted by place name. --json gives each claim with sinceIso and controllerName (and placeName without --place).",
  usage: "--at T [--place P]",
  options: {
    at: { type: "string", value: "time", required: true, usage: "--at T", help: "the instant" },
    place: {
      type: "string",
      usage: "--place P",
      help: "place id, name or alias, any letter case (default: every place)",
    },
  },
  groups: [QUERY, READING, OUTPUT],
  example: "tidemark claims events.ndjson --place palmyra --at 2016-12-11T08:00+02:00",
  run: answering(answer),
};
