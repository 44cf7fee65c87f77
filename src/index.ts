export type { ValidationIssue } from "./core/errors.js";
export { ReducerError, TimelineValidationError } from "./core/errors.js";
export type {
  AnyEventDefinition,
  BuiltinDefinition,
  EventDefinition,
  EventInput,
  EventOf,
  EventOptions,
  EventRefs,
  InputOf,
  Source,
  TimelineEvent,
} from "./core/events.js";
export {
  Airstrike,
  Arrests,
  Captured,
  defineEvent,
  Held,
  Retracted,
  Withdrew,
} from "./core/events.js";
export type { FormatTimeOptions } from "./core/format-time.js";
export { formatSpan, formatTime } from "./core/format-time.js";
export type {
  AreaGeometry,
  MultiPolygonGeometry,
  PolygonGeometry,
  Position,
} from "./core/geometry.js";
export type {
  Handler,
  OnHandlers,
  Reducer,
  ReducerConfig,
  ReducerEvent,
  SliceOf,
} from "./core/reducers.js";
export { defineReducer } from "./core/reducers.js";
export type { Registry, RegistryEntry } from "./core/registry.js";
export type {
  AirstrikeEntry,
  ArrestsEntry,
  BuiltinState,
  ControlEntry,
  ControlInterval,
} from "./core/slices.js";
export type { ParsedTime, ParseTimeOptions, Precision, TimeInput } from "./core/time.js";
export { PRECISIONS, parseTime } from "./core/time.js";
export type {
  Claim,
  ContestedPlace,
  DefinitionsFor,
  DiffEntry,
  EventsQuery,
  PlaceClaims,
  QueryOptions,
  SourceCount,
  StateFor,
  StateOf,
  Timeline,
  TimelineJSON,
  TimelineOptions,
} from "./core/timeline.js";
export { createTimeline, fromJSON } from "./core/timeline.js";
export type {
  AcledDeletions,
  AcledEvent,
  AcledImport,
  AcledOptions,
  AcledRow,
  DateOrder,
  EventSource,
  RetractedInput,
  SkippedRow,
} from "./formats/acled.js";
export { acledDeletions, fromAcled } from "./formats/acled.js";
export type { AreaFeature, AreaFeatureCollection, AreaProperties } from "./formats/areas.js";
export { controlAreas } from "./formats/areas.js";
export type { ChartOptions, ChartSource } from "./formats/chart.js";
export { renderChart } from "./formats/chart.js";
export { actorColors, NOBODY_COLOR, PALETTE } from "./formats/colors.js";
export type { CsvOptions } from "./formats/csv-collector.js";
export type { CsvTable } from "./formats/csv-table.js";
export { detectCsvTable } from "./formats/csv-table.js";
export type {
  DeepStateOptions,
  DeepStateSnapshot,
  UnclassifiedFeature,
} from "./formats/deepstate.js";
export { fromDeepState } from "./formats/deepstate.js";
export { detectFormat } from "./formats/detect.js";
export { Fatalities, fatalities } from "./formats/fatalities.js";
export type {
  GeoJSONOptions,
  PlaceFeature,
  PlaceFeatureCollection,
  PlaceProperties,
  PointGeometry,
} from "./formats/geojson.js";
export { toGeoJSON } from "./formats/geojson.js";
export type {
  HistoryOptions,
  IntervalFeature,
  IntervalFeatureCollection,
  IntervalProperties,
} from "./formats/geojson-history.js";
export { toGeoJSONHistory } from "./formats/geojson-history.js";
export type { GeoNamesOptions, GeoNamesRow } from "./formats/geonames.js";
export { placesFromGeoNames } from "./formats/geonames.js";
export type { FileFormat, FileProblem, ParsedFile } from "./formats/parsed-file.js";
export type { PlaceChange } from "./formats/places.js";
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
export type { ParseOptions } from "./formats/text.js";
export { parseEventsText } from "./formats/text.js";
export type { UcdpEvent, UcdpImport, UcdpOptions, UcdpRow } from "./formats/ucdp.js";
export { fromUcdpGed } from "./formats/ucdp.js";
export type { AppendOptions, DurableTimeline, OpenTimelineOptions } from "./stores/durable.js";
export { openTimeline } from "./stores/durable.js";
export type { OpenReaderOptions, Reader, ReaderEventsQuery } from "./stores/reader.js";
export { openReader, ReadModelError } from "./stores/reader.js";
export type { ReindexOptions } from "./stores/reindex.js";
export { reindex } from "./stores/reindex.js";
export type {
  AppendResult,
  EventRecord,
  EventStore,
  RegistryRecord,
  StoredRecord,
  StoreUnavailableReason,
} from "./stores/store.js";
export { ConcurrencyError, StoreCorruptionError, StoreUnavailableError } from "./stores/store.js";
