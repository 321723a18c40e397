import { type PointsLike, toPoints } from "@mixdiff/core";
import { meanAndError } from "./mean-and-error.js";
import type { Estimate, KnownDistribution } from "./types.js";

/**
 * Mean log-density `(1/n) Σ ln p(x_i)` of samples `x` `[n, d]` under a known distribution `d` (at t = 0), with
 * standard error `sd/√n` and a 95% normal interval. Higher is better; compare with the same quantity on a fresh
 * exact sample ({@link nllGap}). `m = 0` (one-sample). Throws `DIMENSION_MISMATCH` when `x` has a different
 * dimension than `d`, `NUMERICAL_FAILURE` if a log-density is not finite.
 *
 * @example
 * ```ts
 * import { gaussianMixture } from "@mixdiff/mixtures";
 * import { meanLogLikelihood } from "@mixdiff/metrics";
 * const d = gaussianMixture({ means: [[0]], weights: [1], noiseStd: 1 });
 * meanLogLikelihood([[0]], d).value; // −½ ln(2π) ≈ −0.919
 * ```
 */
export function meanLogLikelihood(xIn: PointsLike, d: KnownDistribution): Estimate {
  const fn = "meanLogLikelihood";
  const x = toPoints(xIn, { name: `${fn}: x`, expectedCols: d.dim });
  const { mean, standardError } = meanAndError(d.logDensity(x), fn, "log-density");
  return {
    value: mean,
    standardError,
    ci: [mean - 1.96 * standardError, mean + 1.96 * standardError],
    n: x.rows,
    m: 0,
    subsampled: false,
  };
}
