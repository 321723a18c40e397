import {
  checkOneOf,
  createPoints,
  MixdiffError,
  type Points,
  type PointsLike,
  type Rng,
  toPoints,
} from "@mixdiff/core";
import {
  type LogDensityOptions,
  probabilityFlowLogDensity,
  type SamplerName,
  sample,
  samplers,
} from "@mixdiff/diffusion";
import { type Distribution, gaussianMixture, responsibilities } from "@mixdiff/mixtures";
import { estimateMixtureParameters, type LearnedScoreModel, type ScoreModel } from "@mixdiff/score";
import { argmaxRows, checkTime } from "./check-time.js";
import type { FittedEstimator, MixtureComponents } from "./fitted-estimator.js";

/**
 * How a diffusion estimator samples and computes its likelihood.
 *
 * @example
 * ```ts
 * import type { DiffusionOptions } from "@mixdiff/estimators";
 * const o: DiffusionOptions = { sampler: "probabilityFlowHeun", steps: 100, logDensity: { steps: 256 } };
 * ```
 */
export interface DiffusionOptions {
  /** The reverse-diffusion sampler of `sample`. @default "exponentialIntegrator" (the paper's) */
  sampler?: SamplerName;
  /** Sampler steps. @default `defaultSteps` of `@mixdiff/diffusion` */
  steps?: number;
  /** Options of the probability-flow likelihood (`probabilityFlowLogDensity`): `steps`, `solver`, `tMax`, `chunkSize`. */
  logDensity?: Omit<LogDensityOptions, "t" | "signal" | "onProgress">;
}

/**
 * A score model as a {@link FittedEstimator} of kind `"diffusion"`: `sample` runs a reverse-diffusion sampler,
 * `score` is the model's, and `logDensity` integrates the probability-flow ODE with the model's exact divergence
 * (`probabilityFlowLogDensity`; a learned model's likelihood is that of its own probability-flow sampler, started from
 * `N(mean, (T + σ0²) I)` at its top level T). For a learned model, `components()` is the mixture estimated from it
 * (`estimateMixtureParameters`, computed on first use) and `predictProba` its responsibilities.
 *
 * @param model - a learned model (`fitScore`, `loadScoreModel`) or any score model with `divergence` (e.g.
 *   `exactScoreModel`); without `divergence`, `logDensity` throws.
 * @param options - sampler and likelihood settings, see {@link DiffusionOptions}.
 * @returns a frozen fitted estimator (`learnedModel` set for learned models).
 * @throws MixdiffError `INVALID_INPUT` for a non-model, `INVALID_OPTION` for an unknown sampler.
 *
 * @example
 * ```ts
 * import { createRng } from "@mixdiff/core";
 * import { loadScoreModel } from "@mixdiff/score";
 * import { fromScoreModel } from "@mixdiff/estimators";
 * const est = fromScoreModel(loadScoreModel(json), { sampler: "ddpm" });
 * est.logDensity(heldOut); // [rows]: ln p̂ by the probability-flow ODE
 * est.sample(1000, createRng(1)).x.rows; // 1000
 * ```
 */
export function fromScoreModel(model: ScoreModel, options: DiffusionOptions = {}): FittedEstimator {
  const fn = "fromScoreModel";
  if (typeof model !== "object" || model === null || typeof model.score !== "function") {
    throw new MixdiffError("INVALID_INPUT", `${fn}: expected a ScoreModel (fitScore, loadScoreModel, exactScoreModel)`);
  }
  if (typeof options !== "object" || options === null) {
    throw new MixdiffError("INVALID_OPTION", `${fn}: options must be an object`, { path: "options" });
  }
  const sampler = checkOneOf(
    options.sampler ?? "exponentialIntegrator",
    fn,
    "sampler",
    Object.keys(samplers) as SamplerName[],
  );
  const learned = (model as Partial<LearnedScoreModel>).kind === "learned" ? (model as LearnedScoreModel) : undefined;
  const n = model.dim;
  // The estimated mixture of a learned model, on first use (it costs a few hundred model evaluations).
  let mixture: { components: MixtureComponents; distribution: Distribution } | null | undefined;
  const estimated = () => {
    if (mixture === undefined) {
      if (!learned) mixture = null;
      else {
        const { means, weights } = estimateMixtureParameters(learned);
        const m = createPoints(means.length, n);
        m.data.set(means.flat());
        mixture = {
          components: Object.freeze({ weights: Float64Array.from(weights), means: m }),
          distribution: gaussianMixture({ means, weights, noiseStd: model.sigma0 }),
        };
      }
    }
    return mixture;
  };
  const predictProba = (y: PointsLike): Points => {
    const mix = estimated();
    if (!mix) {
      throw new MixdiffError(
        "INVALID_INPUT",
        "predictProba: this score model holds no discrete mixture (only learned models estimate one)",
        { path: "model" },
      );
    }
    return responsibilities(mix.distribution, y, 0);
  };
  return Object.freeze({
    kind: "diffusion" as const,
    dim: n,
    noiseStd: model.sigma0,
    scoreModel: model,
    ...(learned && { learnedModel: learned }),
    sample: (count: number, rng: Rng) => ({
      x: sample(model, {
        n: count,
        rng,
        sampler,
        ...(options.steps !== undefined && { steps: options.steps }),
      }).samples,
    }),
    score: (y: PointsLike, t?: number) =>
      model.score(toPoints(y, { name: `score: y (the model has dim ${n})`, expectedCols: n }), checkTime("score", t)),
    logDensity: (y: PointsLike, t?: number) =>
      probabilityFlowLogDensity(model, y, { ...options.logDensity, t: checkTime("logDensity", t) }),
    components: () => estimated()?.components,
    predictProba,
    predict: (y: PointsLike) => argmaxRows(predictProba(y)),
  });
}
