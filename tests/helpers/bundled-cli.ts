/**
 * The `tidemark` command bundled from the source with esbuild (as tsup bundles it), run as a
 * child process.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll } from "vitest";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Bundles the command before the file's tests and removes the bundle after them; returns the
 * bundle's path, for a test that spawns it in its own way (as another user, under a limit).
 */
export function bundleCli(): string {
  // Inside the repository, so that the bundle's imports (zod, immer, csv-parse) resolve.
  const cache = mkdtempSync(join(root, "node_modules", ".cache-tidemark-cli-"));
  const cli = join(cache, "cli.mjs");
  beforeAll(async () => {
    await build({
      entryPoints: [join(root, "src/cli/main.ts")],
      outfile: cli,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      packages: "external",
      logLevel: "silent",
    });
  });
  afterAll(() => rmSync(cache, { recursive: true, force: true }));
  return cli;
}

/** Runs the bundle at `cli` in `cwd` with `stdin` as its standard input. */
export function cliRunner(
  cli: string,
  cwd: string,
): (args: readonly string[], stdin?: string) => Promise<CliRun> {
  return (args, stdin) =>
    new Promise((done, fail) => {
      const child = spawn(process.execPath, [cli, ...args], { cwd });
      let stdout = "";
      let stderr = "";
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
        stdout += chunk;
      });
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
        stderr += chunk;
      });
      child.on("error", fail);
      child.on("close", (code) => done({ code, stdout, stderr }));
      child.stdin.end(stdin ?? "");
    });
}

/**
 * Registers the bundling before the file's tests; returns the runner, which runs the command
 * in `cwd` (default: the repository) with `stdin` as its standard input.
 */
export function bundledCli(
  options: { readonly cwd?: string } = {},
): (args: readonly string[], stdin?: string) => Promise<CliRun> {
  return cliRunner(bundleCli(), options.cwd ?? root);
}
