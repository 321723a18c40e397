import { checkNumber, MixdiffError } from "@mixdiff/core";
import { assertDescending, checkEnds, MAX_GRID_STEPS } from "./grid-options.js";

/**
 * Options of {@link theoryGrid}.
 *
 * @example
 * ```ts
 * import { theoryGrid, type TheoryGridOptions } from "@mixdiff/schedules";
 * const o: TheoryGridOptions = { T: 100, tMin: 1e-3, kappa: 0.05, maxSteps: 10_000 };
 * theoryGrid(o).length; // 176
 * ```
 */
export interface TheoryGridOptions {
  /** Start time T (VE). */
  T: number;
  /** Early-stopping time t_min > 0 (VE). */
  tMin: number;
  /** Step parameter κ ∈ (0, 1). */
  kappa: number;
  /** σ0 of the data: the rule is applied to `(t + σ0²)/σ0²` (the paper has σ0 = 1). @default 1 */
  sigma0?: number;
  /** Refuse (RESOURCE_LIMIT) when the grid would have more steps than this. @default 1_000_000 */
  maxSteps?: number;
}

/**
 * The step rule of the paper's Theorem 3.1, built downwards from T with equality as in the proof of
 * Theorem 1.2: `t_k + 1 = (t_{k+1} + 1)·max{e^{−2κ}, (t_{k+1} + 1)^{−κ}}` (with `+1` read as `+σ0²` and times
 * in units of σ0²), until the next point would pass `tMin`, which is then the last entry. In
 * `u = ln(1 + t/σ0²)` the steps are 2κ while u ≥ 2 and geometric (`u ← (1 − κ)u`) below.
 *
 * @param options - `T > tMin > 0`, `kappa ∈ (0, 1)`, `sigma0` (1), `maxSteps` (10⁶).
 * @returns descending `Float64Array` from T to tMin; its length is set by κ (about `(u_T − 2)/(2κ) + ln(2/u_min)/κ`).
 * @throws MixdiffError `INVALID_OPTION` for bad values; `RESOURCE_LIMIT` (before allocating) when the grid
 *   would exceed `maxSteps`.
 *
 * @example
 * ```ts
 * import { theoryGrid } from "@mixdiff/schedules";
 * const g = theoryGrid({ T: 100, tMin: 1e-3, kappa: 0.05 });
 * g[0];             // 100
 * g[g.length - 1];  // 0.001
 * ```
 */
export function theoryGrid(options: TheoryGridOptions): Float64Array {
  const fn = "theoryGrid";
  const { tMax: T, tMin } = checkEnds(fn, options?.T, options?.tMin, { max: "T", min: "tMin" }, true);
  const kappa = checkNumber(options.kappa, fn, "kappa", { min: 0, exclusiveMin: true, max: 1 });
  if (kappa >= 1) {
    throw new MixdiffError("INVALID_OPTION", `${fn}: kappa must be < 1; got ${kappa}`, { path: "kappa" });
  }
  const sigma0 = checkNumber(options.sigma0 ?? 1, fn, "sigma0", { min: 0, exclusiveMin: true });
  const maxSteps = checkNumber(options.maxSteps ?? 1_000_000, fn, "maxSteps", {
    min: 1,
    max: MAX_GRID_STEPS,
    integer: true,
  });
  const c = sigma0 * sigma0;
  const uMax = Math.log1p(T / c);
  const uMin = Math.log1p(tMin / c);
  // Step count, in u: uniform steps 2κ above u = 2, then u ← (1 − κ)·u.
  const uSwitch = Math.max(uMin, Math.min(2, uMax));
  const estimate =
    Math.ceil(Math.max(0, uMax - 2) / (2 * kappa)) + Math.ceil(Math.log(uSwitch / uMin) / -Math.log1p(-kappa)) + 1;
  if (estimate > maxSteps) {
    throw new MixdiffError(
      "RESOURCE_LIMIT",
      `${fn}: kappa = ${kappa} from T = ${T} to tMin = ${tMin} needs about ${estimate} steps, more than maxSteps = ${maxSteps}`,
      { path: "kappa" },
      { estimate, maxSteps },
    );
  }
  const out = new Float64Array(estimate + 4);
  let len = 0;
  out[len++] = T;
  // Work in u = ln(1 + t/σ0²) (exact for small t): t_k + σ0² = (t_{k+1} + σ0²)·max{e^{−2κ}, ((t_{k+1} + σ0²)/σ0²)^{−κ}}
  // is u_k = u_{k+1} − min(2κ, κ·u_{k+1}).
  let u = uMax;
  for (;;) {
    u -= Math.min(2 * kappa, kappa * u);
    const next = c * Math.expm1(u);
    if (!(next > tMin) || len === out.length - 1) {
      out[len++] = tMin;
      break;
    }
    out[len++] = next;
  }
  const grid = out.slice(0, len);
  assertDescending(fn, grid);
  return grid;
}
