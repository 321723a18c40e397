import { MixdiffError, type Points } from "@mixdiff/core";

/**
 * Index of the nearest centre (squared Euclidean distance) for each row of `x` (`[rows, dim]`), with
 * `centers` `[k, dim]`: the Voronoi cell. Ties go to the lowest index. Writes into `out` (`[rows]`) when given.
 *
 * @example
 * ```ts
 * import { assignNearest } from "@mixdiff/polyreg";
 * import { toPoints } from "@mixdiff/core";
 * assignNearest(toPoints([[0.2], [0.5], [0.9]]), toPoints([[0], [1]])); // Int32Array [0, 0, 1]
 * ```
 */
export function assignNearest(x: Points, centers: Points, out?: Int32Array): Int32Array {
  if (x.cols !== centers.cols) {
    throw new MixdiffError(
      "DIMENSION_MISMATCH",
      `assignNearest: x has ${x.cols} columns but centers have ${centers.cols}`,
    );
  }
  if (centers.rows < 1) throw new MixdiffError("INVALID_INPUT", "assignNearest: need at least one centre");
  const res = out ?? new Int32Array(x.rows);
  if (res.length < x.rows) {
    throw new MixdiffError("DIMENSION_MISMATCH", `assignNearest: out has ${res.length} entries; need ${x.rows}`);
  }
  for (let i = 0; i < x.rows; i++) res[i] = nearestRow(x.data, i * x.cols, centers.data, centers.rows, x.cols);
  return res;
}

/**
 * The nearest-centre search itself, for one row: index of the centre (`centers` `[k, dim]` row-major) nearest
 * to `x[offset .. offset + dim)` in squared Euclidean distance, ties to the lowest index; the squared
 * distances go to `dist` (`[k]`) when given. No validation (hot loops); {@link assignNearest} is the checked
 * batch form.
 *
 * @example
 * ```ts
 * import { nearestRow } from "@mixdiff/polyreg";
 * nearestRow(new Float64Array([0.2, 0.9]), 1, new Float64Array([0, 1]), 2, 1); // 1 (the row is [0.9])
 * ```
 */
export function nearestRow(
  x: ArrayLike<number>,
  offset: number,
  centers: ArrayLike<number>,
  k: number,
  dim: number,
  dist?: Float64Array,
): number {
  let best = 0;
  let bestD = Number.POSITIVE_INFINITY;
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let j = 0; j < dim; j++) {
      const v = x[offset + j]! - centers[c * dim + j]!;
      s += v * v;
    }
    if (dist) dist[c] = s;
    if (s < bestD) {
      bestD = s;
      best = c;
    }
  }
  return best;
}
