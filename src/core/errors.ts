/** One problem found while validating input, located by the input's index and a path into it. */
export interface ValidationIssue {
  /** Position of the offending input in the call (the argument index for `append`). */
  readonly index: number;
  /** Path inside that input, e.g. `["data", "place"]`; empty for the input as a whole. */
  readonly path: readonly (string | number)[];
  /** What is wrong, in words. */
  readonly message: string;
}

function describe(issue: ValidationIssue): string {
  const where = issue.path.length > 0 ? `${issue.index}.${issue.path.join(".")}` : `${issue.index}`;
  return `[${where}] ${issue.message}`;
}

const VALIDATION = Symbol.for("tidemark.TimelineValidationError");

/** `value instanceof cls`; a TimelineValidationError of any copy of tidemark carries a brand. */
function isValidationError(cls: unknown, value: unknown): boolean {
  if (cls !== TimelineValidationError)
    return Function.prototype[Symbol.hasInstance].call(cls, value);
  return typeof value === "object" && value !== null && VALIDATION in value;
}

/**
 * Thrown when input does not fit the timeline: a bad time, an unknown event type, data that
 * fails its schema, an unknown place or actor, a conflicting duplicate id, or bad query
 * options. When it is thrown by `append`, nothing was appended.
 *
 * @example
 * try {
 *   timeline.append({ type: "Captured", at: "yesterday", data: { place: "palmyra", by: "isis" } });
 * } catch (error) {
 *   if (error instanceof TimelineValidationError) console.error(error.issues);
 * }
 */
export class TimelineValidationError extends Error {
  override readonly name = "TimelineValidationError";
  /** Every problem found, never empty. */
  readonly issues: readonly ValidationIssue[];

  constructor(issues: readonly ValidationIssue[]) {
    const count = issues.length === 1 ? "1 problem" : `${issues.length} problems`;
    super(
      `Invalid timeline input (${count}):\n${issues.map((i) => `  ${describe(i)}`).join("\n")}`,
    );
    this.issues = Object.freeze(
      issues.map((i) => Object.freeze({ ...i, path: Object.freeze([...i.path]) })),
    );
    Object.defineProperty(this, VALIDATION, { value: true });
  }

  /** `instanceof` works across copies of tidemark (ESM and CommonJS builds, subpaths). */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: a subclass's instanceof calls this with the subclass
    return isValidationError(this, value);
  }
}

/**
 * Thrown when a reducer throws while folding an event. `append` rolls the batch back before
 * throwing it, so the timeline keeps exactly the events it had.
 */
export class ReducerError extends Error {
  override readonly name = "ReducerError";
  /** Id of the event the reducer was folding. */
  readonly eventId: string;
  /** Name of the slice whose reducer threw. */
  readonly slice: string;

  constructor(slice: string, eventId: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`Reducer "${slice}" threw on event "${eventId}": ${reason}`, { cause });
    this.slice = slice;
    this.eventId = eventId;
  }
}
