// Test what ships: the built package answers from ESM and from CommonJS alike.

import assert from "node:assert/strict";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const esm = await import("tidemark");
const cjs = require("tidemark");

for (const [name, lib] of [
  ["import", esm],
  ["require", cjs],
]) {
  const timeline = lib.createTimeline();
  timeline.append({
    type: "Captured",
    at: "2016-12-10T18:00+02:00",
    data: { place: "palmyra", by: "isis" },
  });
  assert.equal(timeline.latest().control.palmyra.controller, "isis", name);
  assert.throws(
    () => timeline.append({ type: "Captured", at: "yesterday", data: {} }),
    lib.TimelineValidationError,
  );
  console.log(`dist via ${name}: ok`);
}
