/**
 * The storage contract: what a durable timeline asks of a store, the errors stores throw, and
 * the checksum that every stored event carries. Browser-safe: no I/O here; the stores
 * (`tidemark/sqlite`, `tidemark/postgres`, or your own) do the I/O.
 */

/** One event as a store keeps it: its id, its JSON, and a checksum of that JSON. */
export interface EventRecord {
  /** The event's id (unique per store). */
  readonly id: string;
  /** The stored event as JSON text, exactly as the timeline wrote it. */
  readonly content: string;
  /** {@link checksum} of `content`, verified whenever the event is read back. */
  readonly checksum: string;
}

/** An {@link EventRecord} with its position in the store. */
export interface StoredRecord extends EventRecord {
  /** Position of the event: 1 for the first event stored, then 2, 3, ... with no gaps. */
  readonly version: number;
}

/** What {@link EventStore.append} resolves to. */
export interface AppendResult {
  /** Number of events stored after the append (the version of the last one). */
  readonly version: number;
  /** Number of records the append stored (records already stored are skipped). */
  readonly appended: number;
}

/**
 * One entry of a registry a store keeps beside its events: a place or an actor, by id, as the
 * JSON of a `RegistryEntry`.
 */
export interface RegistryRecord {
  /** Which registry: `"places"` or `"actors"`. */
  readonly registry: "places" | "actors";
  /** The entry's id (unique per registry and store). */
  readonly id: string;
  /** The entry as JSON text. */
  readonly entry: string;
}

/**
 * A place to keep a timeline's events durably. `tidemark/sqlite` and `tidemark/postgres`
 * implement it; implement it yourself for another database. Every store must:
 *
 * - give each event a version, `1, 2, 3, ...` in the order appended, without gaps, even when
 *   an append fails or several processes append at once;
 * - write a batch atomically and durably: on disk whole, or not at all, before `append`
 *   resolves;
 * - skip a record whose id is stored with the same `content`, and reject the batch with a
 *   `TimelineValidationError` when an id is stored with other content;
 * - reject the batch with a {@link ConcurrencyError} when `expectedVersion` is given and is
 *   not the number of events stored when the batch is written;
 * - keep `content` and `checksum` byte for byte, and throw {@link StoreCorruptionError} for
 *   damage it detects itself.
 *
 * The durable timeline verifies versions, ids and checksums of what `load` yields.
 */
export interface EventStore {
  /**
   * The stored records with a version greater than `fromVersion`, in version order, in
   * chunks (so that a large store is never read into one array). `load(0)` reads them all.
   */
  load(fromVersion: number): AsyncIterable<readonly StoredRecord[]>;
  /**
   * Appends records atomically (see the rules above). A store with
   * {@link EventStore.registries} also stores `registries` in the same transaction, each
   * entry once per id: an id stored with the same entry (as JSON values) is skipped, one
   * stored with another entry rejects the whole batch with a `TimelineValidationError` (path
   * `[registry, id]`), since the events stored already were checked against the first entry.
   * Other stores are never given `registries`.
   */
  append(
    records: readonly EventRecord[],
    expectedVersion?: number,
    registries?: readonly RegistryRecord[],
  ): Promise<AppendResult>;
  /**
   * Optional: every registry entry the store keeps (none for a store that never kept one).
   * Never writes. A store with this capability keeps the places and actors its events name in
   * the same transactions as the events (see {@link EventStore.append}).
   */
  registries?(): Promise<readonly RegistryRecord[]>;
  /** Releases connections and files. */
  close(): Promise<void>;
  /**
   * Optional: calls `onChange` (soon) after another writer appends, until the returned
   * function is called. `onError` hears of a failure of the watch itself.
   */
  watch?(onChange: () => void, onError?: (error: unknown) => void): Promise<() => Promise<void>>;
  /**
   * Optional: the time zone recorded for the store's timeline (the zone its local dates were
   * read in), `undefined` when none is. Never writes. A store without this capability keeps
   * no zone: {@link openTimeline} then uses its `timeZone` option, as for a timeline in memory.
   */
  timeZone?(): Promise<string | undefined>;
  /**
   * Optional (with {@link EventStore.timeZone}): records `zone` unless the store holds events
   * and another zone is recorded, atomically, so that two writers cannot both record theirs;
   * resolves to the zone recorded afterwards (the other one when it was kept). The durable
   * timeline calls it before its first append, never when only reading.
   */
  setTimeZone?(zone: string): Promise<string>;
}

const CONCURRENCY = Symbol.for("tidemark.ConcurrencyError");
const CORRUPTION = Symbol.for("tidemark.StoreCorruptionError");

/** `value instanceof cls`, where instances of `base` from any copy of tidemark carry `brand`. */
function sameBrand(cls: unknown, base: unknown, value: unknown, brand: symbol): boolean {
  if (cls !== base) return Function.prototype[Symbol.hasInstance].call(cls, value);
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<symbol, unknown>)[brand] === true
  );
}

/**
 * Thrown when a batch was written against a stale version: `appendIfVersion(expected, ...)`
 * found `actual` events stored. Nothing of the batch was stored; refresh, decide again, and
 * retry if it still makes sense.
 */
export class ConcurrencyError extends Error {
  override readonly name = "ConcurrencyError";
  /** The version the writer expected. */
  readonly expected: number;
  /** The version found in the store. */
  readonly actual: number;

  constructor(expected: number, actual: number) {
    super(
      `Expected ${expected} stored events but found ${actual}: another writer appended first; nothing of this batch was stored`,
    );
    this.expected = expected;
    this.actual = actual;
    Object.defineProperty(this, CONCURRENCY, { value: true });
  }

  /** `instanceof` works across copies of tidemark (ESM and CommonJS builds, subpaths). */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: a subclass's instanceof calls this with the subclass
    return sameBrand(this, ConcurrencyError, value, CONCURRENCY);
  }
}

/**
 * Thrown when a store is damaged: an event whose checksum does not match its content, a
 * missing version, an unreadable file. `version` names the first event found damaged or
 * missing (`undefined` when the damage is not tied to one). A damaged store is never read as
 * a shorter timeline.
 */
export class StoreCorruptionError extends Error {
  override readonly name = "StoreCorruptionError";
  /** The first version found damaged or missing, when the damage is tied to one. */
  readonly version: number | undefined;

  constructor(message: string, version?: number, options?: { cause?: unknown }) {
    super(message, options);
    this.version = version;
    Object.defineProperty(this, CORRUPTION, { value: true });
  }

  /** `instanceof` works across copies of tidemark (ESM and CommonJS builds, subpaths). */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: a subclass's instanceof calls this with the subclass
    return sameBrand(this, StoreCorruptionError, value, CORRUPTION);
  }
}

const UNAVAILABLE = Symbol.for("tidemark.StoreUnavailableError");

/** Why a store cannot be used, in {@link StoreUnavailableError.reason}. */
export type StoreUnavailableReason =
  /** The location holds something else: another program's database, a file of other data. */
  | "not-a-store"
  /** The store, its folder or its table does not exist (and may not be created here). */
  | "missing"
  /** The file, its folder or the connection is read-only (or the store was opened read-only). */
  | "read-only"
  /** Another writer held the store for longer than the busy timeout. */
  | "locked"
  /** The disk is full, or a file-size limit was reached. */
  | "full"
  /** The server refused the connection or went away (a restart, the network). */
  | "unreachable";

/**
 * Thrown when a store cannot be used at the moment or at all: not a tidemark store, missing,
 * read-only, locked by another writer past the busy timeout, on a full disk, or on a server
 * that cannot be reached. Unlike {@link StoreCorruptionError}, nothing is damaged: a batch that
 * failed this way left nothing behind, and the same call may succeed once the cause is gone
 * (the server is back, the lock released, space freed). The message never holds a password.
 */
export class StoreUnavailableError extends Error {
  override readonly name = "StoreUnavailableError";
  /** What is wrong, for a program to act on (the command line maps each to exit code 2). */
  readonly reason: StoreUnavailableReason;

  constructor(reason: StoreUnavailableReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.reason = reason;
    Object.defineProperty(this, UNAVAILABLE, { value: true });
  }

  /** `instanceof` works across copies of tidemark (ESM and CommonJS builds, subpaths). */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: a subclass's instanceof calls this with the subclass
    return sameBrand(this, StoreUnavailableError, value, UNAVAILABLE);
  }
}

const hex = (n: number) => (n >>> 0).toString(16).padStart(8, "0");

/**
 * A 64-bit checksum of a string (16 hex digits): two multiply-xorshift lanes (the cyrb53
 * construction, kept to 64 bits) over its UTF-16 code units taken two at a time, mixed at the
 * end. Each step is a bijection of the state, so a change to any one pair of code units always
 * changes the result before the final mix.
 *
 * It detects damage (a flipped bit, a torn page, an edit behind the library's back), not
 * forgery: anyone who can write the store can recompute it. It is synchronous and pure
 * JavaScript, so the browser-safe core verifies every event it loads at about the cost of
 * parsing it; SHA-256 through `crypto.subtle` is asynchronous, a promise per event.
 */
export function checksum(text: string): string {
  let h1 = 0xdeadbeef ^ text.length;
  let h2 = 0x41c6ce57 ^ text.length;
  const n = text.length - 1;
  let i = 0;
  for (; i < n; i += 2) {
    const w = text.charCodeAt(i) | (text.charCodeAt(i + 1) << 16);
    h1 = Math.imul(h1 ^ w, 2654435761);
    h2 = Math.imul(h2 ^ w, 1597334677);
  }
  if (i === n) {
    const w = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ w, 2654435761);
    h2 = Math.imul(h2 ^ w, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return hex(h2) + hex(h1);
}

/**
 * A store calls the function under this key, if set, after writing a batch and before
 * committing it: the conformance tests inject faults there. Not part of the public API.
 */
export const BEFORE_COMMIT: unique symbol = Symbol.for("tidemark.store.beforeCommit");

/** Calls the fault hook of a store, if a test set one. */
export function beforeCommit(store: object): void {
  const hook = (store as { [BEFORE_COMMIT]?: unknown })[BEFORE_COMMIT];
  if (typeof hook === "function") hook();
}
