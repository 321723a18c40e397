import type { NoiseSchedule } from "./noise-schedule.js";

/**
 * The forward-SDE drift `f(s)·x` of `dx = f(s)·x ds + g(s) dW`, written into `out` (length of `x`).
 *
 * @param schedule - the noise schedule.
 * @param s - schedule time.
 * @param x - state, any length (a flat batch works).
 * @param out - destination, may alias `x`. @default a new array
 * @returns `out`.
 *
 * @example
 * ```ts
 * import { forwardDrift, vpSchedule } from "@mixdiff/schedules";
 * forwardDrift(vpSchedule(), 0.5, new Float64Array([2])); // Float64Array [-2]
 * ```
 */
export function forwardDrift(
  schedule: NoiseSchedule,
  s: number,
  x: Float64Array,
  out: Float64Array = new Float64Array(x.length),
): Float64Array {
  const f = schedule.drift(s);
  for (let i = 0; i < x.length; i++) out[i] = f * x[i]!;
  return out;
}

/**
 * The drift of the reverse-time SDE, `f(s)·x − g(s)²·∇ₓ ln p_s(x)`, in forward time: the reverse process
 * solves `dx = [f x − g² ∇ln p] ds + g dW̄` backwards from `tMax`. `scoreX` is the score in x-coordinates;
 * from a VE score model it is `scoreVE(x/scale, sigma²)/scale`.
 *
 * @param schedule - the noise schedule.
 * @param s - schedule time.
 * @param x - state (flat batch).
 * @param scoreX - `∇ₓ ln p_s(x)`, same length as `x`.
 * @param out - destination, may alias `x` or `scoreX`. @default a new array
 * @returns `out`.
 *
 * @example
 * ```ts
 * import { reverseDrift, veSchedule } from "@mixdiff/schedules";
 * // VE (f = 0, g = 1): the drift is minus the score.
 * reverseDrift(veSchedule(), 1, new Float64Array([1]), new Float64Array([-0.5])); // Float64Array [0.5]
 * ```
 */
export function reverseDrift(
  schedule: NoiseSchedule,
  s: number,
  x: Float64Array,
  scoreX: Float64Array,
  out: Float64Array = new Float64Array(x.length),
): Float64Array {
  const f = schedule.drift(s);
  const g = schedule.diffusion(s);
  const g2 = g * g;
  for (let i = 0; i < x.length; i++) out[i] = f * x[i]! - g2 * scoreX[i]!;
  return out;
}

/**
 * The probability-flow ODE velocity `dx/ds = f(s)·x − ½·g(s)²·∇ₓ ln p_s(x)` (Song et al. 2021), whose
 * solution has the same marginals as the forward SDE. For the EDM schedule this is `(x − D)/s`.
 *
 * @param schedule - the noise schedule.
 * @param s - schedule time.
 * @param x - state (flat batch).
 * @param scoreX - `∇ₓ ln p_s(x)`, same length as `x`.
 * @param out - destination, may alias `x` or `scoreX`. @default a new array
 * @returns `out`.
 *
 * @example
 * ```ts
 * import { probabilityFlowDrift, edmSchedule } from "@mixdiff/schedules";
 * // EDM: f = 0, g² = 2s, so dx/ds = −s·score.
 * probabilityFlowDrift(edmSchedule(), 2, new Float64Array([1]), new Float64Array([-0.25])); // Float64Array [0.5]
 * ```
 */
export function probabilityFlowDrift(
  schedule: NoiseSchedule,
  s: number,
  x: Float64Array,
  scoreX: Float64Array,
  out: Float64Array = new Float64Array(x.length),
): Float64Array {
  const f = schedule.drift(s);
  const g = schedule.diffusion(s);
  const h = 0.5 * g * g;
  for (let i = 0; i < x.length; i++) out[i] = f * x[i]! - h * scoreX[i]!;
  return out;
}
