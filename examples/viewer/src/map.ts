// The map: Leaflet over an offline basemap (basemap.ts), the territory of each side
// (`controlAreas`), the areas of places (`toGeoJSON` features with a geometry), and the places
// with coordinates as markers. Markers and labels are an SVG layer of their own, laid out in
// screen pixels after every move. A few places in view are pushed apart a little so that each
// stays visible; more than that are clustered (supercluster), each cluster ringed by the
// shares of who holds its places, and a click zooms into it. Labels go only beside single
// markers, where they overlap no marker, no other label and no sea.

import type { Feature, FeatureCollection, Geometry } from "geojson";
import L from "leaflet";
import "leaflet/dist/leaflet.css";
import Supercluster from "supercluster";
import type { AreaFeatureCollection, Claim, PlaceFeatureCollection, Registry } from "tidemark";
import { addBasemap, CREDIT, type LandMask, SYRIA_BOUNDS } from "./basemap.js";

const SVG = "http://www.w3.org/2000/svg";
const LABEL_FONT = 14;
/** Up to this many places in view are drawn one by one (pushed apart); more are clustered. */
const SPREAD_UP_TO = 40;
/** Where the map may be panned: the whole world. */
const WORLD = L.latLngBounds([-85, -200], [85, 200]);

/** A place's state for a cluster's ring: an actor id, "nobody", "unknown" or "contested". */
type Share = Record<string, number>;
interface PointProps {
  id: string;
}

/** What the map shows at the selected instant. */
export interface MapModel {
  /** `toGeoJSON(state, places)`: a Point per place with coordinates, its area if it has one. */
  readonly geojson: PlaceFeatureCollection;
  /** `controlAreas(state, places)`: the territory of each controller. */
  readonly areas: AreaFeatureCollection;
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

interface Placed {
  readonly id: string;
  x: number;
  y: number;
  readonly r: number;
  /** Where the place really is, when its marker was moved clear of a neighbour's. */
  true?: { readonly x: number; readonly y: number };
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

/** A GeoJSON feature's properties, as the layer that drew it holds them. */
const propertiesOf = <T>(feature: Feature | undefined): T => (feature?.properties ?? {}) as T;

const own = <T>(record: Readonly<Record<string, T>>, key: string): T | undefined =>
  Object.hasOwn(record, key) ? record[key] : undefined;

export class MapView {
  private readonly map: L.Map;
  private readonly overlay: SVGSVGElement;
  private readonly defs: SVGDefsElement;
  private readonly markers = new Map<string, SVGGElement>();
  private readonly patterns = new Set<string>();
  private readonly territory: L.GeoJSON;
  private readonly placeAreas: L.GeoJSON;
  private readonly areaLabels = L.layerGroup();
  private placed: Placed[] = [];
  private places: Registry = {};
  private located: { id: string; kind: string | undefined; lon: number; lat: number }[] = [];
  private frame: L.LatLngBounds | undefined;
  private model: MapModel | undefined;
  private readonly land: LandMask;
  private clusters: Supercluster<PointProps, PointProps> | undefined;

  constructor(
    host: HTMLElement,
    private readonly on: MapEvents,
  ) {
    const canvas = document.createElement("div");
    canvas.className = "leaflet-host";
    host.prepend(canvas);
    this.map = L.map(canvas, {
      zoomSnap: 0.25,
      zoomAnimation: false,
      attributionControl: false,
      preferCanvas: false,
      minZoom: 2,
      maxZoom: 14,
    });
    L.control.attribution({ prefix: false }).addAttribution(CREDIT).addTo(this.map);
    L.control.scale({ imperial: false, position: "bottomleft" }).addTo(this.map);
    const Fit = L.Control.extend({
      onAdd: () => {
        const button = L.DomUtil.create("button", "fit-button leaflet-bar");
        button.type = "button";
        button.textContent = "⤢";
        button.title = "Show every place";
        button.setAttribute("aria-label", "Show every place");
        L.DomEvent.disableClickPropagation(button);
        button.addEventListener("click", () => this.fit());
        return button;
      },
    });
    new Fit({ position: "topleft" }).addTo(this.map);
    this.land = addBasemap(this.map);
    this.map.createPane("territory").style.zIndex = "350";
    this.map.createPane("place-areas").style.zIndex = "380";
    this.territory = L.geoJSON(undefined, {
      pane: "territory",
      interactive: false,
      style: (f) => {
        const color = this.colorOf(propertiesOf<{ controller: string | null }>(f).controller);
        return { className: "territory", color, weight: 1.5, fillColor: color, fillOpacity: 0.42 };
      },
    }).addTo(this.map);
    this.placeAreas = L.geoJSON(undefined, {
      pane: "place-areas",
      style: { className: "place-area", weight: 1.5, fill: true, fillOpacity: 0 },
      onEachFeature: (f, layer) => {
        const { id } = propertiesOf<{ id: string }>(f);
        layer.on("click", () => this.on.select(id));
        layer.on("mouseover", (e: L.LeafletMouseEvent) => {
          const box = this.overlay.getBoundingClientRect();
          const at = e.containerPoint;
          this.on.hover(id, new DOMRect(box.left + at.x, box.top + at.y, 0, 0));
        });
        layer.on("mouseout", () => this.on.hover(undefined, undefined));
      },
    }).addTo(this.map);
    this.areaLabels.addTo(this.map);

    this.overlay = el("svg", {
      class: "map-overlay",
      role: "group",
      "aria-label": "Places, coloured by who holds them",
    });
    this.defs = el("defs", {}, this.overlay);
    canvas.append(this.overlay);
    this.map.on("move zoom resize viewreset", () => this.layout());
  }

  /** The map's screen position (CSS pixels in the map) of a longitude and latitude. */
  project(lon: number, lat: number): { x: number; y: number } {
    const p = this.map.latLngToContainerPoint([lat, lon]);
    return { x: p.x, y: p.y };
  }

  /** Shows a new set of places, framed on `framed` (the places events name). */
  setPlaces(places: Registry, framed: ReadonlySet<string>): void {
    this.places = places;
    this.located = Object.entries(places).flatMap(([id, p]) =>
      p.coordinates === undefined
        ? []
        : [{ id, kind: p.kind, lon: p.coordinates[0], lat: p.coordinates[1] }],
    );
    const bounds = L.latLngBounds([]);
    for (const p of this.located) if (framed.has(p.id)) bounds.extend([p.lat, p.lon]);
    for (const [id, p] of Object.entries(places)) {
      if (p.geometry !== undefined && framed.has(id))
        bounds.extend(L.geoJSON(p.geometry as Geometry).getBounds());
    }
    if (!bounds.isValid()) for (const p of this.located) bounds.extend([p.lat, p.lon]);
    this.clusters = undefined;
    // Places in Syria are shown with the whole country around them: a reader knows where
    // they are before zooming in.
    this.frame = !bounds.isValid()
      ? SYRIA_BOUNDS
      : SYRIA_BOUNDS.pad(0.1).contains(bounds)
        ? SYRIA_BOUNDS
        : atLeast(bounds.pad(0.08), 6);
    this.fit();
  }

  /** Back to the frame of all the places. */
  fit(): void {
    if (this.frame === undefined) return;
    this.map.setMaxBounds(WORLD);
    this.map.invalidateSize();
    this.map.fitBounds(this.frame, { animate: false, padding: [12, 12] });
    this.layout();
  }

  /** Zooms by `steps` levels around the centre. */
  zoom(steps: number): void {
    this.map.setZoom(this.map.getZoom() + steps, { animate: false });
  }

  /** Draws the clusters again in their layer, for a new instant (same view, same places). */
  private redrawClusters(): void {
    const layer = this.overlay.querySelector<SVGGElement>("g.clusters");
    if (layer === null) return;
    layer.replaceChildren();
    const size = this.map.getSize();
    const margin = 12;
    this.cluster(
      layer,
      (x, y) => x >= -margin && x <= size.x + margin && y >= -margin && y <= size.y + margin,
    );
  }

  /** Draws the markers and labels for the current view. */
  private layout(): void {
    for (const child of [...this.overlay.children]) if (child !== this.defs) child.remove();
    this.markers.clear();
    const size = this.map.getSize();
    this.overlay.setAttribute("viewBox", `0 0 ${size.x} ${size.y}`);
    this.overlay.setAttribute("width", String(size.x));
    this.overlay.setAttribute("height", String(size.y));
    const margin = 12;
    const inView = (x: number, y: number) =>
      x >= -margin && x <= size.x + margin && y >= -margin && y <= size.y + margin;
    this.placed = this.located.flatMap(({ id, kind, lon, lat }): Placed[] => {
      const { x, y } = this.project(lon, lat);
      return inView(x, y) ? [{ id, x, y, r: radius(kind) }] : [];
    });
    const clustersLayer = el("g", { class: "clusters" }, this.overlay);
    if (this.placed.length <= SPREAD_UP_TO) spreadApart(this.placed);
    else this.placed = this.cluster(clustersLayer, inView);
    // Larger places first, so that their labels get the best spots.
    this.placed.sort((a, b) => b.r - a.r);

    // A marker moved off its place (to stay clear of a neighbour) keeps a leader line to it.
    const leaders = el("g", { class: "leaders", "aria-hidden": "true" }, this.overlay);
    for (const p of this.placed) {
      if (p.true === undefined) continue;
      el("line", { x1: p.true.x, y1: p.true.y, x2: p.x, y2: p.y }, leaders);
      el("circle", { cx: p.true.x, cy: p.true.y, r: 2.2 }, leaders);
    }
    const markersLayer = el("g", { class: "markers" }, this.overlay);
    const labelsLayer = el("g", { class: "labels", "aria-hidden": "true" }, this.overlay);
    for (const p of this.placed) {
      const entry = own(this.places, p.id);
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
    if (this.placed.length <= 600) {
      this.land.draw(this.map);
      this.labels(labelsLayer, this.places, size.x, size.y);
    }
    if (this.model !== undefined) this.paintMarkers(this.model);
  }

  /**
   * Draws the clusters of the places in view (supercluster, at the map's zoom) into `layer`;
   * returns the places left alone, to be drawn one by one.
   */
  private cluster(layer: SVGGElement, inView: (x: number, y: number) => boolean): Placed[] {
    const index = this.clusterIndex();
    const model = this.model;
    const controllers = new Map(
      (model?.geojson.features ?? []).map((f) => [f.properties.id, f.properties.controller]),
    );
    const stateOf = (id: string) => {
      if (model?.contested.has(id)) return "contested";
      const c = controllers.get(id);
      return c === undefined ? "unknown" : (c ?? "nobody");
    };
    const b = this.map.getBounds().pad(0.05);
    const zoom = Math.floor(this.map.getZoom());
    const single: Placed[] = [];
    for (const c of index.getClusters(
      [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()],
      zoom,
    )) {
      const [lon = 0, lat = 0] = c.geometry.coordinates;
      const { x, y } = this.project(lon, lat);
      if (!inView(x, y)) continue;
      const props = c.properties as Partial<Supercluster.ClusterProperties> & PointProps;
      if (props.cluster !== true) {
        const kind = own(this.places, props.id)?.kind;
        single.push({ id: props.id, x, y, r: radius(kind) });
        continue;
      }
      const count = props.point_count ?? 0;
      // Shares at the selected instant, from the cluster's places: the index itself is built
      // once per set of places and reused at every step of the slider.
      const shares: Share = {};
      for (const leaf of index.getLeaves(props.cluster_id ?? 0, Number.POSITIVE_INFINITY)) {
        const key = stateOf(leaf.properties.id);
        shares[key] = (shares[key] ?? 0) + 1;
      }
      const r = Math.min(11 + Math.sqrt(count) * 1.2, 22);
      const g = el(
        "g",
        {
          class: "cluster",
          "data-cluster": count,
          role: "button",
          tabindex: 0,
          "aria-label": `${count} places: zoom in`,
        },
        layer,
      );
      el("circle", { cx: x, cy: y, r, fill: "#ffffff", "fill-opacity": 0.92 }, g);
      // The ring: one arc per state, in proportion to its places.
      const total = Object.values(shares).reduce((a, n) => a + n, 0) || 1;
      let angle = -Math.PI / 2;
      const ring = r - 3;
      for (const [key, n] of Object.entries(shares).sort((a, b2) => b2[1] - a[1])) {
        const sweep = (n / total) * Math.PI * 2;
        const end = angle + sweep;
        const color = this.shareColor(key);
        const arc =
          sweep >= Math.PI * 2 - 1e-6
            ? el("circle", { cx: x, cy: y, r: ring }, g)
            : el(
                "path",
                {
                  d: `M${x + ring * Math.cos(angle)} ${y + ring * Math.sin(angle)} A${ring} ${ring} 0 ${sweep > Math.PI ? 1 : 0} 1 ${x + ring * Math.cos(end)} ${y + ring * Math.sin(end)}`,
                },
                g,
              );
        arc.setAttribute("fill", "none");
        arc.setAttribute("stroke", color);
        arc.setAttribute("stroke-width", "6");
        arc.setAttribute("data-share", `${key}:${n}`);
        angle = end;
      }
      const text = el("text", { x, y: y + 4, "text-anchor": "middle" }, g);
      text.textContent = count.toLocaleString("en");
      const expand = () => {
        const to = Math.min(index.getClusterExpansionZoom(props.cluster_id ?? 0), 14);
        this.map.setView([lat, lon], to, { animate: false });
      };
      g.addEventListener("click", expand);
      g.addEventListener("keydown", (e) => {
        if (e.key === "Enter" || e.key === " ") expand();
      });
    }
    return single;
  }

  /** The colour of a cluster ring's state. */
  private shareColor(key: string): string {
    if (key === "unknown") return "#cbd2d9";
    if (key === "contested") return "#7b1fa2";
    return this.colorOf(key === "nobody" ? null : key);
  }

  /** The cluster index of the places with coordinates (where they are, not who holds them). */
  private clusterIndex(): Supercluster<PointProps, PointProps> {
    if (this.clusters !== undefined) return this.clusters;
    const index = new Supercluster<PointProps, PointProps>({ radius: 36, maxZoom: 13 });
    index.load(
      this.located.map((p) => ({
        type: "Feature" as const,
        geometry: { type: "Point" as const, coordinates: [p.lon, p.lat] },
        properties: { id: p.id },
      })),
    );
    this.clusters = index;
    return index;
  }

  /** Shows the selected instant: territory, areas of places, markers. */
  update(model: MapModel): void {
    this.model = model;
    // Clusters' rings show who holds their places: drawn again, from the same index; the
    // markers and labels stay where they are (they move only with the map).
    if (this.clusters !== undefined && this.located.length > SPREAD_UP_TO) this.redrawClusters();
    this.territory.clearLayers();
    this.territory.addData(model.areas as unknown as FeatureCollection);
    this.territory.eachLayer((layer) => {
      const { controller } = propertiesOf<{ controller: string | null }>(
        (layer as L.Polygon).feature,
      );
      (layer as L.Path).getElement()?.setAttribute("data-controller", controller ?? "nobody");
    });

    this.placeAreas.clearLayers();
    this.areaLabels.clearLayers();
    const withArea = model.geojson.features.filter((f) => f.geometry.type !== "Point");
    this.placeAreas.addData({
      type: "FeatureCollection",
      features: withArea,
    } as unknown as FeatureCollection);
    this.placeAreas.eachLayer((layer) => {
      const path = layer as L.Polygon;
      const { id, controller } = propertiesOf<{ id: string; controller?: string | null }>(
        path.feature,
      );
      const claims = model.contested.get(id);
      const state =
        claims !== undefined
          ? "contested"
          : controller === undefined
            ? "unknown"
            : controller === null
              ? "nobody"
              : "held";
      path.setStyle({
        color: state === "unknown" ? "#3e4c59" : "#1f2933",
        weight: model.selected === id ? 3.5 : 2,
        dashArray: state === "unknown" ? "7 5" : "",
        fillColor:
          claims === undefined
            ? "#000"
            : `url(#${this.hatch(claims.map((c) => this.colorOf(c.controller)))})`,
        fillOpacity: claims === undefined ? 0 : 0.8,
      });
      // The name low and right in the area's box: its sites tend to crowd round its seat, near
      // the middle, where their own labels already are.
      const name = propertiesOf<{ name: string }>(path.feature).name;
      const label = document.createElement("span");
      label.textContent = name;
      const box = path.getBounds();
      const at = L.latLng(
        box.getSouth() + 0.1 * (box.getNorth() - box.getSouth()),
        box.getWest() + 0.75 * (box.getEast() - box.getWest()),
      );
      L.marker(at, {
        icon: L.divIcon({ className: "area-label", html: label, iconSize: [0, 0] }),
        interactive: false,
        keyboard: false,
      }).addTo(this.areaLabels);
      const element = path.getElement();
      element?.setAttribute("data-area", id);
      element?.setAttribute("data-state", state);
      element?.setAttribute(
        "data-controller",
        controller === undefined ? "" : (controller ?? "nobody"),
      );
    });
    this.paintMarkers(model);
  }

  /** Colours the markers for the selected instant. */
  private paintMarkers(model: MapModel): void {
    const byId = new Map(model.geojson.features.map((f) => [f.properties.id, f.properties]));
    for (const [id, g] of this.markers) {
      const props = byId.get(id);
      const controller = props?.controller;
      const claims = model.contested.get(id);
      const dot = g.querySelector(".dot") as SVGCircleElement;
      let fill: string;
      if (claims !== undefined) {
        fill = `url(#${this.hatch(claims.map((c) => this.colorOf(c.controller)))})`;
      } else if (controller === undefined) {
        fill = "#ffffff";
      } else {
        fill = this.colorOf(controller);
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

  private colorOf(controller: string | null): string {
    const model = this.model;
    if (model === undefined) return "#555555";
    return controller === null ? model.nobodyColor : (own(model.colors, controller) ?? "#555555");
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

  /** Places each label beside its marker where it overlaps nothing (greedy, 8 positions). */
  private labels(layer: SVGGElement, places: Registry, width: number, height: number): void {
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
    const outside = (a: Box) => a.w * a.h - overlap(a, { x: 2, y: 2, w: width - 4, h: height - 4 });
    this.placed.forEach((p, index) => {
      const name = own(places, p.id)?.name ?? p.id;
      const text = el("text", { class: "label", "data-label": p.id }, layer);
      text.textContent = name;
      const w = textWidth(name, getComputedStyle(layer).fontFamily);
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
        const corners = [
          [box.x, box.y],
          [box.x + box.w, box.y],
          [box.x, box.y + box.h],
          [box.x + box.w, box.y + box.h],
          [box.x + box.w / 2, box.y + box.h / 2],
        ] as const;
        const sea = corners.filter(([cx, cy]) => this.land.atSea(cx, cy)).length;
        const cost =
          boxes.reduce((sum, b, i) => (i === index ? sum : sum + overlap(box, b)), 0) +
          outside(box) * 4 +
          sea * w * h;
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

let measure: CanvasRenderingContext2D | null | undefined;

/**
 * The width of a label in pixels, measured on a canvas: asking the SVG text for its length
 * would lay the page out again for each of hundreds of labels.
 */
function textWidth(text: string, family: string): number {
  measure ??= document.createElement("canvas").getContext("2d");
  if (measure === null) return text.length * LABEL_FONT * 0.55;
  measure.font = `${LABEL_FONT}px ${family}`;
  return measure.measureText(text).width;
}

/**
 * `bounds`, widened about its centre to at least `degrees` of latitude and longitude: a few
 * places close together are shown with their country and its coasts around them.
 */
function atLeast(bounds: L.LatLngBounds, degrees: number): L.LatLngBounds {
  const c = bounds.getCenter();
  const lat = Math.max(bounds.getNorth() - bounds.getSouth(), degrees) / 2;
  const lon = Math.max(bounds.getEast() - bounds.getWest(), degrees) / 2;
  return L.latLngBounds([c.lat - lat, c.lng - lon], [c.lat + lat, c.lng + lon]);
}

/**
 * Pushes overlapping markers apart (a few pixels, as cartographers displace crowded symbols),
 * so that each stays visible and clickable.
 */
function spreadApart(placed: Placed[]): void {
  const movable = placed;
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
