// `tidemark diff FILE --from T --to T`: the places whose controller changed between two times.

import type { Command } from "../command.js";
import { OUTPUT, QUERY, READING } from "../options.js";
import { answering, type Question } from "../read.js";
import { json, table } from "../table.js";

async function answer({ answers, args, io, names }: Question): Promise<string> {
  const diff = names.byPlace(
    await answers.diff(args.time("from") as number, args.time("to") as number, args.query()),
    (d) => d.place,
  );
  if (args.flag("json")) {
    // As the library gives it (`null` is nobody, a missing key an absent place), names added.
    return json(
      diff.map((d) => {
        const placeName = names.place(d.place);
        const beforeName = names.actor(d.before);
        const afterName = names.actor(d.after);
        return {
          ...d,
          ...(placeName === undefined ? {} : { placeName }),
          ...(beforeName === undefined ? {} : { beforeName }),
          ...(afterName === undefined ? {} : { afterName }),
        };
      }),
    );
  }
  if (diff.length === 0) {
    io.stderr.write("no changes\n");
    return "";
  }
  return `${table([
    ["place", "before", "after"],
    ...diff.map((d) => [
      names.placeCell(d.place),
      names.actorCell(d.before),
      names.actorCell(d.after),
    ]),
  ])}\n`;
}

export const diff: Command = {
  name: "diff",
  summary: "places whose controller changed between two times",
  description:
    'Prints each place whose controller differs between --from and --to ("-": no report), sorted by place name. --json adds placeName, beforeName and afterName where the registries have them.',
  usage: "--from T --to T",
  options: {
    from: {
      type: "string",
      value: "time",
      required: true,
      usage: "--from T",
      help: "the earlier instant",
    },
    to: {
      type: "string",
      value: "time",
      required: true,
      usage: "--to T",
      help: "the later instant",
    },
  },
  groups: [QUERY, READING, OUTPUT],
  example: "tidemark diff events.ndjson --from 2016-12-10 --to 2016-12-12",
  run: answering(answer),
};
