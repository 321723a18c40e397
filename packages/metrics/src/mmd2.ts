import { checkNumber, MixdiffError, type Points, type PointsLike, type Rng } from "@mixdiff/core";
import { kernelTwoSample } from "./kernel-two-sample.js";
import { medianHeuristic } from "./median-heuristic.js";
import { subsampleRows } from "./subsample-rows.js";
import { twoSamples } from "./two-samples.js";
import type { Estimate } from "./types.js";

/** Options of {@link mmd2}. */
export interface Mmd2Options {
  /** Draws subsamples, the median-heuristic subset and permutations. */
  rng: Rng;
  /** Gaussian kernel bandwidth h in `exp(−‖a−b‖²/(2h²))`; default: the median heuristic ({@link medianHeuristic}). */
  bandwidth?: number;
  /** U-statistic (default, unbiased, can be negative) or V-statistic (biased upward, ≥ 0). */
  unbiased?: boolean;
  /** Each sample is subsampled to at most this many points (default 5000) to bound the O(n²) work. */
  maxSamples?: number;
  /** Number of label permutations for a p-value (default 0: no p-value). */
  permutations?: number;
  /** The permutation test uses at most this many points per sample (default 1000; it stores an N×N kernel matrix). */
  permutationMaxSamples?: number;
}

/** The result of {@link mmd2}. */
export type Mmd2Estimate = Estimate & { bandwidth: number; pValue?: number };

/**
 * Squared maximum mean discrepancy between samples `x` `[n, d]` and `y` `[m, d]` with a Gaussian kernel
 * `k(a,b) = exp(−‖a−b‖²/(2h²))`: `MMD² = E k(X,X') + E k(Y,Y') − 2 E k(X,Y)`. Zero iff the distributions
 * are equal; symmetric in `x` and `y`.
 *
 * - `standardError`: see {@link kernelTwoSample} (first-order Hoeffding term plus the exact-under-H0 degenerate term).
 * - `ci`: `value ± 1.96·standardError` (normal approximation).
 * - `pValue` (when `permutations > 0`): `(1 + #{permuted ≥ observed}) / (1 + permutations)` for H0: P = Q,
 *   computed on at most `permutationMaxSamples` points per sample (`details.permutationSubsampled`).
 * - Samples larger than `maxSamples` are randomly subsampled (`subsampled: true`; `details.originalN/M`).
 *
 * Throws `INVALID_INPUT` for fewer than 2 points per sample, `DIMENSION_MISMATCH` for different dimensions,
 * `INVALID_OPTION` for a bad bandwidth, `maxSamples` or `permutations`.
 *
 * @example
 * ```ts
 * import { createRng } from "@mixdiff/core";
 * import { mmd2 } from "@mixdiff/metrics";
 * const r = mmd2([[0], [0.1], [0.3]], [[2], [2.2], [1.9]], { rng: createRng(1), bandwidth: 1, permutations: 99 });
 * // r.value ≈ 0.97, r.standardError, r.pValue
 * ```
 */
export function mmd2(xIn: PointsLike, yIn: PointsLike, o: Mmd2Options): Mmd2Estimate {
  const fn = "mmd2";
  const { x: x0, y: y0 } = twoSamples(xIn, yIn, fn, 2);
  const rng = o.rng;
  const unbiased = o.unbiased ?? true;
  const maxSamples = checkNumber(o.maxSamples ?? 5000, fn, "maxSamples", { min: 2, integer: true });
  const permutations = checkNumber(o.permutations ?? 0, fn, "permutations", { min: 0, integer: true });
  const permMax = checkNumber(o.permutationMaxSamples ?? 1000, fn, "permutationMaxSamples", { min: 2, integer: true });
  if (o.bandwidth !== undefined) checkNumber(o.bandwidth, fn, "bandwidth", { min: 0, exclusiveMin: true });
  const sx = subsampleRows(x0, maxSamples, rng.stream("x"));
  const sy = subsampleRows(y0, maxSamples, rng.stream("y"));
  const x = sx.points;
  const y = sy.points;
  const bandwidth = o.bandwidth ?? medianHeuristic(x, y, rng.stream("median"));
  const r = kernelTwoSample(x, y, { kind: "gaussian", bandwidth }, unbiased);
  if (!Number.isFinite(r.value)) {
    throw new MixdiffError("NUMERICAL_FAILURE", `${fn}: the statistic is not finite (bandwidth ${bandwidth})`);
  }
  const out: Mmd2Estimate = {
    value: r.value,
    standardError: r.standardError,
    ci: [r.value - 1.96 * r.standardError, r.value + 1.96 * r.standardError],
    n: x.rows,
    m: y.rows,
    subsampled: sx.subsampled || sy.subsampled,
    bandwidth,
    details: {
      estimator: unbiased ? "unbiased U-statistic" : "biased V-statistic",
      bandwidthSource: o.bandwidth === undefined ? "median heuristic (≤ 1000 pooled points)" : "given",
      originalN: x0.rows,
      originalM: y0.rows,
      kxx: r.kxx,
      kyy: r.kyy,
      kxy: r.kxy,
    },
  };
  if (permutations > 0) {
    const px = subsampleRows(x, permMax, rng.stream("perm-x"));
    const py = subsampleRows(y, permMax, rng.stream("perm-y"));
    const observed =
      px.subsampled || py.subsampled
        ? kernelTwoSample(px.points, py.points, { kind: "gaussian", bandwidth }, unbiased).value
        : r.value;
    out.pValue = permutationPValue(
      px.points,
      py.points,
      bandwidth,
      unbiased,
      observed,
      permutations,
      rng.stream("perm"),
    );
    (out.details as Record<string, unknown>).permutationSubsampled = px.subsampled || py.subsampled;
    (out.details as Record<string, unknown>).permutations = permutations;
  }
  return out;
}

/** Permutation p-value of the Gaussian-kernel MMD² with the pooled kernel matrix stored once. */
function permutationPValue(
  x: Points,
  y: Points,
  bandwidth: number,
  unbiased: boolean,
  observed: number,
  permutations: number,
  rng: Rng,
): number {
  const n = x.rows;
  const m = y.rows;
  const N = n + m;
  const d = x.cols;
  const z = new Float64Array(N * d);
  z.set(x.data.subarray(0, n * d), 0);
  z.set(y.data.subarray(0, m * d), n * d);
  const gamma = 1 / (2 * bandwidth * bandwidth);
  const K = new Float64Array(N * N);
  const rowSum = new Float64Array(N);
  let total = 0;
  for (let i = 0; i < N; i++) {
    for (let j = i + 1; j < N; j++) {
      let q = 0;
      for (let c = 0; c < d; c++) {
        const diff = z[i * d + c]! - z[j * d + c]!;
        q += diff * diff;
      }
      const k = Math.exp(-gamma * q);
      K[i * N + j] = k;
      K[j * N + i] = k;
      rowSum[i]! += k;
      rowSum[j]! += k;
      total += k;
    }
  }
  const perm = new Int32Array(N);
  for (let i = 0; i < N; i++) perm[i] = i;
  const tol = 1e-12 * Math.max(1, Math.abs(observed));
  let atLeast = 0;
  for (let p = 0; p < permutations; p++) {
    for (let i = N - 1; i > 0; i--) {
      const j = Math.floor(rng.uniform() * (i + 1));
      const t = perm[i]!;
      perm[i] = perm[j]!;
      perm[j] = t;
    }
    // the first n entries of perm form the new x group
    let sxx = 0;
    let rowX = 0;
    for (let a = 0; a < n; a++) {
      const ia = perm[a]!;
      rowX += rowSum[ia]!;
      const base = ia * N;
      for (let b = a + 1; b < n; b++) sxx += K[base + perm[b]!]!;
    }
    const sxy = rowX - 2 * sxx;
    const syy = total - sxx - sxy;
    const kxx = unbiased ? (2 * sxx) / (n * (n - 1)) : (2 * sxx + n) / (n * n);
    const kyy = unbiased ? (2 * syy) / (m * (m - 1)) : (2 * syy + m) / (m * m);
    const stat = kxx + kyy - (2 * sxy) / (n * m);
    if (stat >= observed - tol) atLeast++;
  }
  return (1 + atLeast) / (1 + permutations);
}
