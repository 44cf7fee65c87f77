/**
 * What every query of a reader stands on: its connection and version (refresh, watch, close),
 * the checks that its read models can answer, and the in-memory fold of a `sources` view.
 */
import type { TimelineEvent } from "../core/events.js";
import { type Precision, queryTime, type TimeInput } from "../core/time.js";
import type { QueryOptions } from "../core/timeline.js";
import type { StoredEventReader } from "../core/upcast.js";
import { readView, type View } from "../core/views.js";
import type { Zone } from "../core/zone.js";
import type { SliceModel } from "./read-model.js";
import { ReadModelError } from "./reader-api.js";
import {
  LOG_SLICE,
  type ReadModelConnection,
  type ReadModelSource,
  type SliceStatus,
  type Visibility,
} from "./reader-source.js";
import { watchStore } from "./watch-loop.js";

/** The steps of one key folded in memory: its events, and the entry after each. */
export interface CitedLog {
  events: { at: number; precision: Precision; sub: number; pos: number }[];
  values: unknown[];
}

/** A reader's connection and version, with the checks and folds its queries share. */
export class ReaderSession {
  private current = 0;
  private statuses = new Map<string, SliceStatus>();
  private closed = false;
  /** Refreshes, one at a time, so that a slower one never moves the reader back. */
  private refreshing: Promise<unknown> = Promise.resolve();
  private readonly watchers = new Set<() => Promise<void>>();

  constructor(
    private readonly connection: ReadModelConnection,
    private readonly zone: Zone,
    /** Slice models by name (the rules fold a key in memory for a `sources` query). */
    protected readonly models: ReadonlyMap<string, SliceModel>,
    /** Slices of a state, in state order. */
    protected readonly layout: readonly string[],
    /** Reads a stored event, upcast to its definition's current version. */
    protected readonly read: StoredEventReader,
  ) {}

  protected get source(): ReadModelSource {
    if (this.closed) throw new Error("tidemark: this reader is closed");
    return this.connection.source;
  }

  get version(): number {
    return this.current;
  }

  refresh(): Promise<number> {
    const run = this.refreshing.then(async () => {
      const source = this.source;
      const head = await source.head();
      const statuses = await source.slices();
      // Never back to an older version (a pool over lagging replicas may report one).
      if (head >= this.current) {
        this.statuses = new Map(statuses.map((s) => [s.slice, s] as const));
        this.current = head;
      }
      return this.current;
    });
    this.refreshing = run.catch(() => undefined);
    return run;
  }

  async watch(
    onChange?: (version: number) => void,
    onError?: (error: unknown) => void,
  ): Promise<() => Promise<void>> {
    if (this.closed) throw new Error("tidemark: this reader is closed");
    let seen = this.current;
    return watchStore(
      {
        subscribe: this.connection.watch,
        refresh: () => this.refresh(),
        changed: (version) => {
          if (version === seen) return undefined;
          seen = version;
          return version;
        },
        closed: () => this.closed,
        watchers: this.watchers,
      },
      onChange,
      onError,
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    for (const stop of [...this.watchers]) await stop().catch(() => undefined);
    this.closed = true;
    await this.refreshing;
    await this.connection.close();
  }

  /** Throws a {@link ReadModelError} unless every slice named is kept up to this version. */
  protected need(...slices: string[]): void {
    for (const slice of [LOG_SLICE, ...slices]) {
      const status = this.statuses.get(slice);
      const model = this.models.get(slice);
      const name = slice === LOG_SLICE ? "events" : slice;
      if (status === undefined) {
        throw new ReadModelError(name, "missing", "the store keeps no read model of it");
      }
      if (model !== undefined && status.tag !== model.tag) {
        throw new ReadModelError(
          name,
          "stale",
          `kept under version ${status.tag}, the reducer given is ${model.tag}`,
        );
      }
      if (status.upto < this.current) {
        throw new ReadModelError(
          name,
          "stale",
          `kept up to event ${status.upto} of ${this.current}: a writer did not keep it`,
        );
      }
    }
  }

  protected view(options: QueryOptions | undefined): { visibility: Visibility; view?: View } {
    const view = readView(options, this.zone);
    return { visibility: { version: this.current, asOf: view?.asOf }, view };
  }

  protected time(t: TimeInput, name: string): number {
    return queryTime(t, name, this.zone);
  }

  /**
   * A slice's entry in a stored value: the value itself, or for a rule that folds more than
   * its slice shows (control keeps claims beside the entry), the part the slice shows.
   */
  protected entry(slice: string, value: unknown): unknown {
    if (value === undefined) return undefined;
    const output = (this.models.get(slice) as SliceModel).rule.output;
    return output === undefined ? value : output(value);
  }

  /**
   * The keys of a slice, each with its events and the entry after each, folded in memory from
   * the events that count and cite one of `names` (a `sources` query: see the docs).
   */
  protected async foldCited(
    slice: string,
    visibility: Visibility,
    names: readonly string[],
    only?: string,
  ): Promise<Map<string, CitedLog>> {
    const model = this.models.get(slice) as SliceModel;
    const rule = model.forSources?.(names) ?? model.rule;
    const out = new Map<string, CitedLog>();
    const parsed = new Map<number, TimelineEvent>();
    for (const step of await this.source.citedSteps(slice, visibility, names)) {
      if (only !== undefined && step.key !== only) continue;
      let event = parsed.get(step.pos);
      if (event === undefined) {
        event = this.read(step.content);
        parsed.set(step.pos, event);
      }
      let log = out.get(step.key);
      if (log === undefined) {
        log = { events: [], values: [] };
        out.set(step.key, log);
      }
      const prev = log.values.length === 0 ? undefined : log.values[log.values.length - 1];
      log.events.push({ at: step.at, precision: event.precision, sub: step.sub, pos: step.pos });
      log.values.push(rule.step(prev, event));
    }
    return out;
  }
}
