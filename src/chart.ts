/**
 * `tidemark/chart`: an SVG chart of control over time, and the colours it gives each actor.
 * The same names as the package root's.
 *
 * @example
 * import { renderChart } from "tidemark/chart";
 * const svg = renderChart(timeline, { from: "2016-12-07", to: "2016-12-13" });
 *
 * @module
 */
export type { ChartOptions, ChartSource } from "./formats/chart.js";
export { renderChart } from "./formats/chart.js";
export { actorColors, NOBODY_COLOR, PALETTE } from "./formats/colors.js";
