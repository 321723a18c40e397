import type { Points } from "@mixdiff/core";
import { assignNearest } from "@mixdiff/polyreg";

/**
 * The paper's Algorithm 2 selection step: greedy max-coverage of `points` (denoised estimates of
 * component means) by balls of radius `radius`. Repeatedly picks the point whose ball covers the most
 * still-uncovered points, removes them, and stops after `maxCenters` picks or once at most
 * `stopFraction` of the points are uncovered. Ties go to the lowest index (deterministic).
 *
 * @param points - `[N, m]` denoised points.
 * @returns centres `[K, m]` (K ≥ 1) and the fraction of points left uncovered.
 * @example
 * ```ts
 * import { greedyCover } from "@mixdiff/score";
 * import { toPoints } from "@mixdiff/core";
 * greedyCover(toPoints([[0], [0.1], [5], [5.1]]), { radius: 1, maxCenters: 10 }).centers.rows; // 2
 * ```
 */
export function greedyCover(
  points: Points,
  o: { radius: number; maxCenters: number; stopFraction?: number },
): { centers: Points; uncovered: number } {
  const { rows: N, cols: m, data } = points;
  const r2 = o.radius * o.radius;
  const stop = Math.floor((o.stopFraction ?? 0) * N);
  const within = (i: number, j: number): boolean => {
    let d = 0;
    for (let c = 0; c < m; c++) {
      const v = data[i * m + c]! - data[j * m + c]!;
      d += v * v;
    }
    return d <= r2;
  };
  // counts[i] = number of uncovered points within the radius of i (O(N²) time, O(N) memory).
  const counts = new Int32Array(N);
  for (let i = 0; i < N; i++) {
    counts[i] = counts[i]! + 1;
    for (let j = i + 1; j < N; j++) {
      if (within(i, j)) {
        counts[i] = counts[i]! + 1;
        counts[j] = counts[j]! + 1;
      }
    }
  }
  // Only uncovered points can be picked, so only their counts are kept up to date: each pick scans the uncovered
  // points (ascending), and the pairs between its newly covered points and the rest — at most N²/2 checks in all.
  let open: Int32Array = Int32Array.from({ length: N }, (_, i) => i);
  let openCount = N;
  const fresh: number[] = [];
  const rest = new Int32Array(N);
  let left = N;
  const chosen: number[] = [];
  while (left > stop && chosen.length < o.maxCenters) {
    let best = -1;
    let bestCount = 0;
    for (let e = 0; e < openCount; e++) {
      const i = open[e]!;
      if (counts[i]! > bestCount) {
        bestCount = counts[i]!;
        best = i;
      }
    }
    if (best < 0) break;
    chosen.push(best);
    fresh.length = 0;
    let restCount = 0;
    for (let e = 0; e < openCount; e++) {
      const j = open[e]!;
      if (within(best, j)) fresh.push(j);
      else rest[restCount++] = j;
    }
    left -= fresh.length;
    open = rest.slice(0, restCount);
    openCount = restCount;
    if (!(left > stop && chosen.length < o.maxCenters)) break;
    // Newly covered points no longer count for their uncovered neighbours.
    for (const j of fresh) {
      for (let e = 0; e < openCount; e++) {
        const q = open[e]!;
        if (within(j, q)) counts[q] = counts[q]! - 1;
      }
    }
  }
  const centers = new Float64Array(Math.max(1, chosen.length) * m);
  chosen.forEach((idx, k) => {
    for (let c = 0; c < m; c++) centers[k * m + c] = data[idx * m + c]!;
  });
  return { centers: { data: centers, rows: Math.max(1, chosen.length), cols: m }, uncovered: N > 0 ? left / N : 0 };
}

/**
 * Index of the nearest centre for every point (ties → lowest index); `out` is reused when given. The
 * learner's one nearest-centre search is `@mixdiff/polyreg`'s `assignNearest`/`nearestRow`; this is its name here.
 *
 * @example
 * ```ts
 * import { nearestCenter } from "@mixdiff/score";
 * import { toPoints } from "@mixdiff/core";
 * nearestCenter(toPoints([[0.2], [4]]), toPoints([[0], [5]])); // Int32Array [0, 1]
 * ```
 */
export const nearestCenter: (x: Points, centers: Points, out?: Int32Array) => Int32Array = assignNearest;

/**
 * A few Lloyd (k-means) steps on `points` from the given `centers`; centres that lose all their
 * points are dropped. Deterministic.
 *
 * @example
 * ```ts
 * import { lloydRefine } from "@mixdiff/score";
 * import { toPoints } from "@mixdiff/core";
 * lloydRefine(toPoints([[0], [1], [9], [10]]), toPoints([[0], [9]]), 3).data; // Float64Array [0.5, 9.5]
 * ```
 */
export function lloydRefine(points: Points, centers: Points, steps: number): Points {
  const m = points.cols;
  let cur = centers;
  const assign = new Int32Array(points.rows);
  for (let s = 0; s < steps; s++) {
    nearestCenter(points, cur, assign);
    const K = cur.rows;
    const sums = new Float64Array(K * m);
    const cnt = new Int32Array(K);
    for (let i = 0; i < points.rows; i++) {
      const k = assign[i]!;
      cnt[k] = cnt[k]! + 1;
      for (let j = 0; j < m; j++) sums[k * m + j] = sums[k * m + j]! + points.data[i * m + j]!;
    }
    const kept: number[] = [];
    for (let k = 0; k < K; k++) if (cnt[k]! > 0) kept.push(k);
    const next = new Float64Array(Math.max(1, kept.length) * m);
    if (kept.length === 0) return cur;
    kept.forEach((k, q) => {
      for (let j = 0; j < m; j++) next[q * m + j] = sums[k * m + j]! / cnt[k]!;
    });
    cur = { data: next, rows: kept.length, cols: m };
  }
  return cur;
}
