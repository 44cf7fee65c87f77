// `tidemark reindex STORE`: rebuilds a store's read models from its log in one pass (the
// remedy a reader names for a missing or stale read model), with progress on a terminal.

import { openStore } from "../../stores/open.js";
import { reindex } from "../../stores/reindex.js";
import { REDUCERS } from "../input.js";
import { readStoreRegistries } from "../registries.js";

/** Rebuilds the read models of the store at `location`; reports on `stderr`. */
export async function reindexCommand(location: string, stderr: NodeJS.WriteStream): Promise<void> {
  const registries = await readStoreRegistries(location);
  const store = openStore(location, { create: false });
  const started = Date.now();
  try {
    const done = await reindex({
      store,
      reducers: REDUCERS,
      ...(registries === undefined ? {} : { places: registries.places }),
      onProgress: (done, total) => {
        if (stderr.isTTY) stderr.write(`\rreindex: ${done} of ${total} events`);
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
