import type { TimelineEvent } from "./events.js";
import type { KeyedIndex } from "./keyed.js";
import type { ControlEntry, ControlFold, ControlInterval } from "./slices.js";
import type { Precision } from "./time.js";

/** A place whose controller differs between two instants (`undefined`: absent at that instant). */
export interface DiffEntry {
  readonly place: string;
  readonly before: string | null | undefined;
  readonly after: string | null | undefined;
}

/**
 * The control intervals of one place: a new interval only where the controller changes,
 * each bounded by the `at` and precision of the events that began and ended it.
 */
export function intervalsOf(
  control: KeyedIndex<ControlFold, ControlEntry>,
  place: string,
): ControlInterval[] {
  const { events, values } = control.steps(place);
  return intervalsOfSteps(events, values);
}

/**
 * {@link intervalsOf} from a place's control events (their `at` and precision) and the entry
 * after each, in timeline order (a reader reads them from a store's read model).
 */
export function intervalsOfSteps(
  events: readonly { readonly at: number; readonly precision: Precision }[],
  values: readonly (ControlEntry | undefined)[],
): ControlInterval[] {
  const out: ControlInterval[] = [];
  let open: ControlEntry | undefined;
  let opener: TimelineEvent | undefined;
  const close = (to: number | null, toPrecision: Precision | null) => {
    if (open === undefined) return;
    const { controller, since, eventId, precision } = open;
    const interval: ControlInterval = {
      controller,
      from: since,
      to,
      eventId,
      fromPrecision: precision,
      toPrecision,
    };
    // The event that changed the controller is the one that began the interval.
    const notBefore = opener?.notBefore;
    out.push(
      Object.freeze(
        notBefore === undefined
          ? interval
          : {
              ...interval,
              notBefore,
              notBeforePrecision: opener?.notBeforePrecision ?? precision,
            },
      ),
    );
  };
  values.forEach((value, i) => {
    if (value === undefined || (open !== undefined && value.controller === open.controller)) return;
    const event = events[i] as TimelineEvent;
    close(event.at, event.precision);
    open = value;
    opener = event;
  });
  close(null, null);
  return out;
}

/** Places whose controller differs between `a` and `b`, in the control record's key order. */
export function controlDiff(
  control: KeyedIndex<ControlFold, ControlEntry>,
  a: number,
  b: number,
): DiffEntry[] {
  const out: DiffEntry[] = [];
  for (const place of control.keysUpTo(Math.max(a, b))) {
    const before = control.valueAt(place, a)?.controller;
    const after = control.valueAt(place, b)?.controller;
    if (before !== after) out.push(Object.freeze({ place, before, after }));
  }
  return out;
}
