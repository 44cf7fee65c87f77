import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Runtime tests only; benchmarks live in bench/ and run via `npm run bench`.
    include: ["tests/**/*.test.ts"],
    // Type tests (expectTypeOf) are checked by tsc when vitest runs with --typecheck.
    typecheck: {
      enabled: true,
      include: ["tests/**/*.test-d.ts"],
      tsconfig: "./tsconfig.json",
    },
  },
});
