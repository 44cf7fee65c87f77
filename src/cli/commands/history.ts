// `tidemark history FILE --place P`: who held a place from when to when.

import { TimelineValidationError } from "../../core/errors.js";
import type { ControlInterval } from "../../core/slices.js";
import type { Command } from "../command.js";
import { UsageError } from "../exit.js";
import { OUTPUT, QUERY, READING } from "../options.js";
import { answering, type Question } from "../read.js";
import { isoAt, json, spanAt, table } from "../table.js";

async function answer({
  answers,
  args,
  io,
  zone,
  names,
  place: resolve,
}: Question): Promise<string> {
  const place = await resolve(args.string("place") as string);
  let history: readonly ControlInterval[];
  try {
    history = await answers.history(place, args.query());
  } catch (error) {
    if (error instanceof TimelineValidationError) {
      throw new UsageError(`--place: ${error.issues.map((i) => i.message).join("; ")}`);
    }
    throw error;
  }
  if (args.flag("json")) {
    return json(
      history.map((i) => {
        const controllerName = names.actor(i.controller);
        return {
          controller: i.controller,
          ...(controllerName === undefined ? {} : { controllerName }),
          from: i.from,
          to: i.to,
          eventId: i.eventId,
          fromPrecision: i.fromPrecision,
          toPrecision: i.toPrecision,
          fromIso: isoAt(i.from, i.fromPrecision, zone),
          toIso: i.to === null ? null : isoAt(i.to, i.toPrecision, zone),
          ...(i.notBefore === undefined
            ? {}
            : {
                notBefore: i.notBefore,
                notBeforePrecision: i.notBeforePrecision,
                notBeforeIso: isoAt(i.notBefore, i.notBeforePrecision, zone),
              }),
        };
      }),
    );
  }
  if (history.length === 0) {
    io.stderr.write(`no control events for ${names.placeCell(place)}\n`);
    return "";
  }
  return `${table([
    ["controller", "from", "to", "event"],
    ...history.map((i) => [
      names.actorCell(i.controller),
      // An interval begun by an event known only between two times starts with that span.
      spanAt(i, i.from, i.fromPrecision, zone),
      i.to === null ? "..." : isoAt(i.to, i.toPrecision, zone),
      i.eventId,
    ]),
  ])}\n`;
}

export const history: Command = {
  name: "history",
  summary: "control intervals of one place",
  description:
    "Prints who held place P from when to when; a new interval only where the controller changes. P is a place's id, name or alias, in any letter case. Times print at the precision of the events that bound them. --json adds fromIso and toIso, and controllerName where the actor registry names the controller.",
  usage: "--place P",
  options: {
    place: {
      type: "string",
      required: true,
      usage: "--place P",
      help: "place id, name or alias (any letter case)",
    },
  },
  groups: [QUERY, READING, OUTPUT],
  example: "tidemark history events.ndjson --place palmyra --source SOHR",
  run: answering(answer),
};
