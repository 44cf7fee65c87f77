// Times of the Palmyra example. Local time in Syria in December 2016 was UTC+02:00, so every
// time of day carries that offset. Each time is only as precise as the report:
// - a month ("2015-05") or a day ("2016-12-10") where that is all it gives;
// - an hour (with `precision: "hour"` on the event) for "evening", "after midnight", "dawn",
//   "noon": the report's words for a part of a day, which no precision names. The hours
//   chosen for them are conventions (evening 18h, after midnight 00h, dawn 06h, noon 12h)
//   that only put the events in the right order; the report's words themselves are kept in
//   each event's note (see `timeWords` in events.ts), and output prints the words, never
//   the hour.

/** Minutes east of UTC: Syria, December 2016. */
export const SYRIA_OFFSET_MINUTES = 120;

/** Saturday 10 December, evening ("مساء السبت"): ISIS enters Palmyra. */
export const SAT_EVENING = "2016-12-10T18:00+02:00";
/** "After midnight Saturday" ("بعد منتصف ليل السبت"), "during the night" ("خلال الليل"). */
export const SUN_OVERNIGHT = "2016-12-11T00:00+02:00";
/** Sunday 11 December, dawn ("فجر الأحد"): ISIS withdraws from the heart of the city. */
export const SUN_DAWN = "2016-12-11T06:00+02:00";
/** Sunday 11 December, noon ("ظهراً"): ISIS takes the whole city again. */
export const SUN_NOON = "2016-12-11T12:00+02:00";

/**
 * The report's words for the conventional hours above, for printers that label instants
 * rather than events (the viewer). Each event also keeps its own words in its note.
 */
export const TIME_LABELS: Readonly<Record<string, string>> = {
  [SAT_EVENING]: "evening",
  [SUN_OVERNIGHT]: "overnight",
  [SUN_DAWN]: "dawn",
  [SUN_NOON]: "noon",
};

// When each piece of news became known (`recordedAt`). The report dates only the Russian
// Ministry of Defence statement ("early on Sunday") and SOHR's report of the withdrawal
// ("earlier on Sunday", before the noon news); the hours below are assumptions that keep the
// report's order, and only matter to `asOf` queries (what was known when). No output prints
// them as times of events. What the report says in its own voice, and what it does not date,
// became known at the latest when it was published, on Sunday afternoon.

/** SOHR's and the report's news of Saturday (ISIS in the city, the day's captures, arrests). */
export const SOHR_SATURDAY_REPORT = "2016-12-10T20:00+02:00";
/** The Russian Ministry of Defence statement, "early on Sunday" ("في وقت مبكر الأحد"). */
export const MOD_STATEMENT = "2016-12-11T07:00+02:00";
/** SOHR's report "earlier on Sunday" (before the noon news) of the dawn withdrawal. */
export const SOHR_SUNDAY_MORNING_REPORT = "2016-12-11T09:00+02:00";
/** SOHR's and Amaq's reports of the noon capture, and the report's publication. */
export const SUNDAY_AFTERNOON_REPORTS = "2016-12-11T14:00+02:00";
/** The illustrative correction (not in the report): recorded on Monday 12 December. */
export const MONDAY_CORRECTION = "2016-12-12T10:00+02:00";
