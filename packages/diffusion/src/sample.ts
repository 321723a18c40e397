import { checkOneOf, MixdiffError } from "@mixdiff/core";
import type { ScoreModel } from "@mixdiff/score";
import type { SampleOptions, SampleResult } from "./sample-options.js";
import { type SamplerName, type SamplerOptions, samplers } from "./samplers.js";

/**
 * Draws `n` samples from a score model with a registered sampler (default `"exponentialIntegrator"`, the paper's),
 * or with a sampler of your own (a `defineSampler` result, or any `Sampler` function).
 *
 * Pure: the same model, options and seed give the same bytes, whatever `chunkSize`. The options are typed by the
 * sampler: the common {@link SampleOptions} plus the sampler's own (`schedule` for eulerMaruyama and the
 * probability-flow samplers, `corrector` for predictorCorrector); an option the sampler does not use is refused.
 *
 * @param model - the score model (VE time).
 * @param options - `sampler` and its options (see {@link SamplerOptions}).
 * @returns the samples `[n, dim]`, the grid and an optional trajectory.
 * @throws MixdiffError `INVALID_OPTION` for an unknown sampler, an option the sampler does not use (`option
 *   "schedule" is not used by ddpm; it is used by …`) or bad options; `NUMERICAL_FAILURE`, `RESOURCE_LIMIT`,
 *   `INTERRUPTED`.
 *
 * @example
 * ```ts
 * import { createRng } from "@mixdiff/core";
 * import { vpSchedule } from "@mixdiff/schedules";
 * import { sample } from "@mixdiff/diffusion";
 * const { samples, grid } = sample(model, { n: 2000, rng: createRng(7), sampler: "probabilityFlowHeun", steps: 60 });
 * sample(model, { n: 2000, rng: createRng(7), sampler: "eulerMaruyama", schedule: vpSchedule() });
 * // sample(model, { n: 10, rng: createRng(7), sampler: "ddpm", schedule: vpSchedule() }); // does not compile; throws INVALID_OPTION
 * ```
 */
export function sample<N extends SamplerName = "exponentialIntegrator">(
  model: ScoreModel,
  options: SamplerOptions<N> & { sampler?: N },
): SampleResult;
export function sample<S extends (model: ScoreModel, options: never) => SampleResult>(
  model: ScoreModel,
  options: Parameters<S>[1] & { sampler: S },
): SampleResult;
export function sample(model: ScoreModel, options: { sampler?: unknown }): SampleResult {
  if (typeof options !== "object" || options === null) {
    throw new MixdiffError("INVALID_OPTION", "sample: options are required ({ n, rng, ... })");
  }
  const { sampler, ...rest } = options as SampleOptions & { sampler?: unknown };
  if (typeof sampler === "function") return (sampler as (m: ScoreModel, o: SampleOptions) => SampleResult)(model, rest);
  const name = checkOneOf(
    (sampler ?? "exponentialIntegrator") as SamplerName,
    "sample",
    "sampler",
    Object.keys(samplers) as SamplerName[],
  );
  return (samplers[name] as (model: ScoreModel, options: SampleOptions) => SampleResult)(model, rest);
}
