import { type DefinedSampler, defineSampler } from "./define-sampler.js";
import { affineStepKernel } from "./step-helpers.js";

// Ancestral step: sample q(y_{t'} | y_t, X) = N(X + (t'/t)(y_t − X), t'(t − t')/t) with X replaced by the
// Tweedie estimate D = y_t + t·s(y_t); the mean simplifies to y + (t − t')·s.
const kernel = affineStepKernel((tCur, tNext) => {
  const h = tCur - tNext;
  return [h, Math.sqrt((tNext * h) / tCur)];
});

/**
 * The DDPM ancestral sampler (Ho et al. 2020), written in VE time: each step draws from the forward process'
 * posterior `q(y_{t'} | y_t, X)` with the clean sample X replaced by its Tweedie estimate
 * `E[X | y_t] = y_t + t·s(y_t)`: `y ← y + (t − t')·s(y) + √(t'(t − t')/t)·ξ`. The VP/DDPM form maps to this
 * exactly (`x = scale·y`), so one implementation serves every VP schedule.
 *
 * @param model - the score model (VE time).
 * @param options - the common {@link SampleOptions} (no sampler-specific options).
 * @returns the samples `[n, dim]`, the grid and an optional trajectory.
 * @throws MixdiffError as {@link exponentialIntegrator}.
 *
 * @example
 * ```ts
 * import { createRng } from "@mixdiff/core";
 * import { ddpm } from "@mixdiff/diffusion";
 * const { samples } = ddpm(model, { n: 500, rng: createRng(3), steps: 100 });
 * ```
 */
export const ddpm: DefinedSampler = defineSampler({
  name: "ddpm",
  note: "DDPM ancestral sampling (Ho et al. 2020) in VE time",
  options: [],
  kernel: () => kernel,
});
