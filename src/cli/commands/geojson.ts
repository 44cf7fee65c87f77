// `tidemark geojson FILE [--at T] [--areas | --history]`: places and their controllers as GeoJSON.

import type { toGeoJSONHistory } from "../../formats/geojson-history.js";
import { HistoryCache } from "../answers.js";
import type { Command } from "../command.js";
import { UsageError } from "../exit.js";
import { DOCUMENT_OUTPUT, QUERY, READING } from "../options.js";
import { answering, type Question } from "../read.js";
import { json } from "../table.js";

async function answer({ answers, places, args, zone }: Question): Promise<string> {
  if (places === undefined) {
    throw new UsageError(
      "geojson needs coordinates: give --places FILE (a registry with coordinates)",
    );
  }
  const query = args.query();
  if (args.flag("areas") && args.flag("history")) {
    throw new UsageError("give --areas or --history, not both");
  }
  if (args.flag("history")) {
    if (args.string("at") !== undefined) {
      throw new UsageError("--history takes --from and --to, not --at");
    }
    const from = args.time("from");
    const to = args.time("to");
    const { toGeoJSONHistory } = await import("../../formats/geojson-history.js");
    let source: Parameters<typeof toGeoJSONHistory>[0] | undefined = answers.timeline;
    if (source === undefined) {
      const cache = new HistoryCache(answers);
      await cache.fetch(Object.keys(places), query);
      source = cache;
    }
    return json(
      toGeoJSONHistory(source, places, {
        ...query,
        ...(from === undefined ? {} : { from }),
        ...(to === undefined ? {} : { to }),
        timeZone: zone.name,
      }),
    );
  }
  if (args.string("from") !== undefined || args.string("to") !== undefined) {
    throw new UsageError("--from and --to go with --history");
  }
  const at = args.time("at");
  const state = await answers.state(at, query);
  if (!args.flag("areas")) {
    const { toGeoJSON } = await import("../../formats/geojson.js");
    return json(toGeoJSON(state, places, { timeZone: zone.name }));
  }
  if (!Object.values(places).some((p) => p.geometry !== undefined)) {
    throw new UsageError(
      "--areas needs areas: give --places FILE with a geometry (GeoJSON Polygon or MultiPolygon) for some places",
    );
  }
  // Polygon clipping, loaded only for --areas.
  const { controlAreas } = await import("../../formats/areas.js");
  return json(controlAreas(state, places));
}

export const geojson: Command = {
  name: "geojson",
  summary: "places as GeoJSON points with their controller at a time",
  description:
    "Prints a GeoJSON FeatureCollection (RFC 7946): one feature per place with a geometry (its area) or coordinates (a Point), properties { id, name, controller, since, precision }. With --areas, one MultiPolygon per controller instead: the territory it holds (areas of places held by others cut out), properties { controller, places }. With --history, one feature per place and interval of control, properties { id, name, controller, start, end, fromPrecision, toPrecision } (ISO 8601; end absent while it lasts), for time-slider maps. The places come from --places, or from the ACLED file itself. The output is always JSON: there is no --json.",
  usage: "[--at T] [--places FILE] [--areas | --history [--from T] [--to T]]",
  options: {
    at: {
      type: "string",
      value: "time",
      usage: "--at T",
      help: "the instant (default: after every event)",
    },
    areas: {
      type: "boolean",
      usage: "--areas",
      help: "the territory of each controller (places need a geometry)",
    },
    history: {
      type: "boolean",
      usage: "--history",
      help: "every interval of control, with start and end (timed GeoJSON)",
    },
    from: {
      type: "string",
      value: "time",
      usage: "--from T",
      help: "--history: intervals still open at T",
    },
    to: { type: "string", value: "time", usage: "--to T", help: "--history: intervals begun by T" },
  },
  groups: [QUERY, READING, DOCUMENT_OUTPUT],
  example: "tidemark geojson events.ndjson --at 2016-12-11 --places places.json --out map.geojson",
  run: answering(answer),
};
