// The package as users get it: a fresh `npm run build` and `npm pack` of a copy of the
// project (so that the project's own dist/ is left alone), unpacked into a new consumer
// project. The consumer needs no network: tidemark's dependencies, and the packages the
// README's snippets use, are linked from this project's node_modules, where `npm ci` put
// them, as `npm install` would place them.

import { execFileSync } from "node:child_process";
import {
  chmodSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** Packages the README's snippets import besides tidemark (also named in its Install section). */
export const SNIPPET_PACKAGES = [
  "zod",
  "csv-parse",
  "leaflet",
  "@types/leaflet",
  "better-sqlite3",
  "pg",
  "@types/node",
  "@types/geojson",
] as const;

/** A consumer project with the packed tidemark installed. */
export interface Consumer {
  readonly dir: string;
  /** The tarball `npm pack` wrote. */
  readonly tarball: string;
  /** Removes the consumer and the build copy. */
  cleanup(): void;
}

const PROJECT_FILES = [
  "package.json",
  "tsup.config.ts",
  "tsconfig.json",
  "README.md",
  "CHANGELOG.md",
  "LICENSE",
  "src",
  // The map page (examples/viewer, with the Palmyra example it opens on) is built into
  // dist/viewer by `npm run build`.
  "examples",
];

function link(consumer: string, root: string, name: string): void {
  const target = join(root, "node_modules", name);
  const path = join(consumer, "node_modules", name);
  mkdirSync(dirname(path), { recursive: true });
  symlinkSync(target, path, "dir");
}

/** Builds and packs the project at `root`, and installs the tarball into a new consumer. */
export function packedConsumer(root: string): Consumer {
  const work = mkdtempSync(join(tmpdir(), "tidemark-docs-"));
  const copy = join(work, "project");
  for (const name of PROJECT_FILES) cpSync(join(root, name), join(copy, name), { recursive: true });
  symlinkSync(join(root, "node_modules"), join(copy, "node_modules"), "dir");
  const npm = { cwd: copy, stdio: "pipe", encoding: "utf8" } as const;
  execFileSync("npm", ["run", "build"], npm);
  // Built just above: `--ignore-scripts` skips the prepack build, whose output would also
  // land on stdout, before the JSON.
  const packed = JSON.parse(
    execFileSync("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", work], npm),
  ) as { filename: string }[];
  const tarball = join(work, (packed[0] as { filename: string }).filename);

  const dir = join(work, "consumer");
  const installed = join(dir, "node_modules", "tidemark");
  mkdirSync(installed, { recursive: true });
  execFileSync("tar", ["-xzf", tarball, "-C", installed, "--strip-components=1"]);
  const manifest = JSON.parse(readFileSync(join(installed, "package.json"), "utf8")) as {
    dependencies?: Record<string, string>;
    bin?: Record<string, string>;
  };
  const needed = new Set([...Object.keys(manifest.dependencies ?? {}), ...SNIPPET_PACKAGES]);
  for (const name of needed) link(dir, root, name);
  mkdirSync(join(dir, "node_modules", ".bin"), { recursive: true });
  for (const [name, path] of Object.entries(manifest.bin ?? {})) {
    chmodSync(join(installed, path), 0o755);
    symlinkSync(join("..", "tidemark", path), join(dir, "node_modules", ".bin", name));
  }
  writeFileSync(
    join(dir, "package.json"),
    `${JSON.stringify({ name: "consumer", private: true, type: "module" }, null, 2)}\n`,
  );
  return { dir, tarball, cleanup: () => rmSync(work, { recursive: true, force: true }) };
}
