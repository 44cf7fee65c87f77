// The options `import` takes for snapshots, apart from their reading (snapshots.ts), so that
// declaring the command loads no geometry.

import type { OptionSpecs } from "./options.js";

/** The options `import` takes for snapshots (declared with the command's own). */
export const SNAPSHOT_OPTIONS: OptionSpecs = {
  snapshots: {
    type: "boolean",
    usage: "--snapshots",
    help: "<file> is a folder (or one file) of dated maps of the front (DeepState GeoJSON); needs --places",
  },
  at: {
    type: "string",
    usage: "--at DATE",
    help: "with --snapshots: the date of a map whose file name carries none",
  },
  otherwise: {
    type: "string",
    usage: "--otherwise ACTOR",
    help: 'with --snapshots: who holds what no area covers (default "ukraine"; "" for nobody)',
  },
  debounce: {
    type: "string",
    usage: "--debounce N",
    help: "with --snapshots: report, not store, changes undone within N snapshots (default 0)",
  },
};
