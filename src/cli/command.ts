// What a command of `tidemark` is: its declaration (options, help) and what it runs.

import type { Arguments, DeclaredCommand } from "./options.js";

/** The streams a command writes to: data on stdout, everything else on stderr. */
export interface Io {
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
}

/** A command: its options and help, declared once, and what it does. */
export interface Command extends DeclaredCommand {
  readonly summary: string;
  /** Paragraph under the usage line of `tidemark <command> --help`. */
  readonly description: string;
  /** The command's arguments after `<file>`, as the usage line prints them. */
  readonly usage: string;
  readonly example: string;
  run(args: Arguments, io: Io): Promise<void>;
}
