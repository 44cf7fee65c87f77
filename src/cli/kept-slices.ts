// What the command line reads and keeps beyond the built-ins, in a module of its own so that a
// command reading a store loads it without the readers of every file format.

import { Fatalities, fatalities } from "../formats/fatalities.js";

/** The custom event definitions the command reads: UCDP GED's `Fatalities`. */
export const EVENTS = [Fatalities] as const;

/** The custom slices the command keeps: UCDP GED's deaths per place (`fatalities`). */
export const REDUCERS = { fatalities } as const;
