// fromDeepState (DESIGN "Snapshots of the front", third edition): DeepState's exports in their
// layouts, read from fixtures made in the same shapes (the real files are GPL-3.0).

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  fromDeepState,
  fromSnapshots,
  type Registry,
  TimelineValidationError,
} from "../src/index.js";

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`fixtures/deepstate/${name}`, import.meta.url), "utf8"));

/** Each area's controller and status, in order. */
const sides = (areas: readonly { controller: string | null; status?: string }[]) =>
  areas.map((a) => (a.controller === null ? `null:${a.status}` : a.controller));

describe("fromDeepState", () => {
  it("reads the daily file's one MultiPolygon as occupied land", () => {
    const snapshot = fromDeepState(fixture("deepstatemap_data_20241001.geojson"), {
      at: "2024-10-01",
    });
    expect(snapshot.at).toBe("2024-10-01");
    expect(snapshot.source).toBe("DeepState");
    expect(sides(snapshot.areas)).toEqual(["russia"]);
    expect(snapshot.areas[0]?.geometry.type).toBe("MultiPolygon");
    expect(snapshot.unclassified).toEqual([]);
  });

  it("classifies the layered export by the status key after the last ///", () => {
    const snapshot = fromDeepState(fixture("layered-keys.geojson"), { at: "2024-10-01" });
    expect(sides(snapshot.areas)).toEqual([
      "russia",
      "ukraine",
      "ukraine",
      "null:unknown",
      "russia",
      "russia",
      "russia",
    ]);
    expect(snapshot.unclassified).toEqual([]);
  });

  it("takes the polygons of a GeometryCollection and ignores its points", () => {
    const snapshot = fromDeepState(fixture("layered-keys.geojson"), { at: "2024-10-01" });
    expect(snapshot.areas.at(-1)?.geometry.type).toBe("Polygon");
  });

  it("reads names in words alone, through non-breaking spaces and line breaks", () => {
    const snapshot = fromDeepState(fixture("layered-words.geojson"), { at: "2024-10-01" });
    expect(sides(snapshot.areas)).toEqual([
      "russia",
      "ukraine",
      "ukraine",
      "null:unknown",
      "null:contested",
      "ukraine",
    ]);
  });

  it("falls back to the fill colour or the KML style, and lists what nothing classifies", () => {
    const snapshot = fromDeepState(fixture("mixed.geojson"), { at: "2024-10-01" });
    expect(sides(snapshot.areas)).toEqual(["russia", "ukraine", "null:unknown", "russia"]);
    expect(snapshot.unclassified).toEqual([
      {
        index: 3,
        name: "Лінія оборони /// Defence line",
        fill: "#123456",
        reason: "no status key, words or colour that say who holds it",
      },
      {
        index: 4,
        name: "Окуповано /// Liberated",
        reason: 'its name "Окуповано /// Liberated" names more than one status',
      },
      { index: 5, reason: "a polygon without a name or colour among named ones" },
    ]);
  });

  it("names the sides as asked", () => {
    const snapshot = fromDeepState(fixture("layered-words.geojson"), {
      at: "2024-10-01",
      occupiedBy: "rf",
      heldBy: "ua",
      source: "DeepStateMap",
    });
    expect(snapshot.source).toBe("DeepStateMap");
    expect(sides(snapshot.areas).slice(0, 2)).toEqual(["rf", "ua"]);
  });

  it("drops occupations far from the front when asked, and keeps Crimea", () => {
    const kept = fromDeepState(fixture("layered-keys.geojson"), { at: "2024-10-01" });
    const dropped = fromDeepState(fixture("layered-keys.geojson"), {
      at: "2024-10-01",
      farAway: "drop",
    });
    expect(dropped.areas).toHaveLength(kept.areas.length - 1);
    expect(dropped.areas).toContainEqual(kept.areas[4]);
  });

  it("refuses what is not GeoJSON, and a call without a date", () => {
    expect(() => fromDeepState({ type: "Topology" }, { at: "2024-10-01" })).toThrow(
      TimelineValidationError,
    );
    expect(() => fromDeepState(fixture("mixed.geojson"), {} as never)).toThrow(TypeError);
  });

  it("feeds fromSnapshots: two daily files give a Captured bracketed by their dates", () => {
    const places: Registry = {
      // 37.95° E: west of the front on 1 Oct, east of it on 2 Oct.
      "new-york": { name: "New York", coordinates: [37.95, 48.3] },
      kramatorsk: { name: "Kramatorsk", coordinates: [37.56, 48.72] },
    };
    const { events } = fromSnapshots(
      [
        fromDeepState(fixture("deepstatemap_data_20241002.geojson"), { at: "2024-10-02" }),
        fromDeepState(fixture("deepstatemap_data_20241001.geojson"), { at: "2024-10-01" }),
      ],
      places,
      { otherwise: "ukraine" },
    );
    expect(events.filter((e) => e.type === "Captured")).toEqual([
      {
        type: "Captured",
        at: "2024-10-02",
        notBefore: "2024-10-01",
        sources: [{ name: "DeepState" }],
        data: { place: "new-york", by: "russia", from: "ukraine" },
      },
    ]);
  });
});
