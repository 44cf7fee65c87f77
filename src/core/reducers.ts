import { type Draft, freeze, Immer, isDraftable, nothing } from "immer";
import { sameData } from "./equal.js";
import { ReducerError } from "./errors.js";
import type { AnyEventDefinition, BuiltinDefinition, EventOf, TimelineEvent } from "./events.js";
import type { KeyedRule } from "./key-log.js";

/** The events a reducer sees: the built-ins (except `Retracted`) and the custom ones it lists. */
export type ReducerEvent<E extends readonly AnyEventDefinition[] = []> = EventOf<
  BuiltinDefinition | E[number]
>;

/**
 * A reducer handler: mutate the immer draft, or return a replacement value.
 * It must be pure: the timeline folds events more than once (after a late event, for a view).
 */
// biome-ignore lint/suspicious/noConfusingVoidType: a handler that only mutates its draft returns void, as immer's recipes do.
export type Handler<S, Ev> = (draft: Draft<S>, event: Ev) => S | Draft<S> | void | undefined;

/** One optional handler per event type, each receiving its own narrowed event. */
export type OnHandlers<S, D extends AnyEventDefinition> = {
  // Keyed by the type names (not remapped from D), so that TypeScript can type the handlers
  // of custom events listed in `events` from context.
  [T in D["type"]]?: Handler<S, EventOf<Extract<D, { readonly type: T }>>>;
};

interface ConfigBase<S, E extends readonly AnyEventDefinition[]> {
  /** The slice before any event; deep-frozen. */
  initial: S;
  /** Custom event definitions this reducer handles, so that their handlers are typed. */
  events?: E;
  /** Names the reducer's logic for stores that keep its read model (see {@link Reducer.version}). */
  version?: string | number;
}

/** A reducer with one handler per event type. */
export interface OnConfig<S, E extends readonly AnyEventDefinition[]> extends ConfigBase<S, E> {
  on: OnHandlers<NoInfer<S>, BuiltinDefinition | E[number]>;
  reduce?: never;
  keyBy?: never;
}

/** A reducer with one handler for every event. */
export interface ReduceConfig<S, E extends readonly AnyEventDefinition[]> extends ConfigBase<S, E> {
  reduce: Handler<NoInfer<S>, ReducerEvent<E>>;
  on?: never;
  keyBy?: never;
}

/** What {@link defineReducer} takes: `initial` plus either `on` or `reduce`. */
export type ReducerConfig<S, E extends readonly AnyEventDefinition[]> =
  | OnConfig<S, E>
  | ReduceConfig<S, E>;

/** The event types a reducer can handle: the built-ins (but `Retracted`) and `E`'s. */
export type TypeNames<E extends readonly AnyEventDefinition[]> =
  | BuiltinDefinition["type"]
  | E[number]["type"];

/** The event of type `T` among the definitions `D`. */
type EventOfType<D extends AnyEventDefinition, T> = EventOf<Extract<D, { readonly type: T }>>;

/**
 * A keyed reducer: one entry per key, each folded by the handlers on an immer draft of that
 * entry. `keyBy` and `on` name the same event types `K`.
 */
export interface KeyedConfig<V, E extends readonly AnyEventDefinition[], K extends string> {
  /** For each event type handled, the key (or keys) an event touches. */
  keyBy: { [T in K]: (event: EventOfType<BuiltinDefinition | E[number], T>) => KeyList };
  /** Each key's entry before its first event; deep-frozen. */
  initial: V;
  /** One handler per type named in `keyBy`: mutate the entry's draft, or return a replacement. */
  on: { [T in K]: Handler<NoInfer<V>, EventOfType<BuiltinDefinition | E[number], T>> };
  /** Custom event definitions this reducer handles, so that their handlers are typed. */
  events?: E;
  /**
   * Names the handlers' logic for stores that keep this slice's read model: change it when
   * the handlers change, and a store's read model of the slice is known to be stale.
   */
  version?: string | number;
  reduce?: never;
}

/** What a `keyBy` function returns: one key, or several (repeats count once). */
export type KeyList = string | readonly string[];

/** A custom slice of state, made by {@link defineReducer}. */
export interface Reducer<S = unknown> {
  /** The slice before any event (`{}` for a keyed reducer). */
  readonly initial: S;
  /** Custom event definitions the reducer handles. */
  readonly events: readonly AnyEventDefinition[];
  /** The event types it handles, or `"*"` for a `reduce` reducer. */
  readonly handles: readonly string[] | "*";
  /** Applies one event to a draft (or returns a replacement), as the config says. */
  readonly apply: (draft: unknown, event: TimelineEvent) => unknown;
  /** For a keyed reducer: how each key's entry folds (the timeline indexes it per key). */
  readonly keyed?: KeyedRule<unknown>;
  /**
   * The `version` given to {@link defineReducer}: a store's read model of the slice, kept
   * under another version, is stale (`reindex` rebuilds it).
   */
  readonly version?: string | number;
}

/** The slice type of a reducer. */
export type SliceOf<R> = R extends Reducer<infer S> ? S : never;

/**
 * Defines a custom slice of state. Handlers receive an immer draft of the slice and the
 * event, narrowed by its type; list custom event definitions in `events` to handle them.
 *
 * @example
 * const claimedKilled = defineReducer({
 *   initial: {} as Record<string, number>,
 *   on: {
 *     Airstrike(draft, event) {
 *       const who = event.sources[0]?.name ?? "unknown";
 *       draft[who] = (draft[who] ?? 0) + (event.data.killed ?? 0);
 *     },
 *   },
 * });
 */
export function defineReducer<
  V,
  const E extends readonly AnyEventDefinition[] = [],
  K extends TypeNames<E> = never,
>(config: KeyedConfig<V, E, K>): Reducer<Readonly<Record<string, V>>>;
export function defineReducer<S, const E extends readonly AnyEventDefinition[] = []>(
  config: ReducerConfig<S, E>,
): Reducer<S>;
export function defineReducer(config: object): Reducer {
  if (typeof config !== "object" || config === null || !("initial" in config)) {
    throw new TypeError("defineReducer: the config needs an `initial` value");
  }
  const { version } = config as { version?: unknown };
  if (
    version !== undefined &&
    typeof version !== "string" &&
    !(typeof version === "number" && Number.isFinite(version))
  ) {
    throw new TypeError("defineReducer: `version` must be a string or a finite number");
  }
  const versioned = version === undefined ? {} : { version };
  if ("keyBy" in config && config.keyBy !== undefined) {
    return Object.freeze({ ...defineKeyed(config), ...versioned });
  }
  const { on, reduce } = config as { on?: Record<string, unknown>; reduce?: unknown };
  if ((on === undefined) === (reduce === undefined)) {
    throw new TypeError("defineReducer: give exactly one of `on` (a handler per type) or `reduce`");
  }
  let apply: (draft: unknown, event: TimelineEvent) => unknown;
  let handles: readonly string[] | "*";
  if (reduce !== undefined) {
    if (typeof reduce !== "function")
      throw new TypeError("defineReducer: `reduce` must be a function");
    apply = reduce as (draft: unknown, event: TimelineEvent) => unknown;
    handles = "*";
  } else {
    const table = new Map<string, (draft: unknown, event: TimelineEvent) => unknown>();
    for (const [type, handler] of Object.entries(on ?? {})) {
      if (typeof handler !== "function") {
        throw new TypeError(`defineReducer: the handler for "${type}" must be a function`);
      }
      table.set(type, handler as (draft: unknown, event: TimelineEvent) => unknown);
    }
    apply = (draft, event) => table.get(event.type)?.(draft, event);
    handles = Object.freeze([...table.keys()]);
  }
  return Object.freeze({
    initial: freeze(config.initial, true),
    events: Object.freeze([...((config as { events?: AnyEventDefinition[] }).events ?? [])]),
    handles,
    apply,
    ...versioned,
  });
}

// A private instance, so that a user's global `setAutoFreeze(false)` cannot unfreeze states.
const immer = new Immer({ autoFreeze: true });

type AnyHandler = (draft: unknown, event: TimelineEvent) => unknown;
type AnyKeyBy = (event: TimelineEvent) => unknown;

function functions<F>(value: unknown, what: string): Map<string, F> {
  if (typeof value !== "object" || value === null) {
    throw new TypeError(`defineReducer: \`${what}\` must be an object of functions by event type`);
  }
  const table = new Map<string, F>();
  for (const [type, f] of Object.entries(value)) {
    if (typeof f !== "function") {
      throw new TypeError(`defineReducer: \`${what}.${type}\` must be a function`);
    }
    table.set(type, f as F);
  }
  return table;
}

/** The keys a `keyBy` function gave, each once, in the order given. */
function keyList(keys: unknown, event: TimelineEvent): readonly string[] {
  if (typeof keys === "string") return [keys];
  if (Array.isArray(keys) && keys.every((k) => typeof k === "string")) {
    return keys.length <= 1 ? keys : [...new Set(keys as string[])];
  }
  throw new TypeError(
    `keyBy for "${event.type}" must return a key (a string) or a list of keys, not ${JSON.stringify(keys)}`,
  );
}

function defineKeyed(config: object): Reducer {
  const { keyBy, on, reduce, initial, events } = config as {
    keyBy: unknown;
    on?: unknown;
    reduce?: unknown;
    initial: unknown;
    events?: readonly AnyEventDefinition[];
  };
  if (reduce !== undefined) {
    throw new TypeError("defineReducer: a keyed reducer takes `on` handlers, not `reduce`");
  }
  const keyers = functions<AnyKeyBy>(keyBy, "keyBy");
  const handlers = functions<AnyHandler>(on, "on");
  const missing = [
    ...[...keyers.keys()].filter((t) => !handlers.has(t)).map((t) => `on.${t}`),
    ...[...handlers.keys()].filter((t) => !keyers.has(t)).map((t) => `keyBy.${t}`),
  ];
  if (missing.length > 0) {
    throw new TypeError(
      `defineReducer: \`keyBy\` and \`on\` must name the same event types (missing ${missing.join(", ")})`,
    );
  }
  const entryInitial = freeze(initial, true);
  const keyed: KeyedRule<unknown> = {
    handles: Object.freeze([...keyers.keys()]),
    mayThrow: true,
    // A late event's refold stops at the first entry that comes out as it was.
    same: sameData,
    keys(event) {
      const keyer = keyers.get(event.type);
      return keyer === undefined ? NO_KEYS : keyList(keyer(event), event);
    },
    step(prev, event) {
      const handler = handlers.get(event.type) as AnyHandler;
      const base = prev === undefined ? entryInitial : prev;
      const next = isFlat(base)
        ? produceFlat(base, handler, event)
        : immer.produce(base, (draft: unknown) => handler(draft, event) as never);
      // A key is present from the first event that leaves its entry other than `initial`.
      return prev === undefined && next === entryInitial ? undefined : next;
    },
  };
  return Object.freeze({
    initial: Object.freeze({}),
    events: Object.freeze([...(events ?? [])]),
    handles: Object.freeze([...handlers.keys()]),
    apply: () => {
      throw new TypeError("a keyed reducer folds each key's entry, not the whole slice");
    },
    keyed,
  });
}

const NO_KEYS: readonly string[] = Object.freeze([]);

/** A plain object whose values are all primitives: most keyed entries. */
function isFlat(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  for (const key in value) {
    const item = (value as Record<string, unknown>)[key];
    if (typeof item === "object" && item !== null) return false;
  }
  return true;
}

/**
 * What `produce` gives for a flat entry, without a Proxy: the handler mutates a plain copy
 * (for a flat object, a draft in all but name), which is frozen if it changed. immer's
 * drafts cost an allocation-heavy Proxy per step, most of a keyed build's time.
 */
function produceFlat(
  base: Record<string, unknown>,
  handler: AnyHandler,
  event: TimelineEvent,
): unknown {
  const draft = { ...base };
  const out = handler(draft, event);
  const changed = !sameData(draft, base);
  if (out !== undefined && out !== draft) {
    if (changed) {
      throw new Error(
        "[Immer] An immer producer returned a new value *and* modified its draft. Either return a new value *or* modify the draft.",
      );
    }
    return out === nothing ? undefined : freeze(out, true);
  }
  // Deep: a handler may have put an object or array into the entry.
  return changed ? freeze(draft, true) : base;
}

// Thrown inside a batched recipe to abandon it when a handler returns a replacement value.
const REPLACED = Symbol("replaced");

function call(slice: string, reducer: Reducer, draft: unknown, event: TimelineEvent): unknown {
  try {
    return reducer.apply(draft, event);
  } catch (error) {
    if (error === REPLACED) throw error;
    throw new ReducerError(slice, event.id, error);
  }
}

function single(slice: string, reducer: Reducer, state: unknown, event: TimelineEvent): unknown {
  try {
    return immer.produce(state, (draft: unknown) => call(slice, reducer, draft, event) as never);
  } catch (error) {
    if (error instanceof ReducerError) throw error;
    throw new ReducerError(slice, event.id, error);
  }
}

/**
 * Folds `events[from..to)` into one slice's state. Runs of events share one `produce` (a
 * draft per event would copy the slice every time); a handler that returns a replacement
 * value gets a `produce` of its own, as immer's rules for returned values require.
 */
export function foldSlice(
  slice: string,
  reducer: Reducer,
  state: unknown,
  events: readonly TimelineEvent[],
  from: number,
  to: number,
): unknown {
  let current = state;
  let start = from;
  let batched = true;
  while (start < to) {
    if (!batched || !isDraftable(current)) {
      current = single(slice, reducer, current, events[start] as TimelineEvent);
      start++;
      continue;
    }
    let stop = to;
    const base = current;
    try {
      current = immer.produce(base, (draft: unknown) => {
        for (let i = start; i < to; i++) {
          const result = call(slice, reducer, draft, events[i] as TimelineEvent);
          if (result !== undefined && result !== draft) {
            stop = i;
            throw REPLACED;
          }
        }
      });
      start = to;
    } catch (error) {
      if (error !== REPLACED) {
        if (error instanceof ReducerError) throw error;
        throw new ReducerError(slice, (events[to - 1] as TimelineEvent).id, error);
      }
      // Handlers are pure, so the events before the replacing one can simply run again.
      current = stop > start ? foldSlice(slice, reducer, base, events, start, stop) : base;
      current = single(slice, reducer, current, events[stop] as TimelineEvent);
      start = stop + 1;
      // A reducer that returned once tends to return every time: stop batching this fold.
      batched = false;
    }
  }
  return current;
}
