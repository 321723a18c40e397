import { checkRange, checkSigma, type NoiseSchedule, type ScheduleRange } from "./noise-schedule.js";
import { defineSchedule } from "./schedule-entry.js";

/**
 * The variance-preserving Ornstein–Uhlenbeck schedule with constant rate: `dx = −x ds + √2 dW`, i.e.
 * `x_s = e^{−s}·X + √(1 − e^{−2s})·z`. In EDM form `scale(s) = e^{−s}`, `sigma(s) = √(e^{2s} − 1)`, so VP
 * time s corresponds to VE time `e^{2s} − 1` and VE time t to VP time `ln(t + 1)/2` (the paper's §2.1).
 *
 * @param options - `tMin` (default 5e-4, VE time ≈ 1e-3) and `tMax` (default 5, VE time ≈ 2.2e4).
 * @returns a frozen {@link NoiseSchedule} of kind `"vp"`.
 * @throws MixdiffError `INVALID_OPTION` when the range is empty or not positive.
 *
 * @example
 * ```ts
 * import { vpSchedule } from "@mixdiff/schedules";
 * const vp = vpSchedule();
 * vp.sigma(1) ** 2;          // e² − 1 ≈ 6.389 (VE time)
 * vp.sigmaInv(Math.sqrt(3)); // ln(4)/2: VP time of VE time 3
 * vp.drift(1);               // −1
 * vp.diffusion(1);           // √2
 * ```
 */
export function vpSchedule(options: ScheduleRange = {}): NoiseSchedule {
  const { tMin, tMax } = checkRange("vpSchedule", options, { tMin: 5e-4, tMax: 5 });
  return Object.freeze({
    kind: "vp" as const,
    tMin,
    tMax,
    scale: (s: number) => Math.exp(-s),
    scaleDeriv: (s: number) => -Math.exp(-s),
    sigma: (s: number) => Math.sqrt(Math.expm1(2 * s)),
    sigmaDeriv: (s: number) => Math.exp(2 * s) / Math.sqrt(Math.expm1(2 * s)),
    sigmaInv: (sigma: number) => {
      checkSigma("vpSchedule.sigmaInv", sigma);
      return 0.5 * Math.log1p(sigma * sigma);
    },
    drift: () => -1,
    diffusion: () => Math.SQRT2,
    toJSON: () => ({ kind: "vp" as const, tMin, tMax }),
  });
}

/**
 * The registry entry of {@link vpSchedule} (`schedules.vp`): the factory with its note and parameters.
 *
 * @example
 * ```ts
 * import { schedules } from "@mixdiff/schedules";
 * schedules.vp.params.tMax.default; // 5
 * ```
 */
export const vpEntry = defineSchedule(vpSchedule, {
  note: "Variance-preserving Ornstein–Uhlenbeck: dx = −x ds + √2 dW (VE time e^{2s} − 1)",
  params: {
    tMin: { default: 5e-4, min: 0, exclusiveMin: true, note: "smallest time" },
    tMax: { default: 5, min: 0, exclusiveMin: true, note: "largest time, > tMin" },
  },
});
