import { EventColumns } from "./columns.js";
import type { TimelineEvent } from "./events.js";
import { IdTable } from "./id-table.js";
import { EventList } from "./list.js";
import type { Resolver } from "./registry.js";
import { type Slices, ViewIndex } from "./view-index.js";
import { type View, ViewCache, visibleEvents } from "./views.js";

/**
 * A batch's change, planned by `prepareBatch` (batch.ts) and made by {@link StoredEvents.commit}.
 * The new events get numbers only when stored: the plan names them by their position in
 * `inInputOrder`.
 */
export interface BatchPlan {
  /** The new events in input order, with the id hash of each. */
  readonly inInputOrder: readonly TimelineEvent[];
  readonly hashes: readonly number[];
  /** The new events in timeline order (a stable sort by `at`), retractions included: positions. */
  readonly sorted: readonly number[];
  /** Of those, the ones that count in the unfiltered view: positions. */
  readonly visible: readonly number[];
  /** Stored events that the batch's retractions hide: event numbers. */
  readonly hidden: readonly number[];
  /** The batch's retractions: positions. */
  readonly retractions: readonly number[];
  /** Ids the batch retracts that no earlier retraction did. */
  readonly newlyRetracted: ReadonlySet<string>;
}

/** Positions in a batch stored from event number `base` on, as event numbers. */
function numbered(positions: readonly number[], base: number): Int32Array {
  const out = new Int32Array(positions.length);
  for (let i = 0; i < positions.length; i++) out[i] = base + (positions[i] as number);
  return out;
}

/**
 * Every stored event of a timeline, in columns, and the indexes made of them: the ids, the
 * retractions, the unfiltered view's index (`main`) and the indexes of the views asked for
 * recently. The indexes hold event numbers, not objects.
 */
export class StoredEvents {
  /** Every stored event, by number. */
  readonly columns = new EventColumns();
  /** Every stored event's number by id. */
  readonly byId = new IdTable((n) => this.columns.id(n));
  private readonly retractions: number[] = [];
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
      this.columns,
      this.slices,
      this.places,
      this.interval,
      names === undefined ? undefined : new Set(names),
    );
  }

  /** Every stored event in timeline order (event numbers: a view, to read at once). */
  get events(): Int32Array {
    return this.all?.read() ?? this.main.events;
  }

  get size(): number {
    return this.all?.size ?? this.main.size;
  }

  /** Stored event `n` as an object. */
  event(n: number): TimelineEvent {
    return this.columns.event(n);
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
   * Stores the batch's events in the columns and runs `change` with their first number; takes
   * them out again if it throws. While it runs, the columns hand out the batch's own objects.
   */
  private storing(plan: BatchPlan, change: (base: number) => void, keep: boolean): void {
    const { columns } = this;
    const base = columns.size;
    for (const event of plan.inInputOrder) columns.add(event);
    columns.hold(plan.inInputOrder, base);
    let kept = false;
    try {
      change(base);
      kept = keep;
    } finally {
      columns.release();
      if (!kept) columns.truncate(base);
    }
  }

  /**
   * Makes a planned change. The main index changes first: when a custom reducer throws
   * there, nothing else has changed (the batch's events leave the columns), and the error
   * propagates.
   */
  commit(plan: BatchPlan): void {
    this.storing(
      plan,
      (base) => {
        if (this.all === undefined && plan.retractions.length > 0) {
          this.all = new EventList(this.columns, this.main.events);
        }
        this.main.change(numbered(plan.visible, base), plan.hidden, true);
        this.all?.change(numbered(plan.sorted, base), [], false);
        for (let i = 0; i < plan.inInputOrder.length; i++) {
          this.byId.add(base + i, plan.hashes[i]);
        }
        for (const r of plan.retractions) this.retractions.push(base + r);
        for (const id of plan.newlyRetracted) this.retracted.add(id);
        this.views.clear();
      },
      true,
    );
  }

  /** Throws what {@link StoredEvents.commit} would throw, and changes nothing. */
  dryRun(plan: BatchPlan): void {
    this.storing(
      plan,
      (base) => this.main.dryRun(numbered(plan.visible, base), plan.hidden),
      false,
    );
  }

  /** The index of the events that count in a view, built once per view and cached. */
  view(view: View | undefined): ViewIndex {
    if (view === undefined) return this.main;
    return this.views.get(view, () => {
      const index = this.newIndex(view.names);
      index.change(visibleEvents(this.columns, this.events, this.retractions, view), [], false);
      return index;
    });
  }
}
