/**
 * `tidemark/ucdp`: UCDP GED rows to `Fatalities` events and registries, and the `fatalities`
 * slice that sums their deaths per place. The same names as the package root's.
 *
 * @example
 * import { createTimeline } from "tidemark";
 * import { Fatalities, fatalities, fromUcdpGed } from "tidemark/ucdp";
 * const { events, places, actors } = fromUcdpGed(rows);
 * const timeline = createTimeline({ events: [Fatalities], reducers: { fatalities }, places, actors });
 *
 * @module
 */
export { Fatalities, fatalities } from "./formats/fatalities.js";
export type { PlaceChange } from "./formats/places.js";
export type { UcdpEvent, UcdpImport, UcdpOptions, UcdpRow } from "./formats/ucdp.js";
export { fromUcdpGed } from "./formats/ucdp.js";
