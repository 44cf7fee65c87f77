import type { TimelineEvent } from "./events.js";
import { IdTable } from "./id-table.js";
import { EventList } from "./list.js";
import type { Resolver } from "./registry.js";
import { type Slices, ViewIndex } from "./view-index.js";
import { type View, ViewCache, visibleEvents } from "./views.js";

/** A batch's change, planned by `prepareBatch` (batch.ts) and made by {@link StoredEvents.commit}. */
export interface BatchPlan {
  /** The new events in input order, with the id hash of each. */
  readonly inInputOrder: readonly TimelineEvent[];
  readonly hashes: readonly number[];
  /** The new events in timeline order (a stable sort by `at`), retractions included. */
  readonly sorted: readonly TimelineEvent[];
  /** Of those, the ones that count in the unfiltered view. */
  readonly visible: readonly TimelineEvent[];
  /** Stored events that the batch's retractions hide. */
  readonly hidden: readonly TimelineEvent[];
  readonly retractions: readonly TimelineEvent[];
  /** Ids the batch retracts that no earlier retraction did. */
  readonly newlyRetracted: ReadonlySet<string>;
}

/**
 * Every stored event of a timeline, and the indexes made of them: the ids, the retractions,
 * the unfiltered view's index (`main`) and the indexes of the views asked for recently.
 */
export class StoredEvents {
  /** Every stored event by id. */
  readonly byId = new IdTable();
  private readonly retractions: TimelineEvent[] = [];
  private readonly retracted = new Set<string>();
  /** The events of the unfiltered view (every event not retracted, and no retraction). */
  readonly main: ViewIndex;
  /**
   * Every stored event in timeline order, retractions and retracted ones included; kept
   * apart from the main index's list only from the first retraction on (until then they are
   * the same events).
   */
  private all: EventList | undefined;
  private readonly views = new ViewCache();

  constructor(
    private readonly slices: Slices,
    private readonly places: Resolver | undefined,
    private readonly interval: number,
  ) {
    this.main = this.newIndex();
  }

  private newIndex(names?: readonly string[]): ViewIndex {
    return new ViewIndex(
      this.slices,
      this.places,
      this.interval,
      names === undefined ? undefined : new Set(names),
    );
  }

  /** Every stored event in timeline order. */
  get events(): readonly TimelineEvent[] {
    return this.all?.read() ?? this.main.events;
  }

  get size(): number {
    return this.all?.size ?? this.main.size;
  }

  /** Whether a retraction already stored names this id. */
  isRetracted(id: string): boolean {
    return this.retracted.has(id);
  }

  /** Whether any event is retracted. */
  get anyRetracted(): boolean {
    return this.retracted.size > 0;
  }

  /**
   * Makes a planned change. The main index changes first: when a custom reducer throws
   * there, nothing else has changed, and the error propagates.
   */
  commit(plan: BatchPlan): void {
    if (this.all === undefined && plan.retractions.length > 0) {
      this.all = new EventList(this.main.events);
    }
    this.main.change(plan.visible, plan.hidden, true);
    this.all?.change(plan.sorted, [], false);
    for (let i = 0; i < plan.inInputOrder.length; i++) {
      this.byId.add(plan.inInputOrder[i] as TimelineEvent, plan.hashes[i]);
    }
    for (const event of plan.retractions) this.retractions.push(event);
    for (const id of plan.newlyRetracted) this.retracted.add(id);
    this.views.clear();
  }

  /** The index of the events that count in a view, built once per view and cached. */
  view(view: View | undefined): ViewIndex {
    if (view === undefined) return this.main;
    return this.views.get(view, () => {
      const index = this.newIndex(view.names);
      index.change(visibleEvents(this.events, this.retractions, view), [], false);
      return index;
    });
  }
}
