/**
 * Domain assertions and small input builders shared by the behaviour tests.
 *
 * Expected instants are computed with `Date.parse` / `Date.UTC` (never with tidemark's own
 * parser), so a test cannot pass because the parser agrees with itself.
 */
import { expect } from "vitest";
import {
  type BuiltinState,
  type EventInput,
  type QueryOptions,
  type Source,
  type TimeInput,
  TimelineValidationError,
} from "../../src/index.js";

/** Epoch milliseconds of an ISO string, computed by the platform, not by tidemark. */
export function ms(iso: string): number {
  const value = Date.parse(iso);
  if (Number.isNaN(value)) throw new Error(`test bug: Date.parse cannot read "${iso}"`);
  return value;
}

/** Anything with the control-answering part of a timeline. */
export interface ControlQueries {
  stateAt(t: TimeInput, options?: QueryOptions): BuiltinState;
}

/**
 * Asserts who controls `place` at `t` (optionally under query options). `undefined` means the
 * place is absent from the control record; `null` means nobody holds it.
 */
export function expectControl(
  timeline: ControlQueries,
  t: TimeInput,
  place: string,
  controller: string | null | undefined,
  options?: QueryOptions,
): void {
  const control = timeline.stateAt(t, options).control;
  const where = `control of "${place}" at ${String(t)}${options ? ` ${JSON.stringify(options)}` : ""}`;
  if (controller === undefined) {
    expect(Object.hasOwn(control, place), `${where}: expected the place to be absent`).toBe(false);
  } else {
    expect(Object.hasOwn(control, place), `${where}: expected the place to be present`).toBe(true);
    expect(control[place]?.controller, where).toBe(controller);
  }
}

/** The `{ index, path }` of a validation issue, without its wording. */
export interface IssueLocation {
  index: number;
  path: (string | number)[];
}

/**
 * Asserts that `fn` throws a `TimelineValidationError` whose issues are located exactly at
 * `expected` (in any order), each with a message in words that the error's message repeats.
 * Returns the error for further checks.
 */
export function expectIssues(
  fn: () => unknown,
  expected: IssueLocation[],
): TimelineValidationError {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, "expected a TimelineValidationError to be thrown").toBeInstanceOf(
    TimelineValidationError,
  );
  const error = thrown as TimelineValidationError;
  const located = error.issues.map(({ index, path }) => ({ index, path: [...path] }));
  const key = (l: IssueLocation) => JSON.stringify([l.index, l.path]);
  expect(located.map(key).sort()).toEqual(expected.map(key).sort());
  for (const issue of error.issues) {
    expect(issue.message.length).toBeGreaterThan(0);
    expect(error.message).toContain(issue.message);
  }
  return error;
}

/** Everything a timeline answers without options, as comparable plain data. */
export function snapshot(timeline: {
  readonly size: number;
  toJSON(): unknown;
  latest(): unknown;
}): unknown {
  return JSON.parse(
    JSON.stringify({ size: timeline.size, json: timeline.toJSON(), latest: timeline.latest() }),
  );
}

/** Asserts that a value and everything reachable from it is frozen. */
export function expectDeepFrozen(value: unknown, path = "value"): void {
  if (typeof value !== "object" || value === null) return;
  expect(Object.isFrozen(value), `${path} should be frozen`).toBe(true);
  for (const [key, inner] of Object.entries(value)) expectDeepFrozen(inner, `${path}.${key}`);
}

type Extra = Partial<Omit<EventInput, "type" | "at" | "data">>;

/** Source list from names: `cites("SOHR", "Amaq")`. */
export function cites(...names: string[]): Source[] {
  return names.map((name) => ({ name }));
}

/** A `Captured` input. */
export function captured(at: TimeInput, place: string, by: string, extra: Extra = {}) {
  return { type: "Captured" as const, at, data: { place, by }, ...extra };
}

/** A `Withdrew` input (`handedTo` optional). */
export function withdrew(
  at: TimeInput,
  place: string,
  actor: string,
  handedTo?: string,
  extra: Extra = {},
) {
  return {
    type: "Withdrew" as const,
    at,
    data: handedTo === undefined ? { place, actor } : { place, actor, handedTo },
    ...extra,
  };
}

/** An `Airstrike` input. */
export function airstrike(
  at: TimeInput,
  places: string[],
  by: string,
  extra: Extra & { strikes?: number; killed?: number } = {},
) {
  const { strikes, killed, ...rest } = extra;
  return {
    type: "Airstrike" as const,
    at,
    data: {
      places,
      by,
      ...(strikes === undefined ? {} : { strikes }),
      ...(killed === undefined ? {} : { killed }),
    },
    ...rest,
  };
}

/** An `Arrests` input. */
export function arrests(
  at: TimeInput,
  place: string,
  by: string,
  count?: number,
  extra: Extra = {},
) {
  return {
    type: "Arrests" as const,
    at,
    data: count === undefined ? { place, by } : { place, by, count },
    ...extra,
  };
}

/** A `Retracted` input. */
export function retracted(at: TimeInput, eventId: string, extra: Extra & { reason?: string } = {}) {
  const { reason, ...rest } = extra;
  return {
    type: "Retracted" as const,
    at,
    data: reason === undefined ? { eventId } : { eventId, reason },
    ...rest,
  };
}
