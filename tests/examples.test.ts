// Runs the examples as a user would (`node --import tsx examples/...`) and checks what they
// print: the Palmyra story must stay true to the report, at the report's own precision.

import { execFileSync } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { formatTime, labelMap } from "../examples/format.js";
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

  it("shows who held what at the four instants, at their own precision", () => {
    const table = section(output, "Who held what").join("\n");
    expect(
      table
        .split("\n")[0]
        ?.trim()
        .split(/\s{2,}/),
    ).toEqual(["Thu 8 Dec", "Sat 10 Dec, evening", "Sun 11 Dec, dawn", "Sun 11 Dec, 15h"]);
    expect(row(table, "Palmyra")).toEqual(["regime", "isis", "regime", "isis"]);
    expect(row(table, "Palmyra citadel")).toEqual(["-", "isis", "isis", "isis"]);
    expect(row(table, "Abandoned base W of T4")).toEqual(["-", "isis", "isis", "isis"]);
    for (const field of ["al-Mahr field", "Jazal field", "Jahar field", "Jabal Hayan"]) {
      expect(row(table, field)).toEqual(["isis", "isis", "isis", "isis"]);
    }
  });

  it("gives each source's version of the city: SOHR regime at dawn, isis in the afternoon", () => {
    const table = section(output, "Who held what").join("\n");
    expect(row(table, "Palmyra per SOHR")).toEqual(["-", "isis", "regime", "isis"]);
    expect(row(table, "Palmyra per Amaq")).toEqual(["-", "-", "-", "isis"]);
    expect(row(table, "Palmyra per Russian MoD")).toEqual(["-", "-", "regime", "regime"]);
  });

  it("prints the history of the city's control with month and labelled-hour times", () => {
    const history = section(output, "Palmyra: history of control").map((l) => l.trim());
    expect(history.slice(0, 5).map((l) => l.split(/\s{2,}/))).toEqual([
      ["isis", "May 2015 -> Mar 2016", "[report background]"],
      ["regime", "Mar 2016 -> Sat 10 Dec, evening", "[report background]"],
      ["isis", "Sat 10 Dec, evening -> Sun 11 Dec, overnight", "[SOHR]"],
      ["regime", "Sun 11 Dec, overnight -> Sun 11 Dec, noon", "[Russian MoD]"],
      ["isis", "Sun 11 Dec, noon -> ...", "[SOHR, Amaq]"],
    ]);
    expect(history).toContain(
      "SOHR alone:        isis Sat 10 Dec, evening; regime Sun 11 Dec, dawn; isis Sun 11 Dec, noon",
    );
  });

  it("lists the changes between Saturday and Sunday evening", () => {
    const diff = section(output, "Changes between Sat 10 Dec, 00:00 and Sun 11 Dec, 20:00");
    expect(diff.map((l) => l.trim().split(/\s{2,}/))).toEqual([
      ["Palmyra", "regime -> isis"],
      ["Abandoned base W of T4", "no report -> isis"],
      ["Palmyra citadel", "no report -> isis"],
    ]);
  });

  it("answers per source and per knowledge time at Sunday 08:00", () => {
    const claims = section(output, "Who held Palmyra at Sun 11 Dec, 08:00").join("\n");
    expect(row(claims, "SOHR")).toEqual([
      "isis since Sat 10 Dec, evening",
      "regime since Sun 11 Dec, dawn",
    ]);
    expect(row(claims, "Russian MoD")).toEqual([
      "regime since Sun 11 Dec, overnight",
      "regime since Sun 11 Dec, overnight",
    ]);
    expect(claims).toContain(
      "as known Sun 11 Dec, 08:00: Palmyra (SOHR: isis, Russian MoD: regime)",
    );
    expect(claims).toContain("as known Sun 11 Dec, 20:00: none");
  });

  it("applies the correction only from the time it was recorded", () => {
    expect(output).toContain(
      "Correction, recorded Mon 12 Dec, 10:00 (ILLUSTRATIVE, not in the report)",
    );
    const correction = section(output, "Correction, recorded Mon 12 Dec, 10:00").join("\n");
    expect(row(correction, "Palmyra at Sun 11 Dec, 03h")).toEqual([
      "regime [Russian MoD]",
      "isis [SOHR]",
    ]);
    expect(row(correction, "contested at Sun 11 Dec, 15h")).toEqual(["Palmyra", "none"]);
    expect(correction).toContain(
      "history after:  isis Sat 10 Dec, evening; regime Sun 11 Dec, dawn; isis Sun 11 Dec, noon",
    );
  });

  it("keeps the report's facts: arrests without a count, the MoD's 64 strikes", () => {
    const events = section(output, "What the sources said").join("\n");
    expect(events).toMatch(/isis arrests in Palmyra \(no count given\)/);
    expect(events).toMatch(/64 strikes, 300 killed - "more than 300"/);
    expect(events).toMatch(/Sun 11 Dec, noon {6}Palmyra -> isis \(from regime\)/);
    expect(events).toMatch(/\[SOHR, Amaq\]/);
    expect(events).not.toMatch(/Retracted|retracts/); // recorded Monday: not known on Sunday
  });

  it("invents no minutes or hours for the report's vague times", () => {
    // Times of our own queries may be exact; remove them, then no clock time may remain.
    const queries = [
      "Sat 10 Dec, 00:00",
      "Sun 11 Dec, 08:00",
      "Sun 11 Dec, 20:00",
      "Mon 12 Dec, 09:00",
      "Mon 12 Dec, 10:00", // the illustrative retraction's recordedAt
      "Mon 12 Dec, 12:00",
      "Sun 11 Dec, 03h",
      "Sun 11 Dec, 15h",
    ];
    let rest = output;
    for (const query of queries) rest = rest.split(query).join("<query>");
    expect(rest).not.toMatch(/\d{1,2}:\d{2}/);
    expect(rest).not.toMatch(/\b\d{2}h\b/);
    for (const label of ["Sat 10 Dec, evening", "Sun 11 Dec, dawn", "Sun 11 Dec, noon"]) {
      expect(output).toContain(label);
    }
  });

  it("stays short", () => {
    expect(output.trimEnd().split("\n").length).toBeLessThanOrEqual(85);
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
    expect(row(output, "Russian MoD")).toEqual(["300 killed", "(1 of 2 reports give a figure)"]);
    expect(row(output, "SOHR")).toEqual(["no figure", "(0 of 9 reports give a figure)"]);
  });

  it("answers custom slices as of a knowledge time, and rejects bad input", () => {
    expect(output).toContain("sources as known Sat 10 Dec, 23:00: SOHR\n");
    expect(output).toContain("sources as known now:               SOHR, Russian MoD\n");
    expect(output).toContain("data.sides: ");
    expect(output).toContain("data.killed: ");
  });
});

describe("examples/format.ts", () => {
  const syria = {
    offsetMinutes: 120,
    labels: labelMap({ "2016-12-11T06:00+02:00": "dawn" }),
    omitYear: 2016,
  };
  const f = (input: string, precision?: Parameters<typeof formatTime>[1]) => {
    const parsed = parseTime(input);
    return formatTime(parsed.at, precision ?? parsed.precision, syria);
  };

  it("prints each precision, in local time", () => {
    expect(f("2016")).toBe("2016");
    expect(f("2016-03")).toBe("Mar 2016");
    expect(f("2016-12-11")).toBe("Sun 11 Dec");
    expect(f("2015-05-20")).toBe("Wed 20 May 2015");
    expect(f("2016-12-11T06:00+02:00", "hour")).toBe("Sun 11 Dec, dawn");
    expect(f("2016-12-11T12:00Z", "hour")).toBe("Sun 11 Dec, 14h");
    expect(f("2016-12-10T22:30Z")).toBe("Sun 11 Dec, 00:30");
  });
});
