// A store written by a program with its own event types ("Clashes"...) is read by the command
// line, which does not know their schemas: each unknown type is taken as it was stored (its
// data unchecked, as opaque JSON), so that every read command can print it.

import { z } from "zod";
import { TimelineValidationError } from "../core/errors.js";
import { type AnyEventDefinition, defineEvent } from "../core/events.js";
import type { Reducer } from "../core/reducers.js";
import type { Registry } from "../core/registry.js";
import { takingAnyVersion } from "../core/upcast.js";
import { type DurableTimeline, openTimeline } from "../stores/durable.js";
import type { EventStore } from "../stores/store.js";

const UNKNOWN_TYPE = /unknown event type "((?:[^"\\]|\\.)*)"/;

/**
 * Opens a durable timeline on a new store from `open` each attempt, defining every event type
 * it holds that the library does not know as an opaque event (data kept as stored). Each
 * attempt reads the store from the start and learns the unknown types of the first chunk that
 * has some; attempts are bounded by the number of distinct custom types.
 */
export async function openWithStoredTypes(
  open: () => EventStore,
  options: {
    readonly events?: readonly AnyEventDefinition[];
    readonly reducers?: Readonly<Record<string, Reducer>>;
    readonly places?: Registry;
    readonly actors?: Registry;
    readonly timeZone?: string;
  },
): Promise<DurableTimeline> {
  const opaque = new Map<string, AnyEventDefinition>();
  for (;;) {
    try {
      return (await openTimeline({
        ...options,
        store: open(),
        events: [...(options.events ?? []), ...opaque.values()],
      })) as unknown as DurableTimeline;
    } catch (error) {
      if (!(error instanceof TimelineValidationError)) throw error;
      const types = error.issues.map((issue) => UNKNOWN_TYPE.exec(issue.message)?.[1]);
      const fresh = types.filter(
        (type): type is string => type !== undefined && !opaque.has(JSON.parse(`"${type}"`)),
      );
      if (fresh.length === 0 || types.some((type) => type === undefined)) throw error;
      for (const type of fresh) {
        const name = JSON.parse(`"${type}"`) as string;
        opaque.set(name, takingAnyVersion(defineEvent(name, z.unknown())));
      }
    }
  }
}
