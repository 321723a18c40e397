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
  // Pairs are found by a sweep along the widest coordinate: only points within the radius along it can be within
  // the radius (fl(Δ²) ≤ d, since adding squares never lowers a float sum), so the checks follow the neighbourhoods,
  // not all N² pairs. Counts are integers: the order of the checks cannot change them.
  let axis = 0;
  let widest = -1;
  for (let c = 0; c < m; c++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < N; i++) {
      const v = data[i * m + c]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (hi - lo > widest) {
      widest = hi - lo;
      axis = c;
    }
  }
  const order = Int32Array.from({ length: N }, (_, i) => i).sort(
    (a, b) => data[a * m + axis]! - data[b * m + axis]! || a - b,
  );
  // The points in sweep order (contiguous), their positions, and every count by position.
  const sx = new Float64Array(N * m);
  const pos = new Int32Array(N);
  for (let p = 0; p < N; p++) {
    const i = order[p]!;
    pos[i] = p;
    for (let c = 0; c < m; c++) sx[p * m + c] = data[i * m + c]!;
  }
  const near = (p: number, q: number): boolean => {
    const v = sx[q * m + axis]! - sx[p * m + axis]!;
    return v * v <= r2;
  };
  const close = (p: number, q: number): boolean => {
    let d = 0;
    for (let c = 0; c < m; c++) {
      const v = sx[p * m + c]! - sx[q * m + c]!;
      d += v * v;
    }
    return d <= r2;
  };
  // counts[p] = number of uncovered points within the radius of the point at position p, itself included.
  const counts = new Int32Array(N).fill(1);
  for (let p = 0; p < N; p++) {
    for (let q = p + 1; q < N && near(p, q); q++) {
      if (close(p, q)) {
        counts[p] = counts[p]! + 1;
        counts[q] = counts[q]! + 1;
      }
    }
  }
  // Only uncovered points can be picked (lowest index first among equal counts), so only their counts are kept up
  // to date: a pick covers its neighbours, whose own neighbours then lose one each.
  const covered = new Uint8Array(N); // by position
  let open: Int32Array = Int32Array.from({ length: N }, (_, i) => i); // uncovered points, ascending index
  const fresh: number[] = [];
  let left = N;
  const chosen: number[] = [];
  while (left > stop && chosen.length < o.maxCenters) {
    let best = -1;
    let bestCount = 0;
    for (const i of open) {
      const c = counts[pos[i]!]!;
      if (c > bestCount) {
        bestCount = c;
        best = i;
      }
    }
    if (best < 0) break;
    chosen.push(best);
    const pb = pos[best]!;
    covered[pb] = 1;
    fresh.length = 0;
    fresh.push(pb);
    for (let q = pb - 1; q >= 0 && near(pb, q); q--) {
      if (covered[q] === 0 && close(pb, q)) {
        covered[q] = 1;
        fresh.push(q);
      }
    }
    for (let q = pb + 1; q < N && near(pb, q); q++) {
      if (covered[q] === 0 && close(pb, q)) {
        covered[q] = 1;
        fresh.push(q);
      }
    }
    left -= fresh.length;
    open = open.filter((i) => covered[pos[i]!] === 0);
    if (!(left > stop && chosen.length < o.maxCenters)) break;
    for (const p of fresh) {
      for (let q = p - 1; q >= 0 && near(p, q); q--) if (covered[q] === 0 && close(p, q)) counts[q] = counts[q]! - 1;
      for (let q = p + 1; q < N && near(p, q); q++) if (covered[q] === 0 && close(p, q)) counts[q] = counts[q]! - 1;
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
