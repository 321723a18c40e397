import { checkNumber, type PointsLike, type Rng } from "@mixdiff/core";
import { kernelTwoSample } from "./kernel-two-sample.js";
import { subsampleRows } from "./subsample-rows.js";
import { twoSamples } from "./two-samples.js";
import type { Estimate } from "./types.js";

/** Options of {@link energyDistance}. */
export interface EnergyDistanceOptions {
  /** Draws the subsamples. */
  rng: Rng;
  /** Each sample is subsampled to at most this many points (default 5000) to bound the O(n²) work. */
  maxSamples?: number;
  /** U-statistic (default: unbiased, can be slightly negative) or V-statistic (biased upward, ≥ 0). */
  unbiased?: boolean;
}

/**
 * Energy distance (Székely–Rizzo) between samples `x` `[n, d]` and `y` `[m, d]`:
 * `E = 2 E‖X−Y‖ − E‖X−X'‖ − E‖Y−Y'‖` (the squared form; it is ≥ 0 and zero iff the distributions are equal).
 * `scipy.stats.energy_distance` (1-D) returns `√E` of the V-statistic (`unbiased: false`).
 * It is the MMD² of the distance kernel `−‖a−b‖`, so the standard error comes from {@link kernelTwoSample};
 * `ci` is `value ± 1.96·standardError`. Samples larger than `maxSamples` are randomly subsampled
 * (`subsampled: true`). Symmetric in `x` and `y`.
 *
 * @example
 * ```ts
 * import { createRng } from "@mixdiff/core";
 * import { energyDistance } from "@mixdiff/metrics";
 * const e = energyDistance([[0], [1]], [[3], [4]], { rng: createRng(0) }); // 2·3 − 1 − 1 = 4
 * ```
 */
export function energyDistance(xIn: PointsLike, yIn: PointsLike, o: EnergyDistanceOptions): Estimate {
  const fn = "energyDistance";
  const { x: x0, y: y0 } = twoSamples(xIn, yIn, fn, 2);
  const maxSamples = checkNumber(o.maxSamples ?? 5000, fn, "maxSamples", { min: 2, integer: true });
  const unbiased = o.unbiased ?? true;
  const sx = subsampleRows(x0, maxSamples, o.rng.stream("x"));
  const sy = subsampleRows(y0, maxSamples, o.rng.stream("y"));
  const r = kernelTwoSample(sx.points, sy.points, { kind: "distance" }, unbiased);
  return {
    value: r.value,
    standardError: r.standardError,
    ci: [r.value - 1.96 * r.standardError, r.value + 1.96 * r.standardError],
    n: sx.points.rows,
    m: sy.points.rows,
    subsampled: sx.subsampled || sy.subsampled,
    details: {
      estimator: unbiased ? "unbiased U-statistic" : "biased V-statistic",
      meanDistanceXY: -r.kxy,
      meanDistanceXX: -r.kxx,
      meanDistanceYY: -r.kyy,
      originalN: x0.rows,
      originalM: y0.rows,
    },
  };
}
