// Files that Vite imports as text (`?raw`): the basemap's GeoJSON and TopoJSON, bundled so that
// the page works offline.
declare module "*?raw" {
  const text: string;
  export default text;
}

interface Window {
  /** For scripts and the end-to-end test: where a longitude and latitude are on the map. */
  tidemarkViewer?: { project(lon: number, lat: number): { x: number; y: number } };
}
