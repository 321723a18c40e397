import { createPoints, MixdiffError, type Points, type PointsLike, toPoints } from "@mixdiff/core";
import type { Distribution } from "@mixdiff/mixtures";
import type { ScoreModel } from "./score-model.js";

/**
 * The exact (oracle) score model of a distribution: a {@link ScoreModel} whose `score` and `posteriorMean` accept
 * any batch (`Points`, `number[][]` or an ml-matrix `Matrix`), like every public function.
 *
 * @example
 * ```ts
 * import { gaussianMixture } from "@mixdiff/mixtures";
 * import { exactScoreModel, type ExactScoreModel } from "@mixdiff/score";
 * const oracle: ExactScoreModel = exactScoreModel(gaussianMixture({ means: [[-4], [4]] }));
 * oracle.score([[0], [4]], 1).rows; // 2: ∇ln p_1 at y = 0 and y = 4
 * ```
 */
export interface ExactScoreModel extends ScoreModel {
  /** E[μ | Y_t = y] for each row of `y` (`Points`, `number[][]` or `Matrix`). Writes into `out` when given. */
  posteriorMean(y: PointsLike, t: number, out?: Points): Points;
  /** ∇ln p_t(y) for each row of `y` (`Points`, `number[][]` or `Matrix`). Writes into `out` when given. */
  score(y: PointsLike, t: number, out?: Points): Points;
}

/**
 * The exact score model of a `@mixdiff/mixtures` distribution (the oracle): `posteriorMean` and
 * `score` come from the distribution's closed forms (log-sum-exp for atoms, quadrature for continuous
 * mixing laws); `tMax` is `Infinity`.
 *
 * @example
 * ```ts
 * import { gaussianMixture } from "@mixdiff/mixtures";
 * import { exactScoreModel } from "@mixdiff/score";
 * import { toPoints } from "@mixdiff/core";
 * const oracle = exactScoreModel(gaussianMixture({ means: [[-4, 0], [4, 0]], weights: [0.5, 0.5] }));
 * oracle.score(toPoints([[0, 0]]), 1).data; // Float64Array [0, 0] (by symmetry)
 * oracle.score([[0, 0]], 1).data; // the same: a number[][] (or a Matrix) is accepted too
 * ```
 */
export function exactScoreModel(d: Distribution): ExactScoreModel {
  if (!d || typeof d.posteriorMean !== "function" || typeof d.mean !== "function" || !(d.noiseStd > 0)) {
    throw new MixdiffError("INVALID_INPUT", "exactScoreModel: expected a Distribution from @mixdiff/mixtures");
  }
  const n = d.dim;
  const sigma0 = d.noiseStd;
  const mean = Float64Array.from(d.mean());
  // The public boundary: t first, then any PointsLike converted once (shape and finiteness checked).
  const batch = (fn: string, input: PointsLike, t: number): Points => {
    if (!(typeof t === "number" && t >= 0 && t < Infinity)) {
      throw new MixdiffError("INVALID_INPUT", `${fn}: t must be a finite number ≥ 0; got ${t}`, { path: "t" });
    }
    return toPoints(input, { name: `${fn}: y (the model has dim ${n})`, expectedCols: n });
  };
  const posteriorMean = (input: PointsLike, t: number, out?: Points): Points => {
    const y = batch("posteriorMean", input, t);
    return d.posteriorMean(y, t, out ?? createPoints(y.rows, n));
  };
  const score = (input: PointsLike, t: number, out?: Points): Points => {
    const y = batch("score", input, t);
    return d.score(y, t, out ?? createPoints(y.rows, n));
  };
  return Object.freeze({ dim: n, sigma0, mean, tMax: Infinity, posteriorMean, score });
}
