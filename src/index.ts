export * from "./acled.js";
export * from "./chart.js";
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
export type { CsvOptions } from "./formats/csv-collector.js";
export type { CsvTable } from "./formats/csv-table.js";
export { detectCsvTable } from "./formats/csv-table.js";
export { detectFormat } from "./formats/detect.js";
export type { FileFormat, FileProblem, ParsedFile } from "./formats/parsed-file.js";
export type { ParseOptions } from "./formats/text.js";
export { parseEventsText } from "./formats/text.js";
export * from "./geojson.js";
export * from "./snapshots.js";
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
export * from "./ucdp.js";
