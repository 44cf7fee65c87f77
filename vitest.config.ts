import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Runtime tests only; benchmarks live in bench/ and run via `npm run bench`.
    include: ["tests/**/*.test.ts"],
    // Many tests spawn the command line or a database server, whose start-up alone can take
    // seconds on a busy 2-core machine: a failure here is a wrong answer, not a slow one.
    testTimeout: 30_000,
    // Type tests (expectTypeOf) are checked by tsc when vitest runs with --typecheck.
    typecheck: {
      enabled: true,
      include: ["tests/**/*.test-d.ts"],
      tsconfig: "./tsconfig.json",
    },
  },
});
