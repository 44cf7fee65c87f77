// `tidemark claims FILE --at T [--place P]`: each source's account of who held a place.

import type { Claim } from "../../core/claims.js";
import { TimelineValidationError } from "../../core/errors.js";
import type { Zone } from "../../core/zone.js";
import type { Command } from "../command.js";
import { UsageError } from "../exit.js";
import type { Names } from "../names.js";
import { OUTPUT, QUERY, READING } from "../options.js";
import { answering, type Question } from "../read.js";
import { isoAt, json, table } from "../table.js";

/**
 * A claim as --json prints it: the library's fields (`since` in epoch ms), `sinceIso` (ISO
 * 8601 at its precision, as `state` prints it) and `controllerName` where the registry has one.
 */
export function claimJson(claim: Claim, zone: Zone, names: Names): object {
  const controllerName = names.actor(claim.controller);
  return {
    ...claim,
    ...(controllerName === undefined ? {} : { controllerName }),
    sinceIso: isoAt(claim.since, claim.precision, zone),
  };
}

/** A place's claims as --json prints them. */
export function placeClaimsJson(
  place: string,
  claims: readonly Claim[],
  zone: Zone,
  names: Names,
): object {
  const placeName = names.place(place);
  return {
    place,
    ...(placeName === undefined ? {} : { placeName }),
    claims: claims.map((c) => claimJson(c, zone, names)),
  };
}

/** Rows of a claims table, one per source; the place first when given. */
export function claimRows(
  claims: readonly Claim[],
  zone: Zone,
  names: Names,
  place?: string,
): string[][] {
  return claims.map((c) => [
    ...(place === undefined ? [] : [names.placeCell(place)]),
    c.source,
    names.actorCell(c.controller),
    isoAt(c.since, c.precision, zone),
    c.eventId,
  ]);
}

function answer({ input, args, io, zone, names, place: resolve }: Question): string {
  const at = args.time("at") as number;
  const query = args.query();
  const given = args.string("place");
  const one = given === undefined || given === "" ? undefined : resolve(given);
  const places = one !== undefined ? [one] : Object.keys(input.timeline.stateAt(at, query).control);
  let claimed: { place: string; claims: readonly Claim[] }[];
  try {
    claimed = places.map((place) => ({ place, claims: input.timeline.claims(place, at, query) }));
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
  if (args.flag("json")) {
    if (one !== undefined) {
      return json((sourced[0]?.claims ?? []).map((c) => claimJson(c, zone, names)));
    }
    return json(sourced.map((p) => placeClaimsJson(p.place, p.claims, zone, names)));
  }
  if (sourced.length === 0) {
    io.stderr.write(
      `no source reports on ${one === undefined ? "any place" : names.placeCell(one)} by then\n`,
    );
    return "";
  }
  if (one !== undefined) {
    const rows = claimRows(sourced[0]?.claims ?? [], zone, names);
    return `${table([["source", "controller", "since", "event"], ...rows])}\n`;
  }
  return `${table([
    ["place", "source", "controller", "since", "event"],
    ...sourced.flatMap((p) => claimRows(p.claims, zone, names, p.place)),
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
