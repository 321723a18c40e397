import { checkNumber } from "@mixdiff/core";
import { checkEnds, checkSteps, gridFromMap } from "./grid-options.js";
import type { GridOptions } from "./uniform-grid.js";

/**
 * Options of {@link bentonGrid}.
 *
 * @example
 * ```ts
 * import { bentonGrid, type BentonGridOptions } from "@mixdiff/schedules";
 * const o: BentonGridOptions = { tMax: 400, tMin: 4e-3, steps: 50, sigma0: 2 };
 * bentonGrid(o)[50]; // 0.004
 * ```
 */
export interface BentonGridOptions extends GridOptions {
  /** σ0 of the data: the grid works in `u = ln(1 + t/σ0²)` (twice the VP time). @default 1 */
  sigma0?: number;
}

/** Where the grid switches from uniform to geometric, in `u = ln(1 + t/σ0²)` (VP time 1, as Benton et al.). */
const U_SWITCH = 2;

/**
 * The Benton et al. (2023) sampling grid in VE time, descending from `tMax` to `tMin > 0`: uniform in
 * `u = ln(1 + t/σ0²)` (i.e. in VP time) while `u ≥ 2`, geometric in u (≈ geometric in t) below. It is the
 * continuous version of the paper's Theorem 3.1 step rule (see {@link theoryGrid}): equally spaced points
 * of `ψ(u) = u` for `u ≥ 2` and `ψ(u) = 2·(1 + ln(u/2))` below (ψ is C¹), mapped back to t.
 *
 * @param options - `tMax > tMin > 0` (VE times), integer `steps ≥ 1`, `sigma0` (1).
 * @returns `Float64Array` of length `steps + 1`, strictly decreasing, from `tMax` to `tMin` exactly.
 * @throws MixdiffError `INVALID_OPTION` for bad ends, steps or sigma0; `RESOURCE_LIMIT` for more than 10⁷ steps.
 *
 * @example
 * ```ts
 * import { bentonGrid } from "@mixdiff/schedules";
 * const g = bentonGrid({ tMax: 1000, tMin: 1e-3, steps: 100 });
 * g.length;      // 101
 * g[0], g[100];  // 1000, 0.001
 * ```
 */
export function bentonGrid(options: BentonGridOptions): Float64Array {
  const fn = "bentonGrid";
  const steps = checkSteps(fn, options?.steps);
  const { tMax, tMin } = checkEnds(fn, options.tMax, options.tMin, undefined, true);
  const sigma0 = checkNumber(options.sigma0 ?? 1, fn, "sigma0", { min: 0, exclusiveMin: true });
  const c = sigma0 * sigma0;
  const psi = (t: number) => {
    const u = Math.log1p(t / c);
    return u >= U_SWITCH ? u : U_SWITCH * (1 + Math.log(u / U_SWITCH));
  };
  const psiInv = (p: number) => {
    const u = p >= U_SWITCH ? p : U_SWITCH * Math.exp(p / U_SWITCH - 1);
    return c * Math.expm1(u);
  };
  return gridFromMap(fn, steps, psi(tMax), psi(tMin), psiInv, tMax, tMin);
}
