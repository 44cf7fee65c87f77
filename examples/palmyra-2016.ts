// Palmyra, December 2016, as one news report of Sunday 11 December tells it: who held what,
// when, according to whom, and what was known at each moment. Run with `npm run example`.
//
// The data (examples/palmyra/) is written from that report alone; the output says nothing
// the report does not say. Each source's account is printed on its own, with the spans where
// the accounts disagree, rather than one history blended from all of them.
// In your own code, import from "tidemark" instead of "../src/index.js".

import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type Claim,
  createTimeline,
  type DefinitionsFor,
  type EventOf,
  PRECISIONS,
  type Precision,
  parseTime,
  type QueryOptions,
  renderChart,
  toGeoJSON,
} from "../src/index.js";
import { formatTime, table } from "./format.js";
import { type ActorId, actors } from "./palmyra/actors.js";
import {
  illustrativeCorrection,
  noteText,
  palmyraEvents,
  Reinforcements,
  raqqaReinforcements,
  SOURCES,
  timeWords,
} from "./palmyra/events.js";
import { type PlaceId, places } from "./palmyra/places.js";
import { SUN_DAWN, SYRIA_OFFSET_MINUTES } from "./palmyra/times.js";

const timeline = createTimeline({ places, actors, events: [Reinforcements] });
timeline.appendAll(palmyraEvents);
timeline.append(raqqaReinforcements);

type Stored = EventOf<DefinitionsFor<[typeof Reinforcements]>>;
const byId = new Map<string, Stored>(timeline.toJSON().events.map((e) => [e.id, e]));

// ---------------------------------------------------------------- printing times (one place)
const syria = { offsetMinutes: SYRIA_OFFSET_MINUTES, omitYear: 2016 };
const DAY = PRECISIONS.indexOf("day");
/** An event's time at its own precision, in the report's words where the event keeps them. */
function eventTime(id: string): string {
  const event = byId.get(id);
  if (event === undefined) return "?";
  const words = timeWords(event.note);
  if (words === undefined) return formatTime(event.at, event.precision, syria);
  return PRECISIONS.indexOf(event.precision) > DAY
    ? `${formatTime(event.at, "day", syria)}, ${words}`
    : `${words} (${formatTime(event.at, event.precision, syria)})`;
}
/** A time of our own queries (not the report's): printed as precisely as it is written. */
function queryTime(t: string, precision?: Precision): string {
  const parsed = parseTime(t);
  return formatTime(parsed.at, precision ?? parsed.precision, syria);
}

// ---------------------------------------------------------------- printing the rest
const placeName = (id: string) => places[id as PlaceId]?.name ?? id;
const actorName = (id: string) => actors[id as ActorId]?.names.en ?? id;
const holder = (controller: string | null) =>
  controller === null ? "no holder named" : actorName(controller);
const sourcesOf = (e: Stored) =>
  e.sources.map((s) => (s.note ? `${s.name} (${s.note})` : s.name)).join("; ");
const WIDTH = 100;
/** Wraps a line at WIDTH, continuing under `hang` spaces. */
const wrap = (text: string, hang: number): string => {
  const out: string[] = [];
  const indent = /^ */.exec(text)?.[0] ?? "";
  let line = indent;
  for (const word of text.slice(indent.length).split(" ")) {
    if (line.trim().length > 0 && line.length + 1 + word.length > WIDTH) {
      out.push(line);
      line = " ".repeat(hang) + word;
    } else line = line.trim().length > 0 ? `${line} ${word}` : line + word;
  }
  out.push(line);
  return out.join("\n");
};
const say = (text = "") => console.log(text);

/** What an event says, in a few words: "ISIS took Palmyra". */
function summary(e: Stored, placeList: string): string {
  switch (e.type) {
    case "Captured":
      return `${actorName(e.data.by)} took ${placeList}${e.data.from ? ` from ${actorName(e.data.from)}` : ""}`;
    case "Held":
      return `${actorName(e.data.by)} held ${placeList}`;
    case "Withdrew":
      return `${actorName(e.data.actor)} withdrew from ${placeList}`;
    case "Airstrike":
      return `${actorName(e.data.by)} struck ${placeList}${e.data.strikes ? ` (${e.data.strikes} strikes)` : ""}${e.data.killed === undefined ? "" : `, ${e.data.killed} killed`}`;
    case "Arrests":
      return `${actorName(e.data.by)} arrests in ${placeList} (${e.data.count ?? "number not given"})`;
    case "Reinforcements":
      return `${e.data.fighters} of ${actorName(e.data.by)} fighters reached ${placeList} from ${e.data.from}`;
    default:
      return e.type;
  }
}
const placesOf = (e: Stored): string[] =>
  e.type === "Airstrike" ? [...e.data.places] : e.type === "Retracted" ? [] : [e.data.place];

// ---------------------------------------------------------------- 1. what the report says
say('Palmyra, December 2016: "كر وفر في تدمر" ("Back and forth in Palmyra: ISIS again controls');
say('the ancient city"), a report of Sun 11 Dec 2016. Local time (UTC+2), only as precise as the');
say('report, in its words. "the report": what it says in its own voice.');
say("\nWhat the report says, event by event [according to whom]");
const all = timeline.events();
for (let i = 0; i < all.length; ) {
  // Events that differ only by place (the captures "since the 8th") print as one line.
  const first = all[i] as Stored;
  const same = (e: Stored) =>
    e.type === first.type && e.at === first.at && e.note === first.note && e.type === "Captured";
  let n = 1;
  while (i + n < all.length && same(all[i + n] as Stored)) n += 1;
  const placeList = all
    .slice(i, i + n)
    .flatMap((e) => placesOf(e as Stored))
    .map(placeName)
    .join(", ");
  i += n;
  const text = noteText(first.note);
  const line = `${summary(first, placeList)}${text ? `: ${text}` : ""} [${sourcesOf(first)}]`;
  say(wrap(`  ${eventTime(first.id).padEnd(38)}${line}`, 40));
}

// ---------------------------------------------------------------- 2. each source's account
say("\nPalmyra according to each source, from its reports alone");
const CONTROL = new Set(["Captured", "Withdrew", "Held"]);
for (const source of SOURCES) {
  const view: QueryOptions = { sources: [source] };
  const history = timeline.history("palmyra", view);
  const rows = history.map((interval, k) => {
    const next = history[k + 1];
    const opened = byId.get(interval.eventId);
    const kind = opened?.type === "Held" ? " (reported holding it)" : "";
    const span =
      next === undefined
        ? `from ${eventTime(interval.eventId)} (its last word)`
        : `${eventTime(interval.eventId)} -> ${eventTime(next.eventId)}`;
    return [`${holder(interval.controller)}${kind}`, span];
  });
  say(`  ${source}`);
  say(table(rows, "    "));
  // Reports that changed nothing in this source's account: a withdrawal from a city that
  // this source alone never said the withdrawing side held.
  const opening = new Set(history.map((interval) => interval.eventId));
  for (const e of timeline.events(view) as readonly Stored[]) {
    if (CONTROL.has(e.type) && placesOf(e).includes("palmyra") && !opening.has(e.id))
      say(`    also: ${summary(e, "the city")}, ${eventTime(e.id)}`);
  }
}

// ---------------------------------------------------------------- 3. where they disagree
// The claims change only at control events: test each such instant, merge equal neighbours.
const instants = [
  ...new Map(
    timeline
      .events()
      .filter((e) => CONTROL.has(e.type))
      .map((e) => [e.at, e.id] as const),
  ),
];
const claimText = (claims: readonly Claim[]) =>
  claims.map((c) => `${c.source}: ${holder(c.controller)}`).join("; ");
const spans: { from: string; to?: string; text: string }[] = [];
for (const [at, id] of instants) {
  const text = timeline
    .contested(at)
    .map(({ place, claims }) => `${placeName(place)} (${claimText(claims)})`)
    .join("; ");
  const last = spans.at(-1);
  if (last !== undefined && last.text === text) continue;
  if (last !== undefined) last.to = id;
  spans.push({ from: id, text });
}
say("\nWhere the sources disagree (contested: each source's last word by then differs)");
for (const span of spans.filter((s) => s.text !== "")) {
  const to = span.to === undefined ? "(end of the report)" : eventTime(span.to);
  say(`  ${eventTime(span.from)} -> ${to}`);
  say(wrap(`    ${span.text}`, 4));
}

// ---------------------------------------------------------------- 4. what was known when
// Query times of our own: 08:00 on Sunday (after the Russian MoD statement, before SOHR's
// morning report) and Sunday evening (after the report).
const MORNING = "2016-12-11T08:00+02:00";
const EVENING = "2016-12-11T20:00+02:00";
const claimAt = (options: QueryOptions, source: string) => {
  const claim = timeline.claims("palmyra", SUN_DAWN, options).find((c) => c.source === source);
  return claim === undefined
    ? "-"
    : `${holder(claim.controller)} since ${eventTime(claim.eventId)}`;
};
say(`\nPalmyra at ${eventTime("sun-isis-withdraws-from-palmyra")}, per source, as known when`);
say(
  table([
    ["", `as known ${queryTime(MORNING)}`, `as known ${queryTime(EVENING)}`],
    ...SOURCES.map((source) => [
      source,
      claimAt({ asOf: MORNING }, source),
      claimAt({ asOf: EVENING }, source),
    ]),
  ]),
);
const sourceList = (options: QueryOptions) =>
  timeline
    .sources(options)
    .map((s) => `${s.name} ${s.events}`)
    .join(", ");
say(`  sources cited (events), as known ${queryTime(MORNING)}: ${sourceList({ asOf: MORNING })}`);
say(wrap(`  as known ${queryTime(EVENING)}: ${sourceList({ asOf: EVENING })}`, 4));

// ---------------------------------------------------------------- 5. files for the CLI and maps
// Written before the illustrative correction below, so that they hold the report alone. The
// chart shows each source's account, hatched where they disagree; the GeoJSON is the map of
// all reports combined (the latest wins) at Sunday 08:00; palmyra.json holds the built-in
// events, which the `tidemark` command reads (the custom Reinforcements event stays out).
const out = join(dirname(fileURLToPath(import.meta.url)), "out");
mkdirSync(out, { recursive: true });
const builtin = timeline.toJSON().events.filter((e) => e.type !== "Reinforcements");
const files: [string, string][] = [
  [
    "palmyra-chart.svg",
    renderChart(timeline, {
      places,
      actors,
      from: "2016-12-07T00:00+02:00",
      to: "2016-12-13T00:00+02:00",
      timeZone: "+02:00",
      title: "Palmyra, December 2016, as one report of Sunday 11 December tells it",
    }),
  ],
  ["palmyra.geojson", `${JSON.stringify(toGeoJSON(timeline.stateAt(MORNING), places), null, 2)}\n`],
  ["palmyra.json", `${JSON.stringify({ version: 1, events: builtin }, null, 2)}\n`],
  ["places.json", `${JSON.stringify(places, null, 2)}\n`],
  ["actors.json", `${JSON.stringify(actors, null, 2)}\n`],
];
for (const [name, text] of files) writeFileSync(join(out, name), text);

// ---------------------------------------------------------------- 6. a correction (illustrative)
timeline.append(illustrativeCorrection);
const BEFORE: QueryOptions = { asOf: "2016-12-12T09:00+02:00" };
const AFTER: QueryOptions = { asOf: "2016-12-12T12:00+02:00" };
const AFTERNOON = "2016-12-11T15:00+02:00";
const retracted = byId.get(illustrativeCorrection.data.eventId);
say(
  `\nCorrection recorded ${queryTime("2016-12-12T10:00+02:00")}: ILLUSTRATIVE, NOT IN THE REPORT`,
);
say(`  retracts ${retracted?.id} [${retracted === undefined ? "" : sourcesOf(retracted)}]`);
const contestedNames = (options: QueryOptions) =>
  timeline
    .contested(AFTERNOON, options)
    .map((c) => placeName(c.place))
    .join(", ") || "none";
say(
  table([
    [
      "",
      `as known ${queryTime(BEFORE.asOf as string)}`,
      `as known ${queryTime(AFTER.asOf as string)}`,
    ],
    [`contested at ${queryTime(AFTERNOON)}`, contestedNames(BEFORE), contestedNames(AFTER)],
  ]),
);

say(`\nWrote ${files.map(([name]) => name).join(", ")} to ${relative(process.cwd(), out) || "."}/`);
