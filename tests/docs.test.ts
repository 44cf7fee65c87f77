// The README and the pages of docs/ as a user meets them: every TypeScript block compiles
// (strict, under `module: node16` and under `moduleResolution: bundler`, all pages in one
// compilation) and runs against the packed package installed in a new project; every console
// transcript prints what it shows; every link leads somewhere; the packages the snippets need
// are named in the README. Markers that change how a block is checked are documented in
// tests/helpers/readme.ts and in docs/contributing.md ("How the docs are checked").
//
// Names the snippets use without defining them (`places`, `actors`, `events`, `inputs`,
// `correction`: the Palmyra example's data; `style`, `redraw`: a map app's) are declared for
// the compiler and set on globalThis when a snippet runs.

import { execFile, execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actors } from "../examples/palmyra/actors.js";
import { illustrativeCorrection, palmyraEvents } from "../examples/palmyra/events.js";
import { places } from "../examples/palmyra/places.js";
import { createTimeline } from "../src/index.js";
import { type Consumer, packedConsumer, SNIPPET_PACKAGES } from "./helpers/packed.js";
import { matches, pages, type Snippet, snippets, transcripts } from "./helpers/readme.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const PAGES = pages(root);
const README = (PAGES[0] as { text: string }).text;
/** A snippet with the page it is on. */
type Located = Snippet & { readonly file: string };
const SNIPPETS: Located[] = PAGES.flatMap(({ file, text }) =>
  snippets(text, file).map((s) => ({ ...s, file })),
);
const COMPILED = SNIPPETS.filter((s) => s.mode !== "fragment");
const RUN = SNIPPETS.filter((s) => s.mode === "run");
const TRANSCRIPTS = PAGES.flatMap(({ file, text }) =>
  transcripts(text, file).map((t) => ({ ...t, file })),
);
const TSC = join(root, "node_modules", "typescript", "bin", "tsc");
/** The module a snippet is compiled as: `docs/cli.md` line 12 is `docs-cli.md-line-12.ts`. */
const fileOf = (s: { file: string; line: number }) =>
  `${s.file.replace(/\//g, "-")}-line-${s.line}.ts`;
const pageOf = new Map(PAGES.map(({ file }) => [file.replace(/\//g, "-"), file]));

const GLOBALS_DTS = `import type { DefinitionsFor, InputOf, Registry } from "tidemark";
declare global {
  const places: Registry;
  const actors: Registry;
  const events: readonly InputOf<DefinitionsFor<[]>>[];
  const inputs: readonly InputOf<DefinitionsFor<[]>>[];
  const correction: InputOf<DefinitionsFor<[]>>;
  const style: string;
  function redraw(): void;
}
export {};
`;

function tsconfig(module: "node16" | "bundler"): object {
  return {
    compilerOptions: {
      target: "ES2022",
      lib: ["ES2022", "DOM"],
      strict: true,
      skipLibCheck: true,
      moduleDetection: "force",
      types: ["node"],
      ...(module === "node16"
        ? { module: "node16", moduleResolution: "node16", outDir: "out", rootDir: "snippets" }
        : { module: "esnext", moduleResolution: "bundler", noEmit: true }),
    },
    include: ["snippets"],
  };
}

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a program to its end (asynchronously, so that the checks run side by side). */
function exec(
  file: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<Run> {
  return new Promise((done) => {
    execFile(
      file,
      args,
      { ...options, encoding: "utf8", timeout: 240_000 },
      (error, stdout, stderr) =>
        done({
          code: error === null ? 0 : typeof error.code === "number" ? error.code : 1,
          stdout,
          stderr,
        }),
    );
  });
}

/** tsc's errors, each at its page and line, or "" when every snippet compiles. */
async function compile(consumer: Consumer, module: "node16" | "bundler"): Promise<string> {
  const config = `tsconfig.${module}.json`;
  writeFileSync(join(consumer.dir, config), JSON.stringify(tsconfig(module), null, 2));
  const run = await exec(process.execPath, [TSC, "-p", config], { cwd: consumer.dir });
  return `${run.stdout}${run.stderr}`.replace(
    /snippets\/(.+?)-line-(\d+)\.ts\((\d+),(\d+)\)/g,
    (_, page: string, line: string, row: string, col: string) =>
      `${pageOf.get(page) ?? page}:${Number(line) + Number(row)}:${col} (block at line ${line})`,
  );
}

let consumer: Consumer;
let compiled: Record<"node16" | "bundler", Promise<string>>;
beforeAll(() => {
  consumer = packedConsumer(root);
  const dir = consumer.dir;
  mkdirSync(join(dir, "snippets"));
  writeFileSync(join(dir, "snippets", "globals.d.ts"), GLOBALS_DTS);
  for (const s of COMPILED) writeFileSync(join(dir, "snippets", fileOf(s)), s.code);
  writeFileSync(
    join(dir, "globals.mjs"),
    [
      `globalThis.places = ${JSON.stringify(places)};`,
      `globalThis.actors = ${JSON.stringify(actors)};`,
      `globalThis.events = ${JSON.stringify(palmyraEvents)};`,
      "globalThis.inputs = globalThis.events;",
      `globalThis.correction = ${JSON.stringify(illustrativeCorrection)};`,
      'globalThis.style = "https://demotiles.maplibre.org/style.json";',
      "globalThis.redraw = () => {};",
      "",
    ].join("\n"),
  );
  // The files the transcripts read, as `npm run example` writes them.
  const out = join(dir, "examples", "out");
  mkdirSync(out, { recursive: true });
  const palmyra = createTimeline({ places, actors });
  palmyra.appendAll(palmyraEvents);
  writeFileSync(join(out, "palmyra.json"), `${JSON.stringify(palmyra.toJSON(), null, 2)}\n`);
  writeFileSync(join(out, "places.json"), `${JSON.stringify(places, null, 2)}\n`);
  writeFileSync(join(out, "actors.json"), `${JSON.stringify(actors, null, 2)}\n`);
  mkdirSync(join(dir, "examples", "acled"));
  copyFileSync(
    join(root, "examples", "acled", "sample.csv"),
    join(dir, "examples", "acled", "sample.csv"),
  );
  // Both compilations start now; the node16 one also writes the JavaScript the runs need.
  compiled = { node16: compile(consumer, "node16"), bundler: compile(consumer, "bundler") };
}, 300_000);
afterAll(() => consumer?.cleanup());

describe.concurrent("TypeScript blocks of the README and docs/, against the packed package", () => {
  it("has blocks to check on the README and on the guides", () => {
    expect(COMPILED.filter((s) => s.file === "README.md").length).toBeGreaterThan(1);
    expect(COMPILED.filter((s) => s.file !== "README.md").length).toBeGreaterThan(10);
  });

  it("compile, strict, with module and moduleResolution node16", async () => {
    expect(await compiled.node16).toBe("");
  }, 300_000);

  it("compile, strict, with moduleResolution bundler", async () => {
    expect(await compiled.bundler).toBe("");
  }, 300_000);

  it.each(RUN.map((s) => [`${s.file}:${s.line}`, s] as const))(
    "the block at %s runs without an error",
    async (_, snippet) => {
      await compiled.node16;
      const cwd = join(consumer.dir, "run", fileOf(snippet).replace(/\.ts$/, ""));
      mkdirSync(cwd, { recursive: true });
      // Files the snippets read: ACLED exports (one, then a week's revisions and deletions),
      // a UCDP GED extract and an NDJSON file of events.
      for (const [from, to] of [
        ["examples/acled/sample.csv", "acled-syria.csv"],
        ["tests/fixtures/acled/dates-iso.csv", "acled-2019-12-13.csv"],
        ["tests/fixtures/acled/revised.csv", "acled-2019-12-27.csv"],
        ["tests/fixtures/acled/deletions.csv", "acled-deletions.csv"],
        ["tests/fixtures/ucdp/ged-extract.csv", "ged-syria.csv"],
      ] as const) {
        copyFileSync(join(root, from), join(cwd, to));
      }
      writeFileSync(
        join(cwd, "events.ndjson"),
        palmyraEvents.map((e) => `${JSON.stringify(e)}\n`).join(""),
      );
      const globals = pathToFileURL(join(consumer.dir, "globals.mjs")).href;
      const script = join(consumer.dir, "out", fileOf(snippet).replace(/\.ts$/, ".js"));
      const run = await exec(process.execPath, ["--import", globals, script], { cwd });
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
    },
    // Waits for the compilation first, which a machine under load may take minutes over.
    360_000,
  );
});

describe.concurrent("console transcripts of the docs, against the packed tidemark command", () => {
  it.each(TRANSCRIPTS.map((t) => [`${t.file}:${t.line}`, t.command, t] as const))(
    "%s $ %s",
    async (_, _command, transcript) => {
      const run = await exec("sh", ["-c", transcript.command], {
        cwd: consumer.dir,
        env: {
          ...process.env,
          PATH: `${join(consumer.dir, "node_modules", ".bin")}:${process.env.PATH}`,
        },
      });
      const printed = `${run.stdout}${run.stderr}`.replace(/\n$/, "").split("\n");
      if (!matches(transcript.expected, printed)) {
        // Equal only when the "..." lines are dropped: shows the difference plainly.
        expect(printed.join("\n")).toBe(transcript.expected.join("\n"));
      }
    },
    60_000,
  );
});

const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, "")
    .replace(/\s/g, "-");
/** The anchors of a page's headings, as GitHub makes them. */
function anchors(text: string): Set<string> {
  const out = new Set<string>();
  let fenced = false;
  for (const line of text.split("\n")) {
    if (line.startsWith("```")) fenced = !fenced;
    else if (!fenced && /^#{1,6} /.test(line)) out.add(slug(line.replace(/^#+ /, "")));
  }
  return out;
}

describe("links and packages of the docs", () => {
  it.each(PAGES.map((page) => [page.file, page] as const))(
    "%s links only to files and headings that exist",
    (_, page) => {
      const broken: string[] = [];
      for (const m of page.text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1] as string;
        if (/^[a-z]+:/.test(target)) continue; // https:, mailto:
        const [path, anchor] = target.split("#") as [string, string | undefined];
        const file = path === "" ? page.file : join(dirname(page.file), path);
        if (!existsSync(join(root, file))) {
          broken.push(target);
          continue;
        }
        if (anchor === undefined) continue;
        const text = file === page.file ? page.text : readFileSync(join(root, file), "utf8");
        if (!anchors(text).has(anchor)) broken.push(target);
      }
      expect(broken).toEqual([]);
    },
  );

  it("lists every page of docs/ in its index, docs/README.md", () => {
    const index = (PAGES.find((p) => p.file === "docs/README.md") as { text: string }).text;
    const guides = PAGES.map((p) => p.file).filter(
      (f) => f.startsWith("docs/") && f !== "docs/README.md",
    );
    expect(guides.filter((f) => !index.includes(`](${f.slice("docs/".length)})`))).toEqual([]);
  });

  it("names in its Install section every package its snippets import", () => {
    const install = README.slice(README.indexOf("## Install"), README.indexOf("## Quick start"));
    const imported = new Set<string>();
    for (const s of SNIPPETS) {
      for (const m of s.code.matchAll(/from "([^"]+)"/g)) {
        const spec = m[1] as string;
        if (spec.startsWith("node:") || spec.startsWith(".") || spec.startsWith("tidemark"))
          continue;
        const parts = spec.split("/");
        imported.add(spec.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] as string));
      }
    }
    expect([...imported].filter((name) => !install.includes(`\`${name}`))).toEqual([]);
    // The consumer project has them: the packages the check links are those the README names.
    expect(
      [...imported].filter((name) => !(SNIPPET_PACKAGES as readonly string[]).includes(name)),
    ).toEqual([]);
  });

  it("imports every subpath export of the package in a snippet", () => {
    const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
      exports: Record<string, unknown>;
    };
    const subpaths = Object.keys(manifest.exports)
      .filter((path) => path !== "." && path !== "./package.json")
      .map((path) => `tidemark/${path.slice(2)}`);
    expect(subpaths.length).toBeGreaterThan(5);
    const imported = new Set(
      COMPILED.flatMap((s) => [...s.code.matchAll(/^import .* from "([^"]+)";/gm)]).map(
        (m) => m[1],
      ),
    );
    expect(subpaths.filter((path) => !imported.has(path))).toEqual([]);
  });

  it("names every export of the package root in docs/api.md", () => {
    const reference = readFileSync(join(root, "docs", "api.md"), "utf8");
    const index = readFileSync(join(root, "src", "index.ts"), "utf8");
    const exported = [...index.matchAll(/export (?:type )?\{([^}]*)\}/g)].flatMap((m) =>
      (m[1] as string)
        .split(",")
        .map((name) => name.replace(/^\s*type\s+/, "").trim())
        .filter((name) => name !== ""),
    );
    expect(exported.length).toBeGreaterThan(20);
    expect(exported.filter((name) => !reference.includes(`\`${name}`))).toEqual([]);
  });

  it("has a tarball that holds the build and no sources", () => {
    const files = execFileSync("tar", ["-tzf", consumer.tarball], { encoding: "utf8" });
    expect(files).toContain("package/dist/index.js");
    expect(files).toContain("package/dist/cli.js");
    expect(files).not.toContain("package/src/");
  });
});
