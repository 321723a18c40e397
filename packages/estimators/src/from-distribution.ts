import { createPoints, MixdiffError, type Points, type PointsLike, type Rng } from "@mixdiff/core";
import { type AtomsSpec, type Distribution, type EmResult, emDistribution, responsibilities } from "@mixdiff/mixtures";
import { exactScoreModel } from "@mixdiff/score";
import { argmaxRows, checkTime } from "./check-time.js";
import type { FittedEstimator, MixtureComponents } from "./fitted-estimator.js";

/**
 * A known distribution (`@mixdiff/mixtures`) as a {@link FittedEstimator} of kind `"distribution"`: exact draws,
 * closed-form score and log-density, and for discrete mixtures (`atoms`) their components and responsibilities. Use it
 * for the truth in comparisons.
 *
 * @param d - the distribution.
 * @returns a frozen fitted estimator.
 * @throws MixdiffError `INVALID_INPUT` when `d` is not a `Distribution`.
 *
 * @example
 * ```ts
 * import { createRng } from "@mixdiff/core";
 * import { gaussianMixture } from "@mixdiff/mixtures";
 * import { fromDistribution } from "@mixdiff/estimators";
 * const truth = fromDistribution(gaussianMixture({ means: [[-4], [4]] }));
 * truth.logDensity([[0], [4]]); // the closed form
 * truth.predict([[-3], [5]]); // Int32Array [0, 1]
 * ```
 */
export function fromDistribution(d: Distribution): FittedEstimator {
  return closedForm(d, "distribution", undefined);
}

/**
 * An EM fit (`fitEm` / `fitEmBic` of `@mixdiff/mixtures`) as a {@link FittedEstimator} of kind `"em"`: the fitted
 * mixture `Σ w_i N(μ_i, σ0² I)` with its closed forms; `components()` are the fit's weights and means (in its order,
 * heaviest first).
 *
 * @param result - the EM result.
 * @returns a frozen fitted estimator with `emResult` set.
 * @throws MixdiffError `INVALID_SPEC` when the result's parameters are not a valid mixture.
 *
 * @example
 * ```ts
 * import { createRng } from "@mixdiff/core";
 * import { fitEm } from "@mixdiff/mixtures";
 * import { fromEmResult } from "@mixdiff/estimators";
 * const em = fromEmResult(fitEm(x, { k: 3, rng: createRng(1) }));
 * em.predictProba(x).cols; // 3
 * ```
 */
export function fromEmResult(result: EmResult): FittedEstimator {
  return closedForm(emDistribution(result), "em", result);
}

function closedForm(d: Distribution, kind: "em" | "distribution", emResult: EmResult | undefined): FittedEstimator {
  if (!d || typeof d.logDensity !== "function" || typeof d.toSpec !== "function") {
    throw new MixdiffError("INVALID_INPUT", "fromDistribution: expected a Distribution from @mixdiff/mixtures");
  }
  const discrete = d.mixing?.kind === "atoms";
  let components: MixtureComponents | undefined;
  if (discrete) {
    const spec = d.toSpec().mixing as AtomsSpec;
    const k = spec.points.length;
    const means = createPoints(k, d.dim);
    means.data.set(spec.points.flat());
    components = Object.freeze({
      weights: Float64Array.from(spec.weights ?? new Array<number>(k).fill(1 / k)),
      means,
    });
  }
  const predictProba = (y: PointsLike): Points => {
    if (!discrete) {
      throw new MixdiffError(
        "INVALID_INPUT",
        `predictProba: a ${d.mixing?.kind} mixing distribution has no components; responsibilities exist for discrete mixtures`,
        { path: "mixing.kind" },
      );
    }
    return responsibilities(d, y, 0);
  };
  return Object.freeze({
    kind,
    dim: d.dim,
    noiseStd: d.noiseStd,
    scoreModel: exactScoreModel(d),
    distribution: d,
    ...(emResult && { emResult }),
    sample: (n: number, rng: Rng) => ({ x: d.sample(n, rng).x }),
    score: (y: PointsLike, t?: number) => d.score(y, checkTime("score", t)),
    logDensity: (y: PointsLike, t?: number) => d.logDensity(y, checkTime("logDensity", t)),
    components: () => components,
    predictProba,
    predict: (y: PointsLike) => argmaxRows(predictProba(y)),
  });
}
