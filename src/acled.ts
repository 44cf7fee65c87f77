/**
 * `tidemark/acled`: ACLED exports of any vintage to tidemark events and registries, and
 * ACLED's deletions lists to retractions. The same functions as the package root's.
 *
 * @example
 * import { fromAcled } from "tidemark/acled";
 * const { events, places, actors, skipped } = fromAcled(rows);
 *
 * @module
 */
export type {
  AcledDeletions,
  AcledEvent,
  AcledImport,
  AcledOptions,
  AcledRow,
  DateOrder,
  EventSource,
  RetractedInput,
  SkippedRow,
} from "./formats/acled.js";
export { acledDeletions, fromAcled } from "./formats/acled.js";
export type { PlaceChange } from "./formats/places.js";
