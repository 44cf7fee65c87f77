// Clusters of places (supercluster), drawn when more places are in view than can be drawn one
// by one: each ringed by the shares of who holds its places, and a click zooms into it.

import type L from "leaflet";
import Supercluster from "supercluster";
import type { Registry } from "tidemark";
import type { MapModel } from "./map.js";
import { own } from "./own.js";
import { type Placed, radius } from "./spread.js";
import { el } from "./svg.js";

/** A place's state for a cluster's ring: an actor id, "nobody", "unknown" or "contested". */
type Share = Record<string, number>;
export interface PointProps {
  id: string;
}
export type ClusterIndex = Supercluster<PointProps, PointProps>;

/** What drawing the clusters needs from the map. */
export interface ClusterHost {
  readonly map: L.Map;
  readonly places: Registry;
  readonly model: MapModel | undefined;
  project(lon: number, lat: number): { x: number; y: number };
  colorOf(controller: string | null): string;
}

/** The cluster index of the places with coordinates (where they are, not who holds them). */
export function clusterIndex(located: readonly { id: string; lon: number; lat: number }[]) {
  const index: ClusterIndex = new Supercluster<PointProps, PointProps>({ radius: 36, maxZoom: 13 });
  index.load(
    located.map((p) => ({
      type: "Feature" as const,
      geometry: { type: "Point" as const, coordinates: [p.lon, p.lat] },
      properties: { id: p.id },
    })),
  );
  return index;
}

/** The place ids of each cluster, kept per index (a cluster's id names its zoom too). */
const leaves = new WeakMap<ClusterIndex, Map<number, readonly string[]>>();

function leavesOf(index: ClusterIndex, cluster: number): readonly string[] {
  let kept = leaves.get(index);
  if (kept === undefined) {
    kept = new Map();
    leaves.set(index, kept);
  }
  let ids = kept.get(cluster);
  if (ids === undefined) {
    ids = index.getLeaves(cluster, Number.POSITIVE_INFINITY).map((leaf) => leaf.properties.id);
    kept.set(cluster, ids);
  }
  return ids;
}

/**
 * Draws the clusters of the places in view (supercluster, at the map's zoom) into `layer`;
 * returns the places left alone, to be drawn one by one.
 */
export function drawClusters(
  host: ClusterHost,
  index: ClusterIndex,
  layer: SVGGElement,
  inView: (x: number, y: number) => boolean,
): Placed[] {
  const model = host.model;
  const stateOf = (id: string) => {
    if (model?.contested.has(id)) return "contested";
    const c = model?.control.get(id)?.controller;
    return c === undefined ? "unknown" : (c ?? "nobody");
  };
  const b = host.map.getBounds().pad(0.05);
  const zoom = Math.floor(host.map.getZoom());
  const single: Placed[] = [];
  for (const c of index.getClusters([b.getWest(), b.getSouth(), b.getEast(), b.getNorth()], zoom)) {
    const [lon = 0, lat = 0] = c.geometry.coordinates;
    const { x, y } = host.project(lon, lat);
    if (!inView(x, y)) continue;
    const props = c.properties as Partial<Supercluster.ClusterProperties> & PointProps;
    if (props.cluster !== true) {
      const kind = own(host.places, props.id)?.kind;
      single.push({ id: props.id, x, y, r: radius(kind) });
      continue;
    }
    // Shares at the selected instant, from the cluster's places: the index itself is built
    // once per set of places and reused at every step of the slider.
    const shares: Share = {};
    for (const id of leavesOf(index, props.cluster_id ?? 0)) {
      const key = stateOf(id);
      shares[key] = (shares[key] ?? 0) + 1;
    }
    const expand = () => {
      const to = Math.min(index.getClusterExpansionZoom(props.cluster_id ?? 0), 14);
      host.map.setView([lat, lon], to, { animate: false });
    };
    drawCluster(host, layer, { x, y, count: props.point_count ?? 0, shares }, expand);
  }
  return single;
}

/** One cluster: a disc with its count, ringed by its shares; `expand` on click or key. */
function drawCluster(
  host: ClusterHost,
  layer: SVGGElement,
  { x, y, count, shares }: { x: number; y: number; count: number; shares: Share },
  expand: () => void,
): void {
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
    const color = shareColor(host, key);
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
  g.addEventListener("click", expand);
  g.addEventListener("keydown", (e) => {
    if (e.key === "Enter" || e.key === " ") expand();
  });
}

/** The colour of a cluster ring's state. */
function shareColor(host: ClusterHost, key: string): string {
  if (key === "unknown") return "#cbd2d9";
  if (key === "contested") return "#7b1fa2";
  return host.colorOf(key === "nobody" ? null : key);
}
