// `tidemark reindex STORE`: rebuilds a store's read models from its log in one pass (the
// remedy a reader names for a missing or stale read model), with progress on a terminal.

import { parseArgs } from "node:util";
import { openStore } from "../../stores/open.js";
import { reindex as rebuild } from "../../stores/reindex.js";
import { UsageError } from "../exit.js";
import { REDUCERS } from "../kept-slices.js";
import { readStoreRegistries } from "../registries.js";

const HELP = `Usage: tidemark reindex STORE

Rebuilds, in one pass and one transaction, the read models that readers answer from: the
built-in slices, each source's claims and fatalities. A reader that meets a missing or stale
read model (a store written by an earlier version) names this command. Readers see the old
read models until it commits. STORE is a SQLite file or a postgres:// URL.

Example: tidemark reindex acled.db
`;

/** Runs `tidemark reindex` with `argv` (the command's name first). */
export async function reindex(
  argv: readonly string[],
  io: { readonly stdout: NodeJS.WritableStream; readonly stderr: NodeJS.WriteStream },
): Promise<void> {
  let parsed: { values: { help?: boolean }; positionals: string[] };
  try {
    parsed = parseArgs({
      args: argv.slice(1),
      options: { help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(`reindex: ${(error as Error).message} (reindex takes STORE only)`);
  }
  if (parsed.values.help) {
    io.stdout.write(HELP);
    return;
  }
  const [location, ...rest] = parsed.positionals;
  if (location === undefined || rest.length > 0) {
    throw new UsageError("reindex: give one STORE (a SQLite file or a postgres:// URL)");
  }
  const registries = await readStoreRegistries(location);
  const store = openStore(location, { create: false });
  const { stderr } = io;
  const started = Date.now();
  try {
    const done = await rebuild({
      store,
      reducers: REDUCERS,
      ...(registries === undefined ? {} : { places: registries.places }),
      onProgress: (count, total) => {
        if (stderr.isTTY) stderr.write(`\rreindex: ${count} of ${total} events`);
      },
    });
    if (stderr.isTTY) stderr.write("\n");
    stderr.write(
      `reindex: ${done} events indexed in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
    );
  } finally {
    await store.close();
  }
}
