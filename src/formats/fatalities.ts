import { z } from "zod";
import { defineEvent } from "../core/events.js";

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
