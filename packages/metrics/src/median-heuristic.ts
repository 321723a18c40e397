import type { Points, Rng } from "@mixdiff/core";
import { subsampleRows } from "./subsample-rows.js";

/**
 * The median heuristic bandwidth: the median Euclidean distance between distinct points of the pooled
 * sample `x ∪ y` (numpy's median: the mean of the two middle values for an even count). When the pool
 * has more than `maxPoints` points (default 1000) the median is taken over a random subset of that size
 * drawn with `rng`. Returns 1 when all points coincide (so the kernel stays defined).
 *
 * @example
 * ```ts
 * import { createRng, toPoints } from "@mixdiff/core";
 * import { medianHeuristic } from "@mixdiff/metrics";
 * medianHeuristic(toPoints([[0], [1]]), toPoints([[3]]), createRng(0)); // distances 1, 2, 3 → 2
 * ```
 */
export function medianHeuristic(x: Points, y: Points, rng: Rng, maxPoints = 1000): number {
  const d = x.cols;
  const pooled = new Float64Array((x.rows + y.rows) * d);
  pooled.set(x.data.subarray(0, x.rows * d), 0);
  pooled.set(y.data.subarray(0, y.rows * d), x.rows * d);
  const { points } = subsampleRows({ data: pooled, rows: x.rows + y.rows, cols: d }, maxPoints, rng);
  const N = points.rows;
  const pd = points.data;
  const dist = new Float64Array((N * (N - 1)) / 2);
  let k = 0;
  for (let i = 0; i < N; i++) {
    for (let j = i + 1; j < N; j++) {
      let q = 0;
      for (let c = 0; c < d; c++) {
        const diff = pd[i * d + c]! - pd[j * d + c]!;
        q += diff * diff;
      }
      dist[k++] = Math.sqrt(q);
    }
  }
  if (dist.length === 0) return 1;
  dist.sort();
  const mid = dist.length >> 1;
  const med = dist.length % 2 === 1 ? dist[mid]! : (dist[mid - 1]! + dist[mid]!) / 2;
  return med > 0 ? med : 1;
}
