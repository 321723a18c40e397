import { checkOneOf } from "@mixdiff/core";
import type { ScoreModel } from "@mixdiff/score";
import type { SampleOptions, SampleResult } from "./sample-options.js";
import { type SamplerName, samplers } from "./samplers.js";

/**
 * Draws `n` samples from a score model with a registered sampler (default `"exponentialIntegrator"`, the
 * paper's). Pure: the same model, options and seed give the same bytes, whatever `chunkSize`.
 *
 * @param model - the score model (VE time).
 * @param options - {@link SampleOptions} plus `sampler`.
 * @returns the samples `[n, dim]`, the grid and an optional trajectory.
 * @throws MixdiffError `INVALID_OPTION` for an unknown sampler or bad options, `NUMERICAL_FAILURE`,
 *   `RESOURCE_LIMIT`, `INTERRUPTED`.
 *
 * @example
 * ```ts
 * import { createRng } from "@mixdiff/core";
 * import { sample } from "@mixdiff/diffusion";
 * const { samples, grid } = sample(model, { n: 2000, rng: createRng(7), sampler: "probabilityFlowHeun", steps: 60 });
 * ```
 */
export function sample(model: ScoreModel, options: SampleOptions & { sampler?: SamplerName }): SampleResult {
  const name = checkOneOf(
    options?.sampler ?? "exponentialIntegrator",
    "sample",
    "sampler",
    Object.keys(samplers) as SamplerName[],
  );
  return samplers[name](model, options);
}
