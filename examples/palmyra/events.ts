// The events of the report "كر وفر في تدمر.. داعش يسيطر مجدداً على المدينة الأثرية"
// ("Back and forth in Palmyra: ISIS again controls the ancient city"), Sunday 11 Dec 2016,
// written as plain data. Nothing here goes beyond the report; the one illustrative
// retraction is kept apart, in `illustrativeCorrection`.
//
// - Sources. Who says what is as the report attributes it: "SOHR" (the Syrian Observatory for
//   Human Rights), "Amaq" (the agency linked to ISIS), "Russian MoD" (the Russian Ministry of
//   Defence), and "the report" for what it states in its own voice (the background, Saturday's
//   captures, the arrests, the places taken since the 8th). `claims`, `contested` and
//   `{ sources }` queries match these names.
// - Time words. `at` is only as precise as the report (times.ts). Where the report gives a
//   part of a day ("evening", "dawn", "noon") or a vague date ("since the 8th"), its words
//   open the event's `note` in square brackets: `"[dawn] ..."`. `timeWords(note)` reads them
//   back; the example prints them instead of any hour.
// - Control. The Russian Ministry of Defence said government forces "repelled all attacks"
//   overnight: a report that they held the city, not that they took it, so it is a `Held`.
//   Amaq's "full control of all of Palmyra" is a `Held` too. The report names no one who took
//   the city when ISIS withdrew at dawn: the `Withdrew` hands it to no one.
// - Numbers. The ministry's "more than 300" killed is a lower bound, not a count: it stays in
//   the note, and `killed` is left out. The arrests have no number: `count` is left out.

import { z } from "zod";
import type { DefinitionsFor, InputOf, Retracted, Source } from "../../src/index.js";
import { defineEvent } from "../../src/index.js";
import {
  MOD_STATEMENT,
  MONDAY_CORRECTION,
  SAT_EVENING,
  SOHR_SUNDAY_MORNING_REPORT,
  SUN_DAWN,
  SUN_NOON,
  SUN_OVERNIGHT,
  SUNDAY_AFTERNOON_REPORTS,
} from "./times.js";

/** An input of a timeline with the built-in event types. */
export type PalmyraInput = InputOf<DefinitionsFor<[]>>;

/** The source names used in `sources`, in the order the example prints them. */
export const SOURCES = ["the report", "SOHR", "Russian MoD", "Amaq"] as const;

const REPORT: readonly Source[] = [{ name: "the report" }];
const SOHR: readonly Source[] = [{ name: "SOHR" }];
const MOD: readonly Source[] = [{ name: "Russian MoD" }];
const AMAQ: readonly Source[] = [{ name: "Amaq" }];

/** Id of the Russian MoD's "repelled all attacks overnight" report. */
export const MOD_CLAIM_ID = "sun-mod-says-regime-held-palmyra";

/** A note that opens with the report's words for the event's time (read by `timeWords`). */
const note = (time: string, text: string) => `[${time}] ${text}`;

/** The report's words for an event's time, kept at the start of its note; undefined if none. */
export function timeWords(eventNote: string | undefined): string | undefined {
  return eventNote === undefined ? undefined : /^\[([^\]]+)\]/.exec(eventNote)?.[1];
}

/** An event's note without its time words. */
export function noteText(eventNote: string | undefined): string | undefined {
  const text = eventNote?.replace(/^\[[^\]]+\]\s*/, "");
  return text === "" ? undefined : text;
}

// "Since the 8th of December" (منذ الـ8 من كانون الأول), "after violent clashes with Assad
// forces": no day for each place, so each is dated from 8 Dec (`notBefore`) to the day of
// the report, at day precision, and the note says so.
const SINCE_THE_8TH = note(
  "since the 8th",
  "taken on 8 Dec or later, by the report of Sun 11 Dec (no day given for each place), after violent clashes with Assad forces",
);
// "On the 8th or later": `notBefore` is the 8th, `at` the latest it can have been, the day of
// the report. Queries place the captures at `at`; every output prints the span.
const sinceThe8th = (place: string): PalmyraInput => ({
  id: `isis-takes-${place}-since-the-8th`,
  type: "Captured",
  notBefore: "2016-12-08T00:00+02:00",
  notBeforePrecision: "day",
  at: "2016-12-11T00:00+02:00",
  precision: "day",
  recordedAt: SUNDAY_AFTERNOON_REPORTS,
  data: { place, by: "isis" },
  sources: REPORT,
  note: SINCE_THE_8TH,
});

export const palmyraEvents: readonly PalmyraInput[] = [
  // Background, in the report's own voice.
  {
    id: "2015-isis-seizes-palmyra",
    type: "Captured",
    at: "2015-05",
    recordedAt: SUNDAY_AFTERNOON_REPORTS,
    data: { place: "palmyra", by: "isis" },
    sources: REPORT,
  },
  {
    id: "2016-regime-retakes-palmyra",
    type: "Captured",
    at: "2016-03",
    recordedAt: SUNDAY_AFTERNOON_REPORTS,
    data: { place: "palmyra", by: "regime", from: "isis" },
    sources: REPORT,
    note: "with Russian air support",
  },

  // From Thursday 8 December: "a series of attacks" in the eastern Homs countryside.
  sinceThe8th("al-mahr-field"),
  sinceThe8th("jazal-field"),
  sinceThe8th("jahar-field"),
  sinceThe8th("qasr-al-hallabat"),
  sinceThe8th("jabal-hayal"), // the report's second spelling: resolved to "jabal-hayan"
  sinceThe8th("grain-silos"),

  // Saturday 10 December (the day only).
  {
    id: "sat-isis-takes-abandoned-base",
    type: "Captured",
    at: "2016-12-10",
    recordedAt: SUNDAY_AFTERNOON_REPORTS,
    data: { place: "t4-abandoned-base", by: "isis" },
    sources: REPORT,
  },
  {
    id: "sat-isis-takes-citadel",
    type: "Captured",
    at: "2016-12-10",
    recordedAt: SUNDAY_AFTERNOON_REPORTS,
    data: { place: "palmyra-citadel", by: "isis" },
    sources: REPORT,
    note: "after government forces withdrew from it",
  },

  // Saturday evening: ISIS enters the city.
  {
    id: "sat-isis-enters-palmyra",
    type: "Captured",
    at: SAT_EVENING,
    precision: "hour",
    recordedAt: SUNDAY_AFTERNOON_REPORTS,
    data: { place: "palmyra", by: "isis" },
    sources: REPORT,
    note: note(
      "evening",
      'entered the city and controlled it "for a short time", 8 months after it was first expelled, after a series of attacks launched on Thursday',
    ),
  },
  {
    id: "sat-isis-arrests",
    type: "Arrests",
    at: SAT_EVENING,
    precision: "hour",
    recordedAt: SUNDAY_AFTERNOON_REPORTS,
    data: { place: "palmyra", by: "isis" },
    sources: REPORT,
    note: note(
      "right after the entry",
      "a campaign of arrests and abductions of residents, taken to unknown places",
    ),
  },

  // The night of Saturday to Sunday.
  {
    id: "sun-warplanes-strike-around-palmyra",
    type: "Airstrike",
    at: SUN_OVERNIGHT,
    precision: "hour",
    recordedAt: SOHR_SUNDAY_MORNING_REPORT,
    data: {
      places: [
        "amiriya",
        "jabal-al-tar",
        "wadi-al-ahmar",
        "grain-silos",
        "jabal-hayan",
        "al-mahr-field",
        "jazal-field",
        "jahar-field",
      ],
      by: "warplanes",
    },
    sources: SOHR,
    note: note(
      "after midnight until dawn",
      "intensive strikes (on areas around the Amiriya suburb, on Jabal Hayan and its surroundings); the report does not say whose",
    ),
  },
  {
    id: "sun-russian-bombing-of-palmyra",
    type: "Airstrike",
    at: SUN_OVERNIGHT,
    precision: "hour",
    recordedAt: SOHR_SUNDAY_MORNING_REPORT,
    data: { places: ["palmyra"], by: "russia" },
    sources: [...SOHR, ...REPORT],
    note: note("before dawn", "intensive strikes that forced ISIS out of the city at dawn"),
  },
  {
    id: "sun-mod-64-strikes",
    type: "Airstrike",
    at: SUN_OVERNIGHT,
    precision: "hour",
    recordedAt: MOD_STATEMENT,
    data: { places: ["palmyra"], by: "russia", strikes: 64 },
    sources: MOD,
    note: note(
      "overnight",
      'during the operation, killing "more than 300" militants (a lower bound, no exact figure)',
    ),
  },
  {
    id: MOD_CLAIM_ID,
    type: "Held",
    at: SUN_OVERNIGHT,
    precision: "hour",
    recordedAt: MOD_STATEMENT,
    data: { place: "palmyra", by: "regime" },
    sources: MOD,
    note: note(
      "overnight",
      'said early on Sunday: government forces "repelled all attacks" on the city during the night, with Russian air strikes',
    ),
  },

  // Sunday 11 December.
  {
    id: "sun-isis-withdraws-from-palmyra",
    type: "Withdrew",
    at: SUN_DAWN,
    precision: "hour",
    recordedAt: SOHR_SUNDAY_MORNING_REPORT,
    // No `handedTo`: the report names no one who took the city at dawn.
    data: { place: "palmyra", actor: "isis", to: "palmyra-orchards" },
    sources: [...SOHR, ...REPORT],
    note: note(
      "dawn",
      "from the heart of the city, towards its orchards, Wadi al-Ahmar and Jabal al-Tar, under intensive Russian bombing; the report names no one who took the city then",
    ),
  },
  {
    id: "sun-isis-retakes-palmyra",
    type: "Captured",
    at: SUN_NOON,
    precision: "hour",
    recordedAt: SUNDAY_AFTERNOON_REPORTS,
    data: { place: "palmyra", by: "isis" },
    sources: [
      ...SOHR,
      { name: "the report", note: 'its headline: "ISIS again controls the ancient city"' },
    ],
    note: note(
      "noon",
      "attacked again and took the whole ancient city, despite the Russian bombing, after government forces withdrew; the fighting stopped, the air bombardment went on",
    ),
  },
  {
    id: "sun-amaq-says-isis-holds-palmyra",
    type: "Held",
    at: SUN_NOON,
    precision: "hour",
    recordedAt: SUNDAY_AFTERNOON_REPORTS,
    data: { place: "palmyra", by: "isis" },
    sources: AMAQ,
    note: note(
      "noon",
      'Amaq\'s words: "أحكم سيطرته على كامل مدينة تدمر", ISIS "has tightened its control over the whole city of Palmyra" (given with the noon news; the report gives no time for it)',
    ),
  },
];

/**
 * Fighters arriving somewhere: not a change of control, so a custom event, with the report's
 * words for how many (`fighters`: "hundreds", not a number) and where from.
 */
export const Reinforcements = defineEvent(
  "Reinforcements",
  z.strictObject({
    place: z.string().min(1),
    by: z.string().min(1),
    from: z.string().min(1),
    fighters: z.string().min(1),
  }),
  { places: ["place"], actors: ["by"] },
);

/** SOHR's report of ISIS fighters reaching Raqqa from Iraq: undated, so dated by the report. */
export const raqqaReinforcements: InputOf<typeof Reinforcements> = {
  id: "isis-fighters-reach-raqqa",
  type: "Reinforcements",
  at: "2016-12-11",
  recordedAt: SUNDAY_AFTERNOON_REPORTS,
  data: { place: "raqqa", by: "isis", from: "Iraq", fighters: "hundreds" },
  sources: SOHR,
  note: note("undated, reported", "sent on to several areas of Syria to take part in the fighting"),
};

/**
 * ILLUSTRATIVE, NOT IN THE REPORT: a correction, to show how a retraction works. Suppose that
 * on Monday a desk withdraws the Russian MoD's report (contradicted by SOHR). From its
 * `recordedAt` on, queries no longer count that report; queries "as of" an earlier time
 * still see it.
 */
export const illustrativeCorrection: InputOf<typeof Retracted> = {
  id: "mon-retract-mod-claim",
  type: "Retracted",
  at: "2016-12-12",
  recordedAt: MONDAY_CORRECTION,
  data: { eventId: MOD_CLAIM_ID, reason: "ILLUSTRATIVE, not in the report" },
  note: "ILLUSTRATIVE: not in the report",
};
