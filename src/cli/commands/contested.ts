// `tidemark contested FILE --at T`: the places whose sources disagree at T.

import type { Command } from "../command.js";
import { OUTPUT, QUERY, READING } from "../options.js";
import { answering, type Question } from "../read.js";
import { json, table } from "../table.js";
import { CLAIM_HEADER, claimEvents, claimRows, placeClaimsJson } from "./claims.js";

async function answer({ answers, args, io, zone, names }: Question): Promise<string> {
  const contested = names.byPlace(
    await answers.contested(args.time("at") as number, args.query()),
    (p) => p.place,
  );
  const byId = await claimEvents(answers, contested);
  if (args.flag("json")) {
    return json(contested.map((p) => placeClaimsJson(p.place, p.claims, zone, names, byId)));
  }
  if (contested.length === 0) {
    io.stderr.write("no contested places then\n");
    return "";
  }
  return `${table([
    ["place", ...CLAIM_HEADER],
    ...contested.flatMap((p) => claimRows(p.claims, zone, names, byId, p.place)),
  ])}\n`;
}

export const contested: Command = {
  name: "contested",
  summary: "places whose sources disagree about who held them at a time",
  description:
    "Prints every place whose sources disagree about its controller at T, sorted by place name, one row per source with that source's claim (see claims).",
  usage: "--at T",
  options: {
    at: { type: "string", value: "time", required: true, usage: "--at T", help: "the instant" },
  },
  groups: [QUERY, READING, OUTPUT],
  example: "tidemark contested events.ndjson --at 2016-12-11T08:00+02:00",
  run: answering(answer),
};
