// Vite config of the viewer (examples/viewer): `npm run viewer` serves it, `npm run viewer:build`
// writes static files to examples/viewer/dist.
//
// The page imports `tidemark` by its package name, as an app would. Where that name leads:
// - dev server (`vite`, `npm run viewer`): the package source, src/index.ts, so that edits to
//   the library reload the page;
// - build (`vite build`, `npm run viewer:build`): the package's built ESM entry, dist/index.js
//   (what the "import" condition of package.json `exports` gives an app), so the static site
//   is bundled from the very file that npm publishes. TIDEMARK_ENTRY overrides it (the
//   end-to-end test bundles a fresh ESM build made in a temporary folder).
// Either way a Node built-in reached from the page (`node:fs`, `fs`, ...) fails the build or
// the dev server: the core must run in browsers.

import { existsSync } from "node:fs";
import { builtinModules } from "node:module";
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** The package source (dev server). */
export const SOURCE_ENTRY = here("../../src/index.ts");
/** The package's built ESM entry (build). */
export const BUILT_ENTRY = here("../../dist/index.js");
/** Fixed address of `npm run viewer`. */
export const DEV_HOST = "127.0.0.1";
export const DEV_PORT = 5317;
export const PREVIEW_PORT = 5318;

const nodeBuiltins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/** Fails on any import of a Node built-in: Vite would otherwise stub it with a warning. */
export function noNodeBuiltins(): Plugin {
  return {
    name: "tidemark:no-node-builtins",
    enforce: "pre",
    resolveId(id, importer) {
      if (id.startsWith("node:") || nodeBuiltins.has(id)) {
        this.error(
          `${importer ?? "the page"} imports the Node built-in "${id}": the browser entry of tidemark must not use Node built-ins`,
        );
      }
      return null;
    },
  };
}

export default defineConfig(({ command }) => {
  const entry = process.env.TIDEMARK_ENTRY ?? (command === "serve" ? SOURCE_ENTRY : BUILT_ENTRY);
  if (!existsSync(entry)) {
    throw new Error(
      `${entry} does not exist: run \`npm run build\` first (or use npm run viewer:build)`,
    );
  }
  return {
    root: here("."),
    // Relative asset URLs: the built folder works from any path of any static web server.
    base: "./",
    resolve: { alias: [{ find: /^tidemark$/, replacement: entry }] },
    plugins: [noNodeBuiltins()],
    server: { host: DEV_HOST, port: DEV_PORT, strictPort: true },
    preview: { host: DEV_HOST, port: PREVIEW_PORT, strictPort: true },
    build: {
      outDir: here("dist"),
      emptyOutDir: true,
      target: "es2022",
      sourcemap: true,
      // The basemap (Syria's boundaries, Natural Earth's countries) is bundled for offline use.
      chunkSizeWarningLimit: 2000,
    },
    logLevel: "info",
  };
});
