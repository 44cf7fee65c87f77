import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { actors as palmyraActors } from "../examples/palmyra/actors.js";
import { palmyraEvents } from "../examples/palmyra/events.js";
import { places as palmyraPlaces } from "../examples/palmyra/places.js";
import {
  actorColors,
  createTimeline,
  NOBODY_COLOR,
  PALETTE,
  type Registry,
  renderChart,
} from "../src/index.js";
import { captured, cites, withdrew } from "./helpers/assertions.js";

type Node = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "",
  textNodeName: "#text",
  isArray: (name) => ["g", "rect", "text", "line", "linearGradient", "pattern"].includes(name),
});

/** The parsed SVG (well-formed XML, or the test fails here). */
function parse(svg: string): Node {
  expect(XMLValidator.validate(svg)).toBe(true);
  return (parser.parse(svg) as { svg: Node }).svg;
}

const list = (node: Node | undefined, key: string) => (node?.[key] ?? []) as Node[];
const text = (node: Node) => String(node["#text"] ?? "");

/** The band of each place: its label and its interval rectangles, in order. */
function bands(svg: Node) {
  return list(svg, "g")
    .filter((g) => g["data-place"] !== undefined)
    .map((g) => ({
      place: String(g["data-place"]),
      label: text(list(g, "text")[0] ?? {}),
      spans: list(g, "rect").filter((r) => r["data-controller"] !== undefined),
      contested: list(g, "rect").filter((r) => r.class === "contested"),
    }));
}

/** Every text of the chart, in document order (legend, axis, labels). */
function texts(svg: Node): string[] {
  const out: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (typeof node === "object" && node !== null) {
      for (const [key, value] of Object.entries(node)) {
        if (key === "text") for (const t of value as Node[]) out.push(text(t));
        else walk(value);
      }
    }
  };
  walk(svg);
  return out;
}

const places = {
  palmyra: { name: "Palmyra" },
  citadel: { name: "Palmyra citadel" },
  raqqa: { name: "Raqqa & <environs>" },
} as const satisfies Registry;
const actors = {
  isis: { name: "Islamic State" },
  regime: { name: "Syrian government" },
} as const satisfies Registry;

function story() {
  const timeline = createTimeline({ places, actors });
  timeline.append(
    captured("2016-12-08T10:00Z", "citadel", "isis", { sources: cites("SOHR") }),
    captured("2016-12-10T16:00Z", "palmyra", "isis", { sources: cites("SOHR") }),
    captured("2016-12-11T00:00Z", "palmyra", "regime", { sources: cites("MoD") }),
    withdrew("2016-12-11T04:00Z", "citadel", "isis", undefined, { sources: cites("SOHR") }),
    captured("2016-12-11T10:00Z", "raqqa", "isis"),
  );
  return timeline;
}

describe("renderChart", () => {
  it("is a well-formed SVG document with a size and a title", () => {
    const svg = parse(renderChart(story(), { places, actors, title: "Palmyra" }));
    expect(svg.xmlns).toBe("http://www.w3.org/2000/svg");
    expect(svg.width).toBe("960");
    expect(svg.viewBox).toBe(`0 0 960 ${svg.height}`);
    expect(text(svg.title as Node)).toBe("Palmyra");
  });

  it("draws one band per place with control, in registry order, labelled with registry names", () => {
    const shown = bands(parse(renderChart(story(), { places, actors })));
    expect(shown.map((b) => [b.place, b.label])).toEqual([
      ["palmyra", "Palmyra"],
      ["citadel", "Palmyra citadel"],
      ["raqqa", "Raqqa & <environs>"],
    ]);
  });

  it("colours each span by its controller: the actor's stable colour, grey for nobody", () => {
    const colors = actorColors(Object.keys(actors));
    const [palmyra, citadel] = bands(parse(renderChart(story(), { places, actors })));
    expect(palmyra?.spans.map((r) => [r["data-controller"], r.fill])).toEqual([
      ["isis", colors.isis],
      ["regime", colors.regime],
    ]);
    expect(citadel?.spans.map((r) => r.fill)).toEqual([colors.isis, NOBODY_COLOR]);
  });

  it("hatches the spans where sources disagree, and only those", () => {
    const svg = renderChart(story(), { places, actors });
    const [palmyra, citadel, raqqa] = bands(parse(svg));
    // From Sunday 00:00 on, SOHR says isis and the MoD regime; before that only SOHR spoke.
    expect(palmyra?.contested).toHaveLength(1);
    expect(String(palmyra?.contested[0]?.title)).toContain("SOHR: isis, MoD: regime");
    expect(citadel?.contested).toEqual([]);
    expect(raqqa?.contested).toEqual([]);
    expect(svg).toContain('<pattern id="contested"');
  });

  it("has a legend naming each actor shown, nobody, no report and the hatching", () => {
    const all = texts(parse(renderChart(story(), { places, actors })));
    for (const label of [
      "Islamic State",
      "Syrian government",
      "nobody",
      "no report",
      "sources disagree",
    ]) {
      expect(all).toContain(label);
    }
  });

  it("has a dated time axis in the time zone asked for", () => {
    const options = {
      places,
      actors,
      from: "2016-12-08T00:00+02:00",
      to: "2016-12-12T00:00+02:00",
    };
    const local = texts(parse(renderChart(story(), { ...options, timeZone: "+02:00" })));
    expect(local).toEqual(
      expect.arrayContaining(["Thu 8", "Fri 9", "Sat 10", "Sun 11", "Dec 2016"]),
    );
    expect(local.some((t) => t.includes("UTC+02:00"))).toBe(true);
  });

  it("chooses month ticks for a span of years, and hour ticks for a day", () => {
    const timeline = story();
    const years = texts(parse(renderChart(timeline, { from: "2015-01-01", to: "2017-01-01" })));
    expect(years).toEqual(expect.arrayContaining(["2016", "Jul"]));
    const day = texts(parse(renderChart(timeline, { from: "2016-12-11", to: "2016-12-12" })));
    expect(day).toEqual(expect.arrayContaining(["06:00", "12:00"]));
  });

  it("clips to from and to, and leaves out places with no control in that window", () => {
    const shown = bands(
      parse(renderChart(story(), { places, from: "2016-12-08", to: "2016-12-09" })),
    );
    expect(shown.map((b) => b.place)).toEqual(["citadel"]);
  });

  it("charts what was known at asOf, and marks that instant", () => {
    const svg = renderChart(story(), { places, asOf: "2016-12-10T20:00Z", timeZone: "UTC" });
    const [palmyra] = bands(parse(svg));
    expect(palmyra?.spans.map((r) => r["data-controller"])).toEqual(["isis"]);
    expect(texts(parse(svg))).toContain("as known Sat, 10 Dec 2016, 20:00 UTC");
  });

  it("gives the same colours whatever the window, so charts of one timeline compare", () => {
    const fillOf = (svg: string, actor: string) =>
      bands(parse(svg))
        .flatMap((b) => b.spans)
        .find((r) => r["data-controller"] === actor)?.fill;
    const narrow = renderChart(story(), { from: "2016-12-10T12:00Z", to: "2016-12-11T06:00Z" });
    const wide = renderChart(story());
    expect(fillOf(narrow, "regime")).toBe(fillOf(wide, "regime"));
    expect(fillOf(narrow, "isis")).toBe(fillOf(wide, "isis"));
  });

  it("escapes names for XML", () => {
    const svg = renderChart(story(), { places, actors });
    expect(svg).toContain("Raqqa &amp; &lt;environs&gt;");
  });

  it("says so when nothing is to be shown, and stays a valid SVG", () => {
    const svg = parse(renderChart(createTimeline()));
    expect(texts(svg)).toContain("No control events in this window.");
  });

  it("charts the whole Palmyra example with each place of the fighting", () => {
    const timeline = createTimeline({ places: palmyraPlaces, actors: palmyraActors });
    timeline.appendAll(palmyraEvents);
    const svg = renderChart(timeline, {
      places: palmyraPlaces,
      actors: palmyraActors,
      from: "2016-12-07T00:00+02:00",
      to: "2016-12-13T00:00+02:00",
      asOf: "2016-12-11T20:00+02:00",
      timeZone: "+02:00",
    });
    const shown = bands(parse(svg));
    expect(shown).toHaveLength(9);
    expect(shown[0]?.label).toBe("Palmyra");
    expect(shown[0]?.contested.length).toBeGreaterThan(0);
  });
});

describe("actorColors", () => {
  it("uses the Okabe-Ito colour-blind-safe colours", () => {
    expect(PALETTE).toEqual([
      "#0072B2",
      "#D55E00",
      "#009E73",
      "#E69F00",
      "#CC79A7",
      "#56B4E9",
      "#F0E442",
    ]);
    expect(PALETTE).not.toContain(NOBODY_COLOR);
  });

  it("assigns colours in sorted id order, whatever order the ids come in", () => {
    expect(actorColors(["regime", "isis", "russia"])).toEqual({
      isis: PALETTE[0],
      regime: PALETTE[1],
      russia: PALETTE[2],
    });
    expect(actorColors(["russia", "isis", "regime", "isis"])).toEqual(
      actorColors(["isis", "regime", "russia"]),
    );
  });

  it("cycles the palette after seven actors", () => {
    const colors = actorColors(["a", "b", "c", "d", "e", "f", "g", "h"]);
    expect(colors.h).toBe(PALETTE[0]);
  });

  it("treats ids such as __proto__ as ordinary keys", () => {
    const colors = actorColors(["__proto__"]);
    expect(Object.keys(colors)).toEqual(["__proto__"]);
  });
});
