import type { ScoreModel } from "@mixdiff/score";
import type { SamplerRule } from "./bind-stepper.js";
import { exponentialIntegrator, exponentialIntegratorRule } from "./exponential-integrator.js";
import type { SampleOptions, SampleResult, Sampler } from "./sample-options.js";

/** The corrector predictorCorrector applies when the options give none. */
const PC_CORRECTOR = { steps: 1, snr: 0.16 };

/**
 * Predictor–corrector sampling (Song et al. 2021): the paper's exponential-integrator step as predictor,
 * followed at each new time by Langevin corrector steps `y ← y + ε·s(y) + √(2ε)·z` with the per-sample step
 * `ε = 2·snr²·σ_t²` (Song et al.'s `2(snr·|z|/|s|)²` with the norms at their Gaussian values). Defaults to one corrector step with `snr = 0.16`; `options.corrector` overrides it.
 * (Every sampler accepts `corrector`; this entry makes the combination selectable by name.)
 *
 * @param model - the score model (VE time).
 * @param options - see {@link SampleOptions}.
 * @returns the samples `[n, dim]`, the grid and an optional trajectory.
 * @throws MixdiffError as {@link exponentialIntegrator}.
 *
 * @example
 * ```ts
 * import { createRng } from "@mixdiff/core";
 * import { predictorCorrector } from "@mixdiff/diffusion";
 * const { samples } = predictorCorrector(model, { n: 500, rng: createRng(6), corrector: { steps: 2, snr: 0.1 } });
 * ```
 */
export const predictorCorrector: Sampler = (model: ScoreModel, options: SampleOptions): SampleResult =>
  exponentialIntegrator(model, { ...options, corrector: options?.corrector ?? PC_CORRECTOR });

/** The step rule of {@link predictorCorrector} (internal: the samplers registry's entry for `createStepper`). */
export const predictorCorrectorRule: SamplerRule = { ...exponentialIntegratorRule, corrector: PC_CORRECTOR };
