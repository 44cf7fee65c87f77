// Markers in screen pixels, and crowded ones pushed apart so that each stays visible.

/** A place's marker, where it is drawn on the map's overlay. */
export interface Placed {
  readonly id: string;
  x: number;
  y: number;
  readonly r: number;
  /** Where the place really is, when its marker was moved clear of a neighbour's. */
  true?: { readonly x: number; readonly y: number };
}

/** Radius of a place's marker by its kind. */
export const radius = (kind: string | undefined) =>
  kind === "city" ? 11 : kind === "region" ? 12 : kind === "suburb" ? 7 : 8;

/**
 * Pushes overlapping markers apart (a few pixels, as cartographers displace crowded symbols),
 * so that each stays visible and clickable.
 */
export function spreadApart(placed: Placed[]): void {
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
