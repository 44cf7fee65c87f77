// The events of the report "كر وفر في تدمر.. داعش يسيطر مجدداً على المدينة الأثرية"
// ("Back and forth in Palmyra: ISIS again controls the ancient city"), Sunday 11 Dec 2016,
// written as plain data. Nothing here goes beyond the report, except the one retraction at
// the end, which is illustrative (see there).
//
// - `at` is when it happened, only as precise as the report (times.ts); `recordedAt` is when
//   it became known (times.ts says how those were read from the report).
// - `sources` are the three the report quotes, always spelled as in SOURCES. Background
//   facts that the report states in its own voice cite no source: `claims` then leaves them
//   out, but they still count in the state of all events.
// - Control in dispute is written as each source tells it: SOHR says ISIS entered on
//   Saturday evening, withdrew at dawn and took the whole city at noon; the Russian Ministry
//   of Defence says government forces repelled every attack overnight (so by its account the
//   regime held the city that night: a Captured by "regime" whose note says "held"); Amaq
//   and SOHR both report the noon capture.

import type { DefinitionsFor, InputOf, Source } from "../../src/index.js";
import {
  MOD_STATEMENT,
  MONDAY_CORRECTION,
  SAT_EVENING,
  SOHR_SATURDAY_REPORT,
  SOHR_SUNDAY_MORNING_REPORT,
  SUN_DAWN,
  SUN_NOON,
  SUN_OVERNIGHT,
  SUNDAY_AFTERNOON_REPORTS,
} from "./times.js";

/** An input of a timeline with the built-in event types. */
export type PalmyraInput = InputOf<DefinitionsFor<[]>>;

/** The source names used in `sources` (what `claims` and `{ sources }` queries match). */
export const SOURCES = ["SOHR", "Amaq", "Russian MoD"] as const;

const SOHR: readonly Source[] = [{ name: "SOHR" }];
const MOD: readonly Source[] = [{ name: "Russian MoD" }];

/** Id of the Russian MoD's "repelled all attacks overnight" claim. */
export const MOD_CLAIM_ID = "sun-mod-repelled-all-attacks";

// Since Thursday 8 December ("منذ الـ8 من كانون الأول"): taken "after violent clashes with
// Assad forces". The report gives no day for each capture, only "since the 8th": they are
// dated 8 Dec at day precision, and the note says so.
const SINCE_THURSDAY = "since the 8th (no day given), after violent clashes";
const sinceThursday = (place: string): PalmyraInput => ({
  id: `thu-isis-takes-${place}`,
  type: "Captured",
  at: "2016-12-08",
  recordedAt: SOHR_SATURDAY_REPORT,
  data: { place, by: "isis", from: "regime" },
  sources: SOHR,
  note: SINCE_THURSDAY,
});

export const palmyraEvents: readonly PalmyraInput[] = [
  // Background the report gives in its own voice (no source named).
  {
    id: "2015-isis-seizes-palmyra",
    type: "Captured",
    at: "2015-05",
    data: { place: "palmyra", by: "isis" },
  },
  {
    id: "2016-regime-retakes-palmyra",
    type: "Captured",
    at: "2016-03",
    data: { place: "palmyra", by: "regime", from: "isis" },
    note: "with Russian air support",
  },

  // Thursday 8 December onwards: the offensive in eastern Homs.
  sinceThursday("al-mahr-field"),
  sinceThursday("jazal-field"),
  sinceThursday("jahar-field"),
  sinceThursday("qasr-al-hallabat"),
  sinceThursday("jabal-hayal"), // the report's second spelling: resolved to "jabal-hayan"
  sinceThursday("grain-silos"),

  // Saturday 10 December (day only).
  {
    id: "sat-isis-takes-abandoned-base",
    type: "Captured",
    at: "2016-12-10",
    recordedAt: SOHR_SATURDAY_REPORT,
    data: { place: "t4-abandoned-base", by: "isis" },
    sources: SOHR,
  },
  {
    id: "sat-isis-takes-citadel",
    type: "Captured",
    at: "2016-12-10",
    recordedAt: SOHR_SATURDAY_REPORT,
    data: { place: "palmyra-citadel", by: "isis", from: "regime" },
    sources: SOHR,
    note: "after government forces withdrew",
  },

  // Saturday evening: ISIS enters the city, eight months after it was expelled.
  {
    id: "sat-isis-enters-palmyra",
    type: "Captured",
    at: SAT_EVENING,
    precision: "hour",
    recordedAt: SOHR_SATURDAY_REPORT,
    data: { place: "palmyra", by: "isis", from: "regime" },
    sources: SOHR,
    note: "held it for a short time",
  },
  {
    id: "sat-isis-arrests",
    type: "Arrests",
    at: SAT_EVENING,
    precision: "hour",
    recordedAt: SOHR_SATURDAY_REPORT,
    data: { place: "palmyra", by: "isis" }, // no count in the report
    sources: SOHR,
    note: "residents abducted to unknown places",
  },

  // The night of Saturday to Sunday.
  {
    // SOHR: ISIS left "due to the intensive Russian bombing of the city", while "warplanes"
    // struck these places "after midnight Saturday until dawn Sunday". The report calls the
    // night's bombing Russian; it does not name the warplanes over the other places.
    id: "sun-night-strikes-sohr",
    type: "Airstrike",
    at: SUN_OVERNIGHT,
    precision: "hour",
    recordedAt: SOHR_SUNDAY_MORNING_REPORT,
    data: {
      places: [
        "palmyra",
        "amiriya",
        "jabal-al-tar",
        "wadi-al-ahmar",
        "grain-silos",
        "jabal-hayan",
        "al-mahr-field",
        "jazal-field",
        "jahar-field",
      ],
      by: "russia",
    },
    sources: SOHR,
    note: "intensive, until dawn",
  },
  {
    id: "sun-night-strikes-mod",
    type: "Airstrike",
    at: SUN_OVERNIGHT,
    precision: "hour",
    recordedAt: MOD_STATEMENT,
    data: { places: ["palmyra"], by: "russia", strikes: 64, killed: 300 },
    sources: MOD,
    note: '"more than 300" militants',
  },
  {
    id: MOD_CLAIM_ID,
    type: "Captured",
    at: SUN_OVERNIGHT,
    precision: "hour",
    recordedAt: MOD_STATEMENT,
    data: { place: "palmyra", by: "regime" },
    sources: MOD,
    note: 'held: "repelled all attacks overnight"',
  },

  // Sunday 11 December.
  {
    id: "sun-isis-withdraws",
    type: "Withdrew",
    at: SUN_DAWN,
    precision: "hour",
    recordedAt: SOHR_SUNDAY_MORNING_REPORT,
    // "hours after it was expelled from it": the city is the government's again.
    data: { place: "palmyra", actor: "isis", to: "palmyra-orchards", handedTo: "regime" },
    sources: SOHR,
    note: "under Russian bombing; also to Wadi al-Ahmar, Jabal al-Tar",
  },
  {
    id: "sun-isis-retakes-palmyra",
    type: "Captured",
    at: SUN_NOON,
    precision: "hour",
    recordedAt: SUNDAY_AFTERNOON_REPORTS,
    data: { place: "palmyra", by: "isis", from: "regime" },
    sources: [
      { name: "SOHR", note: "the whole ancient city, after government forces withdrew" },
      { name: "Amaq", note: '"full control of all of Palmyra"' },
    ],
    note: "the whole city, after government forces withdrew",
  },
  {
    id: "sun-strikes-go-on",
    type: "Airstrike",
    at: SUN_NOON,
    precision: "hour",
    recordedAt: SUNDAY_AFTERNOON_REPORTS,
    data: { places: ["palmyra"], by: "russia" },
    sources: SOHR,
    note: "fighting stopped, strikes went on",
  },

  // ILLUSTRATIVE, NOT IN THE REPORT: a correction, to show how a retraction works. Suppose
  // that on Monday the desk withdraws the Russian MoD claim (contradicted by SOHR and Amaq).
  // From its recordedAt on, queries no longer count that claim; queries "as of" an earlier
  // time still see it.
  {
    id: "mon-retract-mod-claim",
    type: "Retracted",
    at: "2016-12-12",
    recordedAt: MONDAY_CORRECTION,
    data: { eventId: MOD_CLAIM_ID, reason: "contradicted by SOHR and Amaq" },
    note: "ILLUSTRATIVE: not in the report",
  },
];
