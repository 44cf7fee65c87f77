// tidemark/snapshots: dated maps of the front (DeepState's exports) into events for a
// registry of places from a gazetteer. The same names are exported from the root.

export type {
  DeepStateOptions,
  DeepStateSnapshot,
  UnclassifiedFeature,
} from "./formats/deepstate.js";
export { fromDeepState } from "./formats/deepstate.js";
export type { GeoNamesOptions, GeoNamesRow } from "./formats/geonames.js";
export { placesFromGeoNames } from "./formats/geonames.js";
export type {
  SnapshotFile,
  SnapshotFileProblem,
  SnapshotFilesOptions,
} from "./formats/snapshot-files.js";
export { fromSnapshotFiles, snapshotDate } from "./formats/snapshot-files.js";
export type {
  SideArea,
  SkippedSnapshotItem,
  Snapshot,
  SnapshotArea,
  SnapshotChange,
  SnapshotEvent,
  SnapshotImport,
  SnapshotOptions,
  SnapshotReport,
} from "./formats/snapshots.js";
export { fromSnapshots } from "./formats/snapshots.js";
