import type { Slices } from "./checkpoints.js";
import { TimelineValidationError } from "./errors.js";
import { type AnyEventDefinition, BUILTIN_EVENTS } from "./events.js";
import type { Reducer } from "./reducers.js";
import { type Registry, Resolver } from "./registry.js";
import { BUILTIN_SLICES } from "./slices.js";
import { readZone, type Zone } from "./zone.js";

/** Events between two checkpoints of the plain custom slices, unless `checkpointInterval` says. */
const DEFAULT_INTERVAL = 256;

/** What {@link readOptions} reads: the options of `createTimeline` that shape a timeline. */
export interface OptionsInput {
  readonly events?: readonly AnyEventDefinition[];
  readonly reducers?: Readonly<Record<string, Reducer>>;
  readonly places?: Registry;
  readonly actors?: Registry;
  readonly checkpointInterval?: number;
  readonly timeZone?: string;
}

/** A timeline's options, checked. */
export interface TimelineSetup {
  /** Every event type the timeline accepts, built-ins first. */
  readonly definitions: ReadonlyMap<string, AnyEventDefinition>;
  readonly slices: Slices;
  readonly places: Resolver | undefined;
  readonly actors: Resolver | undefined;
  readonly interval: number;
  readonly zone: Zone;
}

/** Whether a value is a plain reducer (`initial` and `apply`), not a keyed one. */
export function isReducer(value: unknown): value is Reducer {
  return (
    typeof value === "object" &&
    value !== null &&
    "initial" in value &&
    typeof (value as { apply?: unknown }).apply === "function"
  );
}

function isDefinition(value: unknown): value is AnyEventDefinition {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { type?: unknown }).type === "string" &&
    "schema" in value
  );
}

/**
 * Checks the options of `createTimeline`.
 *
 * @throws {TypeError} for a misuse of the API (not a definition, not a reducer, a built-in
 *   slice's name, a type handled but not defined, a bad `checkpointInterval`).
 * @throws {TimelineValidationError} for a `timeZone` that does not exist.
 */
export function readOptions(options: OptionsInput = {}): TimelineSetup {
  if (typeof options !== "object" || options === null) {
    throw new TypeError("createTimeline: options must be an object");
  }
  const definitions = new Map<string, AnyEventDefinition>();
  const register = (definition: unknown, where: string) => {
    if (!isDefinition(definition))
      throw new TypeError(`createTimeline: ${where} is not an event definition (use defineEvent)`);
    const known = definitions.get(definition.type);
    if (known !== undefined && known !== definition) {
      throw new TypeError(
        `createTimeline: two different definitions of event type "${definition.type}"`,
      );
    }
    definitions.set(definition.type, definition);
  };
  for (const definition of BUILTIN_EVENTS) register(definition, "a built-in");
  for (const [i, definition] of (options.events ?? []).entries())
    register(definition, `events[${i}]`);

  const slices: [string, Reducer][] = [];
  for (const [name, reducer] of Object.entries(options.reducers ?? {})) {
    if (!isReducer(reducer))
      throw new TypeError(`createTimeline: reducers.${name} is not a reducer (use defineReducer)`);
    if ((BUILTIN_SLICES as readonly string[]).includes(name)) {
      throw new TypeError(
        `createTimeline: "${name}" is a built-in slice; name the reducer otherwise`,
      );
    }
    for (const [i, definition] of reducer.events.entries()) {
      register(definition, `reducers.${name}.events[${i}]`);
    }
    if (reducer.handles !== "*") {
      for (const type of reducer.handles) {
        if (!definitions.has(type) || type === "Retracted") {
          throw new TypeError(
            `createTimeline: reducers.${name} handles "${type}", which is not an event type of this timeline (add its definition to \`events\`)`,
          );
        }
      }
    }
    slices.push([name, reducer]);
  }
  const places = options.places === undefined ? undefined : new Resolver("places", options.places);
  const actors = options.actors === undefined ? undefined : new Resolver("actors", options.actors);
  const interval = options.checkpointInterval ?? DEFAULT_INTERVAL;
  if (!Number.isInteger(interval) || interval < 1) {
    throw new TypeError("createTimeline: checkpointInterval must be a positive integer");
  }
  const zone = options.timeZone === undefined ? readZone("UTC") : readZone(options.timeZone);
  if (typeof zone === "string") {
    throw new TimelineValidationError([{ index: 0, path: ["timeZone"], message: zone }]);
  }
  return { definitions, slices, places, actors, interval, zone };
}
