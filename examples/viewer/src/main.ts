// The tidemark viewer: a timeline on a map, at any instant, as known at any time, according to
// any sources. Everything the map shows comes from the calls a map app makes, asked through a
// Source (dataset.ts): `stateAt(t, { asOf, sources })`, `toGeoJSON(state, places)`,
// `controlAreas(state, places)`, `contested(t, options)`, `claims`, `history`; the play button
// steps through the starts and ends of `toGeoJSONHistory(timeline, places)`, and the chart
// under the map shows each side's territory over time. The data is the Palmyra example, a file
// (opened, dropped, or named by `?file=`), or what `tidemark view` serves.
//
// The page's parts: state.ts (the view and the dataset), loading.ts (data in), controls.ts
// (sliders, sources, play), draw.ts (redraws), map.ts (the map), place-panel.ts,
// events-list.ts, legend.ts, series.ts (axis, ticks, chart), notices.ts, tooltip.ts.

import { map } from "./draw.js";
import { start } from "./loading.js";

window.tidemarkViewer = { project: (lon, lat) => map.project(lon, lat) };

void start();
