import type { Points } from "@mixdiff/core";
import type { SamplerKernel, SamplerState } from "./bind-stepper.js";

/**
 * The score of the state's rows (or of `y`, a batch of the same shape) at VE time `t`, computed into
 * `state.scoreBuf`. Returns the batch the model returned (a model may ignore `out`), so read the result, not
 * `state.scoreBuf`.
 *
 * @param state - the run's state (its model and scratch).
 * @param t - the VE time.
 * @param y - the points (default `state.y`).
 * @returns the score values, row-major `[rows, dim]`.
 *
 * @example
 * ```ts
 * import { scoreAt, type SamplerKernel } from "@mixdiff/diffusion";
 * const kernel: SamplerKernel = {
 *   scratch: 0,
 *   step(state, _k, tCur, tNext) {
 *     const s = scoreAt(state, tCur); // ∇ln p_t(y) of every row
 *     for (let i = 0; i < s.length; i++) state.y.data[i]! += (tCur - tNext) * s[i]!;
 *   },
 * };
 * ```
 */
export function scoreAt(state: SamplerState, t: number, y: Points = state.y): Float64Array {
  return state.model.score(y, t, state.scoreBuf).data;
}

/**
 * The lead-in of a stochastic step: draws the next normals of every row (`state.noise()`), then evaluates the
 * score of the current rows at `t`. Returns the state's values `y`, the score `s` and the noise `z` (all row-major
 * `[rows, dim]`; `s` and `z` are scratch, overwritten by the next call).
 *
 * @param state - the run's state.
 * @param t - the VE time of the score.
 * @returns `{ y, s, z }`.
 *
 * @example
 * ```ts
 * import { affineUpdate, noiseAndScore, type SamplerKernel } from "@mixdiff/diffusion";
 * // Euler–Maruyama of the reverse VE SDE: y ← y + h·s(y) + √h·ξ
 * const kernel: SamplerKernel = {
 *   scratch: 0,
 *   step(state, _k, tCur, tNext) {
 *     const { y, s, z } = noiseAndScore(state, tCur);
 *     affineUpdate(y, tCur - tNext, s, Math.sqrt(tCur - tNext), z);
 *   },
 * };
 * ```
 */
export function noiseAndScore(state: SamplerState, t: number): { y: Float64Array; s: Float64Array; z: Float64Array } {
  const z = state.noise();
  const y = state.y.data;
  const s = scoreAt(state, t);
  return { y, s, z };
}

/**
 * The update shared by the stochastic kernels, in place: `y ← y + a·s + b·z`, evaluated as `(y + a·s) + b·z`
 * entry by entry (this exact order keeps the samplers' bytes).
 *
 * @param y - the values to update (length L).
 * @param a - the coefficient of `s`.
 * @param s - e.g. the score (length ≥ L).
 * @param b - the coefficient of `z`.
 * @param z - e.g. the noise (length ≥ L).
 *
 * @example
 * ```ts
 * import { affineUpdate } from "@mixdiff/diffusion";
 * const y = Float64Array.of(1, 2);
 * affineUpdate(y, 0.5, Float64Array.of(2, 2), 1, Float64Array.of(0, 1)); // y = [2, 4]
 * ```
 */
export function affineUpdate(y: Float64Array, a: number, s: Float64Array, b: number, z: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i] = y[i]! + a * s[i]! + b * z[i]!;
}

/**
 * {@link affineUpdate} with a factor on `y`, in place: `y ← c·y + a·s + b·z`, evaluated as `(c·y + a·s) + b·z`
 * (the step of a schedule with drift, e.g. Euler–Maruyama for a VP schedule).
 *
 * @param y - the values to update (length L).
 * @param c - the factor of `y`.
 * @param a - the coefficient of `s`.
 * @param s - e.g. the score (length ≥ L).
 * @param b - the coefficient of `z`.
 * @param z - e.g. the noise (length ≥ L).
 *
 * @example
 * ```ts
 * import { scaledAffineUpdate } from "@mixdiff/diffusion";
 * const y = Float64Array.of(1, 2);
 * scaledAffineUpdate(y, 2, 1, Float64Array.of(1, 1), 0, Float64Array.of(0, 0)); // y = [3, 5]
 * ```
 */
export function scaledAffineUpdate(
  y: Float64Array,
  c: number,
  a: number,
  s: Float64Array,
  b: number,
  z: Float64Array,
): void {
  for (let i = 0; i < y.length; i++) y[i] = c * y[i]! + a * s[i]! + b * z[i]!;
}

/**
 * A stochastic kernel that is one score evaluation and one {@link affineUpdate} per step: `coefficients` gives the
 * step's `[a, b]` from its VE times (and σ0²), and the step is `y ← y + a·s_{tCur}(y) + b·ξ`. The exponential
 * integrator and DDPM are made so; only their coefficients differ.
 *
 * @param coefficients - `(tCur, tNext, sigma0Sq) => [a, b]`.
 * @returns the kernel (no scratch batches).
 *
 * @example
 * ```ts
 * import { affineStepKernel, defineSampler, sample } from "@mixdiff/diffusion";
 * import { createRng } from "@mixdiff/core";
 * // Euler–Maruyama for the VE reverse SDE: a = t − t', b = √(t − t')
 * const veEuler = defineSampler({
 *   name: "veEuler",
 *   note: "Euler–Maruyama in VE time",
 *   options: [],
 *   kernel: () => affineStepKernel((t, t2) => [t - t2, Math.sqrt(t - t2)]),
 * });
 * const { samples } = sample(model, { sampler: veEuler, n: 100, rng: createRng(1), steps: 50 });
 * ```
 */
export function affineStepKernel(
  coefficients: (tCur: number, tNext: number, sigma0Sq: number) => readonly [number, number],
): SamplerKernel {
  return {
    scratch: 0,
    step(state, _k, tCur, tNext) {
      const [a, b] = coefficients(tCur, tNext, state.sigma0Sq);
      const { y, s, z } = noiseAndScore(state, tCur);
      affineUpdate(y, a, s, b, z);
    },
  };
}
