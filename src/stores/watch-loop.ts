/**
 * The watch loop shared by a durable timeline and a reader: subscribe to the store's watch,
 * refresh on every signal, report a change or an error to the caller.
 */

/** A store's own watch: calls `onChange` whenever a writer may have appended. */
export type StoreWatch = (
  onChange: () => void,
  onError?: (error: unknown) => void,
) => Promise<() => Promise<void>>;

/** What the watch loop needs of the timeline or reader that watches. */
export interface WatchTarget<T> {
  /** The store's watch, absent when the store cannot watch. */
  readonly subscribe: StoreWatch | undefined;
  /**
   * Takes in what the store has. Refreshes must run one at a time, so that a slower one
   * never moves `version` back.
   */
  refresh(): Promise<T>;
  /** The version to report after a refresh that resolved to `result`, or undefined when nothing changed. */
  changed(result: T): number | undefined;
  /** Whether the timeline or reader is closing (then a signal is ignored). */
  closed(): boolean;
  /** The stops of the watches running: the loop adds its own and removes it once stopped. */
  readonly watchers: Set<() => Promise<void>>;
}

/**
 * Watches the store for `target`: every signal of the store refreshes, and a change is
 * reported to `onChange`, an error of the refresh or of the watch to `onError`. Resolves to
 * a function that stops watching.
 *
 * @throws {TypeError} when the store cannot watch.
 */
export async function watchStore<T>(
  target: WatchTarget<T>,
  onChange?: (version: number) => void,
  onError?: (error: unknown) => void,
): Promise<() => Promise<void>> {
  const subscribe = target.subscribe;
  if (typeof subscribe !== "function") {
    throw new TypeError("This store cannot watch for changes: call refresh() instead");
  }
  let stopped = false;
  const update = () => {
    if (stopped || target.closed()) return;
    target.refresh().then(
      (result) => {
        if (stopped) return;
        const version = target.changed(result);
        if (version !== undefined) onChange?.(version);
      },
      (error: unknown) => {
        if (!stopped) onError?.(error);
      },
    );
  };
  const stopStore = await subscribe(update, (error) => onError?.(error));
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    target.watchers.delete(stop);
    await stopStore();
  };
  target.watchers.add(stop);
  // Whatever was appended before the watch began.
  update();
  return stop;
}
