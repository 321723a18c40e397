import type { Points, PointsLike, Rng } from "@mixdiff/core";

/**
 * A number with its uncertainty: what every mixdiff metric returns.
 *
 * - `value` — the estimate.
 * - `standardError` — its estimated standard deviation (when one exists; each metric documents how).
 * - `ci` — a confidence interval, when the metric gives one (each metric says which level).
 * - `n`, `m` — how many points of the first and second input were *used* (after subsampling;
 *   `m = 0` for one-sample metrics).
 * - `subsampled` — true when the metric used a random subset of the input to bound O(n²) work.
 * - `details` — metric-specific extras (e.g. the original sizes, the estimator's form).
 *
 * @example
 * ```ts
 * import type { Estimate } from "@mixdiff/metrics";
 * const e: Estimate = { value: 0.01, standardError: 0.004, n: 500, m: 500, subsampled: false };
 * const z = e.value / (e.standardError ?? Infinity); // 2.5 standard errors from 0
 * ```
 */
export interface Estimate {
  value: number;
  standardError?: number;
  ci?: [number, number];
  n: number;
  m: number;
  subsampled: boolean;
  details?: Record<string, unknown>;
}

/**
 * What the density-based metrics need from a known distribution: its dimension, exact sampling and
 * `ln p_t(y)`. `Distribution` from `@mixdiff/mixtures` satisfies it (this is a structural subset, so
 * any object with these members works).
 *
 * @example
 * ```ts
 * import type { KnownDistribution } from "@mixdiff/metrics";
 * import { createPoints } from "@mixdiff/core";
 * // a standard normal on R^1
 * const std: KnownDistribution = {
 *   dim: 1,
 *   sample: (n, rng) => { const x = createPoints(n, 1); rng.fillNormal(x.data); return { x }; },
 *   logDensity: (y) => { const p = y as { data: Float64Array }; return p.data.map((v) => -0.5 * v * v - 0.5 * Math.log(2 * Math.PI)); },
 * };
 * ```
 */
export interface KnownDistribution {
  readonly dim: number;
  sample(n: number, rng: Rng): { x: Points };
  logDensity(y: PointsLike, t?: number): Float64Array;
}

/**
 * A known distribution that also gives its exact score `∇ ln p_t(y)` along the variance-exploding
 * process (`Distribution` from `@mixdiff/mixtures` satisfies it).
 *
 * @example
 * ```ts
 * import type { ScoreTruth } from "@mixdiff/metrics";
 * declare const truth: ScoreTruth; // e.g. gaussianMixture({ means, weights, noiseStd })
 * ```
 */
export interface ScoreTruth {
  readonly dim: number;
  sample(n: number, rng: Rng): { x: Points };
  score(y: Points, t: number): Points;
}
