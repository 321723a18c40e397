import { checkNumber } from "@mixdiff/core";
import { checkEnds, checkSteps, gridFromMap } from "./grid-options.js";

/**
 * Options of {@link karrasGrid}.
 *
 * @example
 * ```ts
 * import { karrasGrid, type KarrasGridOptions } from "@mixdiff/schedules";
 * const o: KarrasGridOptions = { sigmaMin: 0.002, sigmaMax: 80, rho: 7, steps: 18 };
 * karrasGrid(o)[0]; // 80
 * ```
 */
export interface KarrasGridOptions {
  /** Smallest noise level σ_min > 0 (last entry). */
  sigmaMin: number;
  /** Largest noise level σ_max (first entry). */
  sigmaMax: number;
  /** Exponent ρ. @default 7 */
  rho?: number;
  /** Number of steps; the grid has `steps + 1` entries. */
  steps: number;
}

/**
 * The noise-level grid of Karras et al. (2022), eq. (5): `σ_i = (σmax^{1/ρ} + i/N·(σmin^{1/ρ} − σmax^{1/ρ}))^ρ`,
 * i = 0..N, descending from `sigmaMax` to `sigmaMin` (no trailing zero: samplers stop at σ_min). These are
 * EDM schedule times; the VE times are their squares.
 *
 * @param options - `sigmaMax > sigmaMin > 0`, `rho > 0` (7), integer `steps ≥ 1`.
 * @returns `Float64Array` of length `steps + 1`, strictly decreasing.
 * @throws MixdiffError `INVALID_OPTION` for bad values; `RESOURCE_LIMIT` for more than 10⁷ steps.
 *
 * @example
 * ```ts
 * import { karrasGrid } from "@mixdiff/schedules";
 * karrasGrid({ sigmaMin: 0.002, sigmaMax: 80, steps: 18 }); // 19 noise levels, 80 → 0.002
 * ```
 */
export function karrasGrid(options: KarrasGridOptions): Float64Array {
  const fn = "karrasGrid";
  const steps = checkSteps(fn, options?.steps);
  const { tMax, tMin } = checkEnds(fn, options.sigmaMax, options.sigmaMin, { max: "sigmaMax", min: "sigmaMin" }, true);
  const rho = checkNumber(options.rho ?? 7, fn, "rho", { min: 0, exclusiveMin: true });
  return gridFromMap(fn, steps, tMax ** (1 / rho), tMin ** (1 / rho), (v) => v ** rho, tMax, tMin);
}
