// Every command of `tidemark`, in the order the help lists them.

import type { Command } from "../command.js";
import { chart } from "./chart.js";
import { claims } from "./claims.js";
import { contested } from "./contested.js";
import { diff } from "./diff.js";
import { geojson } from "./geojson.js";
import { history } from "./history.js";
import { importCommand } from "./import.js";
import { sources } from "./sources.js";
import { state } from "./state.js";
import { validate } from "./validate.js";
import { view } from "./view.js";

/** The commands by name. */
export const COMMANDS: Readonly<Record<string, Command>> = {
  state,
  history,
  diff,
  claims,
  contested,
  sources,
  validate,
  geojson,
  import: importCommand,
  chart,
  view,
};
