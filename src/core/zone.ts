// Time zones, for reading local dates and times and for printing them. IANA zones come from
// the platform's Intl (its own time zone database: nothing is bundled here); fixed offsets
// ("+02:00") and UTC need no lookup at all.

const MINUTE = 60_000;

/** A day in milliseconds (the unit, not a calendar day: local days may be 23 or 25 hours). */
export const DAY_MS = 86_400_000;

/** A time zone as the library uses it (internal). */
export interface Zone {
  /** The name as given: `"UTC"`, `"Asia/Damascus"`, `"+02:00"`. */
  readonly name: string;
  /** The offset east of UTC in ms when it never changes (UTC, `"+02:00"`), else `undefined`. */
  readonly fixed: number | undefined;
  /** The offset east of UTC in ms in force at an instant. */
  offsetAt(at: number): number;
}

function fixedZone(name: string, offset: number): Zone {
  return { name, fixed: offset, offsetAt: () => offset };
}

/** The default zone. */
export const UTC: Zone = fixedZone("UTC", 0);

/** A UTC offset as ISO 8601 writes it: `Z`, `±HH`, `±HHMM` or `±HH:MM`. */
const OFFSET = /^([+-])(\d{2})(?::?(\d{2}))?$/;

/**
 * Reads a UTC offset (`"Z"`, `"+02"`, `"+0530"`, `"-05:00"`) into milliseconds east of UTC:
 * the one reader of offsets, for times, time zones and the CLI alike. Every zone in use lies
 * within -12:00 and +14:00; offsets beyond ±14:00 are refused as mistakes. Returns a message
 * for anything else.
 */
export function readOffset(text: string): number | string {
  if (text === "Z" || text === "z") return 0;
  const m = OFFSET.exec(text);
  if (m === null) return `"${text}" is not a UTC offset (expected Z, +HH, +HHMM or +HH:MM)`;
  const hours = Number(m[2]);
  const minutes = m[3] === undefined ? 0 : Number(m[3]);
  if (hours > 14 || minutes > 59 || (hours === 14 && minutes > 0)) {
    return `offset "${text}" is out of range (-14:00 to +14:00)`;
  }
  return (m[1] === "-" ? -1 : 1) * (hours * 60 + minutes) * MINUTE;
}

// Offsets are looked up per second of time: a timeline of day-precision events asks for the
// same few instants (local midnights) again and again, and Intl is slow to ask.
const CACHE_LIMIT = 4096;

function intlZone(name: string, format: Intl.DateTimeFormat): Zone {
  const cache = new Map<number, number>();
  const exact = (at: number): number => {
    const second = Math.floor(at / 1000) * 1000;
    let offset = cache.get(second);
    if (offset !== undefined) return offset;
    const fields: Record<string, string> = {};
    for (const part of format.formatToParts(second)) fields[part.type] = part.value;
    const year = Number(fields.year);
    const wall = Date.UTC(
      fields.era === "BC" || fields.era === "B" ? 1 - year : year,
      Number(fields.month) - 1,
      Number(fields.day),
      Number(fields.hour),
      Number(fields.minute),
      Number(fields.second),
    );
    // Date.UTC maps years 0-99 to 1900-1999; the wall time then needs the year set again.
    const fixedWall =
      year >= 0 && year < 100 && fields.era !== "BC" ? new Date(wall).setUTCFullYear(year) : wall;
    offset = fixedWall - second;
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(second, offset);
    return offset;
  };
  // Zones change their offset at most once in a UTC day: where the first and the last second
  // of a day have one offset, the whole day has it, and every instant of it costs a lookup
  // here rather than a call of Intl. NaN marks a day with a change.
  const days = new Map<number, number>();
  const offsetAt = (at: number): number => {
    const day = Math.floor(at / DAY_MS);
    let whole = days.get(day);
    if (whole === undefined) {
      const first = exact(day * DAY_MS);
      whole = first === exact(day * DAY_MS + DAY_MS - 1000) ? first : Number.NaN;
      if (days.size >= CACHE_LIMIT) days.clear();
      days.set(day, whole);
    }
    return Number.isNaN(whole) ? exact(at) : whole;
  };
  return { name, fixed: undefined, offsetAt };
}

const zones = new Map<string, Zone>([["UTC", UTC]]);

/**
 * Reads a time zone name: an IANA name the platform knows (`"Asia/Damascus"`, `"UTC"`) or a
 * fixed offset (`"+02:00"`, `"-0530"`, `"Z"`). Returns the zone, or a message saying what is
 * wrong.
 */
export function readZone(name: unknown): Zone | string {
  if (typeof name !== "string" || name.length === 0) {
    return 'expected a time zone: an IANA name ("Asia/Damascus") or an offset ("+02:00")';
  }
  const known = zones.get(name);
  if (known !== undefined) return known;
  let zone: Zone;
  const offset = OFFSET.test(name) || name === "Z" || name === "z" ? readOffset(name) : undefined;
  if (typeof offset === "string") {
    return `time zone ${offset}`;
  } else if (offset !== undefined) {
    zone = fixedZone(name, offset);
  } else {
    let format: Intl.DateTimeFormat;
    try {
      format = new Intl.DateTimeFormat("en-US", {
        timeZone: name,
        hourCycle: "h23",
        era: "short",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        second: "numeric",
      });
    } catch {
      return `time zone "${name}" does not exist (expected an IANA name such as "Asia/Damascus", or an offset such as "+02:00")`;
    }
    // The platform's spelling ("asia/damascus" is "Asia/Damascus"): one zone, one name.
    const canonical = format.resolvedOptions().timeZone;
    // Every spelling of UTC ("utc", "Etc/UTC") is the one default zone, so JSON leaves it out.
    zone =
      canonical === "UTC" || canonical === "Etc/UTC" || canonical === "Etc/GMT"
        ? UTC
        : intlZone(canonical, format);
  }
  zones.set(name, zone);
  return zone;
}

/**
 * The instant at which a zone's clocks read `wall` (a local date and time written as epoch
 * ms, as if the zone were UTC).
 *
 * - A time the clocks show twice (the hour repeated when daylight saving time ends) is the
 *   earlier of the two instants.
 * - A time the clocks skip (when daylight saving time starts) does not exist: the result is
 *   `gap: true`, with `at` the instant the clocks jumped at, i.e. the first instant that
 *   exists after it (what the start of a day or month means when midnight is skipped).
 */
export function fromLocal(zone: Zone, wall: number): { at: number; gap: boolean } {
  if (zone.fixed !== undefined) return { at: wall - zone.fixed, gap: false };
  // Zones change their offset at most once within a day or so: the offsets a day before and
  // a day after give every candidate.
  const before = zone.offsetAt(wall - DAY_MS);
  const after = zone.offsetAt(wall + DAY_MS);
  const early = wall - before;
  const late = wall - after;
  const earlyOk = zone.offsetAt(early) === before;
  const lateOk = zone.offsetAt(late) === after;
  if (earlyOk && lateOk) return { at: Math.min(early, late), gap: false };
  if (earlyOk) return { at: early, gap: false };
  if (lateOk) return { at: late, gap: false };
  // In the gap: read with the offset before the jump, the time lands just past it.
  return { at: early, gap: true };
}
