// ACLED's taxonomy of events: which event and sub-event types, of today's exports and of the
// pre-2019 ones, become which of tidemark's built-in events.

/** The built-in events an ACLED row can become. */
export type Kind = "Captured" | "Airstrike" | "Arrests";

/**
 * An event or sub-event type as it is compared: lower case, NFC, runs of spaces as one, none
 * around "-" and "/" ("Battle - Government regains territory", "Air / drone strike"), so that
 * the spellings of exports and spreadsheets are one kind.
 */
function labelKey(label: string): string {
  return label
    .normalize("NFC")
    .toLowerCase()
    .trim()
    .replace(/\s+/g, " ")
    .replace(/ ?([-/]) ?/g, "$1");
}

/** Today's sub-event types that map to an event (compared by {@link labelKey}). */
const SUB_EVENT_TYPES: ReadonlyMap<string, Kind> = new Map([
  ["non-state actor overtakes territory", "Captured"],
  ["government regains territory", "Captured"],
  ["non-violent transfer of territory", "Captured"],
  ["air/drone strike", "Airstrike"],
  ["arrests", "Arrests"],
]);

/** The pre-2019 taxonomy's event types that map (it had no sub-event types). */
const OLD_EVENT_TYPES: ReadonlyMap<string, Kind> = new Map([
  ["battle-government regains territory", "Captured"],
  ["battle-non-state actor overtakes territory", "Captured"],
  ["battle-non-state actors overtake territory", "Captured"],
  ["battle-non-state actor(s) overtake(s) territory", "Captured"],
  ["non-violent transfer of territory", "Captured"],
]);

/** The kinds that map, as the reason of a skipped row lists them. */
const MAPPED =
  '"Non-state actor overtakes territory", "Government regains territory", "Non-violent transfer of territory", "Air/drone strike", "Arrests" (before 2019: "Battle-Government regains territory", "Battle-Non-state actor overtakes territory", "Non-violent transfer of territory")';

/**
 * The event a row's `sub_event_type` (or, in the pre-2019 taxonomy, its `event_type`) maps to,
 * or undefined for a kind that maps to none.
 */
export function kindOf(subType: string, type: string): Kind | undefined {
  return SUB_EVENT_TYPES.get(labelKey(subType)) ?? OLD_EVENT_TYPES.get(labelKey(type));
}

/** Why a row of a kind that maps to no event is skipped, with the kinds that map. */
export function unmapped(subType: string, type: string): string {
  if (subType !== "") {
    return `sub_event_type "${subType}"${type ? ` (${type})` : ""} is not mapped; mapped: ${MAPPED}`;
  }
  if (type !== "") return `event_type "${type}" is not mapped; mapped: ${MAPPED}`;
  return "no sub_event_type or event_type";
}
