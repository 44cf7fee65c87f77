import { describe, expect, it } from "vitest";
import { createTimeline, type QueryOptions, TimelineValidationError } from "../src/index.js";
import {
  airstrike,
  captured,
  cites,
  expectControl,
  expectIssues,
  ms,
  retracted,
  withdrew,
} from "./helpers/assertions.js";

/**
 * December 2016 in Palmyra as three sources told it:
 * - SOHR and the Russian MoD agree the regime has held Palmyra since 27 March;
 * - SOHR reports ISIS took it on the evening of 10 December (known two hours later);
 * - the Russian MoD says at dawn on the 11th (to the hour) that the army holds it: a status
 *   report (`Held`), which never ends another source's claim;
 * - Amaq says ISIS took it at noon on the 11th (published that evening).
 */
function reports() {
  const timeline = createTimeline();
  timeline.append(
    captured("2016-03-27", "palmyra", "regime", {
      id: "retake",
      sources: cites("SOHR", "Russian MoD"),
    }),
    captured("2016-12-10T18:00+02:00", "palmyra", "isis", {
      id: "sohr-isis",
      recordedAt: "2016-12-10T20:00+02:00",
      sources: cites("SOHR"),
    }),
    {
      type: "Held",
      at: "2016-12-11T06:00+02:00",
      data: { place: "palmyra", by: "regime" },
      id: "mod-regime",
      precision: "hour",
      sources: cites("Russian MoD"),
    },
    captured("2016-12-11T12:00+02:00", "palmyra", "isis", {
      id: "amaq-isis",
      recordedAt: "2016-12-11T20:00+02:00",
      sources: cites("Amaq"),
    }),
  );
  return timeline;
}

describe("asOf: what was known at k about t", () => {
  it("counts only events recorded by asOf", () => {
    const timeline = createTimeline();
    timeline.append(
      captured("2016-03-27", "palmyra", "regime"),
      captured("2016-12-11", "palmyra", "isis", { recordedAt: "2016-12-13" }),
    );
    expectControl(timeline, "2016-12-12", "palmyra", "regime", { asOf: "2016-12-12" });
    expectControl(timeline, "2016-12-12", "palmyra", "isis", { asOf: "2016-12-14" });
    expectControl(timeline, "2016-12-12", "palmyra", "isis");
  });

  it("is inclusive: an event recorded exactly at asOf counts", () => {
    const timeline = createTimeline();
    timeline.append(captured("2016-12-11", "palmyra", "isis", { recordedAt: "2016-12-13T09:00Z" }));
    expectControl(timeline, "2016-12-31", "palmyra", undefined, {
      asOf: ms("2016-12-13T09:00Z") - 1,
    });
    expectControl(timeline, "2016-12-31", "palmyra", "isis", { asOf: "2016-12-13T09:00Z" });
  });

  it("an asOf before every recording gives the initial state", () => {
    const timeline = reports();
    expect(timeline.latest({ asOf: "2016-01-01" })).toEqual({
      control: {},
      airstrikes: {},
      arrests: {},
    });
  });

  it("applies to history, diff and events as to stateAt", () => {
    const timeline = reports();
    const asOf: QueryOptions = { asOf: "2016-12-11T12:00+02:00" };
    expect(timeline.history("palmyra", asOf).map((i) => i.eventId)).toEqual([
      "retake",
      "sohr-isis",
      "mod-regime",
    ]);
    expect(timeline.events(asOf).map((e) => e.id)).toEqual(["retake", "sohr-isis", "mod-regime"]);
    expect(timeline.diff("2016-12-01", "2016-12-31", asOf)).toEqual([]);
    expect(timeline.diff("2016-12-01", "2016-12-31")).toEqual([
      { place: "palmyra", before: "regime", after: "isis" },
    ]);
  });

  it("events() takes from/to and asOf together", () => {
    const timeline = reports();
    expect(
      timeline
        .events({ from: "2016-12-10", to: "2016-12-31", asOf: "2016-12-11T00:00+02:00" })
        .map((e) => e.id),
    ).toEqual(["sohr-isis"]);
  });
});

describe("sources", () => {
  it("counts only events that cite at least one of the given source names", () => {
    const timeline = reports();
    expectControl(timeline, "2016-12-31", "palmyra", "isis", { sources: ["SOHR"] });
    expectControl(timeline, "2016-12-31", "palmyra", "regime", { sources: ["Russian MoD"] });
    expectControl(timeline, "2016-12-31", "palmyra", undefined, { sources: ["Reuters"] });
  });

  it("an event citing several sources counts for each of them", () => {
    const timeline = reports();
    expect(timeline.history("palmyra", { sources: ["Russian MoD"] })[0]?.eventId).toBe("retake");
    expect(timeline.history("palmyra", { sources: ["SOHR"] })[0]?.eventId).toBe("retake");
  });

  it("several names count the events citing any of them", () => {
    const timeline = reports();
    expect(timeline.events({ sources: ["Amaq", "Russian MoD"] }).map((e) => e.id)).toEqual([
      "retake",
      "mod-regime",
      "amaq-isis",
    ]);
  });

  it("an event without sources counts only when no sources are asked for", () => {
    const timeline = createTimeline();
    timeline.append(airstrike("2016-12-10", ["palmyra"], "russia"));
    expect(timeline.latest().airstrikes.palmyra?.count).toBe(1);
    expect(timeline.latest({ sources: ["Russian MoD"] }).airstrikes).toEqual({});
  });

  it("an empty list of sources counts nothing", () => {
    const timeline = reports();
    expect(timeline.events({ sources: [] })).toEqual([]);
    expect(timeline.latest({ sources: [] }).control).toEqual({});
  });

  it("sources and asOf combine", () => {
    const timeline = reports();
    expectControl(timeline, "2016-12-31", "palmyra", "regime", {
      sources: ["SOHR", "Amaq"],
      asOf: "2016-12-10T19:00+02:00",
    });
    expectControl(timeline, "2016-12-31", "palmyra", "isis", {
      sources: ["SOHR", "Amaq"],
      asOf: "2016-12-10T20:00+02:00",
    });
  });
});

describe("Retracted: corrections", () => {
  it("a retraction withdraws its target from every query", () => {
    const timeline = reports();
    timeline.append(retracted("2016-12-12", "mod-regime", { reason: "MoD claim not confirmed" }));
    expect(timeline.history("palmyra").map((i) => i.eventId)).toEqual(["retake", "sohr-isis"]);
    expect(timeline.events().map((e) => e.id)).not.toContain("mod-regime");
    expectControl(timeline, "2016-12-11T08:00+02:00", "palmyra", "isis");
    expect(
      timeline.claims("palmyra", "2016-12-11T08:00+02:00").map((c) => [c.source, c.eventId]),
    ).toEqual([
      ["SOHR", "sohr-isis"],
      ["Russian MoD", "retake"],
    ]);
  });

  it("the target stops counting for every `at`, also for instants before the retraction", () => {
    const timeline = createTimeline();
    timeline.append(
      captured("2016-03-27", "palmyra", "regime", { id: "x" }),
      retracted("2017-01-01", "x"),
    );
    expectControl(timeline, "2016-06-01", "palmyra", undefined);
  });

  it("counts from the retraction's recordedAt on: asOf before it still sees the target", () => {
    const timeline = reports();
    timeline.append(
      retracted("2016-12-11T06:00+02:00", "mod-regime", { recordedAt: "2016-12-12T10:00Z" }),
    );
    const t = "2016-12-11T08:00+02:00";
    expectControl(timeline, t, "palmyra", "regime", { asOf: "2016-12-12T09:59Z" });
    expectControl(timeline, t, "palmyra", "isis", { asOf: "2016-12-12T10:00Z" });
    expectControl(timeline, t, "palmyra", "isis");
  });

  it("a retraction counts from its recordedAt, not from its `at`", () => {
    const timeline = reports();
    timeline.append(retracted("2016-12-01", "sohr-isis", { recordedAt: "2016-12-20" }));
    expectControl(timeline, "2016-12-10T20:00+02:00", "palmyra", "isis", { asOf: "2016-12-15" });
    expectControl(timeline, "2016-12-10T20:00+02:00", "palmyra", "regime", { asOf: "2016-12-20" });
  });

  it("a correction is a retraction plus a new event", () => {
    const timeline = createTimeline();
    timeline.append(
      captured("2016-12-11T12:00+02:00", "palmyra-citadel", "isis", { id: "wrong-place" }),
    );
    timeline.append(
      retracted("2016-12-12", "wrong-place", { reason: "it was the town, not the citadel" }),
      captured("2016-12-11T12:00+02:00", "palmyra", "isis", {
        id: "right-place",
        recordedAt: "2016-12-12",
      }),
    );
    expect(timeline.latest().control).toEqual({
      palmyra: {
        controller: "isis",
        since: ms("2016-12-11T10:00Z"),
        eventId: "right-place",
        precision: "minute",
        contested: false,
      },
    });
    expect(
      timeline.stateAt("2016-12-11T13:00+02:00", { asOf: "2016-12-11T23:00Z" }).control,
    ).toEqual({
      "palmyra-citadel": {
        controller: "isis",
        since: ms("2016-12-11T10:00Z"),
        eventId: "wrong-place",
        precision: "minute",
        contested: false,
      },
    });
  });

  it("retractions apply whatever the sources filter, even when they cite no source", () => {
    const timeline = reports();
    timeline.append(retracted("2016-12-12", "sohr-isis"));
    expectControl(timeline, "2016-12-10T20:00+02:00", "palmyra", "regime", { sources: ["SOHR"] });
  });

  it("a retraction may arrive in the same batch as its target", () => {
    const timeline = createTimeline();
    timeline.append(
      retracted("2016-12-12", "x"),
      captured("2016-12-11", "palmyra", "isis", { id: "x" }),
    );
    expect(timeline.latest().control).toEqual({});
    expectControl(timeline, "2016-12-11", "palmyra", "isis", { asOf: "2016-12-11" });
  });

  it("retractions and retracted events are counted by size and kept by toJSON, not listed by events()", () => {
    const timeline = reports();
    timeline.append(retracted("2016-12-12", "mod-regime", { id: "fix" }));
    expect(timeline.size).toBe(5);
    expect(timeline.toJSON().events.map((e) => e.id)).toContain("mod-regime");
    expect(timeline.toJSON().events.map((e) => e.id)).toContain("fix");
    expect(timeline.events().map((e) => e.id)).toEqual(["retake", "sohr-isis", "amaq-isis"]);
  });

  it("events() lists a retracted event for an asOf before its retraction was recorded", () => {
    const timeline = reports();
    timeline.append(retracted("2016-12-12", "mod-regime", { recordedAt: "2016-12-13" }));
    expect(timeline.events({ asOf: "2016-12-12" }).map((e) => e.id)).toContain("mod-regime");
    expect(timeline.events({ asOf: "2016-12-13" }).map((e) => e.id)).not.toContain("mod-regime");
  });

  it("after a retraction, places come in the order a fold without the target inserts them", () => {
    const timeline = createTimeline();
    timeline.append(
      captured("2016-01-01", "palmyra", "isis", { id: "early" }),
      captured("2016-02-01", "tiyas-airbase", "regime"),
      captured("2016-03-01", "palmyra", "regime"),
    );
    expect(Object.keys(timeline.latest().control)).toEqual(["palmyra", "tiyas-airbase"]);
    timeline.append(retracted("2016-04-01", "early"));
    expect(Object.keys(timeline.latest().control)).toEqual(["tiyas-airbase", "palmyra"]);
    expect(Object.keys(timeline.latest({ asOf: "2016-03-15" }).control)).toEqual([
      "palmyra",
      "tiyas-airbase",
    ]);
  });

  it("re-appending a retracted event is a no-op: it stays retracted", () => {
    const timeline = createTimeline();
    const input = captured("2016-12-11", "palmyra", "isis", { id: "x" });
    timeline.append(input, retracted("2016-12-12", "x"));
    timeline.append(input);
    expect(timeline.size).toBe(2);
    expect(timeline.latest().control).toEqual({});
  });

  it("retracting an unknown id is a validation error at ['data', 'eventId']", () => {
    const timeline = reports();
    const error = expectIssues(
      () => timeline.append(retracted("2016-12-12", "no-such-event")),
      [{ index: 0, path: ["data", "eventId"] }],
    );
    expect(error.message).toContain("no-such-event");
    expect(timeline.size).toBe(4);
  });

  it("retracting a retraction is a validation error", () => {
    const timeline = reports();
    timeline.append(retracted("2016-12-12", "mod-regime", { id: "fix" }));
    expectIssues(
      () => timeline.append(retracted("2016-12-13", "fix")),
      [{ index: 0, path: ["data", "eventId"] }],
    );
  });

  it("a Retracted event needs the id of its target", () => {
    const timeline = reports();
    expectIssues(
      () => timeline.append({ type: "Retracted", at: "2016-12-12", data: {} } as never),
      [{ index: 0, path: ["data", "eventId"] }],
    );
  });
});

describe("claims", () => {
  it("gives each source's account of who controls the place at t, and whether it stands", () => {
    const timeline = reports();
    expect(timeline.claims("palmyra", "2016-12-11T08:00+02:00")).toEqual([
      {
        source: "SOHR",
        controller: "isis",
        since: ms("2016-12-10T16:00Z"),
        eventId: "sohr-isis",
        precision: "minute",
        standing: true,
      },
      {
        source: "Russian MoD",
        controller: "regime",
        since: ms("2016-03-27"),
        eventId: "retake",
        precision: "day",
        standing: true,
      },
    ]);
  });

  it("lists sources in the order they were first cited, omitting those with nothing to say by t", () => {
    const timeline = reports();
    expect(timeline.claims("palmyra", "2016-12-31").map((c) => [c.source, c.controller])).toEqual([
      ["SOHR", "isis"],
      ["Russian MoD", "regime"],
      ["Amaq", "isis"],
    ]);
    expect(timeline.claims("palmyra", "2016-01-01")).toEqual([]);
  });

  it("a claim says how precise its `since` is, in a plain `precision` that JSON keeps", () => {
    const timeline = reports();
    const [sohr, mod] = timeline.claims("palmyra", "2016-12-11T08:00+02:00");
    expect(sohr?.precision).toBe("minute");
    expect(mod?.precision).toBe("day");
    expect(Object.keys(sohr ?? {})).toEqual([
      "source",
      "controller",
      "since",
      "eventId",
      "precision",
      "standing",
    ]);
    expect(JSON.parse(JSON.stringify(sohr)).precision).toBe("minute");
  });

  it("a source's claim begins when its holding began as that source tells it: restating it moves nothing", () => {
    const timeline = reports();
    const mod = timeline.claims("palmyra", "2016-12-11T08:00+02:00")[1];
    expect(mod?.since).toBe(ms("2016-03-27"));
    expect(mod?.eventId).toBe("retake");
  });

  it("respects asOf: a report not yet published makes no claim", () => {
    const timeline = reports();
    expect(
      timeline
        .claims("palmyra", "2016-12-31", { asOf: "2016-12-11T19:00+02:00" })
        .map((c) => c.source),
    ).toEqual(["SOHR", "Russian MoD"]);
  });

  it("with a sources filter, only the accepted sources make claims", () => {
    // SOHR and Amaq both report the capture; only the Russian MoD says the regime holds it.
    const timeline = createTimeline();
    const [taken] = timeline.append(
      captured("2016-12-10", "palmyra", "isis", { sources: cites("SOHR", "Amaq") }),
      {
        type: "Held",
        at: "2016-12-11",
        data: { place: "palmyra", by: "regime" },
        sources: cites("Russian MoD"),
      },
    );
    expect(timeline.claims("palmyra", "2016-12-31", { sources: ["SOHR"] })).toEqual([
      {
        source: "SOHR",
        controller: "isis",
        since: ms("2016-12-10"),
        eventId: taken?.id,
        precision: "day",
        standing: true,
      },
    ]);
    expect(timeline.contested("2016-12-31", { sources: ["SOHR"] })).toEqual([]);
    expect(timeline.contested("2016-12-31").map((p) => p.place)).toEqual(["palmyra"]);
  });

  it("an event without sources makes no claim", () => {
    const timeline = createTimeline();
    timeline.append(captured("2016-12-11", "palmyra", "isis"));
    expect(timeline.claims("palmyra", "2016-12-31")).toEqual([]);
  });

  it("a place nobody reports on has no claims", () => {
    const timeline = reports();
    expect(timeline.claims("raqqa", "2016-12-31")).toEqual([]);
  });

  it("the claims list is frozen", () => {
    const timeline = reports();
    const claims = timeline.claims("palmyra", "2016-12-31");
    expect(Object.isFrozen(claims)).toBe(true);
    expect(Object.isFrozen(claims[0])).toBe(true);
  });
});

describe("contested", () => {
  it("lists each place whose sources disagree about its controller at t, with the claims", () => {
    const timeline = reports();
    const t = "2016-12-11T08:00+02:00";
    expect(timeline.contested(t)).toEqual([
      { place: "palmyra", claims: timeline.claims("palmyra", t) },
    ]);
  });

  it("a place whose sources agree is not contested", () => {
    const timeline = reports();
    expect(timeline.contested("2016-12-10T12:00Z")).toEqual([]);
    expect(timeline.claims("palmyra", "2016-12-10T12:00Z")).toHaveLength(2);
  });

  it("respects asOf: before the contradicting report, nothing is contested", () => {
    const timeline = reports();
    const t = "2016-12-11T08:00+02:00";
    expect(timeline.contested(t, { asOf: "2016-12-10T19:00+02:00" })).toEqual([]);
    expect(timeline.contested(t, { asOf: "2016-12-11T06:00+02:00" }).map((p) => p.place)).toEqual([
      "palmyra",
    ]);
  });

  it("'nobody holds it' disagrees with a controller", () => {
    const timeline = createTimeline();
    timeline.append(
      captured("2016-12-11", "palmyra-citadel", "isis", { sources: cites("SOHR") }),
      withdrew("2016-12-20", "palmyra-citadel", "isis", undefined, { sources: cites("SOHR") }),
      {
        type: "Held",
        at: "2016-12-21",
        data: { place: "palmyra-citadel", by: "isis" },
        sources: cites("Amaq"),
      },
    );
    expect(timeline.contested("2016-12-31")).toEqual([
      {
        place: "palmyra-citadel",
        claims: [
          expect.objectContaining({ source: "SOHR", controller: null, standing: true }),
          expect.objectContaining({ source: "Amaq", controller: "isis", standing: true }),
        ],
      },
    ]);
  });

  it("lists every contested place, and only those", () => {
    const timeline = reports();
    timeline.append(
      captured("2016-12-09", "tiyas-airbase", "regime", { sources: cites("SOHR", "Russian MoD") }),
      captured("2016-12-10", "jazal", "isis", { sources: cites("Amaq") }),
      captured("2016-12-10", "jazal", "regime", { sources: cites("Russian MoD") }),
    );
    expect(timeline.contested("2016-12-11T08:00+02:00").map((p) => p.place)).toEqual([
      "jazal",
      "palmyra",
    ]);
  });

  it("counts a Held like a Captured: a source that reports a place held claims it from then on", () => {
    const timeline = createTimeline();
    timeline.append(
      captured("2016-12-10T18:00+02:00", "palmyra", "isis", { sources: cites("SOHR") }),
      {
        type: "Held",
        at: "2016-12-11T06:00+02:00",
        data: { place: "palmyra", by: "regime" },
        sources: cites("Russian MoD"),
      },
    );
    expect(
      timeline.contested("2016-12-11T08:00+02:00")[0]?.claims.map((c) => [c.source, c.controller]),
    ).toEqual([
      ["SOHR", "isis"],
      ["Russian MoD", "regime"],
    ]);
    expect(timeline.contested("2016-12-11T05:00+02:00")).toEqual([]);
  });
});

/** A `Held` input: `by` holds `place` at `at`, as `source` reports. */
function held(at: string, place: string, by: string, source: string) {
  return { type: "Held" as const, at, data: { place, by }, sources: cites(source) };
}

/** `[source, controller, standing]` of each claim on a place at t. */
function standings(timeline: ReturnType<typeof createTimeline>, place: string, t: string) {
  return timeline.claims(place, t).map((c) => [c.source, c.controller, c.standing]);
}

describe("standing claims", () => {
  it("a claim stops standing when another source reports, later, a capture from its holder", () => {
    const timeline = createTimeline();
    timeline.append(captured("2020-02-02", "hmeira", "rebels", { sources: cites("Liveuamap") }), {
      type: "Captured",
      at: "2020-02-04",
      data: { place: "hmeira", by: "regime", from: "rebels" },
      sources: cites("SOHR"),
    });
    expect(standings(timeline, "hmeira", "2020-02-10")).toEqual([
      ["Liveuamap", "rebels", false],
      ["SOHR", "regime", true],
    ]);
  });

  it("a source that reported a capture and fell silent does not disagree forever with one that reported the recapture", () => {
    const timeline = createTimeline();
    timeline.append(
      captured("2020-02-02", "hmeira", "rebels", { sources: cites("Liveuamap") }),
      captured("2020-02-04", "hmeira", "regime", { sources: cites("SOHR") }),
    );
    expect(timeline.contested("2020-02-03")).toEqual([]);
    expect(timeline.contested("2020-03-01")).toEqual([]);
    expect(timeline.stateAt("2020-03-01").control.hmeira?.contested).toBe(false);
  });

  it("a place with more sources than one word of flags holds keeps the standing of each", () => {
    const timeline = createTimeline();
    const day = (k: number) => Date.UTC(2020, 0, 1) + k * 86_400_000;
    // Forty sources each report a capture by another actor: each overtakes every claim before.
    for (let k = 0; k < 40; k++) {
      timeline.append(captured(day(k), "palmyra", `a${k}`, { sources: cites(`s${k}`) }));
    }
    // The 36th restates its claim in a status report, which overtakes nobody.
    timeline.append({
      type: "Held",
      at: day(50),
      data: { place: "palmyra", by: "a35" },
      sources: cites("s35"),
    });
    const claims = timeline.claims("palmyra", day(60));
    expect(claims.filter((c) => c.standing).map((c) => [c.source, c.controller, c.since])).toEqual([
      ["s35", "a35", day(35)],
      ["s39", "a39", day(39)],
    ]);
    expect(claims).toHaveLength(40);
    expect(timeline.stateAt(day(60)).control.palmyra?.contested).toBe(true);
    expect(timeline.stateAt(day(45)).control.palmyra?.contested).toBe(false);
  });

  it("a withdrawal by the holder ends another source's claim", () => {
    const timeline = createTimeline();
    timeline.append(
      captured("2016-12-10", "palmyra", "isis", { sources: cites("Amaq") }),
      withdrew("2016-12-11", "palmyra", "isis", undefined, { sources: cites("SOHR") }),
    );
    expect(standings(timeline, "palmyra", "2016-12-12")).toEqual([
      ["Amaq", "isis", false],
      ["SOHR", null, true],
    ]);
  });

  it("a report that could not follow the claim leaves it standing: that is a disagreement", () => {
    const timeline = createTimeline();
    timeline.append(
      captured("2016-12-10", "palmyra", "isis", { sources: cites("Amaq") }),
      {
        type: "Captured",
        at: "2016-12-11",
        data: { place: "palmyra", by: "regime", from: "rebels" },
        sources: cites("SOHR"),
      },
      withdrew("2016-12-12", "palmyra", "rebels", undefined, { sources: cites("Reuters") }),
    );
    expect(standings(timeline, "palmyra", "2016-12-13")).toEqual([
      ["Amaq", "isis", true],
      ["SOHR", "regime", true],
      ["Reuters", null, true],
    ]);
    expect(timeline.contested("2016-12-13").map((p) => p.place)).toEqual(["palmyra"]);
  });

  it("a Held never ends another source's claim", () => {
    const timeline = createTimeline();
    timeline.append(
      captured("2016-12-10T18:00+02:00", "palmyra", "isis", { sources: cites("SOHR") }),
      held("2016-12-11T06:00+02:00", "palmyra", "regime", "Russian MoD"),
    );
    expect(standings(timeline, "palmyra", "2016-12-11T08:00+02:00")).toEqual([
      ["SOHR", "isis", true],
      ["Russian MoD", "regime", true],
    ]);
  });

  it("a report at the same instant as the claim does not overtake it", () => {
    const timeline = createTimeline();
    timeline.append(
      captured("2016-12-10", "jazal", "isis", { sources: cites("Amaq") }),
      captured("2016-12-10", "jazal", "regime", { sources: cites("Russian MoD") }),
    );
    expect(standings(timeline, "jazal", "2016-12-10")).toEqual([
      ["Amaq", "isis", true],
      ["Russian MoD", "regime", true],
    ]);
  });

  it("a source that restates its claim makes it stand again, without moving its since", () => {
    const timeline = createTimeline();
    timeline.append(
      captured("2016-03-27", "palmyra", "regime", { sources: cites("Russian MoD") }),
      captured("2016-12-10", "palmyra", "isis", { sources: cites("SOHR") }),
      held("2016-12-11", "palmyra", "regime", "Russian MoD"),
    );
    expect(standings(timeline, "palmyra", "2016-12-10T12:00Z")).toEqual([
      ["Russian MoD", "regime", false],
      ["SOHR", "isis", true],
    ]);
    const [mod] = timeline.claims("palmyra", "2016-12-12");
    expect(mod).toMatchObject({ controller: "regime", since: ms("2016-03-27"), standing: true });
  });

  it("a source that reports a withdrawal without having said who held the place claims that nobody named holds it, and who left", () => {
    const timeline = createTimeline();
    timeline.append(
      captured("2016-12-10", "palmyra", "isis", { sources: cites("Amaq") }),
      withdrew("2016-12-11T05:00Z", "palmyra", "isis", undefined, {
        id: "dawn",
        sources: cites("SOHR"),
      }),
    );
    expect(timeline.claims("palmyra", "2016-12-11T06:00Z")[1]).toEqual({
      source: "SOHR",
      controller: null,
      since: ms("2016-12-11T05:00Z"),
      eventId: "dawn",
      precision: "minute",
      standing: true,
      left: "isis",
    });
  });

  it("a withdrawal handed to another actor claims that actor, and still names who left", () => {
    const timeline = createTimeline();
    timeline.append(
      withdrew("2016-12-11", "palmyra", "isis", "regime", { sources: cites("SOHR") }),
    );
    expect(timeline.claims("palmyra", "2016-12-12")).toEqual([
      expect.objectContaining({ controller: "regime", left: "isis" }),
    ]);
  });

  it("a source's withdrawal of an actor it does not say holds the place changes nothing in its claim", () => {
    const timeline = createTimeline();
    timeline.append(
      captured("2016-12-10", "palmyra", "regime", { id: "take", sources: cites("SOHR") }),
      withdrew("2016-12-11", "palmyra", "isis", undefined, { sources: cites("SOHR") }),
    );
    expect(timeline.claims("palmyra", "2016-12-12")).toEqual([
      expect.objectContaining({ controller: "regime", eventId: "take", standing: true }),
    ]);
  });

  it("only sources counted in the view overtake a claim", () => {
    const timeline = createTimeline();
    timeline.append(
      captured("2016-12-10", "palmyra", "isis", { sources: cites("Amaq") }),
      held("2016-12-10T12:00Z", "palmyra", "regime", "Russian MoD"),
      captured("2016-12-11", "palmyra", "regime", { sources: cites("SOHR") }),
    );
    expect(timeline.contested("2016-12-12")).toEqual([]);
    const view = { sources: ["Amaq", "Russian MoD"] };
    expect(timeline.contested("2016-12-12", view).map((p) => p.place)).toEqual(["palmyra"]);
    expect(timeline.stateAt("2016-12-12", view).control.palmyra?.contested).toBe(true);
  });
});

describe("contested on control entries", () => {
  /** The weekend as the sources told it, in the shape of the Palmyra example. */
  function weekend() {
    const timeline = createTimeline({ timeZone: "+02:00" });
    timeline.append(
      captured("2016-03-27", "palmyra", "regime", { sources: cites("SOHR", "Russian MoD") }),
      captured("2016-12-10T18:00", "palmyra", "isis", { sources: cites("SOHR", "Amaq") }),
      held("2016-12-11T00:00", "palmyra", "regime", "Russian MoD"),
      withdrew("2016-12-11T05:00", "palmyra", "isis", undefined, { sources: cites("SOHR") }),
      {
        type: "Captured",
        at: "2016-12-11T12:00",
        data: { place: "palmyra", by: "isis", from: "regime" },
        sources: cites("SOHR", "Amaq"),
      },
    );
    return timeline;
  }

  it("the blended controller says when its sources disagree", () => {
    const timeline = weekend();
    expect(timeline.stateAt("2016-12-11T08:00").control.palmyra).toMatchObject({
      controller: "regime",
      contested: true,
    });
  });

  it("the contest runs from the ministry's overnight claim to the noon capture", () => {
    const timeline = weekend();
    const contested = (t: string) => timeline.stateAt(t).control.palmyra?.contested;
    expect(contested("2016-12-10T23:00")).toBe(false);
    expect(contested("2016-12-11T00:00")).toBe(true);
    expect(contested("2016-12-11T11:59")).toBe(true);
    expect(contested("2016-12-11T12:00")).toBe(false);
    expect(contested("2016-12-11T16:00")).toBe(false);
  });

  it("agrees with contested() at every instant and in every view", () => {
    const timeline = weekend();
    for (const options of [undefined, { asOf: "2016-12-11T06:00" }, { sources: ["SOHR"] }]) {
      for (const t of ["2016-12-10T20:00", "2016-12-11T03:00", "2016-12-11T08:00", "2016-12-12"]) {
        const listed = timeline.contested(t, options).some((p) => p.place === "palmyra");
        expect(timeline.stateAt(t, options).control.palmyra?.contested, `${t}`).toBe(listed);
      }
    }
  });

  it("is false where a single source speaks", () => {
    const timeline = createTimeline();
    timeline.append(captured("2016-12-10", "palmyra", "isis", { sources: cites("SOHR") }));
    expect(timeline.latest().control.palmyra?.contested).toBe(false);
  });
});

describe("claimsAt", () => {
  it("gives every claimed place's claims at t in one call, sorted by place id", () => {
    const timeline = reports();
    timeline.append(
      captured("2016-12-09", "tiyas-airbase", "regime", { sources: cites("SOHR") }),
      captured("2016-12-09", "jazal", "isis", { sources: cites("Amaq") }),
    );
    const t = "2016-12-11T08:00+02:00";
    expect(timeline.claimsAt(t)).toEqual(
      ["jazal", "palmyra", "tiyas-airbase"].map((place) => ({
        place,
        claims: timeline.claims(place, t),
      })),
    );
  });

  it("leaves out places that no source claims by t", () => {
    const timeline = reports();
    timeline.append(captured("2017-01-05", "jazal", "isis", { sources: cites("Amaq") }));
    expect(timeline.claimsAt("2016-12-31").map((c) => c.place)).toEqual(["palmyra"]);
  });

  it("respects asOf and sources as claims does", () => {
    const timeline = reports();
    const t = "2016-12-31";
    const options = { asOf: "2016-12-11T19:00+02:00", sources: ["SOHR"] };
    expect(timeline.claimsAt(t, options)).toEqual([
      { place: "palmyra", claims: timeline.claims("palmyra", t, options) },
    ]);
  });
});

describe("how precise history is", () => {
  it("each interval carries the precision of the events that bound it", () => {
    const timeline = createTimeline();
    timeline.append(
      captured("2016-03", "palmyra", "regime"),
      captured("2016-12-11T12:00+02:00", "palmyra", "isis", { precision: "hour" }),
      withdrew("2017-03-02", "palmyra", "isis", "regime"),
    );
    const history = timeline.history("palmyra");
    expect(history.map((i) => [i.fromPrecision, i.toPrecision])).toEqual([
      ["month", "hour"],
      ["hour", "day"],
      ["day", null],
    ]);
  });

  it("the precision fields are plain enumerable properties, kept by JSON and spreads", () => {
    const timeline = reports();
    const [first] = timeline.history("palmyra");
    expect(Object.keys(first ?? {})).toEqual([
      "controller",
      "from",
      "to",
      "eventId",
      "fromPrecision",
      "toPrecision",
    ]);
    expect(JSON.parse(JSON.stringify(first))).toEqual({
      controller: "regime",
      from: ms("2016-03-27"),
      to: ms("2016-12-10T16:00Z"),
      eventId: "retake",
      fromPrecision: "day",
      toPrecision: "minute",
    });
    expect({ ...first }.toPrecision).toBe("minute");
  });
});

describe("bad query options", () => {
  const queries: [string, (timeline: ReturnType<typeof reports>, options: unknown) => unknown][] = [
    ["stateAt", (tl, o) => tl.stateAt("2016-12-31", o as QueryOptions)],
    ["latest", (tl, o) => tl.latest(o as QueryOptions)],
    ["history", (tl, o) => tl.history("palmyra", o as QueryOptions)],
    ["diff", (tl, o) => tl.diff("2016-12-01", "2016-12-31", o as QueryOptions)],
    ["claims", (tl, o) => tl.claims("palmyra", "2016-12-31", o as QueryOptions)],
    ["claimsAt", (tl, o) => tl.claimsAt("2016-12-31", o as QueryOptions)],
    ["contested", (tl, o) => tl.contested("2016-12-31", o as QueryOptions)],
    ["events", (tl, o) => tl.events(o as QueryOptions)],
  ];

  it.each(queries)("%s rejects an asOf that is not a time, at path ['asOf']", (_name, query) => {
    expectIssues(() => query(reports(), { asOf: "yesterday" }), [{ index: 0, path: ["asOf"] }]);
  });

  it.each(queries)("%s rejects sources that are not a list of names", (_name, query) => {
    expectIssues(() => query(reports(), { sources: "SOHR" }), [{ index: 0, path: ["sources"] }]);
    expectIssues(
      () => query(reports(), { sources: ["SOHR", 7] }),
      [{ index: 0, path: ["sources"] }],
    );
  });

  it.each(queries)("%s rejects options that are not an object", (_name, query) => {
    expect(() => query(reports(), null)).toThrow(TimelineValidationError);
    expect(() => query(reports(), "SOHR")).toThrow(TimelineValidationError);
  });

  it("every problem of the options is listed", () => {
    expectIssues(
      () => reports().stateAt("2016-12-31", { asOf: Number.NaN, sources: "SOHR" } as never),
      [
        { index: 0, path: ["asOf"] },
        { index: 0, path: ["sources"] },
      ],
    );
  });
});
