/**
 * The time zone a store keeps for its timeline: whether two zone names read alike, and the
 * error of a timeline opened or written in another zone.
 */
import { TimelineValidationError } from "../core/errors.js";
import { readZone } from "../core/zone.js";

/** Whether two zone names read local times alike: the same name, or the same fixed offset. */
export function sameZone(a: string, b: string): boolean {
  if (a === b) return true;
  const za = readZone(a);
  const zb = readZone(b);
  return (
    typeof za !== "string" &&
    typeof zb !== "string" &&
    za.fixed !== undefined &&
    za.fixed === zb.fixed
  );
}

/** The error of a timeline whose zone is not the one its store's events were read in. */
export function zoneConflict(stored: string, given: string): TimelineValidationError {
  return new TimelineValidationError([
    {
      index: 0,
      path: ["timeZone"],
      message: `the store's events were read in the time zone "${stored}", not "${given}": a store keeps one zone (leave the zone out to read in "${stored}")`,
    },
  ]);
}
