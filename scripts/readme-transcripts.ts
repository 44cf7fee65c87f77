// Rewrites the output shown under each "$ tidemark …" line of the console transcripts in
// README.md and docs/*.md with what the command prints now (stdout, then stderr), for when the command's output
// changes on purpose. Outputs that still match (a "..." line standing for any lines) are kept.
// Run after `npm run example`, which writes the files the transcripts read:
//   npx tsx scripts/readme-transcripts.ts
// tests/docs.test.ts checks the same transcripts against the packed package.

import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { matches, pages, transcripts } from "../tests/helpers/readme.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

// `tidemark` on the PATH: the command from the sources.
const bin = mkdtempSync(join(tmpdir(), "tidemark-bin-"));
const shim = join(bin, "tidemark");
writeFileSync(shim, `#!/bin/sh\nexec node --import tsx "${join(root, "src/cli/main.ts")}" "$@"\n`);
chmodSync(shim, 0o755);

let changed = 0;
for (const { file } of pages(root)) {
  const path = join(root, file);
  const lines = readFileSync(path, "utf8").split("\n");
  // From the last transcript up, so that line numbers above stay right.
  for (const t of transcripts(lines.join("\n"), file).reverse()) {
    const run = spawnSync("sh", ["-c", t.command], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
    });
    const printed = `${run.stdout}${run.stderr}`.replace(/\n$/, "").split("\n");
    if (matches(t.expected, printed)) continue;
    lines.splice(t.line, t.expected.length, ...printed);
    changed += 1;
    console.log(`${file}:${t.line}: $ ${t.command}`);
  }
  writeFileSync(path, lines.join("\n"));
}
rmSync(bin, { recursive: true, force: true });
console.log(`${changed} transcript${changed === 1 ? "" : "s"} rewritten`);
