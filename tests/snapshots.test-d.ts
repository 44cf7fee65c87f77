/**
 * Type-level contract of the snapshot formats (checked by `vitest --typecheck`): what
 * `fromSnapshots`, `fromDeepState`, `placesFromGeoNames` and `fromSnapshotFiles` accept and
 * give, from the root and from `tidemark/snapshots` alike.
 */
import { describe, expectTypeOf, it } from "vitest";
import {
  createTimeline,
  type DeepStateSnapshot,
  fromDeepState,
  fromSnapshotFiles,
  fromSnapshots,
  placesFromGeoNames,
  type Registry,
  type Snapshot,
  type SnapshotEvent,
  type SnapshotImport,
  type SnapshotReport,
} from "../src/index.js";
import * as subpath from "../src/snapshots.js";

describe("snapshots", () => {
  it("fromSnapshots gives Held and Captured inputs that a timeline appends", () => {
    const imported = fromSnapshots([], {}, { otherwise: "ukraine", debounce: 1 });
    expectTypeOf(imported).toEqualTypeOf<SnapshotImport>();
    expectTypeOf(imported.events).toEqualTypeOf<SnapshotEvent[]>();
    expectTypeOf<SnapshotEvent["type"]>().toEqualTypeOf<"Captured" | "Held">();
    createTimeline().append(...imported.events);
  });

  it("a report gives km² per side and the places changed", () => {
    expectTypeOf<SnapshotReport["areas"][string]["km2"]>().toEqualTypeOf<number>();
    expectTypeOf<SnapshotReport["changed"][number]["to"]>().toEqualTypeOf<string>();
    expectTypeOf<SnapshotReport["uncertain"]>().toEqualTypeOf<readonly string[]>();
  });

  it("an area's controller is a side or null with a status", () => {
    expectTypeOf<Snapshot["areas"][number]["controller"]>().toEqualTypeOf<string | null>();
    expectTypeOf<Snapshot["areas"][number]["status"]>().toEqualTypeOf<
      "unknown" | "contested" | undefined
    >();
  });

  it("fromDeepState needs a date and gives a snapshot that fromSnapshots reads", () => {
    const snapshot = fromDeepState({}, { at: "2024-10-01" });
    expectTypeOf(snapshot).toEqualTypeOf<DeepStateSnapshot>();
    expectTypeOf(snapshot).toMatchTypeOf<Snapshot>();
    // @ts-expect-error: the date of the map is required
    fromDeepState({}, {});
    // @ts-expect-error: far-away occupations are kept or dropped
    fromDeepState({}, { at: "2024-10-01", farAway: "maybe" });
  });

  it("placesFromGeoNames reads rows of any shape into a registry", () => {
    const rows = [{ cityId: 1, name: "Bakhmut", loc: { coordinates: [38, 48.6] } }];
    expectTypeOf(
      placesFromGeoNames(rows, { country: "UA", minPopulation: 5000 }),
    ).toEqualTypeOf<Registry>();
  });

  it("the subpath exports the same functions", () => {
    expectTypeOf(subpath.fromSnapshots).toEqualTypeOf(fromSnapshots);
    expectTypeOf(subpath.fromDeepState).toEqualTypeOf(fromDeepState);
    expectTypeOf(subpath.placesFromGeoNames).toEqualTypeOf(placesFromGeoNames);
    expectTypeOf(subpath.fromSnapshotFiles).toEqualTypeOf(fromSnapshotFiles);
  });
});
