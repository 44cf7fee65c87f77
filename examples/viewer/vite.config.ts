// Vite config of the viewer (examples/viewer). `npm run build` runs `vite build` after tsup and
// writes the page to dist/viewer, which ships in the package and `tidemark view` serves;
// `npm run viewer` serves it from source with live reload.
//
// The page imports `tidemark` by its package name, as an app would; it leads to the package
// source (src/index.ts), the same modules the page's shared view model (src/cli/view-model.ts)
// imports, so that the page holds one copy of the library. A Node built-in reached from the
// page (`node:fs`, `fs`, ...) fails the build or the dev server: the core must run in browsers.
// Everything the page needs (Leaflet, supercluster, the basemap) is bundled: it reads nothing
// from off the machine.

import { builtinModules } from "node:module";
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** The package source (dev server). */
export const SOURCE_ENTRY = here("../../src/index.ts");
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

export default defineConfig({
  root: here("."),
  // Relative asset URLs: the built folder works from any path of any static web server.
  base: "./",
  resolve: { alias: [{ find: /^tidemark$/, replacement: SOURCE_ENTRY }] },
  plugins: [noNodeBuiltins()],
  server: { host: DEV_HOST, port: DEV_PORT, strictPort: true },
  preview: { host: DEV_HOST, port: PREVIEW_PORT, strictPort: true },
  build: {
    outDir: here("../../dist/viewer"),
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    // The basemap (Syria's boundaries, Natural Earth's countries) is bundled for offline use.
    chunkSizeWarningLimit: 2000,
  },
  logLevel: "info",
});
