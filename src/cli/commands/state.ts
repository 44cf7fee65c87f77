// `tidemark state FILE [--at T]`: who controls each place at T, then the strikes, arrests and
// deaths counted so far.

import type { ArrestsEntry } from "../../core/slices.js";
import type { Command } from "../command.js";
import { OUTPUT, QUERY, READING } from "../options.js";
import { answering, type Question } from "../read.js";
import { isoAt, json, notBeforeJson, spanAt, table } from "../table.js";

/** UCDP GED's deaths in a place, summed by the `fatalities` reducer. */
interface Deaths {
  readonly best: number;
  readonly low: number;
  readonly high: number;
}

/**
 * What an arrests entry says, unknown numbers as unknown: "3 events, 40 detained, 1 event
 * number unknown"; "1 event, number unknown".
 */
function arrestsText(entry: ArrestsEntry): string {
  const events = `${entry.events} event${entry.events === 1 ? "" : "s"}`;
  const uncounted = entry.uncounted;
  if (uncounted === 0) return `${events}, ${entry.detained} detained`;
  if (uncounted === entry.events) return `${events}, number unknown`;
  return `${events}, ${entry.detained} detained, ${uncounted} event${uncounted === 1 ? "" : "s"} number unknown`;
}

/** The state at --at (or after every event), with what prints it: precisions and names. */
async function stateOf({ answers, args, names }: Question) {
  const state = await answers.state(args.time("at"), args.query());
  // The event that set each entry, to print its time as a span where it has a notBefore.
  const byId = await answers.eventsById(Object.values(state.control).map((e) => e.eventId));
  const sorted = <T>(record: Readonly<Record<string, T>>) =>
    names.byPlace(Object.entries(record), ([place]) => place);
  return {
    state,
    byId,
    control: sorted(state.control),
    strikes: sorted(state.airstrikes),
    arrests: sorted(state.arrests as Readonly<Record<string, ArrestsEntry>>),
    deaths: sorted((state as { fatalities?: Readonly<Record<string, Deaths>> }).fatalities ?? {}),
  };
}

type Answer = Awaited<ReturnType<typeof stateOf>>;

/**
 * The state as the library gives it, each time also in ISO 8601, names beside the ids of the
 * built-in slices (UCDP GED's `fatalities` stays as its reducer gives it).
 */
function stateJson({ zone, names }: Question, a: Answer): string {
  const named = (place: string) => {
    const name = names.place(place);
    return name === undefined ? {} : { placeName: name };
  };
  const each = <T extends object>(entries: [string, T][], extra: (place: string, e: T) => object) =>
    Object.fromEntries(
      entries.map(([place, e]) => [place, { ...e, ...named(place), ...extra(place, e) }]),
    );
  return json({
    ...a.state,
    control: each(a.control, (_, e) => {
      const controllerName = names.actor(e.controller);
      return {
        ...(controllerName === undefined ? {} : { controllerName }),
        sinceIso: isoAt(e.since, e.precision, zone),
        ...notBeforeJson(a.byId.get(e.eventId), zone),
      };
    }),
    airstrikes: each(a.strikes, (_, e) => ({ lastAtIso: isoAt(e.lastAt, e.lastPrecision, zone) })),
    arrests: each(a.arrests, (_, e) => ({ lastAtIso: isoAt(e.lastAt, e.lastPrecision, zone) })),
  });
}

async function answer(question: Question): Promise<string> {
  const { io, zone, names } = question;
  const a = await stateOf(question);
  if (question.args.flag("json")) return stateJson(question, a);
  const parts: string[] = [];
  if (a.control.length === 0) io.stderr.write("no control events by then\n");
  else {
    parts.push(
      table([
        ["place", "controller", "since", "event", "contested"],
        ...a.control.map(([place, e]) => [
          names.placeCell(place),
          names.actorCell(e.controller),
          spanAt(a.byId.get(e.eventId), e.since, e.precision, zone),
          e.eventId,
          // Two standing claims of its sources name different controllers.
          e.contested ? "contested" : "",
        ]),
      ]),
    );
  }
  if (a.strikes.length > 0) {
    parts.push(
      table([
        ["airstrikes on", "events", "last"],
        ...a.strikes.map(([place, s]) => [
          names.placeCell(place),
          String(s.count),
          isoAt(s.lastAt, s.lastPrecision, zone),
        ]),
      ]),
    );
  }
  if (a.arrests.length > 0) {
    parts.push(
      table([
        ["arrests in", "reported", "last"],
        ...a.arrests.map(([place, r]) => [
          names.placeCell(place),
          arrestsText(r),
          isoAt(r.lastAt, r.lastPrecision, zone),
        ]),
      ]),
    );
  }
  if (a.deaths.length > 0) {
    parts.push(
      table([
        ["deaths in (UCDP GED)", "best", "low", "high"],
        ...a.deaths.map(([place, d]) => [
          names.placeCell(place),
          String(d.best),
          String(d.low),
          String(d.high),
        ]),
      ]),
    );
  }
  return parts.length === 0 ? "" : `${parts.join("\n\n")}\n`;
}

export const state: Command = {
  name: "state",
  summary: "who controls each place at a time",
  description:
    "Prints the control of every place at T (default: after every event), then the air strikes and arrests counted so far (a number nobody gave prints as unknown, never 0), each place's and actor's name beside its id, sorted by name. Times print at their precision. --json prints the whole state object, each time also as ISO 8601 (sinceIso, lastAtIso) and names beside ids (placeName, controllerName) where the registries have them.",
  usage: "[--at T]",
  options: {
    at: {
      type: "string",
      value: "time",
      usage: "--at T",
      help: "the instant (default: after every event)",
    },
  },
  groups: [QUERY, READING, OUTPUT],
  example: "tidemark state events.ndjson --at 2016-12-11T08:00+02:00",
  run: answering(answer),
};
