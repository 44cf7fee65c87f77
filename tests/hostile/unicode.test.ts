/** Names in two Unicode forms that print alike are one name. */
import { describe, expect, it } from "vitest";
import { createTimeline, TimelineValidationError } from "../../src/index.js";

const NFC = "Ḥomṣ".normalize("NFC");
const NFD = "Ḥomṣ".normalize("NFD");

describe("Unicode normalisation of ids", () => {
  it("takes NFC and NFD spellings of a place as one place", () => {
    expect(NFC).not.toBe(NFD);
    const timeline = createTimeline();
    timeline.append({ type: "Captured", at: "2016-01-01", data: { place: NFC, by: "isis" } });
    timeline.append({ type: "Captured", at: "2016-02-01", data: { place: NFD, by: "saa" } });
    expect(timeline.latest().control).toEqual({
      [NFC]: expect.objectContaining({ controller: "saa" }),
    });
  });

  it("finds a registry's place given in NFD from a reference in NFC", () => {
    const timeline = createTimeline({
      places: { [NFD]: { name: "Homs", aliases: ["Ḥimṣ".normalize("NFD")] } },
    });
    timeline.append({
      type: "Captured",
      at: "2016",
      data: { place: "Ḥimṣ".normalize("NFC"), by: "isis" },
    });
    expect(Object.keys(timeline.latest().control)).toEqual([NFD]);
  });

  it("refuses a registry that names one place twice, in NFC and in NFD", () => {
    expect(() =>
      createTimeline({ places: { [NFC]: { name: "Homs" }, [NFD]: { name: "Homs" } } }),
    ).toThrow(TimelineValidationError);
  });
});
