// End-to-end tests of the viewer (examples/viewer) in Debian's Chromium, driven by
// playwright-core (never a downloaded browser). The page must work offline: every request that
// leaves 127.0.0.1 is blocked and recorded, and each test asserts that none was attempted.
//
// The page is bundled as `npm run build` bundles it into dist/viewer (Vite, from the package
// source), into a temporary folder, and the build fails if anything in it imports a Node
// built-in. tests/view.test.ts drives the page that `tidemark view` serves from the packed
// package. The built static
// files are then served from 127.0.0.1 and driven in headless Chromium.
//
// Without /usr/bin/chromium these tests are skipped, saying so (`apt-get install -y chromium`);
// on CI (CI=true) a missing Chromium is a failure. Screenshots go to test-results/viewer/ (git-
// ignored; VIEWER_SCREENSHOTS names another folder); `npm run viewer:screenshot` also writes the
// README's picture, docs/viewer/palmyra.png.

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, normalize, resolve, sep } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { type Options as TsupOptions, build as tsup } from "tsup";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actors } from "../examples/palmyra/actors.js";
import { palmyraEvents } from "../examples/palmyra/events.js";
import { places as palmyraPlaces } from "../examples/palmyra/places.js";
import {
  actorColors,
  createTimeline,
  Fatalities,
  fatalities,
  parseEventsText,
  type QueryOptions,
  toGeoJSONHistory,
} from "../src/index.js";

// Debian's Chromium; VIEWER_CHROMIUM only serves to check the skip path (`=/nowhere`).
const CHROMIUM = process.env.VIEWER_CHROMIUM ?? "/usr/bin/chromium";
const ROOT = resolve(import.meta.dirname, "..");
const SHOTS = resolve(ROOT, process.env.VIEWER_SCREENSHOTS ?? "test-results/viewer");
const haveChromium = existsSync(CHROMIUM);
const onCi = process.env.CI === "true";

// The browser-side DataTransfer, for the drop test (this file is type-checked without DOM).
declare const DataTransfer: new () => { items: { add(file: unknown): void } };

if (!haveChromium && !onCi) {
  console.warn(
    `viewer end-to-end tests SKIPPED: ${CHROMIUM} is missing (install it with \`apt-get install -y chromium\`)`,
  );
}

describe.runIf(!haveChromium && onCi)("viewer end-to-end (CI)", () => {
  it(`needs Chromium at ${CHROMIUM}`, () => {
    throw new Error(`${CHROMIUM} is missing: .ci/run installs it with apt-get install -y chromium`);
  });
});

/** Instants of the Palmyra story, local time in Syria (UTC+2). */
const SAT_2300 = Date.parse("2016-12-10T23:00+02:00");
const SUN_0800 = Date.parse("2016-12-11T08:00+02:00");
const SUN_1400 = Date.parse("2016-12-11T14:00+02:00");

/** The example's timeline, as the page builds it: the truth the page must show. */
const timeline = createTimeline({ places: palmyraPlaces, actors });
timeline.appendAll(palmyraEvents);
/** Palmyra's controller as the map marks it ("" where no report says). */
const controllerAt = (t: number, options: QueryOptions = {}) => {
  const entry = timeline.stateAt(t, options).control.palmyra;
  return entry === undefined ? "" : (entry.controller ?? "nobody");
};
const contestedAt = (t: number, options: QueryOptions = {}) =>
  String(timeline.contested(t, options).some((c) => c.place === "palmyra"));

const MIME: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

/** A static file server for the built site, on 127.0.0.1 and a free port. */
function serve(dir: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    const file = normalize(join(dir, path.endsWith("/") ? `${path}index.html` : path));
    if (!file.startsWith(dir + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": MIME[extname(file)] ?? "application/octet-stream" });
    res.end(readFileSync(file));
  });
  return new Promise((done) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      done({ server, url: `http://127.0.0.1:${port}/` });
    });
  });
}

describe.runIf(haveChromium)("viewer end-to-end, in Chromium", { timeout: 30_000 }, () => {
  let work: string;
  let pkg: string | undefined;
  let server: Server | undefined;
  let base: string;
  let context: BrowserContext | undefined;
  let page: Page;
  const problems: string[] = [];
  /** Requests that tried to leave 127.0.0.1 (blocked): the page must need none. */
  const outside: string[] = [];

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "tidemark-viewer-"));
    // 1. The package's ESM build (its tsup config, into a temporary folder inside the project,
    //    so that its imports of zod, immer and csv-parse resolve as in an app's node_modules).
    const cache = join(ROOT, "node_modules/.cache");
    mkdirSync(cache, { recursive: true });
    pkg = mkdtempSync(join(cache, "tidemark-viewer-"));
    await tsup({
      ...(await libraryBuild()),
      outDir: pkg,
      format: ["esm"],
      dts: false,
      silent: true,
    });
    // 2. The viewer, bundled against it by Vite (a child process: Vite wants its own NODE_ENV).
    const site = join(work, "site");
    const vite = spawnSync(
      process.execPath,
      [
        join(ROOT, "node_modules/vite/bin/vite.js"),
        "build",
        "--config",
        join(ROOT, "examples/viewer/vite.config.ts"),
        "--outDir",
        site,
        "--emptyOutDir",
      ],
      {
        cwd: ROOT,
        env: { ...process.env, TIDEMARK_ENTRY: join(pkg, "index.js"), NODE_ENV: "production" },
        encoding: "utf8",
      },
    );
    const output = `${vite.stdout}\n${vite.stderr}`;
    if (vite.status !== 0) throw new Error(`vite build failed:\n${output}`);
    // Vite stubs Node built-ins with a warning; the no-node-builtins plugin makes them fatal.
    expect(output).not.toMatch(/externalized for browser compatibility/);
    // 3. Serve it, open Chromium.
    ({ server, url: base } = await serve(site));
    mkdirSync(SHOTS, { recursive: true });
    context = await chromium.launchPersistentContext(join(work, "profile"), {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
      viewport: { width: 1280, height: 900 },
    });
    await context.route("**/*", (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === "127.0.0.1") return route.continue();
      outside.push(url.href);
      return route.abort("blockedbyclient");
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(10_000);
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(`console: ${message.text()}`);
    });
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await new Promise((done) => (server === undefined ? done(undefined) : server.close(done)));
    for (const dir of [work, pkg])
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  const palmyra = () => page.locator('[data-place="palmyra"]');
  const shot = (name: string) => page.screenshot({ path: join(SHOTS, name), fullPage: true });
  const setAt = async (t: number) => {
    await page.locator("#at").fill(String(t));
  };

  it("loads the Palmyra example with no console errors and no request beyond 127.0.0.1", async () => {
    await page.goto(base);
    await page.locator("body[data-ready]").waitFor();
    await expect.poll(() => page.locator("#title").textContent()).toContain("Palmyra");
    // Every place with coordinates is on the map, Syria whole around them.
    expect(await page.locator("[data-place]").count()).toBe(15);
    expect(await page.locator('[data-label="palmyra"]').textContent()).toBe("Palmyra");
    // English names on the map, the Arabic name on hover.
    await palmyra().locator(".dot").hover();
    await expect.poll(() => page.locator("#tooltip").textContent()).toContain("تدمر");
    await page.mouse.move(0, 0);
    await shot("01-palmyra.png");
    expect(problems).toEqual([]);
    expect(outside).toEqual([]);
  });

  it("draws the basemap offline: sea, Syria's governorates and districts, the neighbours, the credit", async () => {
    expect(await page.locator("path.governorate").count()).toBe(14);
    expect(await page.locator("path.district").count()).toBe(62);
    expect(await page.locator("path.country").count()).toBeGreaterThanOrEqual(5);
    expect(await page.locator(".governorate-label").allTextContents()).toContain("Homs حمص");
    expect(await page.locator(".credit").textContent()).toContain("OCHA, Syria COD-AB");
    // Pixels, not only elements: the Mediterranean, Syria (Deir ez-Zor) and Turkey are drawn
    // in three different colours.
    const [sea, syria, turkey] = await pixels(page, [
      [35.2, 35.0],
      [40.2, 35.0],
      [37.5, 37.7],
    ]);
    expect(sea?.b).toBeGreaterThan((sea?.r ?? 0) + 15);
    expect(syria?.r).toBeGreaterThan(240);
    expect(turkey?.r).toBeLessThan(syria?.r ?? 0);
    expect(turkey?.r).toBeGreaterThan(200);
    // Palmyra's district is an area of the example, outlined.
    const tadmor = await page.locator('[data-area="tadmor-district"]').boundingBox();
    expect(tadmor?.width).toBeGreaterThan(50);
    expect(outside).toEqual([]);
  });

  it("pans and zooms: the zoom button brings Palmyra's places apart", async () => {
    const spread = async () => {
      const a = await palmyra().locator(".dot").boundingBox();
      const b = await page.locator('[data-place="t4-airbase"] .dot').boundingBox();
      return Math.hypot((a?.x ?? 0) - (b?.x ?? 0), (a?.y ?? 0) - (b?.y ?? 0));
    };
    const before = await spread();
    await page.locator(".leaflet-control-zoom-in").click();
    await expect.poll(spread).toBeGreaterThan(before * 1.5);
    // Dragging the map moves everything on it by as much.
    const dot = () =>
      page.evaluate(() => {
        const viewer = (globalThis as unknown as BrowserGlobals).tidemarkViewer;
        return viewer?.project(38.268, 34.556) ?? { x: Number.NaN, y: Number.NaN };
      });
    const map = (await page.locator(".leaflet-host").boundingBox()) ?? { x: 0, y: 0 };
    const start = await dot();
    await page.mouse.move(map.x + 120, map.y + 60);
    await page.mouse.down();
    await page.mouse.move(map.x + 70, map.y + 90, { steps: 5 });
    // Held still before release: Leaflet throws the map on (inertia) only after a move in
    // the last 50 ms, and a loaded machine would let that glide into the measurement.
    await page.waitForTimeout(120);
    await page.mouse.up();
    const moved = await dot();
    expect(moved.x - start.x).toBeCloseTo(-50, -1);
    expect(moved.y - start.y).toBeCloseTo(30, -1);
    await page.locator(".fit-button").click();
    await expect.poll(spread).toBeLessThan(before * 1.1);
  });

  it("moves 'what happened by': Palmyra changes hands", async () => {
    const expected: [number, string][] = [
      [SAT_2300, "Sat, 10 Dec 2016, 23:00 UTC+02:00"],
      [SUN_0800, "Sun, 11 Dec 2016, 8:00 UTC+02:00"],
      [SUN_1400, "Sun, 11 Dec 2016, 14:00 UTC+02:00"],
    ];
    for (const [t, label] of expected) {
      await setAt(t);
      expect(await page.locator("#at-value").textContent()).toBe(label);
      expect(await palmyra().getAttribute("data-controller")).toBe(controllerAt(t));
      expect(await palmyra().getAttribute("data-contested")).toBe(contestedAt(t));
      expect(await page.locator("#place .holder").getAttribute("data-controller")).toBe(
        controllerAt(t),
      );
      const hour = new Date(t + 2 * 3_600_000).getUTCHours();
      await shot(`02-at-${label.slice(0, 3).toLowerCase()}-${String(hour).padStart(2, "0")}h.png`);
    }
    // The selected place's history prints times at their own precision, with the report's
    // words for vague ones, and says which interval is only a report of holding.
    const history = await page.locator("#place .history").textContent();
    expect(history).toContain("May 2015 → March 2016");
    expect(history).toContain("Sat, 10 Dec 2016, evening → Sun, 11 Dec 2016, overnight");
    expect(history).toContain("(reported holding)");
    expect(await page.locator("#place").textContent()).toContain("All reports combined");
    expect(new URL(page.url()).searchParams.get("at")).toBe("2016-12-11T14:00+02:00");
  });

  it("shows the ministry's claim as a report of holding, not a capture", async () => {
    await setAt(SUN_0800);
    expect(controllerAt(SUN_0800)).toBe("regime");
    const holder = (await page.locator("#place .holder").textContent()) ?? "";
    expect(holder).toContain("reported holding, Sun, 11 Dec 2016, overnight");
    expect(holder).toContain("Russian MoD");
    expect(holder).not.toContain("since");
    const claim = page.locator('#place .claims tr[data-source="Russian MoD"]');
    expect(await claim.textContent()).toContain("reported holding, Sun, 11 Dec 2016, overnight");
    const listed = (await page.locator("#events").textContent()) ?? "";
    expect(listed).toMatch(/government forces\s*reported holding\s*Palmyra/);
    expect(listed).toMatch(/ISIS\s*reported holding\s*Palmyra/);
  });

  it("prints event times with the report's words, and unknown arrests as unknown", async () => {
    await setAt(SUN_1400);
    const times = await page.locator("#events .time").allTextContents();
    expect(times).toContain("Sun, 11 Dec 2016, dawn");
    expect(times).toContain("Sat, 10 Dec 2016, evening");
    // "On the 8th or later": the span from notBefore to the day of the report.
    expect(times).toContain("Thu, 8 Dec 2016 – Sun, 11 Dec 2016 (since the 8th)");
    // No hour made up for a part of a day: no event time reads like a clock.
    expect(times.filter((t) => /\d\d:\d\d|\d UTC/.test(t))).toEqual([]);
    // The words are printed once, as the time, not again in the note.
    const notes = await page.locator("#events .event-note").allTextContents();
    expect(notes.filter((n) => n.includes("[dawn]"))).toEqual([]);
    // ISIS's arrests on Saturday evening: the report gives no number.
    expect(timeline.stateAt(SUN_1400).arrests.palmyra).toMatchObject({ events: 1, uncounted: 1 });
    const activity = (await page.locator("#place .activity").textContent()) ?? "";
    expect(activity).toContain("1 arrest report, number unknown");
    expect(activity).not.toMatch(/\b0 detained/);
    expect(await page.locator("#events").textContent()).toContain(
      "arrests by ISIS in Palmyra, number unknown",
    );
  });

  it("plays: the play button steps through the changes of hand of toGeoJSONHistory", async () => {
    const changes = new Set<number>();
    for (const { properties: p } of toGeoJSONHistory(timeline, palmyraPlaces).features) {
      changes.add(Date.parse(p.start));
      if (p.end !== undefined) changes.add(Date.parse(p.end));
    }
    const after = (t: number) => Math.min(...[...changes].filter((c) => c > t));
    await setAt(SAT_2300);
    expect(await palmyra().getAttribute("data-controller")).toBe("isis");
    const first = after(SAT_2300);
    await page.locator("#play").click();
    expect(await page.locator("#play").getAttribute("aria-pressed")).toBe("true");
    await expect.poll(() => new URL(page.url()).searchParams.get("at")).toBe(isoMinute(first));
    expect(await palmyra().getAttribute("data-controller")).toBe(controllerAt(first));
    const second = after(first);
    await expect
      .poll(() => new URL(page.url()).searchParams.get("at"), { timeout: 5_000 })
      .toBe(isoMinute(second));
    await page.locator("#play").click();
    expect(await page.locator("#play").getAttribute("aria-pressed")).toBe("false");

    // The same history as a file: the timed GeoJSON download.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.locator("#timed").click(),
    ]);
    const saved = JSON.parse(readFileSync(await download.path(), "utf8")) as {
      features: { properties: { id: string; start: string; end?: string } }[];
    };
    expect(saved).toEqual(JSON.parse(JSON.stringify(toGeoJSONHistory(timeline, palmyraPlaces))));
    expect(problems).toEqual([]);
  });

  it("SOHR alone, as known at Sunday 08:00, then every source", async () => {
    for (const source of ["the report", "Russian MoD", "Amaq"]) {
      await page.locator(`#sources input[value="${source}"]`).uncheck();
    }
    const sohr = { sources: ["SOHR"] };
    await setAt(SUN_1400);
    expect(await palmyra().getAttribute("data-controller")).toBe(controllerAt(SUN_1400, sohr));
    expect(await page.locator("#place .claims tr").count()).toBe(
      timeline.claims("palmyra", SUN_1400, sohr).length,
    );
    expect(await page.locator('#place .claims tr[data-source="SOHR"]').textContent()).toContain(
      "since Sun, 11 Dec 2016, noon",
    );

    await page.locator("#as-of").fill(String(SUN_0800));
    expect(await page.locator("#as-of-value").textContent()).toBe(
      "Sun, 11 Dec 2016, 8:00 UTC+02:00",
    );
    // As known at 08:00, SOHR had said nothing of who held Palmyra: its report of the dawn
    // withdrawal came at 09:00, of the noon capture in the afternoon.
    const sohrAt8 = { ...sohr, asOf: SUN_0800 };
    await setAt(SUN_0800);
    expect(await palmyra().getAttribute("data-controller")).toBe(controllerAt(SUN_0800, sohrAt8));
    expect(await page.locator("#place .claims tr").count()).toBe(
      timeline.claims("palmyra", SUN_0800, sohrAt8).length,
    );
    const url = new URL(page.url());
    expect(url.searchParams.get("sources")).toBe("SOHR");
    expect(url.searchParams.get("asOf")).toBe("2016-12-11T08:00+02:00");
    await shot("03-sohr-as-known-sun-08h.png");

    // Every source, as known at 08:00: only the ministry's statement (07:00) was out.
    for (const source of ["the report", "Russian MoD", "Amaq"]) {
      await page.locator(`#sources input[value="${source}"]`).check();
    }
    const at8 = { asOf: SUN_0800 };
    expect(await palmyra().getAttribute("data-controller")).toBe(controllerAt(SUN_0800, at8));
    expect(await palmyra().getAttribute("data-contested")).toBe(contestedAt(SUN_0800, at8));
    expect(new URL(page.url()).searchParams.has("sources")).toBe(false);

    // Everything recorded: the report says nobody held the city after the dawn withdrawal,
    // the ministry that the army held it: Palmyra is contested.
    await page.locator("#as-of").fill((await page.locator("#as-of").getAttribute("max")) ?? "");
    expect(await page.locator("#as-of-value").textContent()).toBe("latest: everything recorded");
    expect(contestedAt(SUN_0800)).toBe("true");
    expect(await palmyra().getAttribute("data-contested")).toBe("true");
    expect(await palmyra().getAttribute("data-controller")).toBe(controllerAt(SUN_0800));
    expect(await page.locator("#status").textContent()).toContain("contested: Palmyra");
    expect(new URL(page.url()).searchParams.has("asOf")).toBe(false);
    await shot("04-contested-sun-08h.png");
    // The README's picture (`npm run viewer:screenshot`).
    const readme = process.env.VIEWER_README_SCREENSHOT;
    if (readme !== undefined)
      await page.screenshot({ path: resolve(ROOT, readme), fullPage: true });

    // The URL keeps the view: opening it again shows the same.
    const link = page.url();
    await page.goto("about:blank");
    await page.goto(link);
    await page.locator("body[data-ready]").waitFor();
    expect(await page.locator("#at-value").textContent()).toBe("Sun, 11 Dec 2016, 8:00 UTC+02:00");
    expect(await palmyra().getAttribute("data-contested")).toBe("true");
    expect(problems).toEqual([]);
  });

  it("a bad file dropped on the page shows the library's validation messages", async () => {
    const bad = [
      '{"type":"Captured","at":"2016-12-10","data":{"place":"palmyra","by":"isis"}}',
      '{"type":"Captured","at":"2016-12-11",',
      '{"type":"Captured","at":"yesterday","data":{"place":"palmyra","by":"isis"}}',
      '{"type":"Teleported","at":"2016-12-12","data":{}}',
    ].join("\n");
    await drop(page, ["bad.ndjson", bad]);
    const error = page.locator("#messages .error");
    await error.waitFor();
    const text = (await error.textContent()) ?? "";
    expect(text).toContain("bad.ndjson was not loaded");
    expect(text).toContain("3 problems");
    expect(text).toMatch(/line 2: not valid JSON/);
    expect(text).toMatch(/line 3 \(at\): .*yesterday/);
    expect(text).toMatch(/line 4.*Teleported/);
    // The page still shows the Palmyra example.
    expect(await page.locator("#title").textContent()).toContain("Palmyra");
    expect(await page.locator("[data-place]").count()).toBe(15);
    await shot("05-bad-file.png");
    expect(problems).toEqual([]);
  });

  it("a places file with an area in [lat, lon] order is refused, naming the place, nothing drawn", async () => {
    const events = [{ type: "Captured", at: "2016-12-10", data: { place: "tadmor", by: "isis" } }];
    const places = {
      palmyra: { name: "Palmyra", coordinates: [38.268, 34.556] },
      tadmor: {
        name: "Tadmor district",
        geometry: {
          type: "Polygon",
          coordinates: [
            [
              [34.2, 37.6],
              [34.0, 39.4],
              [34.9, 40.1],
              [35.1, 38.6],
              [34.2, 37.6],
            ],
          ],
        },
      },
    };
    await drop(
      page,
      ["events.ndjson", events.map((e) => JSON.stringify(e)).join("\n")],
      ["places.json", JSON.stringify(places)],
    );
    const error = page.locator("#messages .error");
    await error.waitFor();
    const text = (await error.textContent()) ?? "";
    expect(text).toContain("places.json");
    expect(text).toMatch(/"Tadmor district" \(tadmor\).*\[lat, lon\] order/);
    expect(await page.locator("#title").textContent()).toContain("Palmyra");
    expect(await page.locator('[data-area="tadmor"]').count()).toBe(0);
    expect(await page.locator("[data-place]").count()).toBe(15);
    await page.locator("#messages .error .close").click();
    expect(problems).toEqual([]);
  });

  it("areas dropped with their events are coloured by controller: territory on the map", async () => {
    const districts = JSON.parse(
      readFileSync(join(ROOT, "examples/viewer/data/admin2-districts.geojson"), "utf8"),
    ) as { features: { properties: { pcode: string; name: string }; geometry: unknown }[] };
    const pick = (pcode: string) => {
      const f = districts.features.find((d) => d.properties.pcode === pcode);
      return { name: f?.properties.name ?? pcode, geometry: f?.geometry };
    };
    // Tadmor (SY0405) to ISIS, Homs district (SY0401) to the government.
    const places = { SY0405: pick("SY0405"), SY0401: pick("SY0401") };
    const events = [
      { type: "Captured", at: "2016-12-10", data: { place: "SY0405", by: "isis" } },
      { type: "Captured", at: "2016-12-10", data: { place: "SY0401", by: "regime" } },
    ];
    await drop(
      page,
      ["areas.ndjson", events.map((e) => JSON.stringify(e)).join("\n")],
      ["districts.json", JSON.stringify(places)],
    );
    await expect
      .poll(() => page.locator("#title").textContent())
      .toBe("areas.ndjson + districts.json");
    expect(await page.locator("#messages .error").count()).toBe(0);
    expect(await page.locator("path.territory").count()).toBe(2);
    expect(await page.locator('path.territory[data-controller="isis"]').count()).toBe(1);
    // The colours on screen: the ISIS blue over Tadmor's desert, the government's orange over Homs.
    const colors = actorColors(["isis", "regime"]);
    const [tadmor, homs] = await pixels(page, [
      [38.0, 34.2],
      [37.2, 34.6],
    ]);
    expectTinted(tadmor, colors.isis ?? "");
    expectTinted(homs, colors.regime ?? "");
    await shot("08-areas.png");
    expect(problems).toEqual([]);
    expect(outside).toEqual([]);
  });

  it("names a place called constructor by its id, not Object", async () => {
    const events = [
      { type: "Captured", at: "2016-12-10", data: { place: "constructor", by: "isis" } },
    ];
    await drop(page, ["odd.ndjson", events.map((e) => JSON.stringify(e)).join("\n")]);
    await expect.poll(() => page.locator("#title").textContent()).toBe("odd.ndjson");
    const listed = (await page.locator("#events").textContent()) ?? "";
    expect(listed).toContain("constructor");
    expect(listed).not.toContain("Object");
    expect(problems).toEqual([]);
  });

  it("an NDJSON file dropped with its places file is drawn at their coordinates", async () => {
    const events = [
      { type: "Captured", at: "2016-12-10T18:00+02:00", data: { place: "palmyra", by: "isis" } },
      { type: "Captured", at: "2016-12-10", data: { place: "citadel", by: "isis" } },
      {
        type: "Withdrew",
        at: "2016-12-11T06:00+02:00",
        data: { place: "palmyra", actor: "isis" },
        sources: [{ name: "SOHR" }],
      },
      { type: "Arrests", at: "2016-12-10", data: { place: "homs", by: "isis" } },
    ];
    const places = {
      palmyra: { name: "Palmyra", names: { ar: "تدمر" }, coordinates: [38.268, 34.556] },
      citadel: { name: "Palmyra citadel", coordinates: [38.256, 34.563] },
      homs: { name: "Homs governorate" },
    };
    await drop(
      page,
      ["events.ndjson", events.map((e) => JSON.stringify(e)).join("\n")],
      ["places.json", JSON.stringify(places)],
    );
    await expect
      .poll(() => page.locator("#title").textContent())
      .toBe("events.ndjson + places.json");
    expect(await page.locator("#messages .error").count()).toBe(0);
    expect(await page.locator("[data-place]").count()).toBe(2);
    // After the dawn withdrawal nobody holds Palmyra; the citadel stays with ISIS.
    expect(await palmyra().getAttribute("data-state")).toBe("nobody");
    expect(await page.locator('[data-place="citadel"]').getAttribute("data-controller")).toBe(
      "isis",
    );
    // A place without coordinates is listed under the map, and can still be selected.
    await page.locator('[data-unmapped="homs"]').click();
    expect(await page.locator("#place h2").textContent()).toContain("Homs governorate");
    await shot("06-ndjson-with-places.png");
    expect(problems).toEqual([]);
  });

  it("an ACLED CSV export opened from disk replaces the example", async () => {
    const csv = [
      "event_id_cnty,event_date,time_precision,event_type,sub_event_type,actor1,actor2,admin1,location,latitude,longitude,source,notes",
      "SYR1,2016-12-08,1,Strategic developments,Non-state actor overtakes territory,Islamic State (Syria),Military Forces of Syria (2000-),Homs,Jazal,34.72,37.98,SOHR,",
      "SYR2,2016-12-10,1,Strategic developments,Non-state actor overtakes territory,Islamic State (Syria),Military Forces of Syria (2000-),Homs,Palmyra,34.556,38.268,SOHR,",
      "SYR3,2016-12-11,1,Explosions/Remote violence,Air/drone strike,Military Forces of Russia (2000-),,Homs,Palmyra,34.556,38.268,Russian MoD,",
      "SYR4,2016-12-11,1,Battles,Armed clash,Islamic State (Syria),Military Forces of Syria (2000-),Homs,Palmyra,34.556,38.268,SOHR,",
    ].join("\n");
    await page.locator("#file").setInputFiles({
      name: "acled.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(csv),
    });
    await expect.poll(() => page.locator("#title").textContent()).toBe("acled.csv");
    expect(await page.locator("#messages .error").count()).toBe(0);
    // One line, which opens into the report that the command prints.
    expect(await page.locator("#messages .notice summary").textContent()).toBe(
      "1 row skipped (not mapped to an event): show the report",
    );
    expect(await page.locator("#messages .notice pre").textContent()).toContain(
      '1 x sub_event_type "Armed clash" (Battles) is not mapped',
    );
    expect(await page.locator("[data-place]").count()).toBe(2);
    expect(await page.locator("#unmapped").isHidden()).toBe(true);
    const held = await page.locator('[data-place][data-state="held"]').count();
    expect(held).toBe(2);
    await shot("07-acled-csv.png");
    expect(problems).toEqual([]);
    expect(outside).toEqual([]);
  });

  it("a UCDP GED CSV file shows UCDP's deaths per place", async () => {
    const text = readFileSync(join(ROOT, "tests/fixtures/ucdp/ged-extract.csv"), "utf8");
    await page.locator("#file").setInputFiles({
      name: "ged.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(text),
    });
    await expect.poll(() => page.locator("#title").textContent()).toBe("ged.csv");
    expect(await page.locator("#messages .error").count()).toBe(0);
    expect(await page.locator("#subtitle").textContent()).toContain("UCDP GED");
    // The same file, read by the library, is the truth the panel must show.
    const parsed = parseEventsText(text);
    const ged = createTimeline({
      events: [Fatalities],
      reducers: { fatalities },
      places: parsed.places,
      actors: parsed.actors,
    });
    ged.appendAll(parsed.events as Parameters<typeof ged.appendAll>[0]);
    const place = "hims-governorate/tadmur-town";
    expect(await page.locator("#place h2").textContent()).toContain("Tadmur");
    const at = Number(await page.locator("#at").inputValue());
    const deaths = ged.stateAt(at).fatalities[place];
    expect(deaths?.best).toBeGreaterThan(0);
    expect(await page.locator("#place .activity").textContent()).toContain(
      `${deaths?.best} killed by UCDP's best estimate (low ${deaths?.low}, high ${deaths?.high})`,
    );
    await shot("09-ucdp-ged.png");
    expect(problems).toEqual([]);
    expect(outside).toEqual([]);
  });
});

/**
 * The options of the package's library build in tsup.config.ts (the item that builds
 * `index`), for its main entry only, with `config: false` so that no other item runs.
 */
async function libraryBuild(): Promise<TsupOptions> {
  const { default: config } = (await import("../tsup.config.js")) as { default: unknown };
  const items = (Array.isArray(config) ? config : [config]) as TsupOptions[];
  const library = items.find(
    (item) => typeof item.entry === "object" && !Array.isArray(item.entry) && "index" in item.entry,
  );
  if (library === undefined) throw new Error("tsup.config.ts has no build of the index entry");
  const entry = (library.entry as Record<string, string>).index as string;
  return { ...library, entry: { index: entry }, config: false, sourcemap: false, clean: true };
}

/** An instant as the URL writes it: ISO 8601 to the minute, in Syria's UTC+02:00. */
function isoMinute(t: number): string {
  return `${new Date(t + 2 * 3_600_000).toISOString().slice(0, 16)}+02:00`;
}

/** The browser's globals that {@link pixels} uses. */
interface BrowserGlobals {
  Image: new () => { src: string; width: number; height: number; decode(): Promise<void> };
  document: {
    createElement(tag: "canvas"): {
      width: number;
      height: number;
      getContext(kind: "2d"): {
        drawImage(image: unknown, x: number, y: number): void;
        getImageData(x: number, y: number, w: number, h: number): { data: Iterable<number> };
      } | null;
    };
  };
  tidemarkViewer?: { project(lon: number, lat: number): { x: number; y: number } };
}

interface Rgb {
  r: number;
  g: number;
  b: number;
}

/**
 * The colours on screen at longitudes and latitudes of the map: a screenshot of the map,
 * decoded by the page's own canvas, read where the map projects each point.
 */
async function pixels(page: Page, points: [lon: number, lat: number][]): Promise<Rgb[]> {
  const map = page.locator(".leaflet-host");
  const png = (await map.screenshot()).toString("base64");
  return page.evaluate(
    async ({ png, points }) => {
      // This file is type-checked without DOM types: the little of them used here.
      const browser = globalThis as unknown as BrowserGlobals;
      const image = new browser.Image();
      image.src = `data:image/png;base64,${png}`;
      await image.decode();
      const canvas = browser.document.createElement("canvas");
      canvas.width = image.width;
      canvas.height = image.height;
      const context = canvas.getContext("2d");
      if (context === null) throw new Error("no 2d canvas");
      context.drawImage(image, 0, 0);
      const viewer = browser.tidemarkViewer;
      if (viewer === undefined) throw new Error("window.tidemarkViewer is missing");
      return points.map(([lon, lat]) => {
        const { x, y } = viewer.project(lon, lat);
        const [r = 0, g = 0, b = 0] = context.getImageData(Math.round(x), Math.round(y), 1, 1).data;
        return { r, g, b };
      });
    },
    { png, points },
  );
}

/** Asserts a pixel is the colour `hex` laid over the light land, as the map's areas are. */
function expectTinted(pixel: Rgb | undefined, hex: string): void {
  const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) as [
    number,
    number,
    number,
  ];
  const land = { r: 0xfb, g: 0xf8, b: 0xf1 };
  const alpha = 0.42;
  const mix = (c: number, l: number) => alpha * c + (1 - alpha) * l;
  expect(Math.abs((pixel?.r ?? 0) - mix(r, land.r))).toBeLessThan(14);
  expect(Math.abs((pixel?.g ?? 0) - mix(g, land.g))).toBeLessThan(14);
  expect(Math.abs((pixel?.b ?? 0) - mix(b, land.b))).toBeLessThan(14);
}

/** Drops files on the page as a user would (a drop event carrying a DataTransfer). */
async function drop(page: Page, ...files: [name: string, text: string][]): Promise<void> {
  const dataTransfer = await page.evaluateHandle((given) => {
    const transfer = new DataTransfer();
    for (const [name, text] of given) transfer.items.add(new File([text], name));
    return transfer;
  }, files);
  await page.dispatchEvent("body", "drop", { dataTransfer });
}
