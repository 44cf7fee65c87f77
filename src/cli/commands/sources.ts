// `tidemark sources FILE`: every source the counted events cite, with how many cite it.

import type { Command } from "../command.js";
import { OUTPUT, QUERY, READING } from "../options.js";
import { answering, type Question } from "../read.js";
import { json, table } from "../table.js";

async function answer({ answers, args, io }: Question): Promise<string> {
  const sources = await answers.sources(args.query());
  if (args.flag("json")) return json(sources);
  if (sources.length === 0) {
    io.stderr.write("no event cites a source\n");
    return "";
  }
  return `${table([["source", "events"], ...sources.map((s) => [s.name, String(s.events)])])}\n`;
}

export const sources: Command = {
  name: "sources",
  summary: "every source the events cite, with how many events cite it",
  description:
    "Prints each source name cited by the events that count (retracted events do not), sorted by name, with the number of events citing it. --as-of and --source select the events as in every query.",
  usage: "",
  options: {},
  groups: [QUERY, READING, OUTPUT],
  example: "tidemark sources events.ndjson --as-of 2016-12-11T08:00+02:00",
  run: answering(answer),
};
