import { checkNumber } from "@mixdiff/core";
import { bentonGrid } from "@mixdiff/schedules";

/** Benton grid coordinate ψ (uniform in u = ln(1 + t/σ0²) above u = 2, in ln u below); see `bentonGrid`. */
function psi(t: number, c: number): number {
  const u = Math.log1p(t / c);
  return u >= 2 ? u : 2 * (1 + Math.log(u / 2));
}

/**
 * Steps per unit of grid length ψ per √dim in {@link defaultSteps}.
 *
 * @example
 * ```ts
 * import { STEPS_PER_UNIT } from "@mixdiff/diffusion";
 * STEPS_PER_UNIT; // 10
 * ```
 */
export const STEPS_PER_UNIT = 10;

/**
 * The default number of sampler steps when `dim` coordinates are simulated on `[tMin, tMax]` (VE times).
 * `dim` is the number of coordinates the sampler *simulates*: the model's dimension n, or m when the model
 * declares an m-dimensional subspace (`ScoreModel.subspace`) and the sampler draws the exactly Gaussian
 * n − m complement directly (the default; the samplers pass the right value).
 *
 * Rule: `steps = ⌈STEPS_PER_UNIT · Λ · √dim⌉` (at least 50), where `Λ = ψ(tMax) − ψ(tMin)` is the length of the
 * run in the coordinate in which {@link defaultGrid} (Benton et al.) is uniform. At fixed steps per unit
 * Λ each step has the same local size κ = Λ/steps in every regime (uniform in VP time for large t, geometric
 * near tMin), and the per-coordinate variance bias of the first-order samplers is O(κ) (measured exactly for
 * a Gaussian target: ≈ 0.23·Λ/steps for the exponential integrator, ≈ 0.46·Λ/steps for Euler–Maruyama).
 * The KL between the sampled and the true law grows like `dim·bias²/4`, so keeping it fixed as the dimension
 * grows needs `steps ∝ √dim` (the theory's path-space bound, linear in dim, is not tight here). With 10 steps
 * per unit the exponential integrator's bias is ≈ 2.3%/√dim per coordinate and its KL ≈ 1.3·10⁻⁴ in every
 * dimension (Euler–Maruyama: ≈ 6.5·10⁻⁴); `default-steps.test.ts` checks KL ≤ 10⁻³ for every unbiased registered sampler for dim 1 to 64.
 * The complement of a declared subspace carries no discretisation error (it is drawn exactly), so the KL of
 * the whole n-dimensional output is `m·bias²/4`: the same budget with `steps ∝ √m` (tested for m = 1, 4, 16
 * in R^64).
 *
 * @param o - `dim` (integer ≥ 1: the simulated dimension), `tMax > tMin > 0`, `sigma0` (default 1).
 * @returns an integer ≥ 50.
 * @throws MixdiffError `INVALID_OPTION` for bad values.
 *
 * @example
 * ```ts
 * import { defaultSteps } from "@mixdiff/diffusion";
 * defaultSteps({ dim: 2, tMax: 1e4, tMin: 1e-3 }); // 317
 * defaultSteps({ dim: 8, tMax: 1e4, tMin: 1e-3 }); // 634: twice as many for 4× the dimension
 * // a model in R^40 that declares a 3-D subspace: the samplers simulate 3 coordinates and use
 * defaultSteps({ dim: 3, tMax: 1e4, tMin: 1e-3 }); // 389 (not the 1418 of dim 40)
 * ```
 */
export function defaultSteps(o: { dim: number; tMax: number; tMin: number; sigma0?: number }): number {
  const fn = "defaultSteps";
  const dim = checkNumber(o?.dim, fn, "dim", { min: 1, integer: true });
  const tMin = checkNumber(o.tMin, fn, "tMin", { min: 0, exclusiveMin: true });
  const tMax = checkNumber(o.tMax, fn, "tMax", { min: tMin, exclusiveMin: true });
  const sigma0 = checkNumber(o.sigma0 ?? 1, fn, "sigma0", { min: 0, exclusiveMin: true });
  const c = sigma0 * sigma0;
  const length = psi(tMax, c) - psi(tMin, c);
  return Math.max(50, Math.ceil(STEPS_PER_UNIT * length * Math.sqrt(dim)));
}

/**
 * The default sampler grid: Benton-style in VE time (uniform in `ln(1 + t/σ0²)` for large t, geometric near
 * tMin), from `tMax` to `tMin`, with `steps` (default {@link defaultSteps}) steps.
 *
 * @param o - `dim` (the simulated dimension, see {@link defaultSteps}), `tMax > tMin > 0`, optional `steps`, `sigma0` (default 1).
 * @returns descending `Float64Array` of length `steps + 1`.
 * @throws MixdiffError `INVALID_OPTION` for bad values.
 *
 * @example
 * ```ts
 * import { defaultGrid } from "@mixdiff/diffusion";
 * const g = defaultGrid({ dim: 2, tMax: 400, tMin: 1e-3, steps: 100 }); // 101 VE times, 400 → 0.001
 * ```
 */
export function defaultGrid(o: {
  dim: number;
  tMax: number;
  tMin: number;
  steps?: number;
  sigma0?: number;
}): Float64Array {
  const steps = o.steps ?? defaultSteps(o);
  return bentonGrid({ tMax: o.tMax, tMin: o.tMin, steps, sigma0: o.sigma0 ?? 1 });
}
