// The map: Leaflet over an offline basemap (basemap.ts), the territory of each side and the
// areas of places (areas.ts), and the places with coordinates as markers. Markers and labels
// are an SVG layer of their own, laid out in screen pixels after every move. A few places in
// view are pushed apart a little so that each stays visible (spread.ts); more than that are
// clustered (clusters.ts). Labels go only beside single markers, where they overlap no
// marker, no other label and no sea (labels.ts).

import type { Geometry } from "geojson";
import L from "leaflet";
import "leaflet/dist/leaflet.css";
import type { AreaFeatureCollection, PlaceFeatureCollection, Registry } from "tidemark";
import type { SourceClaim } from "../../../src/cli/view-model.js";
import { drawPlaceAreas, drawTerritory, propertiesOf } from "./areas.js";
import { addBasemap, CREDIT, type LandMask, SYRIA_BOUNDS } from "./basemap.js";
import { type ClusterIndex, clusterIndex, drawClusters } from "./clusters.js";
import { placeLabels } from "./labels.js";
import { own } from "./own.js";
import type { Shown } from "./shown.js";
import { type Placed, radius, spreadApart } from "./spread.js";
import { el, starPath } from "./svg.js";

/** Up to this many places in view are drawn one by one (pushed apart); more are clustered. */
const SPREAD_UP_TO = 40;
/** Where the map may be panned: the whole world. */
const WORLD = L.latLngBounds([-85, -200], [85, 200]);

/** What the map shows at the selected instant. */
export interface MapModel {
  /** Each place's control entry (shown.ts). */
  readonly control: Shown["control"];
  /** `toGeoJSON(state, places)` of the places that have an area. */
  readonly areaPlaces: PlaceFeatureCollection;
  /** `controlAreas(state, places)`: the territory of each controller. */
  readonly areas: AreaFeatureCollection;
  /** Colour of each actor id. */
  readonly colors: Readonly<Record<string, string>>;
  readonly nobodyColor: string;
  /** Places whose sources disagree at the instant, with each source's claim. */
  readonly contested: ReadonlyMap<string, readonly SourceClaim[]>;
  /** Places struck from the air by then, with the number of strikes reported. */
  readonly airstrikes: ReadonlyMap<string, number>;
  readonly selected: string | undefined;
}

/** What to do when a place is pointed at or chosen. */
export interface MapEvents {
  select(place: string): void;
  hover(place: string | undefined, anchor: DOMRect | undefined): void;
}

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
  private clusters: ClusterIndex | undefined;

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
    for (const p of this.placed) this.addMarker(p, markersLayer);
    if (this.placed.length <= 600) {
      this.land.draw(this.map);
      placeLabels(labelsLayer, this.placed, this.places, this.land, size.x, size.y);
    }
    if (this.model !== undefined) this.paintMarkers(this.model);
  }

  /** A place's marker: a dot, its ring, its air-strike star; chosen by click or key. */
  private addMarker(p: Placed, layer: SVGGElement): void {
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
      layer,
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

  /**
   * Draws the clusters of the places in view into `layer`; returns the places left alone, to
   * be drawn one by one.
   */
  private cluster(layer: SVGGElement, inView: (x: number, y: number) => boolean): Placed[] {
    this.clusters ??= clusterIndex(this.located);
    const host = {
      map: this.map,
      places: this.places,
      model: this.model,
      project: (lon: number, lat: number) => this.project(lon, lat),
      colorOf: (controller: string | null) => this.colorOf(controller),
    };
    return drawClusters(host, this.clusters, layer, inView);
  }

  /** Shows the selected instant: territory, areas of places, markers. */
  update(model: MapModel): void {
    this.model = model;
    // Clusters' rings show who holds their places: drawn again, from the same index; the
    // markers and labels stay where they are (they move only with the map).
    if (this.clusters !== undefined && this.located.length > SPREAD_UP_TO) this.redrawClusters();
    drawTerritory(this.territory, model);
    drawPlaceAreas(this.placeAreas, this.areaLabels, model, (claims) => this.claimsFill(claims));
    this.paintMarkers(model);
  }

  /** Colours the markers for the selected instant. */
  private paintMarkers(model: MapModel): void {
    for (const [id, g] of this.markers) {
      const controller = model.control.get(id)?.controller;
      const claims = model.contested.get(id);
      const dot = g.querySelector(".dot") as SVGCircleElement;
      let fill: string;
      if (claims !== undefined) {
        fill = this.claimsFill(claims);
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

  /** The fill of a contested place: its claimants' colours, hatched. */
  private claimsFill(claims: readonly SourceClaim[]): string {
    return `url(#${this.hatch(claims.map((c) => this.colorOf(c.controller)))})`;
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
