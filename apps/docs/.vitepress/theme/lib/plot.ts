import type { Cloud, Grid } from "./protocol";

/** A square data window mapped onto an SVG box of `size` pixels (y up). */
export interface View {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

export function viewFromCenter(center: [number, number], halfWidth: number): View {
  return { x0: center[0] - halfWidth, x1: center[0] + halfWidth, y0: center[1] - halfWidth, y1: center[1] + halfWidth };
}

export function sx(v: View, x: number, size: number): number {
  return ((x - v.x0) / (v.x1 - v.x0)) * size;
}

export function sy(v: View, y: number, size: number): number {
  return size - ((y - v.y0) / (v.y1 - v.y0)) * size;
}

/** Inverse map from SVG pixels to data coordinates. */
export function toData(v: View, px: number, py: number, size: number): [number, number] {
  return [v.x0 + (px / size) * (v.x1 - v.x0), v.y0 + ((size - py) / size) * (v.y1 - v.y0)];
}

/** Up to `max` points of a cloud inside the view, as SVG coordinates (the first points: samples are i.i.d.). */
export function projectCloud(c: Cloud | undefined, v: View, size: number, max = 1500): [number, number][] {
  if (!c) return [];
  const out: [number, number][] = [];
  const n = Math.min(c.rows, max);
  for (let i = 0; i < n; i++) {
    const x = c.data[2 * i]!;
    const y = c.data[2 * i + 1]!;
    if (x < v.x0 || x > v.x1 || y < v.y0 || y > v.y1) continue;
    out.push([sx(v, x, size), sy(v, y, size)]);
  }
  return out;
}

/** A 2-D histogram of a cloud on the grid layout of `like` (density estimate for the learned samples). */
export function histogram(c: Cloud, like: Omit<Grid, "values">): Grid {
  const values = new Float64Array(like.nx * like.ny);
  const cw = (like.x1 - like.x0) / like.nx;
  const ch = (like.y1 - like.y0) / like.ny;
  for (let i = 0; i < c.rows; i++) {
    const ix = Math.floor((c.data[2 * i]! - like.x0) / cw);
    const iy = Math.floor((like.y1 - c.data[2 * i + 1]!) / ch);
    if (ix < 0 || iy < 0 || ix >= like.nx || iy >= like.ny) continue;
    values[iy * like.nx + ix]! += 1 / (c.rows * cw * ch);
  }
  return { ...like, values };
}

/**
 * A kernel density estimate of a cloud on the grid layout of `like`: its histogram smoothed by a Gaussian of
 * standard deviation `bandwidth` (data units) along each axis, separably. The default bandwidth is Scott's rule
 * for 2-D data, `n^(−1/6)` times the cloud's mean per-axis standard deviation. Mass that the kernel carries out
 * of the window is dropped, so the heat map never extends past the plot's frame.
 */
export function smoothedHistogram(c: Cloud, like: Omit<Grid, "values">, bandwidth?: number): Grid {
  const h = histogram(c, like);
  let bw = bandwidth;
  if (bw === undefined) {
    let sd = 0;
    for (let k = 0; k < 2; k++) {
      let m = 0;
      let q = 0;
      for (let i = 0; i < c.rows; i++) {
        const v = c.data[2 * i + k]!;
        m += v;
        q += v * v;
      }
      m /= Math.max(1, c.rows);
      sd += Math.sqrt(Math.max(0, q / Math.max(1, c.rows) - m * m)) / 2;
    }
    bw = sd * Math.max(1, c.rows) ** (-1 / 6);
  }
  const blur = (values: Float64Array, n: number, stride: number, count: number, step: number, cell: number) => {
    const s = bw / cell;
    if (!(s > 0)) return;
    const r = Math.ceil(3 * s);
    const w = Array.from({ length: 2 * r + 1 }, (_, j) => Math.exp(-0.5 * ((j - r) / s) ** 2));
    const total = w.reduce((a, b) => a + b, 0);
    const line = new Float64Array(n);
    for (let o = 0; o < count; o++) {
      const base = o * step;
      for (let i = 0; i < n; i++) line[i] = values[base + i * stride]!;
      for (let i = 0; i < n; i++) {
        let acc = 0;
        for (let j = -r; j <= r; j++) if (i + j >= 0 && i + j < n) acc += w[j + r]! * line[i + j]!;
        values[base + i * stride] = acc / total;
      }
    }
  };
  blur(h.values, h.nx, 1, h.ny, h.nx, (h.x1 - h.x0) / h.nx); // along x, row by row
  blur(h.values, h.ny, h.nx, h.nx, 1, (h.y1 - h.y0) / h.ny); // along y, column by column
  return h;
}

/** Heat-map cells as SVG rects with an opacity proportional to the value (sqrt scale). */
export function heatCells(
  g: Grid | undefined,
  v: View,
  size: number,
): { x: number; y: number; w: number; h: number; o: number }[] {
  if (!g) return [];
  let max = 0;
  for (const val of g.values) max = Math.max(max, val);
  if (!(max > 0)) return [];
  const cells = [];
  const cw = (g.x1 - g.x0) / g.nx;
  const ch = (g.y1 - g.y0) / g.ny;
  for (let j = 0; j < g.ny; j++) {
    for (let i = 0; i < g.nx; i++) {
      const o = Math.sqrt(g.values[j * g.nx + i]! / max);
      if (o < 0.03) continue;
      const xa = g.x0 + i * cw;
      const ya = g.y1 - j * ch;
      const x = sx(v, xa, size);
      const y = sy(v, ya, size);
      // Half a pixel of overlap hides seams between cells; clamped so no cell leaves the frame.
      const x2 = Math.min(size, sx(v, xa + cw, size) + 0.5);
      const y2 = Math.min(size, sy(v, ya - ch, size) + 0.5);
      const xc = Math.max(0, x);
      const yc = Math.max(0, y);
      if (x2 <= xc || y2 <= yc) continue;
      cells.push({ x: xc, y: yc, w: x2 - xc, h: y2 - yc, o: Math.min(1, o) });
    }
  }
  return cells;
}

/** Tick values at a "nice" step covering [a, b]. */
export function ticks(a: number, b: number, target = 5): number[] {
  const raw = (b - a) / target;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? raw;
  const out = [];
  for (let t = Math.ceil(a / step) * step; t <= b + 1e-9; t += step) out.push(Math.abs(t) < 1e-12 ? 0 : t);
  return out;
}

export function fmt(x: number | undefined, digits = 3): string {
  if (x === undefined || !Number.isFinite(x)) return "–";
  if (x === 0) return "0";
  const a = Math.abs(x);
  if (a >= 1e4 || a < 1e-3) return x.toExponential(digits - 1);
  return x.toPrecision(digits);
}
