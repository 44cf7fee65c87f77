// Borders shared between areas: the vertices one area has on another's edge, added to that
// edge so that TopoJSON sees one arc (areas.ts builds its topology from the result).

type Ring = [number, number][];

/**
 * Adds to each edge the vertices of other areas that lie exactly on it (a town drawn at the
 * edge of its district, whose corner is no vertex of the district's border). TopoJSON shares a
 * border only where both areas have the same vertices; with them added, the border is one arc
 * and the district minus the town is a notch, not a hole touching its own exterior.
 */
export function shareVertices(shapes: Ring[][][]): Ring[][][] {
  const grid = new VertexGrid(
    shapes.flatMap((polygons, owner) => polygons.flat(2).map(([x, y]) => ({ x, y, owner }))),
  );
  return shapes.map((polygons, owner) =>
    polygons.map((rings) =>
      rings.map((ring) => {
        const out: Ring = [];
        for (let k = 0; k + 1 < ring.length; k++) {
          const [ax, ay] = ring[k] as [number, number];
          const [bx, by] = ring[k + 1] as [number, number];
          out.push([ax, ay]);
          const between: [number, number][] = [];
          const length = (bx - ax) ** 2 + (by - ay) ** 2;
          grid.near(ax, ay, bx, by, ({ x, y, owner: of }) => {
            if (of === owner) return;
            if ((x - ax) * (by - ay) !== (y - ay) * (bx - ax)) return;
            const t = (x - ax) * (bx - ax) + (y - ay) * (by - ay);
            if (t > 0 && t < length) between.push([x, y]);
          });
          between.sort(
            (p, q) => Math.hypot(p[0] - ax, p[1] - ay) - Math.hypot(q[0] - ax, q[1] - ay),
          );
          for (const p of between) {
            const last = out[out.length - 1] as [number, number];
            if (last[0] !== p[0] || last[1] !== p[1]) out.push(p);
          }
        }
        out.push(ring[ring.length - 1] as [number, number]);
        return out;
      }),
    ),
  );
}

/** Vertices in an edge's span below which scanning them beats walking the grid. */
const NARROW = 64;

interface Vertex {
  readonly x: number;
  readonly y: number;
  readonly owner: number;
}

/**
 * Vertices found near an edge without scanning every vertex in its span, which made a
 * 150,000-vertex zigzag take a minute: an edge narrow in one axis scans the vertices sorted by
 * that axis within its span; any other walks a grid of about as many cells as vertices, over
 * their bounding box, visiting only the cells along the edge.
 */
class VertexGrid {
  private readonly cells = new Map<number, Vertex[]>();
  private readonly byX: Vertex[];
  private readonly byY: Vertex[];
  private readonly xs: number[];
  private readonly ys: number[];
  private readonly x0: number;
  private readonly y0: number;
  private readonly w: number;
  private readonly h: number;
  private readonly cols: number;
  private readonly rows: number;

  constructor(vertices: readonly Vertex[]) {
    let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const { x, y } of vertices) {
      x0 = Math.min(x0, x);
      y0 = Math.min(y0, y);
      x1 = Math.max(x1, x);
      y1 = Math.max(y1, y);
    }
    const n = Math.max(vertices.length, 1);
    const [dx, dy] = [Math.max(x1 - x0, 1e-12), Math.max(y1 - y0, 1e-12)];
    // Cells about square, about n of them, at most n along either side.
    const side = Math.sqrt((dx * dy) / n);
    this.cols = Math.min(n, Math.max(1, Math.ceil(dx / side)));
    this.rows = Math.min(n, Math.max(1, Math.ceil(dy / side)));
    [this.x0, this.y0, this.w, this.h] = [x0, y0, dx / this.cols, dy / this.rows];
    this.byX = [...vertices].sort((p, q) => p.x - q.x);
    this.byY = [...vertices].sort((p, q) => p.y - q.y);
    this.xs = this.byX.map((v) => v.x);
    this.ys = this.byY.map((v) => v.y);
    for (const v of vertices) {
      const key = this.row(v.y) * this.cols + this.col(v.x);
      const cell = this.cells.get(key);
      if (cell === undefined) this.cells.set(key, [v]);
      else cell.push(v);
    }
  }

  private col(x: number): number {
    return Math.min(this.cols - 1, Math.max(0, Math.floor((x - this.x0) / this.w)));
  }

  private row(y: number): number {
    return Math.min(this.rows - 1, Math.max(0, Math.floor((y - this.y0) / this.h)));
  }

  /**
   * Calls `visit` with every vertex in the cells that the edge from `(ax, ay)` to `(bx, by)`
   * crosses (and their neighbours across the edge, against rounding): a superset of the
   * vertices on it, within its bounding box.
   */
  near(ax: number, ay: number, bx: number, by: number, visit: (v: Vertex) => void): void {
    const [minX, maxX, minY, maxY] = [
      Math.min(ax, bx),
      Math.max(ax, bx),
      Math.min(ay, by),
      Math.max(ay, by),
    ];
    const [x1, x2] = [firstAtLeast(this.xs, minX), firstAbove(this.xs, maxX)];
    const [y1, y2] = [firstAtLeast(this.ys, minY), firstAbove(this.ys, maxY)];
    const fewest = Math.min(x2 - x1, y2 - y1);
    if (fewest <= NARROW) {
      const [sorted, from, to] = x2 - x1 === fewest ? [this.byX, x1, x2] : [this.byY, y1, y2];
      for (let n = from; n < to; n++) {
        const v = sorted[n] as Vertex;
        if (v.x >= minX && v.x <= maxX && v.y >= minY && v.y <= maxY) visit(v);
      }
      return;
    }
    const across = Math.abs(bx - ax) / this.w >= Math.abs(by - ay) / this.h;
    // Walk the edge along its longer side in cells; at each step, the cells it spans across.
    const [lo, hi] = across
      ? [this.col(Math.min(ax, bx)), this.col(Math.max(ax, bx))]
      : [this.row(Math.min(ay, by)), this.row(Math.max(ay, by))];
    for (let i = lo; i <= hi; i++) {
      let from: number;
      let to: number;
      if (across) {
        const s = Math.max(minX, this.x0 + i * this.w);
        const e = Math.min(maxX, this.x0 + (i + 1) * this.w);
        const [ys, ye] = bx === ax ? [minY, maxY] : [at(ax, ay, bx, by, s), at(ax, ay, bx, by, e)];
        from = this.row(Math.min(ys, ye)) - 1;
        to = this.row(Math.max(ys, ye)) + 1;
      } else {
        const s = Math.max(minY, this.y0 + i * this.h);
        const e = Math.min(maxY, this.y0 + (i + 1) * this.h);
        const [xs, xe] = by === ay ? [minX, maxX] : [at(ay, ax, by, bx, s), at(ay, ax, by, bx, e)];
        from = this.col(Math.min(xs, xe)) - 1;
        to = this.col(Math.max(xs, xe)) + 1;
      }
      for (let j = Math.max(0, from); j <= to; j++) {
        if (across ? j >= this.rows : j >= this.cols) break;
        for (const v of this.cells.get(across ? j * this.cols + i : i * this.cols + j) ?? []) {
          if (v.x >= minX && v.x <= maxX && v.y >= minY && v.y <= maxY) visit(v);
        }
      }
    }
  }
}

/** The second coordinate at `s` along the first, on the line through `(a1, a2)` and `(b1, b2)`. */
function at(a1: number, a2: number, b1: number, b2: number, s: number): number {
  return a2 + ((s - a1) * (b2 - a2)) / (b1 - a1);
}

/** Index of the first of the sorted `xs` that is at least `x`. */
function firstAtLeast(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((xs[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first of the sorted `xs` that is above `x`. */
function firstAbove(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((xs[mid] as number) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
