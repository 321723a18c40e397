import type { Points, Rng } from "@mixdiff/core";

/**
 * A uniformly random subset of `maxRows` rows without replacement (order randomised), or `p` itself
 * when it has at most `maxRows` rows. Deterministic given `rng`. Shapes: `[n, d] → [min(n, maxRows), d]`.
 *
 * @example
 * ```ts
 * import { createRng, toPoints } from "@mixdiff/core";
 * import { subsampleRows } from "@mixdiff/metrics";
 * const { points, subsampled } = subsampleRows(toPoints([[1], [2], [3]]), 2, createRng(1)); // 2 rows, true
 * ```
 */
export function subsampleRows(p: Points, maxRows: number, rng: Rng): { points: Points; subsampled: boolean } {
  if (p.rows <= maxRows) return { points: p, subsampled: false };
  const idx = new Int32Array(p.rows);
  for (let i = 0; i < p.rows; i++) idx[i] = i;
  // partial Fisher–Yates: the first maxRows entries are a uniform random subset
  for (let i = 0; i < maxRows; i++) {
    const j = i + Math.floor(rng.uniform() * (p.rows - i));
    const tmp = idx[i]!;
    idx[i] = idx[j]!;
    idx[j] = tmp;
  }
  const d = p.cols;
  const data = new Float64Array(maxRows * d);
  for (let i = 0; i < maxRows; i++) {
    const src = idx[i]! * d;
    for (let c = 0; c < d; c++) data[i * d + c] = p.data[src + c]!;
  }
  return { points: { data, rows: maxRows, cols: d }, subsampled: true };
}
