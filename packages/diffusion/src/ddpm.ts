import type { ScoreModel } from "@mixdiff/score";
import type { SamplerKernel, SamplerRule } from "./bind-stepper.js";
import { runSampler } from "./run-sampler.js";
import type { SampleOptions, SampleResult, Sampler } from "./sample-options.js";

const kernel: SamplerKernel = {
  scratch: 0,
  step(state, _k, tCur, tNext) {
    // Ancestral step: sample q(y_{t'} | y_t, X) = N(X + (t'/t)(y_t − X), t'(t − t')/t) with X replaced by the
    // Tweedie estimate D = y_t + t·s(y_t); the mean simplifies to y + (t − t')·s.
    const h = tCur - tNext;
    const noiseSd = Math.sqrt((tNext * h) / tCur);
    const z = state.noise();
    const y = state.y.data;
    const s = state.model.score(state.y, tCur, state.scoreBuf).data; // use the returned batch: a model may not write into `out`
    for (let i = 0; i < y.length; i++) y[i] = (y[i] as number) + h * (s[i] as number) + noiseSd * (z[i] as number);
  },
};

/**
 * The DDPM ancestral sampler (Ho et al. 2020), written in VE time: each step draws from the forward process'
 * posterior `q(y_{t'} | y_t, X)` with the clean sample X replaced by its Tweedie estimate
 * `E[X | y_t] = y_t + t·s(y_t)`: `y ← y + (t − t')·s(y) + √(t'(t − t')/t)·ξ`. The VP/DDPM form maps to this
 * exactly (`x = scale·y`), so one implementation serves every VP schedule.
 *
 * @param model - the score model (VE time).
 * @param options - see {@link SampleOptions}.
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
export const ddpm: Sampler = (model: ScoreModel, options: SampleOptions): SampleResult =>
  runSampler("ddpm", model, options, ddpmRule);

/** The step rule of {@link ddpm} (internal: the samplers registry's entry for `createStepper`). */
export const ddpmRule: SamplerRule = { kernel: () => kernel };
