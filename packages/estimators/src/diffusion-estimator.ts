import { checkNumber, checkOneOf, MixdiffError, type PointsLike } from "@mixdiff/core";
import { type SamplerName, samplers } from "@mixdiff/diffusion";
import { type FitScoreOptions, fitScore } from "@mixdiff/score";
import type { Estimator, EstimatorFitOptions, FittedEstimator } from "./fitted-estimator.js";
import { type DiffusionOptions, fromScoreModel } from "./from-score-model.js";

/**
 * Options of {@link diffusionEstimator}: the learner's (`fitScore` of `@mixdiff/score`, without its RNG and callbacks)
 * and how the fitted model samples and computes its likelihood ({@link DiffusionOptions}).
 *
 * @example
 * ```ts
 * import type { DiffusionEstimatorOptions } from "@mixdiff/estimators";
 * const o: DiffusionEstimatorOptions = { levels: 24, degree: 2, sampler: "ddpm", logDensity: { steps: 200 } };
 * ```
 */
export type DiffusionEstimatorOptions = Omit<FitScoreOptions, "rng" | "signal" | "onProgress"> & DiffusionOptions;

/**
 * The paper's diffusion learner as an {@link Estimator}: `fit(x, { rng })` runs `fitScore` and returns
 * {@link fromScoreModel} of the learned model — reverse-diffusion sampling, the learned score, the probability-flow
 * likelihood with the exact divergence, and the estimated mixture's responsibilities.
 *
 * @param options - learner options (validated when fitting, with the data's dimension) and sampling settings.
 * @returns an unfitted estimator.
 * @throws MixdiffError `INVALID_OPTION` for a bad `sampler` or `steps` (the learner's options are checked by `fit`).
 *
 * @example
 * ```ts
 * import { createRng } from "@mixdiff/core";
 * import { diffusionEstimator } from "@mixdiff/estimators";
 * const fitted = diffusionEstimator({ levels: 20 }).fit(train, { rng: createRng(1) });
 * fitted.logDensity(test); // held-out log-likelihood per point
 * fitted.learnedModel?.diagnostics.klTerm; // the fit's own KL estimate
 * ```
 */
export function diffusionEstimator(options: DiffusionEstimatorOptions = {}): Estimator {
  const fn = "diffusionEstimator";
  if (typeof options !== "object" || options === null) {
    throw new MixdiffError("INVALID_OPTION", `${fn}: options must be an object`, { path: "options" });
  }
  const { sampler, steps, logDensity, ...learner } = options;
  const sampling: DiffusionOptions = {
    ...(sampler !== undefined && { sampler }),
    ...(steps !== undefined && { steps }),
    ...(logDensity !== undefined && { logDensity }),
  };
  // Bad sampling options are refused now, not after a long fit.
  if (sampler !== undefined) checkOneOf(sampler, fn, "sampler", Object.keys(samplers) as SamplerName[]);
  if (steps !== undefined) checkNumber(steps, fn, "steps", { min: 1, integer: true });
  return Object.freeze({
    kind: "diffusion" as const,
    fit(x: PointsLike, o: EstimatorFitOptions): FittedEstimator {
      const model = fitScore(x, {
        ...learner,
        rng: o?.rng,
        ...(o?.signal && { signal: o.signal }),
        ...(o?.onProgress && { onProgress: o.onProgress }),
      });
      return fromScoreModel(model, sampling);
    },
  });
}
