import { defineConfig } from "tsup";

// With "type": "module" tsup writes dist/index.js (ESM), dist/index.cjs (CJS),
// dist/index.d.ts and dist/index.d.cts, matching the "exports" map in package.json.
export default defineConfig({
  entry: { index: "src/index.ts" },
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "node20",
  platform: "node",
  outDir: "dist",
  splitting: false,
  treeshake: true,
});
