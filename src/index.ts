export type { AcledEvent, AcledImport, AcledRow, SkippedRow } from "./acled.js";
export { fromAcled } from "./acled.js";
export type { ChartOptions, ChartSource } from "./chart.js";
export { renderChart } from "./chart.js";
export { actorColors, NOBODY_COLOR, PALETTE } from "./colors.js";
export type { AppendOptions, DurableTimeline, OpenTimelineOptions } from "./durable.js";
export { openTimeline } from "./durable.js";
export type { ValidationIssue } from "./errors.js";
export { ReducerError, TimelineValidationError } from "./errors.js";
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
} from "./events.js";
export { Airstrike, Arrests, Captured, defineEvent, Retracted, Withdrew } from "./events.js";
export type { FileFormat, FileProblem, ParsedFile, ParseOptions } from "./formats.js";
export { detectFormat, parseEventsText } from "./formats.js";
export type { PlaceFeature, PlaceFeatureCollection, PlaceProperties } from "./geojson.js";
export { toGeoJSON } from "./geojson.js";
export type {
  Handler,
  OnHandlers,
  Reducer,
  ReducerConfig,
  ReducerEvent,
  SliceOf,
} from "./reducers.js";
export { defineReducer } from "./reducers.js";
export type { Registry, RegistryEntry } from "./registry.js";
export type {
  AirstrikeEntry,
  ArrestsEntry,
  BuiltinState,
  ControlEntry,
  ControlInterval,
} from "./slices.js";
export type { AppendResult, EventRecord, EventStore, StoredRecord } from "./store.js";
export { ConcurrencyError, StoreCorruptionError } from "./store.js";
export type { ParsedTime, Precision, TimeInput } from "./time.js";
export { PRECISIONS, parseTime } from "./time.js";
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
} from "./timeline.js";
export { createTimeline, fromJSON } from "./timeline.js";
