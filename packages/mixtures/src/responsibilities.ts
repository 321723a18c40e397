import {
  checkNumber,
  createPoints,
  MixdiffError,
  type Points,
  type PointsLike,
  softmaxInPlace,
  toPoints,
} from "@mixdiff/core";
import type { Distribution } from "./create-distribution.js";
import type { AtomsSpec } from "./mixing/atoms.js";

/**
 * Responsibilities of the components of a discrete mixture (an `atoms` mixing distribution): for each row `y`,
 * `P(μ = μ_i | Y_t = y) = softmax_i(ln w_i + (⟨y, μ_i⟩ − |μ_i|²/2)/(σ0² + t))` (the common `|y|²` term dropped, then
 * log-sum-exp: no NaN and no loss of precision for far-away points),
 * the E-step of EM and scikit-learn's `predict_proba`. At t = 0 they are the posterior probabilities of the
 * components given a data point.
 *
 * @param d - a distribution whose mixing distribution is `atoms` (a Gaussian mixture).
 * @param y - points `[rows, dim]` (`Points`, `number[][]` or an ml-matrix `Matrix`).
 * @param t - VE time (added noise variance) ≥ 0. @default 0
 * @returns `[rows, k]`: row r holds the k responsibilities of point r (they sum to 1), in the order of the spec's
 *   `points`.
 * @throws MixdiffError `INVALID_INPUT` when `d` is not a discrete mixture (naming `mixing.kind`),
 *   `DIMENSION_MISMATCH` / `NON_FINITE_INPUT` for bad points, `INVALID_OPTION` for a bad t.
 *
 * @example
 * ```ts
 * import { gaussianMixture, responsibilities } from "@mixdiff/mixtures";
 * const d = gaussianMixture({ means: [[-3], [3]], weights: [0.5, 0.5] });
 * responsibilities(d, [[0], [3]]).data; // [0.5, 0.5, ≈2.3e-8, ≈1]: the midpoint is shared, y = 3 belongs to μ = 3
 * ```
 */
export function responsibilities(d: Distribution, y: PointsLike, t = 0): Points {
  const fn = "responsibilities";
  if (!d || typeof d.toSpec !== "function" || d.mixing?.kind !== "atoms") {
    throw new MixdiffError(
      "INVALID_INPUT",
      `${fn}: responsibilities exist for discrete mixtures (mixing.kind "atoms"); got ${JSON.stringify(d?.mixing?.kind)}`,
      { path: "mixing.kind" },
    );
  }
  const tt = checkNumber(t, fn, "t", { min: 0 });
  const p = toPoints(y, { name: `${fn}: y`, expectedCols: d.dim });
  const spec = d.toSpec().mixing as AtomsSpec;
  const k = spec.points.length;
  const n = d.dim;
  const mu = Float64Array.from(spec.points.flat());
  const logW = Float64Array.from(spec.weights ?? new Array<number>(k).fill(1 / k), Math.log);
  const inv = 1 / (d.noiseStd * d.noiseStd + tt);
  const half = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let q = 0;
    for (let c = 0; c < n; c++) q += mu[i * n + c]! ** 2;
    half[i] = 0.5 * q;
  }
  const out = createPoints(p.rows, k);
  const o = out.data;
  for (let r = 0; r < p.rows; r++) {
    for (let i = 0; i < k; i++) {
      let dot = 0;
      for (let c = 0; c < n; c++) dot += p.data[r * n + c]! * mu[i * n + c]!;
      o[r * k + i] = logW[i]! + (dot - half[i]!) * inv;
    }
    softmaxInPlace(o, r * k, k);
    for (let i = 0; i < k; i++) {
      if (!Number.isFinite(o[r * k + i]!)) {
        throw new MixdiffError(
          "NUMERICAL_FAILURE",
          `${fn}: row ${r} is too far out for double precision (its inner products with the means overflow)`,
          { row: r },
        );
      }
    }
  }
  return out;
}
