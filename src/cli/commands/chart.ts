// `tidemark chart FILE`: an SVG of control over time, narrowed with --place and --region.

import type { TimelineEvent } from "../../core/events.js";
import type { Registry } from "../../core/registry.js";
import type { ChartSource } from "../../formats/chart.js";
import { type Answers, type CliQuery, HistoryCache } from "../answers.js";
import type { Command } from "../command.js";
import { UsageError } from "../exit.js";
import { placesUnder } from "../names.js";
import { DOCUMENT_OUTPUT, QUERY, READING } from "../options.js";
import { answering, type Question } from "../read.js";

/** The places to chart: each --place, then the places of each --region; all when neither. */
async function shown({ answers, places, args, place }: Question): Promise<string[] | undefined> {
  const picked: string[] = [];
  for (const p of args.strings("place") ?? []) picked.push(await place(p));
  const regions: string[] = [];
  for (const r of args.strings("region") ?? []) regions.push(await place(r, "--region"));
  if (picked.length === 0 && regions.length === 0) return undefined;
  const ids = new Set(picked);
  if (regions.length > 0) {
    const registry = places;
    if (registry === undefined) {
      throw new UsageError("--region needs a place registry with parents: give --places FILE");
    }
    // A region's places that ever had a controller: a band for each, none left empty.
    const controlled = new Set(Object.keys((await answers.state(undefined, args.query())).control));
    for (const region of regions) {
      for (const id of placesUnder(region, registry)) if (controlled.has(id)) ids.add(id);
    }
  }
  return [...ids];
}

const CONTROL_TYPES = new Set(["Captured", "Withdrew", "Held"]);

/**
 * What `renderChart` asks of a store, fetched ahead through its reader: the last state, the
 * control events (for the sources whose disagreements are hatched), and the histories of the
 * places it charts (all, and per source when several sources report control), asked exactly
 * as `renderChart` asks them.
 */
async function chartSource(
  answers: Answers,
  options: { places?: Registry; show?: readonly string[]; query: CliQuery },
): Promise<ChartSource> {
  const { query } = options;
  const latest = await answers.state(undefined, query);
  const controlled = Object.keys(latest.control);
  const known = new Set(controlled);
  const ids =
    options.show ??
    (options.places === undefined
      ? controlled
      : Object.keys(options.places).filter((id) => known.has(id)));
  const events: TimelineEvent[] = [];
  for await (const event of answers.events(query)) {
    if (CONTROL_TYPES.has(event.type)) events.push(event);
  }
  const accepted = query.sources === undefined ? undefined : new Set(query.sources);
  const sourceNames = new Set<string>();
  for (const event of events) {
    for (const { name } of event.sources) {
      if (accepted === undefined || accepted.has(name)) sourceNames.add(name);
    }
  }
  const histories = new HistoryCache(answers);
  await histories.fetch(ids, query);
  if (sourceNames.size > 1) {
    for (const source of sourceNames) await histories.fetch(ids, { ...query, sources: [source] });
  }
  return {
    latest: () => latest,
    events: () => events,
    history: (place, view) => histories.history(place, view),
    ...(answers.timeZone === undefined ? {} : { timeZone: answers.timeZone }),
  };
}

async function answer(question: Question): Promise<string> {
  const { answers, places, actors, args, zone } = question;
  const from = args.time("from");
  const to = args.time("to");
  if (from !== undefined && to !== undefined && to <= from) {
    throw new UsageError("--to must be after --from");
  }
  const width = args.integer("width");
  const title = args.string("title");
  const show = await shown(question);
  const source =
    answers.timeline ??
    (await chartSource(answers, {
      ...(places === undefined ? {} : { places }),
      ...(show === undefined ? {} : { show }),
      query: args.query(),
    }));
  const { renderChart } = await import("../../formats/chart.js");
  return renderChart(source, {
    ...args.query(),
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
    ...(places === undefined ? {} : { places }),
    ...(actors === undefined ? {} : { actors }),
    ...(show === undefined ? {} : { show }),
    ...(title === undefined ? {} : { title }),
    ...(width === undefined ? {} : { width }),
    timeZone: zone.name,
  });
}

export const chart: Command = {
  name: "chart",
  summary: "an SVG chart of control over time",
  description:
    "Prints an SVG: one band per place, one colour per actor (colour-blind safe, stable), nobody in grey, contested spans (sources disagree) hatched, starts known only to the day or month faded in, a legend and a dated time axis (in --time-zone). --place (repeatable) and --region narrow it to those places, in the order given, then the region's places that were ever held, in registry order. The output is an SVG: there is no --json (history --json and geojson --history give the data).",
  usage: "[--from T] [--to T] [--place P]... [--region R]... [--title TEXT]",
  options: {
    from: { type: "string", value: "time", usage: "--from T", help: "start of the time axis" },
    to: { type: "string", value: "time", usage: "--to T", help: "end of the time axis" },
    place: {
      type: "string",
      multiple: true,
      usage: "--place P",
      help: "chart this place (id, name or alias, any letter case; repeatable)",
    },
    region: {
      type: "string",
      multiple: true,
      usage: "--region R",
      help: "chart the places inside R, by the registry's parents (repeatable)",
    },
    title: { type: "string", usage: "--title TEXT", help: "title above the chart" },
    width: {
      type: "string",
      value: { min: 480, max: 10_000 },
      usage: "--width PX",
      help: "width in pixels (default 960)",
    },
  },
  groups: [QUERY, READING, DOCUMENT_OUTPUT],
  example: "tidemark chart events.ndjson --from 2016-12-07 --to 2016-12-13 --out chart.svg",
  run: answering(answer),
};
