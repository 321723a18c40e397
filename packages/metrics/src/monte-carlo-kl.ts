import { checkNumber, MixdiffError, type Rng } from "@mixdiff/core";
import { meanAndError } from "./mean-and-error.js";
import type { Estimate, KnownDistribution } from "./types.js";

/** Options of {@link monteCarloKL} and {@link monteCarloTV}. */
export interface MonteCarloOptions {
  /** Draws the Monte-Carlo sample. */
  rng: Rng;
  /** Monte-Carlo sample size (default 10 000). */
  n?: number;
}

/**
 * Monte-Carlo `KL(p‖q) = E_p[ln p(X) − ln q(X)]` from `n` exact draws of `p`, for two known densities of the
 * same dimension (e.g. two mixtures, which have no closed form). Unbiased; `standardError = sd/√n`, `ci` the
 * 95% normal interval. `KL(p‖p) = 0` exactly. Throws `DIMENSION_MISMATCH` for different dimensions.
 *
 * @example
 * ```ts
 * import { createRng } from "@mixdiff/core";
 * import { gaussianMixture } from "@mixdiff/mixtures";
 * import { monteCarloKL } from "@mixdiff/metrics";
 * const p = gaussianMixture({ means: [[0]], weights: [1], noiseStd: 1 });
 * const q = gaussianMixture({ means: [[1]], weights: [1], noiseStd: 1 });
 * monteCarloKL(p, q, { rng: createRng(1) }); // ≈ 0.5 ± standardError
 * ```
 */
export function monteCarloKL(p: KnownDistribution, q: KnownDistribution, o: MonteCarloOptions): Estimate {
  const fn = "monteCarloKL";
  const n = checkNumber(o.n ?? 10_000, fn, "n", { min: 2, integer: true });
  sameDim(p, q, fn);
  const x = p.sample(n, o.rng.stream("p")).x;
  const lp = p.logDensity(x);
  const lq = q.logDensity(x);
  const diff = new Float64Array(n);
  for (let i = 0; i < n; i++) diff[i] = lp[i]! - lq[i]!;
  const { mean, standardError } = meanAndError(diff, fn, "ln p − ln q");
  return {
    value: mean,
    standardError,
    ci: [mean - 1.96 * standardError, mean + 1.96 * standardError],
    n,
    m: 0,
    subsampled: false,
  };
}

/** Throws `DIMENSION_MISMATCH` unless `p.dim === q.dim`. */
export function sameDim(p: KnownDistribution, q: KnownDistribution, fn: string): void {
  if (p.dim !== q.dim) {
    throw new MixdiffError(
      "DIMENSION_MISMATCH",
      `${fn}: p has dimension ${p.dim} but q has ${q.dim}`,
      {},
      {
        expected: p.dim,
        actual: q.dim,
      },
    );
  }
}
