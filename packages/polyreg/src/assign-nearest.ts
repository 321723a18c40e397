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
  const m = x.cols;
  const k = centers.rows;
  const xd = x.data;
  const cd = centers.data;
  for (let i = 0; i < x.rows; i++) {
    let best = 0;
    let bestD = Number.POSITIVE_INFINITY;
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let j = 0; j < m; j++) {
        const v = xd[i * m + j]! - cd[c * m + j]!;
        s += v * v;
      }
      if (s < bestD) {
        bestD = s;
        best = c;
      }
    }
    res[i] = best;
  }
  return res;
}
