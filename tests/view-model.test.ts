// The viewer's questions (src/cli/view-model.ts), which the page asks in the browser and
// `tidemark view` answers over HTTP: they give what the library's own calls give.

import { describe, expect, it } from "vitest";
import { actors } from "../examples/palmyra/actors.js";
import { tadmorDistrictArea } from "../examples/palmyra/areas.js";
import { palmyraEvents } from "../examples/palmyra/events.js";
import { places } from "../examples/palmyra/places.js";
import { ViewModel, type ViewTimeline } from "../src/cli/view-model.js";
import { controlAreas, createTimeline, type Registry, toGeoJSON } from "../src/index.js";

const timeline = createTimeline({ places, actors });
timeline.appendAll(palmyraEvents);
const model = new ViewModel(timeline as unknown as ViewTimeline, {
  title: "Palmyra",
  subtitle: "",
  places,
  actors,
});
const SUN_0800 = Date.parse("2016-12-11T08:00+02:00");

describe("the viewer's questions", () => {
  it("draws the map at an instant with toGeoJSON and controlAreas of stateAt", () => {
    const frame = model.frame({ at: SUN_0800, sources: ["SOHR"] });
    const state = timeline.stateAt(SUN_0800, { sources: ["SOHR"] });
    expect(frame.geojson).toEqual(toGeoJSON(state, places));
    expect(frame.areas).toEqual(controlAreas(state, places));
    expect(frame.held).toBe(
      Object.values(state.control).filter((c) => c.controller !== null).length,
    );
  });

  it("names the places with an area that no control event touches: drawn as outlines only", () => {
    expect(model.meta().uncontrolled).toEqual(["tadmor-district"]);
  });

  it("gives the events around an instant, no more than 250 before it and 50 after", () => {
    const around = model.eventsAround({ at: SUN_0800 });
    expect(around.total).toBe(timeline.events().length);
    expect(around.events.filter((e) => e.at <= SUN_0800)).toEqual(
      timeline.events({ to: SUN_0800 }),
    );
  });

  it("counts the places each side holds over time when no held place has an area", () => {
    const w = model.meta().full;
    const series = model.territory({}, w);
    expect(series.unit).toBe("places");
    const last = series.times.length - 1;
    const state = timeline.stateAt(series.times[last] as number);
    for (const side of series.sides) {
      const held = Object.values(state.control).filter((c) => c.controller === side.controller);
      expect(side.values[last]).toBe(held.length);
    }
  });

  it("measures territory in km² (geodesic) when held places have areas", () => {
    // Palmyra's district as the area of the city itself: about 23,000 km².
    const withArea: Registry = {
      ...places,
      palmyra: { ...places.palmyra, geometry: tadmorDistrictArea },
    };
    const own = createTimeline({ places: withArea, actors });
    own.appendAll(palmyraEvents);
    const km2 = new ViewModel(own as unknown as ViewTimeline, {
      title: "",
      subtitle: "",
      places: withArea,
      actors,
    });
    const series = km2.territory({}, km2.meta().full);
    expect(series.unit).toBe("km²");
    const isis = series.sides.find((s) => s.controller === "isis");
    const most = Math.max(...(isis?.values ?? [0]));
    expect(most).toBeGreaterThan(15_000);
    expect(most).toBeLessThan(35_000);
  });
});
