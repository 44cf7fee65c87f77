import { defineConfig } from "tsup";

// With "type": "module" tsup writes dist/index.js (ESM), dist/index.cjs (CJS),
// dist/index.d.ts and dist/index.d.cts (and the same for each subpath: acled, ucdp, geojson,
// chart, sqlite, postgres), matching the "exports" map in package.json,
// and dist/cli.js, the `tidemark` command (ESM only, Node only; package.json "bin").
//
// The library imports csv-parse's self-contained browser build ("csv-parse/browser/esm/sync",
// ESM), so that CSV parsing also runs in browsers; the CommonJS build requires it too, which
// Node >= 20.19 (our floor) does natively (require of an ES module).
export default defineConfig([
  {
    // tidemark/sqlite and tidemark/postgres: their drivers are optional peer dependencies,
    // imported when a store is first used, never bundled.
    entry: {
      index: "src/index.ts",
      acled: "src/acled.ts",
      ucdp: "src/ucdp.ts",
      geojson: "src/geojson.ts",
      chart: "src/chart.ts",
      sqlite: "src/stores/sqlite.ts",
      postgres: "src/stores/postgres.ts",
      snapshots: "src/snapshots.ts",
    },
    external: ["better-sqlite3", "pg"],
    // martinez-polygon-clipping's own CommonJS build fails ("is not a constructor": its
    // dependencies' default exports), so both builds carry it, bundled from its ES modules.
    noExternal: ["martinez-polygon-clipping"],
    format: ["esm", "cjs"],
    dts: true,
    sourcemap: true,
    clean: true,
    target: "node20",
    platform: "node",
    outDir: "dist",
    splitting: false,
    treeshake: true,
  },
  {
    entry: { cli: "src/cli/main.ts" },
    format: ["esm"],
    dts: false,
    sourcemap: true,
    // The library build above cleans dist/ (both builds run at once: only one may clean).
    clean: false,
    target: "node20",
    platform: "node",
    outDir: "dist",
    // What a command imports with import() (a file's readers, a store's reader, the chart,
    // polygon clipping) goes to chunks of its own (dist/cli-chunks/), loaded only by the
    // commands that use it: `tidemark --help` does not parse them.
    splitting: true,
    esbuildOptions(options) {
      options.chunkNames = "cli-chunks/[name]-[hash]";
    },
    treeshake: true,
  },
]);
