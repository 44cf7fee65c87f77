export type { ValidationIssue } from "./core/errors.js";
export { ReducerError, TimelineValidationError } from "./core/errors.js";
export type {
  AnyEventDefinition,
  BuiltinDefinition,
  EventDefinition,
  EventInput,
  EventOf,
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
export type { ParsedTime, Precision, TimeInput } from "./core/time.js";
export { PRECISIONS, parseTime } from "./core/time.js";
export type {
  Claim,
  ContestedPlace,
  DefinitionsFor,
  DiffEntry,
  EventsQuery,
  QueryOptions,
  StateFor,
  StateOf,
  Timeline,
  TimelineJSON,
  TimelineOptions,
} from "./core/timeline.js";
export { createTimeline, fromJSON } from "./core/timeline.js";
export type { AcledEvent, AcledImport, AcledRow, SkippedRow } from "./formats/acled.js";
export { fromAcled } from "./formats/acled.js";
export type { ChartOptions, ChartSource } from "./formats/chart.js";
export { renderChart } from "./formats/chart.js";
export { actorColors, NOBODY_COLOR, PALETTE } from "./formats/colors.js";
export type { PlaceFeature, PlaceFeatureCollection, PlaceProperties } from "./formats/geojson.js";
export { toGeoJSON } from "./formats/geojson.js";
export type { FileFormat, FileProblem, ParsedFile, ParseOptions } from "./formats/text.js";
export { detectFormat, parseEventsText } from "./formats/text.js";
export type { AppendOptions, DurableTimeline, OpenTimelineOptions } from "./stores/durable.js";
export { openTimeline } from "./stores/durable.js";
export type {
  AppendResult,
  EventRecord,
  EventStore,
  StoredRecord,
  StoreUnavailableReason,
} from "./stores/store.js";
export { ConcurrencyError, StoreCorruptionError, StoreUnavailableError } from "./stores/store.js";
