// Held in the chart: a source that only reports who holds a place is a source like any other
// when the chart hatches the spans where sources disagree.

import { describe, expect, it } from "vitest";
import { createTimeline, renderChart } from "../src/index.js";
import { captured } from "./helpers/assertions.js";

describe("renderChart with Held reports", () => {
  it("hatches the span where a Held report disagrees with a capture", () => {
    const timeline = createTimeline();
    timeline.append(
      captured("2016-12-10T16:00Z", "palmyra", "isis", { sources: [{ name: "SOHR" }] }),
      {
        type: "Held",
        at: "2016-12-10T22:00Z",
        data: { place: "palmyra", by: "regime" },
        sources: [{ name: "MoD" }],
      },
    );
    const svg = renderChart(timeline, { from: "2016-12-10T12:00Z", to: "2016-12-11T12:00Z" });
    const hatched = [
      ...svg.matchAll(/<rect[^>]*class="contested"[^>]*>(?:<title>([^<]*)<\/title>)?/g),
    ];
    expect(hatched).toHaveLength(1);
    expect(svg).toMatch(/MoD: regime/);
  });
});
