import { z } from "zod";
import { defineEvent } from "../core/events.js";
import { defineReducer } from "../core/reducers.js";

const id = z.string().min(1);
const deaths = z.number().int().min(0);

/**
 * Deaths in one event of organised violence at `place`, as UCDP's Georeferenced Event Dataset
 * counts them: `best` (the most likely count), `low` and `high` estimates, and `civilians`
 * among them when known. `violence` is UCDP's type: "state-based" (a government is a side),
 * "non-state" (organised groups, no government) or "one-sided" (against civilians).
 * {@link fromUcdpGed} makes them; add the definition to a timeline with
 * `createTimeline({ events: [Fatalities] })`.
 *
 * @example
 * const timeline = createTimeline({ events: [Fatalities] });
 * timeline.append({
 *   type: "Fatalities", at: "2016-12-10",
 *   data: { place: "tadmur", sideA: "government-of-syria", sideB: "is",
 *           violence: "state-based", best: 12, low: 10, high: 20 },
 * });
 */
export const Fatalities = defineEvent(
  "Fatalities",
  z.strictObject({
    place: id,
    sideA: id,
    sideB: id,
    violence: z.enum(["state-based", "non-state", "one-sided"]),
    best: deaths,
    low: deaths,
    high: deaths,
    civilians: deaths.optional(),
  }),
  { places: ["place"], actors: ["sideA", "sideB"] },
);

/**
 * Deaths per place as UCDP counts them: `best`, `low` and `high` summed over the place's
 * {@link Fatalities} events. A keyed reducer, so it is indexed and checkpointed per place like
 * the built-in slices.
 *
 * @example
 * const timeline = createTimeline({ events: [Fatalities], reducers: { fatalities } });
 * timeline.appendAll(fromUcdpGed(rows).events);
 * timeline.stateAt("2016-12-31").fatalities.tadmur; // { best: 12, low: 10, high: 20 }
 */
export const fatalities = defineReducer({
  events: [Fatalities],
  keyBy: { Fatalities: (event) => event.data.place },
  initial: { best: 0, low: 0, high: 0 },
  on: {
    Fatalities(entry, event) {
      entry.best += event.data.best;
      entry.low += event.data.low;
      entry.high += event.data.high;
    },
  },
});
