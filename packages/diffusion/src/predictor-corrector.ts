import { type DefinedSampler, defineSampler } from "./define-sampler.js";
import { exponentialIntegratorKernel } from "./exponential-integrator.js";
import { withLangevinCorrector } from "./langevin-corrector.js";
import { resolveCorrector } from "./resolve-options.js";
import type { CorrectorOption } from "./sample-options.js";

/** The corrector predictorCorrector applies when the options give none. */
const PC_CORRECTOR = { steps: 1, snr: 0.16 };

/**
 * Predictor–corrector sampling (Song et al. 2021).
 *
 * The paper's exponential-integrator step as predictor, followed at each new time by Langevin corrector steps `y ← y + ε·s(y) + √(2ε)·z` with the per-sample step
 * `ε = 2·snr²·σ_t²` (Song et al.'s `2(snr·|z|/|s|)²` with the norms at their Gaussian values; see
 * {@link withLangevinCorrector}). Defaults to one corrector step with `snr = 0.16`; `options.corrector` overrides it.
 *
 * @param model - the score model (VE time).
 * @param options - the common {@link SampleOptions} and `corrector` ({@link CorrectorOption}).
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
export const predictorCorrector: DefinedSampler<CorrectorOption> = defineSampler<CorrectorOption>({
  name: "predictorCorrector",
  note: "the exponential integrator + Langevin corrector steps (Song et al. 2021)",
  options: ["corrector"],
  kernel: (o, fn) =>
    withLangevinCorrector(exponentialIntegratorKernel(undefined), resolveCorrector(fn, o.corrector, PC_CORRECTOR), fn),
});
