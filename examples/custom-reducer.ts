// A custom event and custom slices on top of the Palmyra data.
// Run with `npx tsx examples/custom-reducer.ts`.
//
// `Clashes` (fighting between two or more sides at a place) is not a built-in event. Define
// it with a zod schema, write reducers that fold it (and built-in events), and the timeline
// answers for them like for the built-in slices: at any instant, as known at any time.
// In your own code, import from "tidemark" instead of "../src/index.js".

import { z } from "zod";
import {
  createTimeline,
  type DefinitionsFor,
  defineEvent,
  defineReducer,
  type InputOf,
  TimelineValidationError,
} from "../src/index.js";
import { table } from "./format.js";
import { actors } from "./palmyra/actors.js";
import { palmyraEvents } from "./palmyra/events.js";
import { places } from "./palmyra/places.js";
import {
  MOD_STATEMENT,
  SOHR_SATURDAY_REPORT,
  SUN_NOON,
  SUN_OVERNIGHT,
  SUNDAY_AFTERNOON_REPORTS,
} from "./palmyra/times.js";

// ---------------------------------------------------------------- the event
const Clashes = defineEvent(
  "Clashes",
  z.strictObject({
    place: z.string().min(1),
    sides: z
      .array(z.string().min(1))
      .min(2)
      .refine((sides) => new Set(sides).size === sides.length, "each side only once"),
    killed: z.number().int().min(0).optional(),
  }),
  // Data keys naming places and actors: checked against the registries, aliases resolved.
  { places: ["place"], actors: ["sides"] },
);

// ---------------------------------------------------------------- the slices
/** Clashes per place, and who fought there. */
const clashesPerPlace = defineReducer({
  events: [Clashes],
  initial: {} as Record<string, { clashes: number; sides: string[] }>,
  on: {
    Clashes(draft, event) {
      // `event.data` is typed from the schema: { place: string; sides: string[]; killed?: number }
      draft[event.data.place] ??= { clashes: 0, sides: [] };
      const entry = draft[event.data.place];
      if (entry === undefined) return;
      entry.clashes += 1;
      for (const side of event.data.sides) if (!entry.sides.includes(side)) entry.sides.push(side);
    },
  },
});

interface Tally {
  reports: number;
  withFigure: number;
  killed: number;
}
/** Deaths claimed by each source, over clashes and air strikes. */
const killedClaimed = defineReducer({
  events: [Clashes],
  initial: {} as Record<string, Tally>,
  on: {
    Clashes(draft, event) {
      tally(draft, event.sources, event.data.killed);
    },
    Airstrike(draft, event) {
      tally(draft, event.sources, event.data.killed);
    },
  },
});
function tally(
  draft: Record<string, Tally>,
  sources: readonly { name: string }[],
  killed: number | undefined,
): void {
  for (const { name } of sources) {
    const t = draft[name] ?? { reports: 0, withFigure: 0, killed: 0 };
    draft[name] = t;
    t.reports += 1;
    if (killed !== undefined) {
      t.withFigure += 1;
      t.killed += killed;
    }
  }
}

// ---------------------------------------------------------------- the timeline
const timeline = createTimeline({
  places,
  actors,
  events: [Clashes], // so that `append` accepts (and types) Clashes inputs
  reducers: { clashesPerPlace, killedClaimed },
});
timeline.appendAll(palmyraEvents);

type Input = InputOf<DefinitionsFor<[typeof Clashes]>>;
const SOHR = [{ name: "SOHR" }];
// The report: since the 8th ISIS took these places "after violent clashes with Assad forces"
// (no day, no toll); the Russian MoD: government forces "repelled all attacks on Palmyra
// overnight"; SOHR: ISIS attacked Palmyra again on Sunday, then "the clashes stopped".
const sinceThursday = ["al-mahr-field", "jazal-field", "jahar-field", "qasr-al-hallabat"];
const clashes: Input[] = [
  ...[...sinceThursday, "Jabal Hayal", "grain-silos"].map(
    (place): Input => ({
      type: "Clashes",
      at: "2016-12-08",
      recordedAt: SOHR_SATURDAY_REPORT,
      // "Jabal Hayal" and "Assad forces" are aliases: stored as jabal-hayan and regime.
      data: { place, sides: ["isis", "Assad forces"] },
      sources: SOHR,
    }),
  ),
  {
    type: "Clashes",
    at: SUN_OVERNIGHT,
    precision: "hour",
    recordedAt: MOD_STATEMENT,
    data: { place: "palmyra", sides: ["regime", "isis"] },
    sources: [{ name: "Russian MoD" }],
    note: "attacks repelled",
  },
  {
    type: "Clashes",
    at: SUN_NOON,
    precision: "hour",
    recordedAt: SUNDAY_AFTERNOON_REPORTS,
    data: { place: "palmyra", sides: ["isis", "regime"] },
    sources: SOHR,
    note: "new ISIS attack; the clashes then stopped",
  },
];
timeline.appendAll(clashes);

// ---------------------------------------------------------------- what it says
const state = timeline.latest();
console.log('Clashes per place (custom slice "clashesPerPlace", no toll given in the report)');
console.log(
  table(
    Object.entries(state.clashesPerPlace).map(([id, c]) => [
      places[id as keyof typeof places]?.name ?? id,
      String(c.clashes),
      c.sides.join(" vs "),
    ]),
  ),
);

console.log('\nDeaths claimed per source (custom slice "killedClaimed")');
console.log(
  table(
    Object.entries(state.killedClaimed).map(([source, t]) => [
      source,
      t.withFigure > 0 ? `${t.killed} killed` : "no figure",
      `(${t.withFigure} of ${t.reports} reports give a figure)`,
    ]),
  ),
);
console.log(
  '  The Russian MoD said "more than 300": a lower bound, kept in the note, not a figure.',
);

// Custom slices answer "as of" like the built-in ones: on Saturday night, before the Russian
// MoD statement of Sunday, only SOHR had reported.
const sources = (slice: Record<string, Tally>) => Object.keys(slice).join(", ");
const saturdayNight = timeline.latest({ asOf: "2016-12-10T23:00+02:00" });
console.log(`  sources as known Sat 10 Dec, 23:00: ${sources(saturdayNight.killedClaimed)}`);
console.log(`  sources as known now:               ${sources(state.killedClaimed)}`);

// Bad input is rejected with every problem listed, and nothing is appended.
try {
  timeline.append({
    type: "Clashes",
    at: "2016-12-11",
    data: { place: "palmyra", sides: ["isis"], killed: -1 },
  });
} catch (error) {
  if (!(error instanceof TimelineValidationError)) throw error;
  console.log("\nRejected, nothing appended:");
  for (const issue of error.issues)
    console.log(`  data.${issue.path.slice(1).join(".")}: ${issue.message}`);
}
