import type { ScoreModel } from "@mixdiff/score";
import type { SamplerKernel, SamplerRule } from "./bind-stepper.js";
import { runSampler } from "./run-sampler.js";
import type { SampleOptions, SampleResult, Sampler } from "./sample-options.js";

/**
 * The kernel of the VE exponential integrator with total variance `t + c` (c = σ0² by default):
 * `y ← y + 2[(t_ℓ + c) − √((t_{ℓ−1} + c)(t_ℓ + c))]·s_{t_ℓ}(y) + √(t_ℓ − t_{ℓ−1})·ξ`.
 */
function kernel(offset: number | undefined): SamplerKernel {
  return {
    scratch: 0,
    step(state, _k, tCur, tNext) {
      const c = offset ?? state.sigma0Sq;
      const a = tCur + c;
      const coef = 2 * (a - Math.sqrt((tNext + c) * a));
      const noiseSd = Math.sqrt(tCur - tNext);
      const z = state.noise();
      const y = state.y.data;
      const s = state.model.score(state.y, tCur, state.scoreBuf).data; // use the returned batch: a model may not write into `out`
      for (let i = 0; i < y.length; i++) y[i] = (y[i] as number) + coef * (s[i] as number) + noiseSd * (z[i] as number);
    },
  };
}

/**
 * The paper's sampler (Gatmiry–Kelner–Lee, Algorithm 1, generation part) for the variance-exploding process:
 * the exponential integrator of the reverse SDE with the corrected `(t + σ0²)` coefficient (PAPER.md §4.1;
 * the paper prints `t − 1`, which puts a negative number under the root as t crosses 1):
 *
 * `y ← y + 2[σ²_ℓ − √(σ²_{ℓ−1}·σ²_ℓ)]·s_{t_ℓ}(y) + √(t_ℓ − t_{ℓ−1})·ξ`, `σ²_ℓ = t_ℓ + σ0²`,
 *
 * started from `N(mean, (T + σ0²) I)` and stopped at `tMin` with no final denoising step (the output is a
 * sample of `P_tMin ≈ P0`, which contains the σ0 noise). It is the exact change of variables of the VP
 * (Ornstein–Uhlenbeck, stationary variance σ0²) exponential integrator of Benton et al.
 *
 * @param model - the score model (VE time).
 * @param options - see {@link SampleOptions}.
 * @returns the samples `[n, dim]`, the grid and an optional trajectory.
 * @throws MixdiffError `INVALID_OPTION`/`RESOURCE_LIMIT` for bad options, `NUMERICAL_FAILURE` if a state
 *   becomes non-finite, `INTERRUPTED` on abort.
 *
 * @example
 * ```ts
 * import { createRng } from "@mixdiff/core";
 * import { exponentialIntegrator } from "@mixdiff/diffusion";
 * const { samples } = exponentialIntegrator(model, { n: 1000, rng: createRng(1), steps: 200 });
 * samples.rows; // 1000
 * ```
 */
export const exponentialIntegrator: Sampler = (model: ScoreModel, options: SampleOptions): SampleResult =>
  runSampler("exponentialIntegrator", model, options, exponentialIntegratorRule);

/** The step rule of {@link exponentialIntegrator} (internal: the samplers registry's entry for `createStepper`). */
export const exponentialIntegratorRule: SamplerRule = { kernel: () => kernel(undefined) };

/**
 * The exponential integrator with an explicit variance offset `c` in place of σ0²: `c = 1` is the paper's
 * derivation for σ0 = 1, `c = −1` reproduces the coefficient as printed in the paper (which diverges; kept to
 * demonstrate it in tests and docs).
 *
 * @param offset - the constant added to t in the coefficient.
 * @returns a {@link Sampler}.
 *
 * @example
 * ```ts
 * import { exponentialIntegratorWithOffset } from "@mixdiff/diffusion";
 * const printed = exponentialIntegratorWithOffset(-1); // throws NUMERICAL_FAILURE once t crosses 1
 * ```
 */
export function exponentialIntegratorWithOffset(offset: number): Sampler {
  const rule: SamplerRule = { kernel: () => kernel(offset) };
  return (model, options) => runSampler("exponentialIntegrator", model, options, rule);
}
