// The map: places at their coordinates, drawn as SVG with no tile server (works offline).
// A plain equirectangular projection around the places is plenty for a region a few hundred
// kilometres wide; a map app would hand the same GeoJSON to MapLibre instead (see README).

import type { Claim, PlaceFeatureCollection, Registry } from "tidemark";

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 1000;
const PAD = 56;
const LABEL_FONT = 14;

/** What the map shows at the selected instant. */
export interface MapModel {
  /** `toGeoJSON(state, places)`: one Point per place with coordinates. */
  readonly geojson: PlaceFeatureCollection;
  /** Colour of each actor id. */
  readonly colors: Readonly<Record<string, string>>;
  readonly nobodyColor: string;
  /** Places whose sources disagree at the instant, with each source's claim. */
  readonly contested: ReadonlyMap<string, readonly Claim[]>;
  /** Places struck from the air by then, with the number of strikes reported. */
  readonly airstrikes: ReadonlyMap<string, number>;
  readonly selected: string | undefined;
}

/** What to do when a place is pointed at or chosen. */
export interface MapEvents {
  select(place: string): void;
  hover(place: string | undefined, anchor: DOMRect | undefined): void;
}

interface Camera {
  readonly lon: number;
  readonly lat: number;
  readonly scale: number;
  /** cos(latitude) of the fitted frame: x is compressed by it (equirectangular). */
  readonly kx: number;
  readonly height: number;
}

interface Placed {
  readonly id: string;
  x: number;
  y: number;
  readonly r: number;
  /** Where the place really is, when its marker was moved clear of a neighbour's. */
  true?: { readonly x: number; readonly y: number };
  /** Inside the frame, or an arrow on its edge pointing to a place beyond it. */
  readonly offFrame?: { readonly angle: number; readonly km: number };
}

const el = <K extends keyof SVGElementTagNameMap>(
  name: K,
  attrs: Record<string, string | number> = {},
  parent?: Element,
): SVGElementTagNameMap[K] => {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  parent?.appendChild(node);
  return node;
};

/** Radius of a place's marker by its kind. */
const radius = (kind: string | undefined) =>
  kind === "city" ? 11 : kind === "region" ? 12 : kind === "suburb" ? 7 : 8;

export class MapView {
  private readonly svg: SVGSVGElement;
  private readonly defs: SVGDefsElement;
  private readonly markers = new Map<string, SVGGElement>();
  private readonly patterns = new Set<string>();
  private placed: Placed[] = [];
  private places: Registry = {};
  private located: { id: string; kind: string | undefined; lon: number; lat: number }[] = [];
  /** The view of every place, and the current one (centre, px per degree of latitude). */
  private fitted: Camera | undefined;
  private camera: Camera | undefined;
  private model: MapModel | undefined;

  constructor(
    private readonly host: HTMLElement,
    private readonly on: MapEvents,
  ) {
    this.svg = el("svg", {
      class: "map",
      role: "group",
      "aria-label": "Map of the places, coloured by who holds them",
    });
    this.defs = el("defs", {}, this.svg);
    host.appendChild(this.svg);
    this.controls();
  }

  /** Zoom buttons, the mouse wheel, and dragging to pan (when zoomed in). */
  private controls(): void {
    const bar = document.createElement("div");
    bar.className = "zoom";
    const button = (label: string, title: string, action: () => void) => {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = label;
      b.title = title;
      b.setAttribute("aria-label", title);
      b.addEventListener("click", action);
      bar.append(b);
    };
    button("+", "Zoom in", () => this.zoom(2));
    button("−", "Zoom out", () => this.zoom(0.5));
    button("⤢", "Show every place", () => this.fit());
    this.host.append(bar);

    const toViewBox = (e: { clientX: number; clientY: number }) => {
      const box = this.svg.getBoundingClientRect();
      const k = this.unitsPerPixel();
      return { x: (e.clientX - box.left) * k, y: (e.clientY - box.top) * k };
    };
    this.svg.addEventListener(
      "wheel",
      (e) => {
        if (this.camera === undefined) return;
        e.preventDefault();
        this.zoom(e.deltaY < 0 ? 1.25 : 0.8, toViewBox(e));
      },
      { passive: false },
    );
    let drag: { x: number; y: number } | undefined;
    this.svg.addEventListener("pointerdown", (e) => {
      if ((e.target as Element).closest(".place") !== null || this.zoomLevel === 1) return;
      drag = toViewBox(e);
      this.svg.setPointerCapture(e.pointerId);
      this.svg.classList.add("dragging");
    });
    this.svg.addEventListener("pointermove", (e) => {
      if (drag === undefined) return;
      const p = toViewBox(e);
      this.pan(p.x - drag.x, p.y - drag.y);
      drag = p;
    });
    const end = () => {
      drag = undefined;
      this.svg.classList.remove("dragging");
    };
    this.svg.addEventListener("pointerup", end);
    this.svg.addEventListener("pointercancel", end);
  }

  /** Shows a new set of places, framed on `framed` (the places events name). */
  setPlaces(places: Registry, framed: ReadonlySet<string>): void {
    this.places = places;
    this.located = Object.entries(places).flatMap(([id, p]) =>
      p.coordinates === undefined
        ? []
        : [{ id, kind: p.kind, lon: p.coordinates[0], lat: p.coordinates[1] }],
    );
    const inFrame = this.located.filter((p) => framed.has(p.id));
    const frameSet = inFrame.length > 0 ? inFrame : this.located;
    if (frameSet.length === 0) {
      this.fitted = undefined;
      this.camera = undefined;
    } else {
      // The frame: the places named by events, padded; others inside it are drawn too.
      let [west, east, south, north] = [180, -180, 90, -90];
      for (const p of frameSet) {
        west = Math.min(west, p.lon);
        east = Math.max(east, p.lon);
        south = Math.min(south, p.lat);
        north = Math.max(north, p.lat);
      }
      const padLon = Math.max((east - west) * 0.06, 0.02);
      const padLat = Math.max((north - south) * 0.06, 0.02);
      [west, east, south, north] = [west - padLon, east + padLon, south - padLat, north + padLat];
      const kx = Math.cos((((north + south) / 2) * Math.PI) / 180);
      const spanX = (east - west) * kx;
      const spanY = north - south;
      const height = Math.round(Math.min(Math.max((WIDTH * spanY) / spanX, 440), 640));
      const scale = Math.min((WIDTH - 2 * PAD) / spanX, (height - 2 * PAD) / spanY);
      this.fitted = { lon: (west + east) / 2, lat: (south + north) / 2, scale, kx, height };
      this.camera = { ...this.fitted };
    }
    this.layout();
  }

  /** Zooms by `factor` around a point of the viewBox (the centre by default). */
  zoom(factor: number, at?: { x: number; y: number }): void {
    const c = this.camera;
    const f = this.fitted;
    if (c === undefined || f === undefined) return;
    const scale = Math.min(Math.max(c.scale * factor, f.scale), f.scale * 64);
    const p = at ?? { x: WIDTH / 2, y: f.height / 2 };
    // Keep the geographic point under `p` where it is.
    const lon = c.lon + (p.x - WIDTH / 2) / (c.kx * c.scale);
    const lat = c.lat - (p.y - f.height / 2) / c.scale;
    this.camera = {
      ...c,
      scale,
      lon: lon - (p.x - WIDTH / 2) / (c.kx * scale),
      lat: lat + (p.y - f.height / 2) / scale,
    };
    if (scale === f.scale) this.camera = { ...f };
    this.layout();
  }

  /** Moves the view by a distance in viewBox units. */
  pan(dx: number, dy: number): void {
    const c = this.camera;
    if (c === undefined || this.fitted === undefined || c.scale === this.fitted.scale) return;
    this.camera = { ...c, lon: c.lon - dx / (c.kx * c.scale), lat: c.lat + dy / c.scale };
    this.layout();
  }

  /** Back to the frame of all the places. */
  fit(): void {
    if (this.fitted === undefined) return;
    this.camera = { ...this.fitted };
    this.layout();
  }

  /** The zoom factor over the fitted frame (1: everything in view). */
  get zoomLevel(): number {
    return this.camera === undefined || this.fitted === undefined
      ? 1
      : this.camera.scale / this.fitted.scale;
  }

  /** Viewbox units per CSS pixel of the drawn map. */
  unitsPerPixel(): number {
    return WIDTH / Math.max(this.svg.getBoundingClientRect().width, 1);
  }

  /** Draws the places for the current camera: graticule, scale, markers, labels. */
  private layout(): void {
    for (const child of [...this.svg.children]) if (child !== this.defs) child.remove();
    this.markers.clear();
    const c = this.camera;
    const places = this.places;
    if (c === undefined) {
      this.svg.setAttribute("viewBox", `0 0 ${WIDTH} 200`);
      const t = el("text", { x: WIDTH / 2, y: 100, class: "map-empty" }, this.svg);
      t.textContent = "No place in this data has coordinates: nothing to draw.";
      this.placed = [];
      return;
    }
    const height = c.height;
    const project = (lon: number, lat: number) => ({
      x: WIDTH / 2 + (lon - c.lon) * c.kx * c.scale,
      y: height / 2 - (lat - c.lat) * c.scale,
    });
    const bounds = {
      west: c.lon - WIDTH / 2 / (c.kx * c.scale),
      east: c.lon + WIDTH / 2 / (c.kx * c.scale),
      south: c.lat - height / 2 / c.scale,
      north: c.lat + height / 2 / c.scale,
    };
    this.svg.setAttribute("viewBox", `0 0 ${WIDTH} ${height}`);
    el("rect", { x: 0, y: 0, width: WIDTH, height, class: "map-bg" }, this.svg);
    this.graticule(project, bounds, height);

    // Inside the view: at their position. Beyond it: at the fitted zoom, an arrow on the edge
    // (with the distance); zoomed in, nothing (zoom out to see them).
    const fitted = this.zoomLevel === 1;
    const centre = { x: WIDTH / 2, y: height / 2 };
    const margin = 12;
    this.placed = this.located.flatMap(({ id, kind, lon, lat }): Placed[] => {
      const { x, y } = project(lon, lat);
      const r = radius(kind);
      if (x >= -margin && x <= WIDTH + margin && y >= -margin && y <= height + margin) {
        return [{ id, x, y, r }];
      }
      if (!fitted) return [];
      const angle = Math.atan2(y - centre.y, x - centre.x);
      const edge = edgePoint(centre, angle, WIDTH, height, 26);
      return [{ id, ...edge, r: 7, offFrame: { angle, km: distanceKm(c.lon, c.lat, lon, lat) } }];
    });
    if (this.placed.length <= 400) spreadApart(this.placed);
    // Larger places first, so that their labels get the best spots.
    this.placed.sort((a, b) => b.r - a.r);

    // A marker moved off its place (to stay clear of a neighbour) keeps a leader line to it.
    const leaders = el("g", { class: "leaders", "aria-hidden": "true" }, this.svg);
    for (const p of this.placed) {
      if (p.true === undefined) continue;
      el("line", { x1: p.true.x, y1: p.true.y, x2: p.x, y2: p.y }, leaders);
      el("circle", { cx: p.true.x, cy: p.true.y, r: 2.2 }, leaders);
    }
    const markersLayer = el("g", { class: "markers" }, this.svg);
    const labelsLayer = el("g", { class: "labels", "aria-hidden": "true" }, this.svg);
    for (const p of this.placed) {
      const entry = places[p.id];
      const g = el(
        "g",
        {
          class: "place",
          "data-place": p.id,
          tabindex: 0,
          role: "button",
          "aria-label": entry?.name ?? p.id,
        },
        markersLayer,
      );
      if (p.offFrame !== undefined) {
        const deg = (p.offFrame.angle * 180) / Math.PI;
        el(
          "path",
          {
            d: "M 10 0 L 0 -6 L 0 6 Z",
            class: "off-arrow",
            transform: `translate(${p.x} ${p.y}) rotate(${deg}) translate(${p.r + 2} 0)`,
          },
          g,
        );
      }
      el("circle", { cx: p.x, cy: p.y, r: p.r + 6, class: "ring" }, g);
      el("circle", { cx: p.x, cy: p.y, r: p.r, class: "dot" }, g);
      const strike = el(
        "path",
        { d: starPath(p.x + p.r * 0.9, p.y - p.r * 0.9, 6.5, 3), class: "strike" },
        g,
      );
      strike.style.display = "none";
      g.addEventListener("click", () => this.on.select(p.id));
      g.addEventListener("keydown", (e) => {
        if (e.key === "Enter" || e.key === " ") {
          e.preventDefault();
          this.on.select(p.id);
        }
      });
      const dot = g.querySelector(".dot") as SVGCircleElement;
      g.addEventListener("pointerenter", () => this.on.hover(p.id, dot.getBoundingClientRect()));
      g.addEventListener("pointerleave", () => this.on.hover(undefined, undefined));
      g.addEventListener("focus", () => this.on.hover(p.id, dot.getBoundingClientRect()));
      g.addEventListener("blur", () => this.on.hover(undefined, undefined));
      this.markers.set(p.id, g);
    }
    if (this.placed.length <= 600) this.labels(labelsLayer, places, height);
    this.scaleBar(c.scale, height);
    if (this.model !== undefined) this.update(this.model);
  }

  /** Colours the markers for the selected instant. */
  update(model: MapModel): void {
    this.model = model;
    const byId = new Map(model.geojson.features.map((f) => [f.properties.id, f.properties]));
    for (const [id, g] of this.markers) {
      const props = byId.get(id);
      const controller = props?.controller;
      const claims = model.contested.get(id);
      const dot = g.querySelector(".dot") as SVGCircleElement;
      let fill: string;
      if (claims !== undefined) {
        fill = `url(#${this.hatch(claims.map((c) => this.colorOf(c.controller, model)))})`;
      } else if (controller === undefined) {
        fill = "#ffffff";
      } else {
        fill = this.colorOf(controller, model);
      }
      dot.setAttribute("fill", fill);
      const state =
        claims !== undefined
          ? "contested"
          : controller === undefined
            ? "unknown"
            : controller === null
              ? "nobody"
              : "held";
      g.setAttribute("data-state", state);
      g.setAttribute("data-controller", controller === undefined ? "" : (controller ?? "nobody"));
      g.setAttribute("data-contested", String(claims !== undefined));
      g.classList.toggle("selected", model.selected === id);
      const strikes = model.airstrikes.get(id) ?? 0;
      (g.querySelector(".strike") as SVGPathElement).style.display = strikes > 0 ? "" : "none";
    }
  }

  private colorOf(controller: string | null, model: MapModel): string {
    return controller === null ? model.nobodyColor : (model.colors[controller] ?? "#555555");
  }

  /** A striped pattern of the claimants' colours, made once per combination. */
  private hatch(colors: readonly string[]): string {
    const unique = [...new Set(colors)];
    const id = `hatch-${unique.map((c) => c.replace(/[^0-9a-z]/gi, "")).join("-")}`;
    if (!this.patterns.has(id)) {
      const stripe = 4;
      const pattern = el(
        "pattern",
        {
          id,
          patternUnits: "userSpaceOnUse",
          width: stripe * unique.length,
          height: 8,
          patternTransform: "rotate(45)",
        },
        this.defs,
      );
      unique.forEach((color, i) => {
        el("rect", { x: i * stripe, y: 0, width: stripe, height: 8, fill: color }, pattern);
      });
      this.patterns.add(id);
    }
    return id;
  }

  private graticule(
    project: (lon: number, lat: number) => { x: number; y: number },
    b: { west: number; east: number; south: number; north: number },
    height: number,
  ): void {
    const g = el("g", { class: "graticule", "aria-hidden": "true" }, this.svg);
    const step = niceStep(b.east - b.west);
    const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
    for (let lon = Math.ceil(b.west / step) * step; lon <= b.east; lon += step) {
      const { x } = project(lon, b.north);
      el("line", { x1: x, y1: 0, x2: x, y2: height }, g);
      const t = el("text", { x: x + 4, y: height - 8 }, g);
      t.textContent = `${lon.toFixed(decimals)}°${lon >= 0 ? "E" : "W"}`;
    }
    for (let lat = Math.ceil(b.south / step) * step; lat <= b.north; lat += step) {
      const { y } = project(b.west, lat);
      el("line", { x1: 0, y1: y, x2: WIDTH, y2: y }, g);
      const t = el("text", { x: 6, y: y - 4 }, g);
      t.textContent = `${lat.toFixed(decimals)}°${lat >= 0 ? "N" : "S"}`;
    }
  }

  private scaleBar(pxPerDegree: number, height: number): void {
    const kmPerPx = 111.32 / pxPerDegree;
    const target = 120 * kmPerPx;
    const nice = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000].find(
      (n) => n >= target * 0.6,
    );
    const km = nice ?? 5000;
    const px = km / kmPerPx;
    const x = WIDTH - 24 - px;
    const y = height - 22;
    const g = el("g", { class: "scale", "aria-hidden": "true" }, this.svg);
    el("rect", { x: x - 8, y: y - 20, width: px + 16, height: 30, rx: 4, class: "scale-bg" }, g);
    el("path", { d: `M ${x} ${y - 5} V ${y} H ${x + px} V ${y - 5}` }, g);
    const t = el("text", { x: x + px / 2, y: y - 8 }, g);
    t.textContent = `${km} km`;
  }

  /** Places each label beside its marker where it overlaps nothing (greedy, 8 positions). */
  private labels(layer: SVGGElement, places: Registry, height: number): void {
    type Box = { x: number; y: number; w: number; h: number };
    const boxes: Box[] = this.placed.map((p) => ({
      x: p.x - p.r - 2,
      y: p.y - p.r - 2,
      w: 2 * p.r + 4,
      h: 2 * p.r + 4,
    }));
    const overlap = (a: Box, b: Box) =>
      Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x)) *
      Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
    const outside = (a: Box) => a.w * a.h - overlap(a, { x: 2, y: 2, w: WIDTH - 4, h: height - 4 });
    this.placed.forEach((p, index) => {
      const entry = places[p.id];
      const name =
        p.offFrame === undefined
          ? (entry?.name ?? p.id)
          : `${entry?.name ?? p.id} (${Math.round(p.offFrame.km)} km)`;
      const text = el("text", { class: "label", "data-label": p.id }, layer);
      text.textContent = name;
      const w = text.getComputedTextLength() || name.length * LABEL_FONT * 0.55;
      const h = LABEL_FONT + 2;
      const gap = p.r + 7;
      // [dx of the box's left edge, dy of its top edge] for each candidate position.
      const candidates: [number, number][] = [
        [gap, -h / 2],
        [-gap - w, -h / 2],
        [-w / 2, -gap - h],
        [-w / 2, gap],
        [gap * 0.7, -gap * 0.7 - h],
        [gap * 0.7, gap * 0.7],
        [-gap * 0.7 - w, -gap * 0.7 - h],
        [-gap * 0.7 - w, gap * 0.7],
      ];
      let best: Box | undefined;
      let bestCost = Number.POSITIVE_INFINITY;
      for (const [dx, dy] of candidates) {
        const box = { x: p.x + dx, y: p.y + dy, w, h };
        const cost =
          boxes.reduce((sum, b, i) => (i === index ? sum : sum + overlap(box, b)), 0) +
          outside(box) * 4;
        if (cost < bestCost) {
          best = box;
          bestCost = cost;
        }
        if (cost === 0) break;
      }
      // A label that would overlap another or a marker is left out (the name shows on hover).
      if (bestCost > 20) {
        text.remove();
        return;
      }
      const box = best as Box;
      text.setAttribute("x", String(box.x));
      text.setAttribute("y", String(box.y + h - 4));
      boxes.push(box);
    });
  }
}

/**
 * Pushes overlapping markers apart (a few pixels, as cartographers displace crowded symbols),
 * so that each stays visible and clickable; places off the frame stay on its edge.
 */
function spreadApart(placed: Placed[]): void {
  const movable = placed.filter((p) => p.offFrame === undefined);
  const origin = new Map(movable.map((p) => [p, { x: p.x, y: p.y }]));
  for (let round = 0; round < 80; round++) {
    let moved = false;
    for (let i = 0; i < movable.length; i++) {
      for (let j = i + 1; j < movable.length; j++) {
        const a = movable[i] as Placed;
        const b = movable[j] as Placed;
        const min = a.r + b.r + 7;
        let dx = b.x - a.x;
        let dy = b.y - a.y;
        let d = Math.hypot(dx, dy);
        if (d >= min) continue;
        if (d < 0.01) {
          // Same spot: part them along a fixed direction, so the layout is repeatable.
          dx = Math.cos(j);
          dy = Math.sin(j);
          d = 1;
        }
        const push = (min - d) / 2 + 0.01;
        a.x -= (dx / d) * push;
        a.y -= (dy / d) * push;
        b.x += (dx / d) * push;
        b.y += (dy / d) * push;
        moved = true;
      }
    }
    if (!moved) break;
  }
  for (const p of movable) {
    const o = origin.get(p) as { x: number; y: number };
    if (Math.hypot(p.x - o.x, p.y - o.y) > 1.5) p.true = o;
  }
}

/** Where a ray from `c` at `angle` leaves the frame, `inset` px inside it. */
function edgePoint(
  c: { x: number; y: number },
  angle: number,
  width: number,
  height: number,
  inset: number,
): { x: number; y: number } {
  const dx = Math.cos(angle);
  const dy = Math.sin(angle);
  const tx = dx > 0 ? (width - inset - c.x) / dx : dx < 0 ? (inset - c.x) / dx : Infinity;
  const ty = dy > 0 ? (height - inset - c.y) / dy : dy < 0 ? (inset - c.y) / dy : Infinity;
  const t = Math.min(tx, ty);
  return { x: c.x + dx * t, y: c.y + dy * t };
}

/** Great-circle distance in km. */
function distanceKm(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const rad = Math.PI / 180;
  const a =
    Math.sin(((lat2 - lat1) * rad) / 2) ** 2 +
    Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(a));
}

/** A graticule step giving a handful of lines over `span` degrees. */
function niceStep(span: number): number {
  for (const step of [0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 20, 30]) {
    if (span / step <= 8) return step;
  }
  return 45;
}

/** A small eight-pointed star (an air strike reported here by then). */
function starPath(cx: number, cy: number, outer: number, inner: number): string {
  const points: string[] = [];
  for (let i = 0; i < 16; i++) {
    const r = i % 2 === 0 ? outer : inner;
    const a = (Math.PI * i) / 8 - Math.PI / 2;
    points.push(`${(cx + r * Math.cos(a)).toFixed(1)} ${(cy + r * Math.sin(a)).toFixed(1)}`);
  }
  return `M ${points.join(" L ")} Z`;
}
