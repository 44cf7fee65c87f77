// Runs the examples as a user would (`node --import tsx examples/...`) and checks what they
// print: the Palmyra story must stay true to the report, at the report's own precision.

import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { formatTime } from "../examples/format.js";
import { SOURCES as SOURCE_NAMES } from "../examples/palmyra/events.js";
import { parseTime } from "../src/index.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

function run(script: string): string {
  return execFileSync(process.execPath, ["--import", "tsx", script], {
    cwd: root,
    encoding: "utf8",
    timeout: 30_000,
  });
}

/** The cells of the first line whose first cell is `label` (cells are split on 2+ spaces). */
function row(output: string, label: string): string[] {
  for (const line of output.split("\n")) {
    const cells = line.trim().split(/\s{2,}/);
    if (cells[0] === label) return cells.slice(1);
  }
  throw new Error(`no line starting with "${label}" in:\n${output}`);
}

/** The lines of a section, from the heading that starts with `title` to the next blank line. */
function section(output: string, title: string): string[] {
  const lines = output.split("\n");
  const start = lines.findIndex((line) => line.startsWith(title));
  if (start === -1) throw new Error(`no section "${title}" in:\n${output}`);
  const end = lines.findIndex((line, i) => i > start && line.trim() === "");
  return lines.slice(start + 1, end === -1 ? undefined : end);
}

describe("examples/palmyra-2016.ts", () => {
  let output = "";
  beforeAll(() => {
    output = run("examples/palmyra-2016.ts");
  }, 60_000);
  /** The line of the event list that starts with the time `when` and holds `what`. */
  const event = (when: string, what: string) => {
    const lines = section(output, "What the report says")
      .join("\n")
      .split(/\n(?= {2}\S)/);
    const found = lines.find((l) => l.trim().startsWith(when) && l.includes(what));
    if (found === undefined) throw new Error(`no event "${when} ... ${what}" in:\n${output}`);
    return found.replace(/\s+/g, " ");
  };

  it("prints vague times in the report's own words, never an hour", () => {
    expect(event("Sat 10 Dec, evening", "ISIS took Palmyra")).toContain("[the report]");
    expect(event("Sun 11 Dec, dawn", "ISIS withdrew from Palmyra")).toContain("[SOHR; the report]");
    expect(event("Sun 11 Dec, noon", "ISIS took Palmyra")).toContain("SOHR");
    expect(event("Sun 11 Dec, after midnight until dawn", "warplanes struck")).toContain("[SOHR]");
  });

  it('prints "since the 8th" as the span it is, from the 8th to the day of the report', () => {
    const line = event("since the 8th (Thu 8 Dec – Sun 11 Dec)", "ISIS took al-Mahr field");
    expect(line).toContain("taken on 8 Dec or later");
    expect(line).toContain("[the report]");
  });

  it('keeps the ministry\'s "more than 300" as a lower bound, never a toll of 300', () => {
    expect(event("Sun 11 Dec, overnight", "(64 strikes)")).toContain(
      '"more than 300" militants (a lower bound',
    );
    expect(output).not.toMatch(/\b300 killed|killed 300/);
  });

  it('calls the unnamed aircraft "warplanes", as the report does', () => {
    const line = event("Sun 11 Dec, after midnight until dawn", "warplanes struck");
    expect(line).toContain("Amiriya, Jabal al-Tar, Wadi al-Ahmar");
    expect(line).not.toMatch(/Russia/);
    expect(output).not.toMatch(/\brussia\b/);
  });

  it("sources what the report says in its own voice to the report, not to SOHR", () => {
    for (const [when, what] of [
      ["May 2015", "ISIS took Palmyra"],
      ["Mar 2016", "government forces took Palmyra"],
      ["Sat 10 Dec", "Palmyra citadel"],
      ["Sat 10 Dec", "Abandoned base W of T4"],
      ["Sat 10 Dec, right after the entry", "ISIS arrests in Palmyra"],
    ] as const) {
      expect(event(when, what)).toMatch(/\[the report\]$/);
    }
  });

  it("gives the arrests without a number as 'number not given'", () => {
    expect(event("Sat 10 Dec, right after the entry", "arrests")).toContain("(number not given)");
  });

  it("includes the facts the report gives that are easy to leave out", () => {
    expect(
      event("undated, reported (Sun 11 Dec)", "hundreds of ISIS fighters reached Raqqa from Iraq"),
    ).toContain("[SOHR]");
    expect(event("Sat 10 Dec, evening", "ISIS took Palmyra")).toContain(
      "8 months after it was first expelled",
    );
    expect(event("Sun 11 Dec, noon", "ISIS held Palmyra")).toContain(
      '"أحكم سيطرته على كامل مدينة تدمر"',
    );
  });

  it("models the Russian MoD's claim as a report of holding, not a capture", () => {
    const line = event("Sun 11 Dec, overnight", "government forces held Palmyra");
    expect(line).toContain('"repelled all attacks"');
    expect(line).toContain("[Russian MoD]");
    expect(output).not.toMatch(/government forces took Palmyra(?! from ISIS)/);
  });

  it("prints each source's own history of the city, not one blended history", () => {
    const lines = section(output, "Palmyra according to each source").map((l) => l.trim());
    const rows = (source: string) => {
      const start = lines.indexOf(source);
      const end = lines.findIndex(
        (l, k) => k > start && (SOURCE_NAMES as readonly string[]).includes(l),
      );
      return lines.slice(start + 1, end === -1 ? undefined : end).map((l) => l.split(/\s{2,}/));
    };
    expect(rows("the report")).toEqual([
      ["ISIS", "May 2015 -> Mar 2016"],
      ["government forces", "Mar 2016 -> Sat 10 Dec, evening"],
      ["ISIS", "Sat 10 Dec, evening -> Sun 11 Dec, dawn"],
      ["no holder named", "Sun 11 Dec, dawn -> Sun 11 Dec, noon"],
      ["ISIS", "from Sun 11 Dec, noon (its last word)"],
    ]);
    expect(rows("SOHR")).toEqual([
      ["ISIS", "from Sun 11 Dec, noon (its last word)"],
      ["also: ISIS withdrew from the city, Sun 11 Dec, dawn"],
    ]);
    expect(rows("Russian MoD")).toEqual([
      ["government forces (reported holding it)", "from Sun 11 Dec, overnight (its last word)"],
    ]);
    expect(rows("Amaq")).toEqual([
      ["ISIS (reported holding it)", "from Sun 11 Dec, noon (its last word)"],
    ]);
    expect(output).not.toMatch(/history of control/);
  });

  it("prints the spans where the sources disagree, with each one's account", () => {
    expect(section(output, "Where the sources disagree").map((l) => l.trim())).toEqual([
      "Sun 11 Dec, overnight -> Sun 11 Dec, dawn",
      "Palmyra (the report: ISIS; Russian MoD: government forces)",
      "Sun 11 Dec, dawn -> Sun 11 Dec, noon",
      "Palmyra (the report: no holder named; Russian MoD: government forces; SOHR: no holder named)",
    ]);
  });

  it("ends the contest at the noon capture, which can follow the ministry's claim", () => {
    expect(output).not.toContain("Sun 11 Dec, noon -> (end of the report)");
  });

  it("says where the blended state is contested: from the ministry's overnight claim to the noon capture", () => {
    const blended = section(output, "Palmyra in the blended state").join("\n");
    expect(row(blended, "at Sat 10 Dec, 20:00")).toEqual(["ISIS since Sat 10 Dec, evening"]);
    expect(row(blended, "at Sun 11 Dec, 03:00")).toEqual([
      "government forces since Sun 11 Dec, overnight",
      "contested",
    ]);
    expect(row(blended, "at Sun 11 Dec, 08:00")).toEqual([
      "government forces since Sun 11 Dec, overnight",
      "contested",
    ]);
    expect(row(blended, "at Sun 11 Dec, 13:00")).toEqual(["ISIS since Sun 11 Dec, noon"]);
  });

  it("answers per source as known at two times, and lists the sources known then", () => {
    const known = section(output, "Palmyra at Sun 11 Dec, dawn, per source").join("\n");
    expect(row(known, "the report")).toEqual([
      "-",
      "no holder named (ISIS left) since Sun 11 Dec, dawn",
    ]);
    // SOHR reported the dawn withdrawal: once known, that is its claim, not "-".
    expect(row(known, "SOHR")).toEqual(["-", "no holder named (ISIS left) since Sun 11 Dec, dawn"]);
    expect(row(known, "Russian MoD")).toEqual([
      "government forces since Sun 11 Dec, overnight",
      "government forces since Sun 11 Dec, overnight",
    ]);
    expect(known).toContain("as known Sun 11 Dec, 08:00: Russian MoD 2\n");
    expect(known).toContain(
      "as known Sun 11 Dec, 20:00: Amaq 1, Russian MoD 2, SOHR 5, the report 15",
    );
  });

  it("labels the correction as not from the report, and applies it from its recordedAt", () => {
    const correction = section(output, "Correction recorded").join("\n");
    expect(output).toContain(
      "Correction recorded Mon 12 Dec, 10:00: ILLUSTRATIVE, NOT IN THE REPORT",
    );
    expect(row(correction, "contested at Sun 11 Dec, 08:00")).toEqual(["Palmyra", "none"]);
  });

  it("invents no minutes or hours for the report's vague times", () => {
    // Times of our own queries may be exact; remove them, then no clock time may remain.
    let rest = output;
    for (const query of [
      "Sun 11 Dec, 08:00",
      "Sun 11 Dec, 20:00",
      "Sat 10 Dec, 20:00",
      "Sun 11 Dec, 03:00",
      "Sun 11 Dec, 13:00",
      "Mon 12 Dec, 09:00",
      "Mon 12 Dec, 10:00",
      "Mon 12 Dec, 12:00",
    ]) {
      rest = rest.split(query).join("<query>");
    }
    expect(rest).not.toMatch(/\d{1,2}:\d{2}/);
    expect(rest).not.toMatch(/\b\d{2}h\b/);
  });

  it("stays short", () => {
    expect(output.trimEnd().split("\n").length).toBeLessThanOrEqual(95);
  });
});

describe("examples/custom-reducer.ts", () => {
  let output = "";
  beforeAll(() => {
    output = run("examples/custom-reducer.ts");
  }, 60_000);

  it("folds the custom Clashes event into custom slices", () => {
    expect(row(output, "Palmyra")).toEqual(["2", "regime vs isis"]);
    expect(row(output, "Jabal Hayan")).toEqual(["1", "isis vs regime"]); // alias "Jabal Hayal"
    expect(row(output, "Russian MoD")).toEqual(["no figure", "(0 of 2 reports give a figure)"]);
    expect(row(output, "SOHR")).toEqual(["no figure", "(0 of 9 reports give a figure)"]);
  });

  it("answers custom slices as of a knowledge time, and rejects bad input", () => {
    expect(output).toContain("sources as known Sat 10 Dec, 23:00: SOHR\n");
    expect(output).toContain("sources as known now:               SOHR, the report, Russian MoD\n");
    expect(output).toContain("data.sides: ");
    expect(output).toContain("data.killed: ");
  });
});

describe("examples/format.ts", () => {
  const syria = { offsetMinutes: 120, omitYear: 2016 };
  const f = (input: string, precision?: Parameters<typeof formatTime>[1]) => {
    const parsed = parseTime(input);
    return formatTime(parsed.at, precision ?? parsed.precision, syria);
  };

  it("prints each precision, in local time", () => {
    expect(f("2016")).toBe("2016");
    expect(f("2016-03")).toBe("Mar 2016");
    expect(f("2016-12-11")).toBe("Sun 11 Dec");
    expect(f("2015-05-20")).toBe("Wed 20 May 2015");
    expect(f("2016-12-11T06:00+02:00", "hour")).toBe("Sun 11 Dec, 06h");
    expect(f("2016-12-11T12:00Z", "hour")).toBe("Sun 11 Dec, 14h");
    expect(f("2016-12-10T22:30Z")).toBe("Sun 11 Dec, 00:30");
  });
});

describe("examples/front-line.ts", () => {
  let output = "";
  beforeAll(() => {
    output = run("examples/front-line.ts");
  }, 60_000);

  it("prints who held each town on the day asked, with the span of uncertainty", () => {
    expect(row(output, "Bakhmut")).toEqual(["russia", "taken between 2023-05-01 and 2023-05-21"]);
    expect(row(output, "Chasiv Yar")).toEqual(["ukraine", "held on 2023-05-01 (first map)"]);
  });

  it("keeps a contested town with its side, and says it was contested", () => {
    expect(row(output, "Avdiyivka")).toEqual([
      "ukraine",
      "held on 2023-05-01 (first map); contested or unknown on the map of 2024-02-10",
    ]);
  });

  it("brackets a change that a contested map hid between the maps around it", () => {
    expect(section(output, "Avdiivka, map by map")).toEqual([
      "  Held      ukraine   held on 2023-05-01 (first map)",
      "  Captured  russia    taken between 2023-05-21 and 2024-02-20 (from ukraine)",
    ]);
  });

  it("charts the km² of each side over time, one line a side through every map", () => {
    const svg = readFileSync(join(root, "examples/out/front-line-km2.svg"), "utf8");
    const lines = [...svg.matchAll(/<polyline data-side="([^"]+)"[^>]*points="([^"]+)"/g)];
    expect(lines.map((m) => m[1]).sort()).toEqual(["russia", "ukraine"]);
    for (const m of lines) expect((m[2] as string).split(" ")).toHaveLength(4);
  });

  it("prints the km² of each side map by map", () => {
    const lines = section(output, "km² per side, map by map");
    expect(lines).toHaveLength(4);
    expect(lines[3]).toMatch(/^ {2}2024-02-20 {2}russia [\d,]+ \(\+\d+ -0\)/);
  });
});
