import { createPoints, MixdiffError, type Points } from "@mixdiff/core";
import type { Distribution } from "@mixdiff/mixtures";
import type { ScoreModel } from "./score-model.js";

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
 * ```
 */
export function exactScoreModel(d: Distribution): ScoreModel {
  if (!d || typeof d.posteriorMean !== "function" || typeof d.mean !== "function" || !(d.noiseStd > 0)) {
    throw new MixdiffError("INVALID_INPUT", "exactScoreModel: expected a Distribution from @mixdiff/mixtures");
  }
  const n = d.dim;
  const sigma0 = d.noiseStd;
  const mean = Float64Array.from(d.mean());
  const posteriorMean = (y: Points, t: number, out?: Points): Points => {
    if (!(typeof t === "number" && t >= 0 && t < Infinity)) {
      throw new MixdiffError("INVALID_INPUT", `posteriorMean: t must be a finite number ≥ 0; got ${t}`, { path: "t" });
    }
    return d.posteriorMean(y, t, out ?? createPoints(y.rows, n));
  };
  const score = (y: Points, t: number, out?: Points): Points => {
    if (!(typeof t === "number" && t >= 0 && t < Infinity)) {
      throw new MixdiffError("INVALID_INPUT", `score: t must be a finite number ≥ 0; got ${t}`, { path: "t" });
    }
    return d.score(y, t, out ?? createPoints(y.rows, n));
  };
  return Object.freeze({ dim: n, sigma0, mean, tMax: Infinity, posteriorMean, score });
}
