/**
 * Type-level contract of the outputs (checked by `vitest --typecheck`): what `fromAcled`,
 * `toGeoJSON`, `renderChart` and `parseEventsText` accept and give, with timelines that have
 * custom events and slices too.
 */
import { describe, expectTypeOf, it } from "vitest";
import { z } from "zod";
import {
  type AcledImport,
  actorColors,
  createTimeline,
  defineEvent,
  defineReducer,
  type FileFormat,
  fromAcled,
  type PlaceFeatureCollection,
  parseEventsText,
  type Registry,
  renderChart,
  toGeoJSON,
} from "../src/index.js";

const Clashes = defineEvent("Clashes", z.object({ place: z.string() }), { places: ["place"] });
const clashes = defineReducer({
  events: [Clashes],
  initial: 0,
  on: { Clashes: (n) => n + 1 },
});
const timeline = createTimeline({ events: [Clashes], reducers: { clashes } });

describe("outputs", () => {
  it("fromAcled's events append to any timeline, custom events or not", () => {
    const imported = fromAcled([{ sub_event_type: "Arrests" }]);
    expectTypeOf(imported).toEqualTypeOf<AcledImport>();
    expectTypeOf(imported.places).toEqualTypeOf<Registry>();
    timeline.appendAll(imported.events);
    createTimeline().appendAll(imported.events);
  });

  it("toGeoJSON takes any timeline's state and gives a typed FeatureCollection", () => {
    const geojson = toGeoJSON(timeline.stateAt("2016-12-11"), {});
    expectTypeOf(geojson).toEqualTypeOf<PlaceFeatureCollection>();
    const geometry = geojson.features[0]?.geometry;
    if (geometry?.type === "Point") {
      expectTypeOf(geometry.coordinates).toEqualTypeOf<readonly [number, number]>();
    }
    expectTypeOf(geojson.features[0]?.properties.controller).toEqualTypeOf<
      string | null | undefined
    >();
  });

  it("renderChart takes any timeline and gives a string", () => {
    expectTypeOf(renderChart(timeline, { from: "2016-12-07", asOf: 0 })).toEqualTypeOf<string>();
    // @ts-expect-error: a chart needs a timeline, not its state
    renderChart(timeline.latest());
  });

  it("parseEventsText gives unvalidated events and a format", () => {
    const parsed = parseEventsText("[]");
    expectTypeOf(parsed.events).toEqualTypeOf<unknown[]>();
    expectTypeOf(parsed.format).toEqualTypeOf<FileFormat>();
    // @ts-expect-error: only json, ndjson and csv
    parseEventsText("", { format: "xml" });
  });

  it("actorColors maps ids to colour strings", () => {
    expectTypeOf(actorColors(["isis"])).toEqualTypeOf<Record<string, string>>();
  });
});
