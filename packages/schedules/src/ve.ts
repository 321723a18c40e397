import { checkRange, checkSigma, type NoiseSchedule, type ScheduleRange } from "./noise-schedule.js";
import { defineSchedule } from "./schedule-entry.js";

/**
 * The paper's variance-exploding schedule: `x_s = X + √s·z` (Brownian motion, `dx = dW`), so schedule
 * time *is* VE time (the added noise variance): `sigma(s) = √s`, `scale = 1`, drift 0, diffusion 1.
 * With data `X = μ + σ0·ξ` the total variance at time s is `σ0² + s`.
 *
 * @param options - `tMin` (default 1e-3) and `tMax` (default 100), in VE time.
 * @returns a frozen {@link NoiseSchedule} of kind `"ve"`.
 * @throws MixdiffError `INVALID_OPTION` when the range is empty or not positive.
 *
 * @example
 * ```ts
 * import { veSchedule } from "@mixdiff/schedules";
 * const ve = veSchedule({ tMax: 400 });
 * ve.sigma(4);        // 2
 * ve.sigmaInv(2);     // 4
 * ve.diffusion(4);    // 1
 * ```
 */
export function veSchedule(options: ScheduleRange = {}): NoiseSchedule {
  const { tMin, tMax } = checkRange("veSchedule", options, { tMin: 1e-3, tMax: 100 });
  return Object.freeze({
    kind: "ve" as const,
    tMin,
    tMax,
    scale: () => 1,
    scaleDeriv: () => 0,
    sigma: (s: number) => Math.sqrt(s),
    sigmaDeriv: (s: number) => 0.5 / Math.sqrt(s),
    sigmaInv: (sigma: number) => {
      checkSigma("veSchedule.sigmaInv", sigma);
      return sigma * sigma;
    },
    drift: () => 0,
    diffusion: () => 1,
    toJSON: () => ({ kind: "ve" as const, tMin, tMax }),
  });
}

/**
 * The registry entry of {@link veSchedule} (`schedules.ve`): the factory with its note and parameters.
 *
 * @example
 * ```ts
 * import { schedules } from "@mixdiff/schedules";
 * schedules.ve.params.tMax.default; // 100
 * ```
 */
export const veEntry = defineSchedule(veSchedule, {
  note: "The paper's variance-exploding schedule: x_s = X + √s·z, schedule time = VE time",
  params: {
    tMin: { default: 1e-3, min: 0, exclusiveMin: true, note: "smallest time (VE time)" },
    tMax: { default: 100, min: 0, exclusiveMin: true, note: "largest time (VE time), > tMin" },
  },
});
