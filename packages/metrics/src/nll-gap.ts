import { type PointsLike, type Rng, toPoints } from "@mixdiff/core";
import { meanAndError } from "./mean-and-error.js";
import type { Estimate, KnownDistribution } from "./types.js";

/** Options of {@link nllGap}. */
export interface NllGapOptions {
  /** Draws the fresh exact sample (stream `"reference"`). */
  rng: Rng;
  /** A reference sample from `d` to use instead of drawing one (any size). */
  reference?: PointsLike;
}

/**
 * NLL gap: mean negative log-density of `x` under `d` minus that of an exact sample from `d` of the same size
 * (or the given `reference`): `−(1/n) Σ ln p(x_i) + (1/m) Σ ln p(r_j)`. ≈ 0 (within the standard error) when
 * `x ~ d`; for `x ~ q` it estimates `KL(q‖p) + H(q) − H(p)` — mostly positive for a worse model, though it can be
 * negative for a sample concentrated on the modes. Standard error `√(var_x/n + var_r/m)` (independent samples);
 * `ci` is the 95% normal interval. Throws `DIMENSION_MISMATCH` for a wrong dimension.
 *
 * @example
 * ```ts
 * import { createRng } from "@mixdiff/core";
 * import { gaussianMixture } from "@mixdiff/mixtures";
 * import { nllGap } from "@mixdiff/metrics";
 * const d = gaussianMixture({ means: [[-3], [3]], weights: [0.5, 0.5], noiseStd: 1 });
 * const x = d.sample(1000, createRng(1)).x;
 * nllGap(x, d, { rng: createRng(2) }); // value ≈ 0 ± standardError
 * ```
 */
export function nllGap(xIn: PointsLike, d: KnownDistribution, o: NllGapOptions): Estimate {
  const fn = "nllGap";
  const x = toPoints(xIn, { name: `${fn}: x`, expectedCols: d.dim });
  const ref =
    o.reference !== undefined
      ? toPoints(o.reference, { name: `${fn}: reference`, expectedCols: d.dim })
      : d.sample(x.rows, o.rng.stream("reference")).x;
  const a = meanAndError(d.logDensity(x), fn, "log-density of x");
  const b = meanAndError(d.logDensity(ref), fn, "log-density of the reference");
  const value = b.mean - a.mean;
  const se = Math.sqrt(a.standardError ** 2 + b.standardError ** 2);
  return {
    value,
    standardError: se,
    ci: [value - 1.96 * se, value + 1.96 * se],
    n: x.rows,
    m: ref.rows,
    subsampled: false,
    details: { meanNllSamples: -a.mean, meanNllReference: -b.mean, referenceGiven: o.reference !== undefined },
  };
}
