import { checkRange, checkSigma, type NoiseSchedule, type ScheduleRange } from "./noise-schedule.js";
import { defineSchedule } from "./schedule-entry.js";

/**
 * The EDM schedule of Karras et al. (2022): `sigma(s) = s`, `scale = 1`, so schedule time is the noise
 * standard deviation and VE time is `s²`. Its probability-flow ODE is `dx/ds = (x − D(x; s))/s`.
 *
 * @param options - `tMin` (σ_min, default 0.002) and `tMax` (σ_max, default 80).
 * @returns a frozen {@link NoiseSchedule} of kind `"edm"`.
 * @throws MixdiffError `INVALID_OPTION` when the range is empty or not positive.
 *
 * @example
 * ```ts
 * import { edmSchedule } from "@mixdiff/schedules";
 * const s = edmSchedule();
 * s.sigma(3);      // 3 (VE time 9)
 * s.diffusion(3);  // √6 = √(2·σ·σ')
 * ```
 */
export function edmSchedule(options: ScheduleRange = {}): NoiseSchedule {
  const { tMin, tMax } = checkRange("edmSchedule", options, { tMin: 0.002, tMax: 80 });
  return Object.freeze({
    kind: "edm" as const,
    tMin,
    tMax,
    scale: () => 1,
    scaleDeriv: () => 0,
    sigma: (s: number) => s,
    sigmaDeriv: () => 1,
    sigmaInv: (sigma: number) => {
      checkSigma("edmSchedule.sigmaInv", sigma);
      return sigma;
    },
    drift: () => 0,
    diffusion: (s: number) => Math.sqrt(2 * s),
    toJSON: () => ({ kind: "edm" as const, tMin, tMax }),
  });
}

/**
 * The registry entry of {@link edmSchedule} (`schedules.edm`): the factory with its note and parameters.
 *
 * @example
 * ```ts
 * import { schedules } from "@mixdiff/schedules";
 * schedules.edm.params.tMax.default; // 80
 * ```
 */
export const edmEntry = defineSchedule(edmSchedule, {
  note: "EDM (Karras et al. 2022): sigma(s) = s, scale 1",
  params: {
    tMin: { default: 0.002, min: 0, exclusiveMin: true, note: "σ_min" },
    tMax: { default: 80, min: 0, exclusiveMin: true, note: "σ_max, > tMin" },
  },
});
