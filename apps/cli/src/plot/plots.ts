import { Svg } from "./svg.js";

/** A data-space rectangle. */
export interface Bounds {
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}

/** A set of 2-D points drawn in one colour. `xy` is row-major `[x0, y0, x1, y1, …]` or any stride via `cols`. */
export interface Series {
  readonly label: string;
  readonly color: string;
  readonly data: ArrayLike<number>;
  readonly cols: number;
  readonly radius?: number;
  readonly opacity?: number;
}

/** An arrow field: rows of `[x, y, dx, dy]`. */
export interface Arrows {
  readonly label: string;
  readonly color: string;
  readonly arrows: readonly (readonly [number, number, number, number])[];
}

/** Polylines (e.g. reverse-diffusion paths). */
export interface Paths {
  readonly label: string;
  readonly color: string;
  readonly paths: readonly (readonly (readonly [number, number])[])[];
}

/** One panel of a figure. */
export interface Panel {
  readonly title: string;
  readonly series?: readonly Series[];
  readonly arrows?: readonly Arrows[];
  readonly paths?: readonly Paths[];
}

const PANEL = 360;
const MARGIN = { left: 44, right: 12, top: 30, bottom: 34 };

/** Bounds covering the first two columns of every series (quantile-trimmed to 0.5%–99.5%), padded by 5%. */
export function boundsOf(series: readonly Series[], trim = 0.005): Bounds {
  const xs: number[] = [];
  const ys: number[] = [];
  for (const s of series) {
    for (let i = 0; i + 1 < s.data.length; i += s.cols) {
      const x = s.data[i]!;
      const y = s.cols > 1 ? s.data[i + 1]! : 0;
      if (Number.isFinite(x) && Number.isFinite(y)) {
        xs.push(x);
        ys.push(y);
      }
    }
  }
  if (xs.length === 0) return { xMin: -1, xMax: 1, yMin: -1, yMax: 1 };
  const q = (a: number[], p: number) => {
    a.sort((u, v) => u - v);
    return a[Math.min(a.length - 1, Math.max(0, Math.round(p * (a.length - 1))))]!;
  };
  const b = { xMin: q(xs, trim), xMax: q(xs, 1 - trim), yMin: q(ys, trim), yMax: q(ys, 1 - trim) };
  return square(pad(b, 0.05));
}

function pad(b: Bounds, f: number): Bounds {
  const dx = (b.xMax - b.xMin || 1) * f;
  const dy = (b.yMax - b.yMin || 1) * f;
  return { xMin: b.xMin - dx, xMax: b.xMax + dx, yMin: b.yMin - dy, yMax: b.yMax + dy };
}

/** Equal scales on both axes (so circles look round). */
function square(b: Bounds): Bounds {
  const w = b.xMax - b.xMin;
  const h = b.yMax - b.yMin;
  const s = Math.max(w, h);
  const cx = (b.xMin + b.xMax) / 2;
  const cy = (b.yMin + b.yMax) / 2;
  return { xMin: cx - s / 2, xMax: cx + s / 2, yMin: cy - s / 2, yMax: cy + s / 2 };
}

/** "Nice" tick values covering [lo, hi] (about 5 of them). */
export function ticks(lo: number, hi: number, target = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let k = Math.ceil(lo / step); k * step <= hi + step * 1e-9; k++) out.push(Number((k * step).toPrecision(12)));
  return out;
}

/**
 * Draws panels side by side, sharing `bounds`: axes with ticks, a title and a legend per panel.
 * Points outside the bounds are skipped (not clamped), so outliers do not pile up on the border.
 */
export function drawPanels(panels: readonly Panel[], bounds: Bounds, title?: string): string {
  const top = title ? 22 : 0;
  const svg = new Svg(panels.length * PANEL, PANEL + top);
  if (title)
    svg.text((panels.length * PANEL) / 2, 16, title, {
      "text-anchor": "middle",
      "font-size": 14,
      "font-weight": "bold",
    });
  const w = PANEL - MARGIN.left - MARGIN.right;
  const h = PANEL - MARGIN.top - MARGIN.bottom;
  panels.forEach((panel, p) => {
    const ox = p * PANEL + MARGIN.left;
    const oy = top + MARGIN.top;
    const sx = (x: number) => ox + ((x - bounds.xMin) / (bounds.xMax - bounds.xMin)) * w;
    const sy = (y: number) => oy + h - ((y - bounds.yMin) / (bounds.yMax - bounds.yMin)) * h;
    const inside = (x: number, y: number) =>
      x >= bounds.xMin && x <= bounds.xMax && y >= bounds.yMin && y <= bounds.yMax;
    svg.rect(ox, oy, w, h, { fill: "none", stroke: "#444", "stroke-width": 1 });
    for (const t of ticks(bounds.xMin, bounds.xMax)) {
      svg.line(sx(t), oy + h, sx(t), oy + h + 4, { stroke: "#444" });
      svg.text(sx(t), oy + h + 16, String(t), { "text-anchor": "middle", "font-size": 10 });
    }
    for (const t of ticks(bounds.yMin, bounds.yMax)) {
      svg.line(ox - 4, sy(t), ox, sy(t), { stroke: "#444" });
      svg.text(ox - 6, sy(t) + 3, String(t), { "text-anchor": "end", "font-size": 10 });
    }
    svg.text(ox + w / 2, top + 18, panel.title, { "text-anchor": "middle", "font-size": 13 });
    let legendY = oy + 14;
    const legend = (label: string, color: string) => {
      svg.rect(ox + 8, legendY - 8, 10, 10, { fill: color });
      svg.text(ox + 22, legendY + 1, label, { "font-size": 11 });
      legendY += 15;
    };
    for (const s of panel.series ?? []) {
      svg.group({ fill: s.color, "fill-opacity": s.opacity ?? 0.45 });
      const r = s.radius ?? 1.6;
      for (let i = 0; i + 1 < s.data.length; i += s.cols) {
        const x = s.data[i]!;
        const y = s.cols > 1 ? s.data[i + 1]! : 0;
        if (inside(x, y)) svg.circle(sx(x), sy(y), r);
      }
      svg.end();
      legend(s.label, s.color);
    }
    for (const a of panel.arrows ?? []) {
      svg.group({ stroke: a.color, "stroke-width": 1.2, fill: a.color });
      for (const [x, y, dx, dy] of a.arrows) {
        if (!inside(x, y) || !Number.isFinite(dx) || !Number.isFinite(dy)) continue;
        const x1 = sx(x);
        const y1 = sy(y);
        const x2 = sx(x + dx);
        const y2 = sy(y + dy);
        const len = Math.hypot(x2 - x1, y2 - y1);
        if (len < 0.5) {
          svg.circle(x1, y1, 0.8);
          continue;
        }
        svg.line(x1, y1, x2, y2);
        const ux = (x2 - x1) / len;
        const uy = (y2 - y1) / len;
        const hl = Math.min(4, len / 2);
        svg.el("polygon", {
          points:
            `${x2},${y2} ${x2 - hl * ux - (hl / 2) * uy},${y2 - hl * uy + (hl / 2) * ux} ${x2 - hl * ux + (hl / 2) * uy},${y2 - hl * uy - (hl / 2) * ux}`
              .split(" ")
              .map((pt) =>
                pt
                  .split(",")
                  .map((v) => String(Math.round(Number(v) * 100) / 100))
                  .join(","),
              )
              .join(" "),
          stroke: "none",
        });
      }
      svg.end();
      legend(a.label, a.color);
    }
    svg.clipRect(`panel${p}`, ox, oy, w, h);
    for (const pl of panel.paths ?? []) {
      svg.group({
        "clip-path": `url(#panel${p})`,
        stroke: pl.color,
        "stroke-width": 1,
        "stroke-opacity": 0.7,
        fill: "none",
      });
      for (const path of pl.paths) {
        const pts = path
          .filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y))
          .map(([x, y]) => [sx(x), sy(y)] as const);
        if (pts.length > 1) svg.polyline(pts);
        const last = path[path.length - 1];
        if (last && inside(last[0], last[1]))
          svg.circle(sx(last[0]), sy(last[1]), 2.2, { fill: pl.color, stroke: "none" });
      }
      svg.end();
      legend(pl.label, pl.color);
    }
  });
  return svg.toString();
}
