import { z } from "zod";
import type { Precision, TimeInput } from "./time.js";

/** A source that reports an event. `name` is what `sources` options and `claims` match on. */
export interface Source {
  readonly name: string;
  readonly url?: string;
  readonly note?: string;
}

/** Top-level keys of an event's `data` that hold place ids or actor ids (a string or a string array). */
export interface EventRefs {
  readonly places?: readonly string[];
  readonly actors?: readonly string[];
}

/**
 * A kind of event: its `type` name and the zod schema of its `data`. Make one with
 * {@link defineEvent}; the built-ins are {@link Captured}, {@link Withdrew},
 * {@link Airstrike}, {@link Arrests}, {@link Held} and {@link Retracted}.
 */
export interface EventDefinition<T extends string = string, S extends z.ZodType = z.ZodType> {
  readonly type: T;
  readonly schema: S;
  /** Which data keys name places and actors, checked against the timeline's registries. */
  readonly refs: Required<EventRefs>;
  /** The version of the data's shape (1 unless given), stored with each event when not 1. */
  readonly version: number;
  /** Turns data stored under an older version into the current shape (see {@link EventOptions}). */
  readonly upcast?: (data: unknown, fromVersion: number) => unknown;
}

/**
 * Options of {@link defineEvent}: which data keys are places and actors, and the version of
 * the data's shape with the way from older versions to it.
 */
export interface EventOptions<S extends z.ZodType = z.ZodType> extends EventRefs {
  /**
   * The version of the data's shape: a whole number from 1 (the default). Raise it when the
   * schema changes in a way that old data no longer fits, and give `upcast`. It is stored with
   * each event of the type (when not 1), and is part of a content id (when not 1), so that
   * events of version 1 keep the ids and the stored form they had before versions existed.
   */
  readonly version?: number;
  /**
   * Turns the data of an event stored under `fromVersion` (older than `version`) into the
   * current shape, as an input of the current schema, which then checks it. Called when an
   * event is read back from a store or a `toJSON` file, and for an input that names an older
   * `version`. Without it, reading an older event is an error naming the type and versions.
   */
  readonly upcast?: (data: unknown, fromVersion: number) => z.input<S>;
}

/** Any event definition. */
export type AnyEventDefinition = EventDefinition<string, z.ZodType>;

/**
 * An event as it is appended: a plain object, so JSON from anywhere can be appended.
 *
 * @example
 * const input: EventInput<"Captured", { place: string; by: string }> = {
 *   type: "Captured", at: "2016-12-10T18:00+02:00", data: { place: "palmyra", by: "isis" },
 *   sources: [{ name: "SOHR" }],
 * };
 */
export interface EventInput<T extends string = string, D = unknown> {
  type: T;
  /** When it happened. */
  at: TimeInput;
  data: D;
  /** Unique per timeline; generated when absent. Re-appending the same id and content is a no-op. */
  id?: string;
  /** When it became known; defaults to `at`. */
  recordedAt?: TimeInput;
  /** Only coarser than the form of `at` (a date with a separate precision code). */
  precision?: Precision;
  sources?: readonly Source[];
  /**
   * It happened no earlier than this (and no later than `at`): "taken between the maps of 3
   * and 10 Oct", "on the 8th or later". Queries still place the event at `at`; outputs print
   * the span.
   */
  notBefore?: TimeInput;
  /** Only coarser than the form of `notBefore`, as `precision` is for `at`. */
  notBeforePrecision?: Precision;
  note?: string;
  /**
   * The version of its type's definition that `data` is written for, when older than the
   * current one (then the definition's `upcast` brings it up to date); the current one when
   * absent.
   */
  version?: number;
}

/** An event as the timeline stores it: normalised, deeply frozen. */
export interface TimelineEvent<T extends string = string, D = unknown> {
  readonly id: string;
  readonly type: T;
  /** When it happened, epoch milliseconds (UTC). */
  readonly at: number;
  /** How precise `at` is. */
  readonly precision: Precision;
  /** When it became known, epoch milliseconds (UTC). */
  readonly recordedAt: number;
  /** The sources that report it; empty when none were given. */
  readonly sources: readonly Source[];
  readonly note?: string;
  /** The earliest it can have happened, epoch milliseconds (UTC); absent when `at` is all we know. */
  readonly notBefore?: number;
  /** How precise `notBefore` is; present exactly when `notBefore` is. */
  readonly notBeforePrecision?: Precision;
  /** The version of its type's definition that `data` has; absent for version 1. */
  readonly version?: number;
  readonly data: D;
}

/**
 * The stored event type of a definition.
 *
 * @example
 * type ClashesEvent = EventOf<typeof Clashes>; // TimelineEvent<"Clashes", { place: string; ... }>
 */
export type EventOf<D extends AnyEventDefinition> =
  D extends EventDefinition<infer T, infer S> ? TimelineEvent<T, z.output<S>> : never;

/** The input type of a definition (what `append` accepts for it). */
export type InputOf<D extends AnyEventDefinition> =
  D extends EventDefinition<infer T, infer S> ? EventInput<T, z.input<S>> : never;

/**
 * Defines an event type: its name and the zod schema of its `data`. The data type of
 * stored events, reducer handlers and `append` inputs is inferred from the schema.
 *
 * @param options - `places` and `actors`: top-level data keys that hold place or actor ids,
 *   so that registries given to `createTimeline` can check them and resolve aliases;
 *   `version` and `upcast`: the version of the data's shape and the way from older ones
 *   (see {@link EventOptions}).
 * @throws {TypeError} for a version that is not a whole number from 1, or an `upcast` that
 *   is not a function.
 * @example
 * import { z } from "zod";
 * const Clashes = defineEvent(
 *   "Clashes",
 *   z.object({ place: z.string(), sides: z.array(z.string()).min(2), killed: z.number().int().optional() }),
 *   { places: ["place"], actors: ["sides"] },
 * );
 * // Version 2 counts the dead as a range; stored events of version 1 are read as such.
 * const Clashes2 = defineEvent(
 *   "Clashes",
 *   z.object({ place: z.string(), sides: z.array(z.string()).min(2), killed: z.object({ low: z.number(), high: z.number() }).optional() }),
 *   {
 *     places: ["place"], actors: ["sides"], version: 2,
 *     upcast: (data) => {
 *       const { killed, ...rest } = data as { place: string; sides: string[]; killed?: number };
 *       return killed === undefined ? rest : { ...rest, killed: { low: killed, high: killed } };
 *     },
 *   },
 * );
 */
export function defineEvent<const T extends string, S extends z.ZodType>(
  type: T,
  schema: S,
  options: EventOptions<S> = {},
): EventDefinition<T, S> {
  if (typeof type !== "string" || type.length === 0) {
    throw new TypeError("defineEvent: the type must be a non-empty string");
  }
  if (!(schema instanceof z.ZodType)) {
    throw new TypeError(`defineEvent("${type}"): the second argument must be a zod schema`);
  }
  const { version = 1, upcast } = options;
  if (!Number.isSafeInteger(version) || version < 1) {
    throw new TypeError(
      `defineEvent("${type}"): the version must be a whole number from 1, not ${String(version)}`,
    );
  }
  if (upcast !== undefined && typeof upcast !== "function") {
    throw new TypeError(
      `defineEvent("${type}"): upcast must be a function (data, fromVersion) => data`,
    );
  }
  return Object.freeze({
    type,
    schema,
    refs: Object.freeze({
      places: Object.freeze([...(options.places ?? [])]),
      actors: Object.freeze([...(options.actors ?? [])]),
    }),
    version,
    ...(upcast === undefined ? {} : { upcast: upcast as (data: unknown, from: number) => unknown }),
  });
}

const id = z.string().min(1);
const count = (min: number) => z.number().int().min(min);

/** A place changed hands: `by` took `place` (from `from`, when known). */
export const Captured = defineEvent(
  "Captured",
  z.strictObject({ place: id, by: id, from: id.optional() }),
  { places: ["place"], actors: ["by", "from"] },
);

/**
 * `actor` left `place` (towards place `to`, or handing it to actor `handedTo`). It changes
 * control only when `actor` controls the place at that moment.
 */
export const Withdrew = defineEvent(
  "Withdrew",
  z.strictObject({ place: id, actor: id, to: id.optional(), handedTo: id.optional() }),
  { places: ["place", "to"], actors: ["actor", "handedTo"] },
);

/** `by` struck one or more places (`strikes` sorties, `killed` dead, when reported). */
export const Airstrike = defineEvent(
  "Airstrike",
  z.strictObject({
    places: z.array(id).min(1),
    by: id,
    strikes: count(1).optional(),
    killed: count(0).optional(),
  }),
  { places: ["places"], actors: ["by"] },
);

/** `by` detained people in `place` (`count` of them, when reported). */
export const Arrests = defineEvent(
  "Arrests",
  z.strictObject({ place: id, by: id, count: count(0).optional() }),
  { places: ["place"], actors: ["by"] },
);

/**
 * A report that `by` holds `place` at `at`: a status, not a change (a ministry saying its
 * forces "repelled every attack overnight", a daily map of the front). It sets control only
 * where the controller is not already `by`, and applies to the named place alone, never to
 * its descendants.
 */
export const Held = defineEvent("Held", z.strictObject({ place: id, by: id }), {
  places: ["place"],
  actors: ["by"],
});

/**
 * Withdraws a stored event: from this event's `recordedAt` on, the target no longer counts.
 * A correction is a retraction plus a new event.
 */
export const Retracted = defineEvent(
  "Retracted",
  z.strictObject({ eventId: id, reason: z.string().optional() }),
);

/** The built-in definitions that reducers see (a retraction is not folded). */
export type BuiltinDefinition =
  | typeof Captured
  | typeof Withdrew
  | typeof Airstrike
  | typeof Arrests
  | typeof Held;

/** Every built-in definition, in the order the timeline registers them. */
export const BUILTIN_EVENTS: readonly AnyEventDefinition[] = Object.freeze([
  Captured,
  Withdrew,
  Airstrike,
  Arrests,
  Held,
  Retracted,
]);
