// The help text of the `tidemark` command, printed from each command's declaration
// (commands/*.ts): the single source of what it accepts. The docs paste `tidemark --help` and
// `tidemark <command> --help` from here.

import type { Command } from "./command.js";
import { COMMANDS } from "./commands/list.js";
import type { OptionGroup, OptionSpecs } from "./options.js";

export { COMMANDS };

const INPUT =
  '<file> is JSON (timeline.toJSON() output or an array of event inputs), NDJSON (one event\ninput per line), a CSV file (an ACLED export of any vintage, an ACLED deletions list or a\nUCDP GED file, told by its header), or a store: a SQLite file (.db, .sqlite, .sqlite3) or a\npostgres:// URL; "-" reads standard input.';
const TIMES = "Times are ISO 8601: 2016-12-11, 2016-12-11T08:00+02:00, 2016-W49, 2016-12.";
const NAMES =
  "Tables show each place's and actor's name from the registries beside its id, sorted by name.";
const EXIT =
  "Exit codes: 0 success, 1 invalid data (every problem on stderr), 2 bad usage (an option\nthe command does not take, a value missing or malformed).";

function optionLines(options: OptionSpecs): string[] {
  const specs = Object.values(options);
  const width = Math.max(...specs.map((o) => o.usage.length));
  return specs.map((o) => `  ${o.usage.padEnd(width)}  ${o.help}`);
}

function wrap(text: string, width = 88): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  if (line !== "") lines.push(line);
  return lines.join("\n");
}

/** The groups of options that several commands share, with the commands that take each. */
function sharedGroups(): { group: OptionGroup; commands: string[] }[] {
  const groups: { group: OptionGroup; commands: string[] }[] = [];
  for (const [name, command] of Object.entries(COMMANDS)) {
    for (const group of command.groups) {
      const known = groups.find((g) => g.group === group);
      if (known === undefined) groups.push({ group, commands: [name] });
      else known.commands.push(name);
    }
  }
  return groups.filter((g) => g.commands.length > 2);
}

/** `tidemark --help`. */
export function mainHelp(): string {
  const names = Object.keys(COMMANDS);
  const width = Math.max(...names.map((n) => n.length));
  const groups = sharedGroups();
  return [
    "Usage: tidemark <command> <file> [options]",
    "",
    "Answers questions about a timeline of territorial control kept in a file.",
    INPUT,
    "",
    "Commands:",
    ...names.map((name) => `  ${name.padEnd(width)}  ${COMMANDS[name]?.summary}`),
    "",
    ...groups.flatMap(({ group, commands }) => [
      `${group.title} (${commands.length === names.length ? "every command" : commands.join(", ")}):`,
      ...optionLines(group.options),
      "",
    ]),
    "Each command takes only its own options, and refuses any other (exit 2):",
    "`tidemark <command> --help` lists them.",
    TIMES,
    NAMES,
    EXIT,
    "",
  ].join("\n");
}

function commandUsage(name: string, command: Command): string {
  return `Usage: tidemark ${name} <file>${command.usage ? ` ${command.usage}` : ""} [options]`;
}

/** `tidemark <command> --help`: its usage, what it does, and every option it takes. */
export function commandHelp(name: string): string {
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (command === undefined) return mainHelp();
  const own = optionLines(command.options);
  return [
    commandUsage(name, command),
    "",
    wrap(command.description),
    "",
    INPUT,
    "",
    ...(own.length > 0 ? ["Options:", ...own, ""] : []),
    ...command.groups.flatMap((g) => [`${g.title}:`, ...optionLines(g.options), ""]),
    `Example: ${command.example}`,
    TIMES,
    EXIT,
    "",
  ].join("\n");
}
