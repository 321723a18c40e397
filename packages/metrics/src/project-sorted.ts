import type { ArgSorter } from "@mixdiff/core";

/** Projects the rows onto direction l into `proj`, and writes the ascending order into `idx` and the sorted values into `sorted`. */
export function projectSorted(
  data: Float64Array,
  rows: number,
  d: number,
  thetas: Float64Array,
  l: number,
  proj: Float64Array,
  idx: Uint32Array,
  sorted: Float64Array,
  sorter: ArgSorter,
): void {
  const o = l * d;
  for (let i = 0; i < rows; i++) {
    let s = 0;
    const r = i * d;
    for (let c = 0; c < d; c++) s += data[r + c]! * thetas[o + c]!;
    proj[i] = s;
  }
  sorter.argsort(proj, idx);
  for (let i = 0; i < rows; i++) sorted[i] = proj[idx[i]!]!;
}

/** Scratch of {@link projectSorted} for two samples of `n` and `m` rows: projections, orders and sorted values. */
export interface ProjectionBuffers {
  readonly px: Float64Array;
  readonly py: Float64Array;
  readonly ix: Uint32Array;
  readonly iy: Uint32Array;
  readonly xs: Float64Array;
  readonly ys: Float64Array;
}

/** Allocates {@link ProjectionBuffers} for samples of `n` and `m` rows. */
export function projectionBuffers(n: number, m: number): ProjectionBuffers {
  return {
    px: new Float64Array(n),
    py: new Float64Array(m),
    ix: new Uint32Array(n),
    iy: new Uint32Array(m),
    xs: new Float64Array(n),
    ys: new Float64Array(m),
  };
}
