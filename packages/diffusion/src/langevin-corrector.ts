import { checkNumber } from "@mixdiff/core";
import type { SamplerKernel, SamplerState } from "./bind-stepper.js";
import { affineUpdate, scoreAt } from "./step-helpers.js";

/**
 * One Langevin corrector step at VE time t (Song et al. 2021, Algorithm 4), in place.
 *
 * `y ← y + ε·s(y) + √(2ε)·z` with `ε = 2·(snr·|z|/|s|)²`, where the norms are replaced by their values under `N(·, σ_t² I)`
 * (`|z|² ≈ dim`, `|s|² ≈ dim/σ_t²`), i.e. `ε = 2·snr²·σ_t²`. Song et al. average the norms over the batch;
 * per-sample norms are heavy-tailed in low dimension (|s| → 0 near a mode); this form is stable and does
 * not depend on the batch. Draws one normal per coordinate of every row.
 *
 * @param state - the run's state, at VE time `t`.
 * @param t - the VE time.
 * @param snr - the signal-to-noise ratio (> 0).
 *
 * @example
 * ```ts
 * import { createRng } from "@mixdiff/core";
 * import { createStepper, langevinStep } from "@mixdiff/diffusion";
 * const stepper = createStepper(model, { steps: 50 });
 * const state = stepper.init({ n: 100, rng: createRng(1) });
 * stepper.step(state);
 * langevinStep(state, stepper.grid[state.k]!, 0.16); // one extra corrector step at the current time
 * ```
 */
export function langevinStep(state: SamplerState, t: number, snr: number): void {
  const s = scoreAt(state, t);
  const z = state.noise();
  const eps = 2 * snr * snr * (state.sigma0Sq + t);
  affineUpdate(state.y.data, eps, s, Math.sqrt(2 * eps), z);
}

/**
 * Wraps a kernel with Langevin corrector steps: each step is the kernel's step (the predictor) from `tCur` to
 * `tNext`, then `corrector.steps` {@link langevinStep}s at `tNext` (Song et al. 2021's predictor–corrector
 * sampling). With 0 corrector steps the kernel is returned unchanged.
 *
 * @param kernel - the predictor.
 * @param corrector - `steps` (integer 0…100) and `snr` (> 0).
 * @returns the predictor–corrector kernel.
 * @throws MixdiffError `INVALID_OPTION` for bad `steps` or `snr`.
 *
 * @example
 * ```ts
 * import { createRng } from "@mixdiff/core";
 * import { defineSampler, sample, samplers, withLangevinCorrector } from "@mixdiff/diffusion";
 * // DDPM as the predictor, two corrector steps per time
 * const ddpmPc = defineSampler({
 *   name: "ddpmPc",
 *   note: "DDPM + 2 Langevin corrector steps",
 *   options: [],
 *   kernel: (o, fn) => withLangevinCorrector(samplers.ddpm.kernel(o, fn), { steps: 2, snr: 0.16 }),
 * });
 * sample(model, { sampler: ddpmPc, n: 100, rng: createRng(1) });
 * ```
 */
export function withLangevinCorrector(
  kernel: SamplerKernel,
  corrector: { steps: number; snr: number },
  fn = "withLangevinCorrector",
): SamplerKernel {
  const steps = checkNumber(corrector?.steps, fn, "corrector.steps", { min: 0, integer: true, max: 100 });
  const snr = checkNumber(corrector.snr, fn, "corrector.snr", { min: 0, exclusiveMin: true });
  if (steps === 0) return kernel;
  const predictor = kernel;
  return {
    scratch: predictor.scratch,
    ...(predictor.prepare && { prepare: (grid: Float64Array) => predictor.prepare?.(grid) }),
    step(state, k, tCur, tNext) {
      predictor.step(state, k, tCur, tNext);
      for (let c = 0; c < steps; c++) langevinStep(state, tNext, snr);
    },
  };
}
