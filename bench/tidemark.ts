/**
 * The package the benchmark measures: the built `dist/` (what users run), loaded by path so
 * that type checking does not need a build. `npm run bench` builds it first. Running the
 * source through tsx would add its helpers (`__name` wrappers) to every call.
 */
import type * as Tidemark from "../src/index.js";

const built = new URL("../dist/index.js", import.meta.url).href;
export const tidemark = (await import(built)) as typeof Tidemark;
