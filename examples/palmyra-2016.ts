// Palmyra, 8–12 December 2016: who held what, when, according to whom, and what was known
// at each moment. Run with `npm run example`.
//
// The data (examples/palmyra/) is written from one Arabic news report of Sunday 11 Dec 2016.
// Times print only as precisely as the report gives them ("Sun 11 Dec, dawn", "Mar 2016").
// In your own code, import from "tidemark" instead of "../src/index.js".

import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type Claim,
  type ControlInterval,
  createTimeline,
  type DefinitionsFor,
  type EventOf,
  type Precision,
  parseTime,
  type QueryOptions,
  type Retracted,
  renderChart,
  type TimeInput,
  toGeoJSON,
} from "../src/index.js";
import { formatTime, labelMap, table } from "./format.js";
import { actors } from "./palmyra/actors.js";
import { palmyraEvents } from "./palmyra/events.js";
import { type PlaceId, places } from "./palmyra/places.js";
import { SAT_EVENING, SUN_DAWN, SYRIA_OFFSET_MINUTES, TIME_LABELS } from "./palmyra/times.js";

const timeline = createTimeline({ places, actors });
timeline.appendAll(palmyraEvents);

type StoredEvent = EventOf<DefinitionsFor<[]>>;

// ---------------------------------------------------------------- printing helpers
const syria = {
  offsetMinutes: SYRIA_OFFSET_MINUTES,
  labels: labelMap(TIME_LABELS),
  omitYear: 2016,
};
/** A stored time at its own precision, in Syrian local time. */
const fmt = (at: number, precision: Precision) => formatTime(at, precision, syria);
/** A query time, printed at the precision it is written in (or the one given). */
const when = (t: TimeInput, precision?: Precision) => {
  const parsed = parseTime(t);
  return fmt(parsed.at, precision ?? parsed.precision);
};
const placeName = (id: string) =>
  (places as Record<string, { name: string } | undefined>)[id]?.name ?? id;
const who = (controller: string | null | undefined) =>
  controller === undefined ? "-" : (controller ?? "nobody");
const sourcesOf = (eventId: string) => {
  const event = timeline.toJSON().events.find((e) => e.id === eventId);
  const names = event?.sources.map((s) => s.name) ?? [];
  return names.length > 0 ? names.join(", ") : "report background";
};
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
const heading = (text: string) => say(`\n${text}`);

// Query instants (ours, not the report's: these may be precise to the minute).
const THURSDAY = "2016-12-08T23:00+02:00"; // end of Thursday 8 Dec
const SAT_START = "2016-12-10T00:00+02:00"; // start of Saturday, before its events
const SUN_0800 = "2016-12-11T08:00+02:00";
const SUN_0300 = "2016-12-11T03:00+02:00";
const SUN_AFTERNOON = "2016-12-11T15:00+02:00";
const SUN_EVENING = "2016-12-11T20:00+02:00"; // the report has been published
const MON_BEFORE = "2016-12-12T09:00+02:00";
const MON_AFTER = "2016-12-12T12:00+02:00";
const sundayEvening: QueryOptions = { asOf: SUN_EVENING };

// ---------------------------------------------------------------- 1. the events
const published = formatTime(parseTime("2016-12-11").at, "day", { ...syria, omitYear: undefined });
say(`Palmyra, December 2016: "back and forth in Palmyra" (report of ${published})`);
say('Local time (UTC+2), as precise as the report ("Mar 2016", "Sat 10 Dec", "Sun 11 Dec, dawn").');

function summary(e: StoredEvent, placeList: string): string {
  switch (e.type) {
    case "Captured":
      return `${placeList} -> ${e.data.by}${e.data.from ? ` (from ${e.data.from})` : ""}`;
    case "Withdrew":
      return `${placeList} -> ${who(e.data.handedTo ?? null)} (${e.data.actor} withdrew${e.data.to ? ` towards ${placeName(e.data.to)}` : ""})`;
    case "Airstrike": {
      const { by, strikes, killed } = e.data;
      return `${by} air strikes on ${placeList}${strikes ? `, ${strikes} strikes` : ""}${killed !== undefined ? `, ${killed} killed` : ""}`;
    }
    case "Arrests":
      return `${e.data.by} arrests in ${placeList} (${e.data.count ?? "no count given"})`;
    default:
      return e.type;
  }
}
const placesOf = (e: StoredEvent): string[] =>
  e.type === "Airstrike" ? [...e.data.places] : e.type === "Retracted" ? [] : [e.data.place];

heading(`What the sources said (as known ${when(SUN_EVENING)})`);
const known = timeline.events(sundayEvening);
for (let i = 0; i < known.length; ) {
  // Captures of several places that differ only by place print as one line.
  const first = known[i] as StoredEvent;
  const group = [first];
  const key = (e: StoredEvent) =>
    JSON.stringify([
      e.type,
      e.at,
      e.precision,
      e.note,
      e.sources,
      e.type === "Captured" && e.data.by,
    ]);
  while (i + group.length < known.length && first.type === "Captured") {
    const next = known[i + group.length] as StoredEvent;
    if (next.type !== "Captured" || key(next) !== key(first)) break;
    group.push(next);
  }
  i += group.length;
  const placeList = group.flatMap(placesOf).map(placeName).join(", ");
  const time = fmt(first.at, first.precision).padEnd(22);
  const note = first.note ? ` - ${first.note}` : "";
  say(wrap(`  ${time}${summary(first, placeList)}${note} [${sourcesOf(first.id)}]`, 24));
}

// ---------------------------------------------------------------- 2. who held what
const instants: [TimeInput, Precision][] = [
  [THURSDAY, "day"],
  [SAT_EVENING, "hour"],
  [SUN_DAWN, "hour"],
  [SUN_AFTERNOON, "hour"],
];
heading(`Who held what (all events, as known ${when(SUN_EVENING)}; - : no report yet)`);
const shown: PlaceId[] = [
  "palmyra",
  "palmyra-citadel",
  "t4-abandoned-base",
  "al-mahr-field",
  "jazal-field",
  "jahar-field",
  "qasr-al-hallabat",
  "jabal-hayan",
  "grain-silos",
];
const states = instants.map(([t]) => timeline.stateAt(t, sundayEvening));
const claimsAt = instants.map(([t]) => timeline.claims("palmyra", t, sundayEvening));
const claimOf = (claims: readonly Claim[], source: string) =>
  claims.find((c) => c.source === source);
say(
  table([
    ["", ...instants.map(([t, p]) => when(t, p))],
    ...shown.map((id) => [placeName(id), ...states.map((s) => who(s.control[id]?.controller))]),
    ...["SOHR", "Amaq", "Russian MoD"].map((source) => [
      `Palmyra per ${source}`,
      ...claimsAt.map((claims) => who(claimOf(claims, source)?.controller)),
    ]),
  ]),
);
say("  per source: that source's last word by then (claims). The fields, Qasr al-Hallabat, Jabal");
say('  Hayan (Hayal) and the silos were taken "since the 8th": dated Thu 8 Dec, day precision.');

// ---------------------------------------------------------------- 3. history
const span = (i: ControlInterval) =>
  `${fmt(i.from, i.fromPrecision)} -> ${i.to === null || i.toPrecision === null ? "..." : fmt(i.to, i.toPrecision)}`;
const compact = (history: readonly ControlInterval[]) =>
  history.map((i) => `${who(i.controller)} ${fmt(i.from, i.fromPrecision)}`).join("; ");
heading(`Palmyra: history of control (as known ${when(SUN_EVENING)})`);
say(
  table(
    timeline
      .history("palmyra", sundayEvening)
      .map((i) => [who(i.controller), span(i), `[${sourcesOf(i.eventId)}]`]),
  ),
);
for (const source of ["SOHR", "Amaq", "Russian MoD"]) {
  const history = timeline.history("palmyra", { ...sundayEvening, sources: [source] });
  say(`  ${`${source} alone:`.padEnd(19)}${compact(history)}`);
}

// ---------------------------------------------------------------- 4. diff
heading(`Changes between ${when(SAT_START)} and ${when(SUN_EVENING)}`);
say(
  table(
    timeline
      .diff(SAT_START, SUN_EVENING, sundayEvening)
      .map((d) => [
        placeName(d.place),
        `${d.before === undefined ? "no report" : who(d.before)} -> ${who(d.after)}`,
      ]),
  ),
);

// ---------------------------------------------------------------- 5. strikes and arrests
const latest = timeline.stateAt(SUN_EVENING, sundayEvening);
heading("Reports of air strikes and arrests, per place (all sources)");
const struck = Object.entries(latest.airstrikes);
say(wrap(`  strikes: ${struck.map(([id, a]) => `${placeName(id)} ${a.count}`).join(", ")}`, 11));
for (const [id, a] of Object.entries(latest.arrests)) {
  const detained = a.detained > 0 ? `${a.detained} detained` : "no count given";
  say(`  arrests: ${placeName(id)} ${a.events} (${detained})`);
}

// ---------------------------------------------------------------- 6. knowledge time
const claimText = (c: Claim | undefined) =>
  c === undefined ? "-" : `${who(c.controller)} since ${fmt(c.since, c.precision)}`;
heading(`Who held Palmyra at ${when(SUN_0800)}, according to each source`);
const early = timeline.claims("palmyra", SUN_0800, { asOf: SUN_0800 });
const later = timeline.claims("palmyra", SUN_0800, sundayEvening);
say(
  table([
    ["", `as known ${when(SUN_0800)}`, `as known ${when(SUN_EVENING)}`],
    ...["SOHR", "Amaq", "Russian MoD"].map((source) => [
      source,
      claimText(claimOf(early, source)),
      claimText(claimOf(later, source)),
    ]),
  ]),
);
/** Names of the contested places at `t` under `options`, or "none". */
const contestedPlaces = (options: QueryOptions, t: TimeInput) =>
  timeline
    .contested(t, options)
    .map(({ place }) => placeName(place))
    .join(", ") || "none";
const contestedText = (options: QueryOptions, t: TimeInput) => {
  const contested = timeline.contested(t, options);
  if (contested.length === 0) return "none";
  return contested
    .map(
      ({ place, claims }) =>
        `${placeName(place)} (${claims.map((c) => `${c.source}: ${who(c.controller)}`).join(", ")})`,
    )
    .join("; ");
};
say(`  contested at ${when(SUN_0800)}:`);
say(`    as known ${when(SUN_0800)}: ${contestedText({ asOf: SUN_0800 }, SUN_0800)}`);
say(`    as known ${when(SUN_EVENING)}: ${contestedText(sundayEvening, SUN_0800)}`);

// ---------------------------------------------------------------- 7. a correction
const retraction = timeline
  .toJSON()
  .events.find((e): e is EventOf<typeof Retracted> => e.type === "Retracted");
if (retraction === undefined) throw new Error("the example data has no retraction");
const { eventId, reason } = retraction.data;
heading(
  `Correction, recorded ${fmt(retraction.recordedAt, "minute")} (ILLUSTRATIVE, not in the report)`,
);
say(wrap(`  retracts ${eventId} [${sourcesOf(eventId)}]: ${reason ?? "no reason given"}`, 4));
const before: QueryOptions = { asOf: MON_BEFORE };
const after: QueryOptions = { asOf: MON_AFTER };
const controlAt = (t: TimeInput, options: QueryOptions) => {
  const entry = timeline.stateAt(t, options).control.palmyra;
  return entry === undefined ? "-" : `${who(entry.controller)} [${sourcesOf(entry.eventId)}]`;
};
say(
  table([
    ["", `as known ${when(MON_BEFORE)}`, `as known ${when(MON_AFTER)}`],
    [
      `Palmyra at ${when(SUN_0300, "hour")}`,
      controlAt(SUN_0300, before),
      controlAt(SUN_0300, after),
    ],
    [
      `contested at ${when(SUN_AFTERNOON, "hour")}`,
      contestedPlaces(before, SUN_AFTERNOON),
      contestedPlaces(after, SUN_AFTERNOON),
    ],
  ]),
);
// December only: the two background intervals (May 2015, Mar 2016) are the same on both sides.
say(wrap(`  history before: ${compact(timeline.history("palmyra", before).slice(2))}`, 18));
say(wrap(`  history after:  ${compact(timeline.history("palmyra", after).slice(2))}`, 18));

// ---------------------------------------------------------------- 8. a chart, a map, files for the CLI
// The chart shows what was known on Sunday evening (before Monday's correction): the nights
// when SOHR and the Russian MoD disagree are hatched. The GeoJSON is the map at Sunday 08:00.
const out = join(dirname(fileURLToPath(import.meta.url)), "out");
mkdirSync(out, { recursive: true });
const chart = renderChart(timeline, {
  places,
  actors,
  ...sundayEvening,
  from: "2016-12-07T00:00+02:00",
  to: "2016-12-13T00:00+02:00",
  offsetMinutes: SYRIA_OFFSET_MINUTES,
  title: "Palmyra, December 2016: who held what, as known on Sunday evening",
});
const files: [string, string][] = [
  ["palmyra-chart.svg", chart],
  [
    "palmyra.geojson",
    `${JSON.stringify(toGeoJSON(timeline.stateAt(SUN_0800), places), null, 2)}\n`,
  ],
  ["palmyra.json", `${JSON.stringify(timeline.toJSON(), null, 2)}\n`],
  ["places.json", `${JSON.stringify(places, null, 2)}\n`],
  ["actors.json", `${JSON.stringify(actors, null, 2)}\n`],
];
for (const [name, text] of files) writeFileSync(join(out, name), text);
say(`\nWrote ${files.map(([name]) => name).join(", ")} to ${relative(process.cwd(), out) || "."}/`);
