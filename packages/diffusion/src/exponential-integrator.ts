import type { SamplerKernel } from "./bind-stepper.js";
import { type DefinedSampler, defineSampler } from "./define-sampler.js";
import { affineStepKernel } from "./step-helpers.js";

/**
 * The kernel of the VE exponential integrator with total variance `t + c` (c = σ0² by default):
 * `y ← y + 2[(t_ℓ + c) − √((t_{ℓ−1} + c)(t_ℓ + c))]·s_{t_ℓ}(y) + √(t_ℓ − t_{ℓ−1})·ξ` (internal: also the
 * predictor of `predictorCorrector`).
 */
export function exponentialIntegratorKernel(offset: number | undefined): SamplerKernel {
  return affineStepKernel((tCur, tNext, sigma0Sq) => {
    const c = offset ?? sigma0Sq;
    const a = tCur + c;
    return [2 * (a - Math.sqrt((tNext + c) * a)), Math.sqrt(tCur - tNext)];
  });
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
 * @param options - the common {@link SampleOptions} (no sampler-specific options).
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
export const exponentialIntegrator: DefinedSampler = defineSampler({
  name: "exponentialIntegrator",
  note: "the paper's exponential integrator of the reverse VE SDE, (t + σ0²) coefficient (default)",
  options: [],
  kernel: () => exponentialIntegratorKernel(undefined),
});

/**
 * The exponential integrator with an explicit variance offset `c` in place of σ0²: `c = 1` is the paper's
 * derivation for σ0 = 1, `c = −1` reproduces the coefficient as printed in the paper (which diverges; kept to
 * demonstrate it in tests and docs).
 *
 * @param offset - the constant added to t in the coefficient.
 * @returns a {@link DefinedSampler} named `exponentialIntegrator`.
 *
 * @example
 * ```ts
 * import { exponentialIntegratorWithOffset } from "@mixdiff/diffusion";
 * const printed = exponentialIntegratorWithOffset(-1); // throws NUMERICAL_FAILURE once t crosses 1
 * ```
 */
export function exponentialIntegratorWithOffset(offset: number): DefinedSampler {
  return defineSampler({
    name: "exponentialIntegrator",
    note: `the exponential integrator with the variance offset ${offset} in place of σ0²`,
    options: [],
    kernel: () => exponentialIntegratorKernel(offset),
  });
}
