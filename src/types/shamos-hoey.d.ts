/** shamos-hoey ships no types: the one function it exports, as its README documents it. */
declare module "shamos-hoey" {
  /**
   * Whether no two segments of a GeoJSON geometry (or feature, or collection) intersect, by the
   * Shamos–Hoey sweep line (O(n log n)). Neighbouring segments of a ring may share their vertex.
   */
  export default function noIntersections(geojson: object): boolean;
}
