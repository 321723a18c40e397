import { checkNumber, MixdiffError } from "@mixdiff/core";

/**
 * The learner's noise levels (VE times), **descending** from `tMax` to `tMin`, uniform in
 * `u(t) = ln t + ln(t + σ0²)`: geometric in σ² = σ0² + t for t ≫ σ0² (steps of ≈ Δu/2 in ln σ²) and
 * geometric in t for t ≪ σ0², with a smooth transition around t ≈ σ0². A grid purely geometric in σ²
 * would leave almost no level between t = 1e-3 and t ≈ 0.2.
 *
 * @param levels - number of levels (≥ 2); the grid has exactly this length, `[0] = tMax`, `[levels-1] = tMin`.
 * @throws MixdiffError `INVALID_OPTION` unless `0 < tMin < tMax` and `levels ≥ 2`.
 * @example
 * ```ts
 * import { learningGrid } from "@mixdiff/score";
 * const ts = learningGrid({ tMax: 400, tMin: 0.05, levels: 30, sigma0: 1 }); // Float64Array, ts[0] = 400, ts[29] = 0.05
 * ```
 */
export function learningGrid(o: { tMax: number; tMin: number; levels: number; sigma0?: number }): Float64Array {
  const fn = "learningGrid";
  const tMax = checkNumber(o.tMax, fn, "tMax", { min: 0, exclusiveMin: true });
  const tMin = checkNumber(o.tMin, fn, "tMin", { min: 0, exclusiveMin: true });
  const levels = checkNumber(o.levels, fn, "levels", { min: 2, integer: true });
  const s2 = checkNumber(o.sigma0 ?? 1, fn, "sigma0", { min: 0, exclusiveMin: true }) ** 2;
  if (!(tMin < tMax)) {
    throw new MixdiffError("INVALID_OPTION", `${fn}: tMin (${tMin}) must be smaller than tMax (${tMax})`, {
      path: "tMin",
    });
  }
  const u = (t: number) => Math.log(t) + Math.log(t + s2);
  const inv = (v: number) => (-s2 + Math.sqrt(s2 * s2 + 4 * Math.exp(v))) / 2;
  const uHi = u(tMax);
  const uLo = u(tMin);
  const out = new Float64Array(levels);
  for (let i = 0; i < levels; i++) out[i] = inv(uHi + ((uLo - uHi) * i) / (levels - 1));
  out[0] = tMax;
  out[levels - 1] = tMin;
  return out;
}
