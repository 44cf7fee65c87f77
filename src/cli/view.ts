// `tidemark view FILE|STORE [--port N]`: serves the map page that ships in the package
// (dist/viewer) and a small JSON API over the data on 127.0.0.1 only, prints the URL, and runs
// until Ctrl-C. The page asks the API what it shows at each instant, so that a store of 10^6
// events stays on this side:
//
//   GET api/meta                      registries, sources, actors, time range, skipped rows
//   GET api/state?at=&asOf=&source=   the map at an instant (control entries, controlAreas,
//                                     contested): the page has the places' geometry
//   GET api/place?id=&at=...          a place's control, claims, history and activity
//   GET api/events?at=...             the events around an instant
//   GET api/ticks|changes|territory?asOf=&source=&start=&end=&step=
//                                     slider ticks, changes of hand, each side's territory
//   GET api/timed?asOf=&source=       toGeoJSONHistory, for the download button
//
// `source` repeats, one name each; times are epoch milliseconds.

import { existsSync, readFileSync, statSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { LoadOptions } from "./input.js";
import { openViewData, type ViewData } from "./view-data.js";
import { DEFAULT_PORT } from "./view-port.js";
import type { ViewQuery, Window } from "./view-types.js";

const MIME: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".woff2": "font/woff2",
};

/** Put in the page's head when this server serves it: the page then asks the API. */
const API_MARKER = '<meta name="tidemark-view" content="api/">';

/** A request the API cannot answer as asked: 400 with the reason. */
class BadRequest extends Error {}

/**
 * Where the built page is: dist/viewer, seen from dist/cli.js, from the chunk this module is
 * bundled into (dist/cli-chunks/), or from the source tree.
 */
export function viewerDirectory(): string | undefined {
  const candidates = [
    fileURLToPath(new URL("./viewer/", import.meta.url)),
    fileURLToPath(new URL("../viewer/", import.meta.url)),
    fileURLToPath(new URL("../../dist/viewer/", import.meta.url)),
  ];
  return candidates
    .map((dir) => dir.replace(/[\\/]+$/, ""))
    .find((dir) => existsSync(join(dir, "index.html")));
}

/** A whole number of milliseconds from a query parameter; undefined when absent. */
function instant(params: URLSearchParams, name: string): number | undefined {
  const value = params.get(name);
  if (value === null || value === "") return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new BadRequest(`${name}: "${value}" is not epoch milliseconds`);
  return n;
}

function query(params: URLSearchParams): ViewQuery {
  const at = instant(params, "at") ?? Number.MAX_SAFE_INTEGER;
  const asOf = instant(params, "asOf");
  const sources = params.has("sources") ? params.getAll("source") : undefined;
  return {
    at,
    ...(asOf === undefined ? {} : { asOf }),
    ...(sources === undefined ? {} : { sources }),
  };
}

async function window(params: URLSearchParams, model: ViewData["model"]): Promise<Window> {
  const start = instant(params, "start");
  const end = instant(params, "end");
  if (start === undefined || end === undefined || end <= start) return (await model.meta()).full;
  return { start, end, step: instant(params, "step") ?? 3_600_000 };
}

async function answer(path: string, params: URLSearchParams, data: ViewData): Promise<unknown> {
  const { model } = data;
  switch (path) {
    case "/api/meta":
      return model.meta();
    case "/api/state":
      return model.state(query(params));
    case "/api/place": {
      const id = params.get("id");
      if (id === null) throw new BadRequest("id: a place id is required");
      return model.place(id, query(params));
    }
    case "/api/events":
      return model.eventsAround(query(params));
    case "/api/ticks":
      return model.ticks(query(params), await window(params, model));
    case "/api/changes":
      return model.changes(query(params), await window(params, model));
    case "/api/territory":
      return model.territory(query(params), await window(params, model));
    case "/api/timed":
      return model.timed(query(params));
    default:
      return undefined;
  }
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, {
    "content-type": type,
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
  });
  res.end(body);
}

function handler(site: string, data: ViewData, host: () => string) {
  return (req: IncomingMessage, res: ServerResponse) => {
    // Only pages of this server may ask (no other site through a rebound DNS name).
    const given = req.headers.host ?? "";
    if (given !== host() && given !== host().replace("127.0.0.1", "localhost")) {
      send(res, 403, "text/plain; charset=utf-8", "tidemark view answers 127.0.0.1 only\n");
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      send(res, 405, "text/plain; charset=utf-8", "GET only\n");
      return;
    }
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      send(res, 400, "text/plain; charset=utf-8", "bad path\n");
      return;
    }
    if (path.startsWith("/api/")) {
      const started = performance.now();
      const used = process.cpuUsage();
      answer(path, url.searchParams, data).then(
        (value) => {
          if (value === undefined) {
            send(res, 404, "application/json", '{"error":"no such question"}');
            return;
          }
          const body = JSON.stringify(value);
          // How long the answer took here, for the browser's developer tools and the tests; and
          // the process's CPU time meanwhile (the answers asked at the same time included).
          const { user, system } = process.cpuUsage(used);
          // Whether a store's map came from the rows in memory or from SQL.
          const from =
            path === "/api/state" && data.model.mapInMemory !== undefined
              ? `, map;desc=${data.model.mapInMemory() ? "memory" : "sql"}`
              : "";
          res.setHeader(
            "server-timing",
            `answer;dur=${(performance.now() - started).toFixed(1)}, cpu;dur=${((user + system) / 1000).toFixed(1)}${from}`,
          );
          send(res, 200, "application/json; charset=utf-8", body);
        },
        (error: unknown) => {
          const status = error instanceof BadRequest ? 400 : 500;
          const message = error instanceof Error ? error.message : String(error);
          send(res, status, "application/json; charset=utf-8", JSON.stringify({ error: message }));
        },
      );
      return;
    }
    const file = normalize(join(site, path.endsWith("/") ? `${path}index.html` : path));
    if (!file.startsWith(site) || !existsSync(file) || !statSync(file).isFile()) {
      send(res, 404, "text/plain; charset=utf-8", "not found\n");
      return;
    }
    const body = readFileSync(file);
    if (file.endsWith(`${sep}index.html`)) {
      // Tells the page that this server answers the API (a static site does not).
      const marked = String(body).replace("<head>", `<head>\n    ${API_MARKER}`);
      send(res, 200, MIME[".html"] as string, marked);
      return;
    }
    send(res, 200, MIME[extname(file)] ?? "application/octet-stream", body);
  };
}

/** What the command needs from main: the input, how to read it, where to print. */
export interface ViewRequest {
  readonly file: string;
  readonly port: string | undefined;
  readonly reading: LoadOptions;
  /** Whether `file` names a store (read through its read models) rather than a data file. */
  readonly store: boolean;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** Prints the problems of invalid data as every command does, and fails (exit 1). */
  readonly reportProblems: (
    input: NonNullable<Awaited<ReturnType<typeof openViewData>>["input"]>,
  ) => void;
  /** Thrown for a bad port or a port in use (exit 2). */
  readonly usageError: (message: string) => Error;
}

/** Parses --port: a whole number from 0 to 65535. */
function portOf(value: string | undefined, usageError: (message: string) => Error): number {
  if (value === undefined) return DEFAULT_PORT;
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65_535) {
    throw usageError(`--port: "${value}" is not a port number (0 to 65535; 0 picks a free one)`);
  }
  return Number(value);
}

/**
 * Runs `tidemark view`: resolves when Ctrl-C (SIGINT) or SIGTERM stops the server, after
 * closing it and the store.
 */
export async function viewCommand(request: ViewRequest): Promise<void> {
  const port = portOf(request.port, request.usageError);
  // The data first: a file's problems are reported as every command reports them.
  const { input, data } = await openViewData(request.file, request.reading, request.store);
  try {
    if (input !== undefined) request.reportProblems(input);
  } catch (error) {
    await data.close();
    throw error;
  }
  const site = viewerDirectory();
  if (site === undefined) {
    await data.close();
    throw request.usageError("the map page is missing from this installation (dist/viewer)");
  }
  for (const line of data.notes) request.stderr.write(`${line}\n`);
  let address = "";
  const server = createServer(handler(site + sep, data, () => address));
  try {
    await new Promise<void>((listening, failed) => {
      server.once("error", failed);
      server.listen(port, "127.0.0.1", () => {
        server.off("error", failed);
        listening();
      });
    });
  } catch (error) {
    await data.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE") {
      throw request.usageError(
        `port ${port} on 127.0.0.1 is in use: give another with --port N (--port 0 picks a free one)`,
      );
    }
    throw request.usageError(`cannot listen on 127.0.0.1:${port}: ${(error as Error).message}`);
  }
  address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  request.stdout.write(`http://${address}/\n`);
  request.stderr.write("Serving the map on this machine only; press Ctrl-C to stop.\n");
  await new Promise<void>((stopped) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      server.close(() => stopped());
      server.closeAllConnections();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  await data.close();
}
