/**
 * `npm run bench:view -- --browser --store STORE`: `tidemark view STORE` (this checkout's
 * source, serving the page built in dist/viewer: `npm run build` first) opened in Debian's
 * Chromium (playwright-core, `VIEWER_CHROMIUM` names another), as a user opens it. Prints the
 * time to open (command started to the map drawn, then to the chart drawn), and for `--steps N`
 * (default 12) moves of the time slider across its range, the time from the slider's `input`
 * to the map redrawn on screen (the frame after it painted), then to the events list and the
 * place's panel redrawn too; each step's server part (`server-timing` of `api/state`: its
 * time, the server's CPU time meanwhile) and size, and the page's script from that answer to
 * the map drawn (the `tidemark:map-drawn` measure).
 * `--screenshot FILE` saves the page after the steps; `--profile FILE` a CPU profile of the
 * page during them, `--trace FILE` a performance trace (open either in Chromium's developer
 * tools).
 */
import { spawn } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The DOM the timed steps use (this file is type-checked without DOM types). */
interface BrowserPage {
  document: {
    getElementById(id: string): {
      value: string;
      min: string;
      max: string;
      dispatchEvent(e: unknown): void;
    };
    body: { dataset: Record<string, string | undefined> };
  };
  performance: {
    now(): number;
    getEntriesByName(name: string): { duration: number }[];
  };
  Event: new (type: string) => unknown;
  setTimeout(f: () => void, ms: number): void;
  requestAnimationFrame(f: () => void): void;
}

const median = (list: readonly number[]) => [...list].sort((a, b) => a - b)[list.length >> 1] ?? 0;
const range = (list: readonly number[]) =>
  `${Math.min(...list).toFixed(0)}–${Math.max(...list).toFixed(0)}`;

export async function browserBench(options: {
  store: string;
  places: string | undefined;
  steps: number;
  screenshot: string | undefined;
  profile: string | undefined;
  trace: string | undefined;
}): Promise<void> {
  const chromiumPath = process.env.VIEWER_CHROMIUM ?? "/usr/bin/chromium";
  if (!existsSync(resolve(root, "dist/viewer/index.html"))) {
    throw new Error("dist/viewer is missing: run `npm run build` first");
  }
  const started = performance.now();
  const args = ["--import", "tsx", resolve(root, "src/cli/main.ts"), "view", options.store];
  if (options.places !== undefined) args.push("--places", options.places);
  const server = spawn(process.execPath, [...args, "--port", "0"], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let err = "";
  server.stderr.on("data", (d) => {
    err += String(d);
  });
  const url = await new Promise<string>((done, failed) => {
    let out = "";
    server.stdout.on("data", (d) => {
      out += String(d);
      const found = /^(http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(out)?.[1];
      if (found !== undefined) done(found);
    });
    server.on("exit", (code) => failed(new Error(`tidemark view exited with ${code}: ${err}`)));
  });
  const served = performance.now();
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(error.message));
    const server_ms: number[] = [];
    const server_cpu: number[] = [];
    const sizes: number[] = [];
    page.on("response", async (r) => {
      if (new URL(r.url()).pathname !== "/api/state") return;
      const timing = r.headers()["server-timing"] ?? "";
      server_ms.push(Number(/answer;dur=([\d.]+)/.exec(timing)?.[1]));
      server_cpu.push(Number(/cpu;dur=([\d.]+)/.exec(timing)?.[1]));
      sizes.push((await r.body()).length);
    });
    await page.goto(url);
    await page.locator("body[data-ready]").waitFor({ timeout: 120_000 });
    const drawn = performance.now();
    await page.locator("body[data-charted]").waitFor({ timeout: 300_000 });
    const charted = performance.now();
    const places = await page.locator("[data-place], [data-cluster]").count();
    // A store's rows of the map are read into memory after its first map: the steps are timed
    // once they are in (before, a step is answered by SQL, as the line printed says).
    let inMemory: number | undefined;
    for (let tries = 0; tries < 600; tries++) {
      const timing = (await fetch(`${url}api/state?at=0`)).headers.get("server-timing") ?? "";
      if (!timing.includes("map;desc=sql")) {
        inMemory = performance.now();
        break;
      }
      await new Promise((wait) => setTimeout(wait, 1000));
    }
    const cdp =
      options.profile === undefined ? undefined : await page.context().newCDPSession(page);
    if (cdp !== undefined) {
      await cdp.send("Profiler.enable");
      await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
      await cdp.send("Profiler.start");
    }
    if (options.trace !== undefined) {
      await browser.startTracing(page, {
        path: options.trace,
        categories: ["devtools.timeline", "disabled-by-default-devtools.timeline"],
      });
    }
    server_ms.length = 0;
    server_cpu.length = 0;
    sizes.length = 0;
    const steps: number[] = [];
    const whole: number[] = [];
    const page_ms: number[] = [];
    for (let i = 0; i < options.steps; i++) {
      const [map, all, own] = await page.evaluate(
        async ([i, n]) => {
          const g = globalThis as unknown as BrowserPage;
          const slider = g.document.getElementById("at");
          const body = g.document.body;
          const mapped = body.dataset.mapped;
          const drawn = body.dataset.drawn;
          const start = g.performance.now();
          slider.value = String(
            Number(slider.min) + ((Number(slider.max) - Number(slider.min)) * (i + 1)) / (n + 1),
          );
          slider.dispatchEvent(new g.Event("input"));
          // (Loops, not a helper: tsx would name a function with a helper the page lacks.)
          while (body.dataset.mapped === mapped) await new Promise<void>((r) => g.setTimeout(r, 2));
          // On screen: the frame after the map's redraw is laid out and painted.
          await new Promise<void>((r) => g.requestAnimationFrame(() => g.setTimeout(r, 0)));
          const map = g.performance.now() - start;
          const own = g.performance.getEntriesByName("tidemark:map-drawn").at(-1)?.duration ?? 0;
          while (body.dataset.drawn === drawn) await new Promise<void>((r) => g.setTimeout(r, 2));
          return [map, g.performance.now() - start, own];
        },
        [i, options.steps] as const,
      );
      steps.push(map);
      whole.push(all);
      page_ms.push(own);
    }
    if (cdp !== undefined && options.profile !== undefined) {
      const { profile } = await cdp.send("Profiler.stop");
      writeFileSync(options.profile, JSON.stringify(profile));
    }
    if (options.trace !== undefined) await browser.stopTracing();
    if (options.screenshot !== undefined) {
      await page.screenshot({ path: options.screenshot });
    }
    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    console.log(`tidemark view ${options.store}`);
    console.log(
      `open: URL printed ${s(served - started)}, map drawn ${s(drawn - started)}, chart drawn ${s(charted - started)}, map's rows in memory ${inMemory === undefined ? "never" : s(inMemory - started)} (${places} markers and clusters drawn)`,
    );
    console.log(
      `slider steps (${steps.length}, input to the map redrawn on screen): median ${median(steps).toFixed(0)} ms, range ${range(steps)} ms [${steps.map((x) => x.toFixed(0)).join(", ")}]`,
    );
    console.log(
      `  the events list and the place's panel too: median ${median(whole).toFixed(0)} ms, range ${range(whole)} ms`,
    );
    console.log(
      `  the server's answer (api/state): median ${median(server_ms).toFixed(0)} ms (${median(server_cpu).toFixed(0)} ms of the server's CPU), range ${range(server_ms)} ms; ${(median(sizes) / 1024).toFixed(0)} kB`,
    );
    console.log(
      `  the page's script from the answer to the map drawn: median ${median(page_ms).toFixed(0)} ms, range ${range(page_ms)} ms`,
    );
    console.log(
      `load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(", ")}`,
    );
    if (problems.length > 0) console.log(`page errors: ${problems.join("; ")}`);
  } finally {
    await browser.close();
    await new Promise<void>((done) => {
      if (server.exitCode !== null) done();
      server.on("exit", () => done());
      server.kill("SIGINT");
    });
  }
}
