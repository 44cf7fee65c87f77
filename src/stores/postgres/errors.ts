/** How PostgreSQL's failures reach the caller, and how a server is named without a password. */

/** SQLSTATE classes and codes of a server that went away or cannot take connections. */
const LOST_STATES = /^(?:08|57P0[1-3]|53300)/;
/** Node's and pg's own words for a connection that could not be made or was lost. */
const LOST_WORDS =
  /ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN|Connection terminated|connection timeout|Client has encountered a connection error|not queryable|the database system is (?:starting up|shutting down|in recovery)/i;

/** Whether an error says that the server went away or refused the connection. */
export function isLost(error: unknown): boolean {
  const code = String((error as { code?: unknown } | null)?.code ?? "");
  if (LOST_STATES.test(code)) return true;
  const message = (error as { message?: unknown } | null)?.message;
  return LOST_WORDS.test(`${code} ${typeof message === "string" ? message : ""}`);
}

/** Whether the server reports damaged data (`data_corrupted`, `index_corrupted`). */
export function isCorruption(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "XX001" || code === "XX002";
}

/** A connection string with its password replaced by `***`, to name it in messages. */
export function redactConnection(connection: string): string {
  try {
    const url = new URL(connection);
    if (url.password !== "") url.password = "***";
    for (const key of [...url.searchParams.keys()]) {
      if (/pass/i.test(key)) url.searchParams.set(key, "***");
    }
    return url.toString();
  } catch {
    return connection
      .replace(/(:\/\/[^:/@]*:)[^@]*@/, "$1***@")
      .replace(/(password=)\S*/gi, "$1***");
  }
}

/** Host, port and database of a connection string, for messages. */
export function server(connection: string): string {
  try {
    const url = new URL(connection);
    return `${url.host}${url.pathname}`;
  } catch {
    return "the configured server";
  }
}
