import { checkNumber, MixdiffError } from "@mixdiff/core";
import { checkRange, checkSigma, type NoiseSchedule, type ScheduleRange } from "./noise-schedule.js";
import { defineSchedule } from "./schedule-entry.js";

/**
 * Options of {@link vpLinearSchedule}.
 *
 * @example
 * ```ts
 * import { vpLinearSchedule, type VpLinearOptions } from "@mixdiff/schedules";
 * const o: VpLinearOptions = { betaMin: 0.1, betaMax: 12 };
 * vpLinearSchedule(o).diffusion(1) ** 2; // 12
 * ```
 */
export interface VpLinearOptions extends ScheduleRange {
  /** β at s = 0. @default 0.1 */
  betaMin?: number;
  /** β at s = 1. @default 20 */
  betaMax?: number;
}

/**
 * The DDPM / score-SDE "VP" schedule with linear `β(s) = βmin + s·(βmax − βmin)` on `s ∈ [0, 1]`:
 * `dx = −½β(s)·x ds + √β(s) dW`. With `B(s) = ∫₀ˢ β = βmin·s + ½(βmax − βmin)·s²`,
 * `scale(s) = e^{−B(s)/2}` and `sigma(s) = √(e^{B(s)} − 1)` (VE time `e^{B(s)} − 1`).
 *
 * @param options - `betaMin` (0.1), `betaMax` (20), `tMin` (1e-3) and `tMax` (1, at most 1).
 * @returns a frozen {@link NoiseSchedule} of kind `"vpLinear"`.
 * @throws MixdiffError `INVALID_OPTION` for β outside `0 < βmin ≤ βmax` or a range outside (0, 1].
 *
 * @example
 * ```ts
 * import { vpLinearSchedule } from "@mixdiff/schedules";
 * const s = vpLinearSchedule();           // Song et al. (2021) defaults β ∈ [0.1, 20]
 * s.sigma(1) ** 2;                        // e^{10.05} − 1 ≈ 23 200 (VE time at s = 1)
 * s.sigmaInv(s.sigma(0.3));               // 0.3
 * s.diffusion(0.5) ** 2;                  // β(0.5) = 10.05
 * ```
 */
export function vpLinearSchedule(options: VpLinearOptions = {}): NoiseSchedule {
  const fn = "vpLinearSchedule";
  const betaMin = checkNumber(options.betaMin ?? 0.1, fn, "betaMin", { min: 0, exclusiveMin: true });
  const betaMax = checkNumber(options.betaMax ?? 20, fn, "betaMax", { min: betaMin });
  const { tMin, tMax } = checkRange(fn, options, { tMin: 1e-3, tMax: 1 }, { max: 1 });
  const db = betaMax - betaMin;
  const beta = (s: number) => betaMin + s * db;
  const bigB = (s: number) => betaMin * s + 0.5 * db * s * s;
  const sigmaMax = Math.sqrt(Math.expm1(bigB(1)));
  return Object.freeze({
    kind: "vpLinear" as const,
    tMin,
    tMax,
    betaMin,
    betaMax,
    scale: (s: number) => Math.exp(-0.5 * bigB(s)),
    scaleDeriv: (s: number) => -0.5 * beta(s) * Math.exp(-0.5 * bigB(s)),
    sigma: (s: number) => Math.sqrt(Math.expm1(bigB(s))),
    // d/ds √(e^B − 1) = β e^B / (2 √(e^B − 1))
    sigmaDeriv: (s: number) => (0.5 * beta(s) * Math.exp(bigB(s))) / Math.sqrt(Math.expm1(bigB(s))),
    sigmaInv: (sigma: number) => {
      checkSigma("vpLinearSchedule.sigmaInv", sigma);
      if (sigma > sigmaMax * (1 + 1e-12)) {
        throw new MixdiffError(
          "INVALID_OPTION",
          `vpLinearSchedule.sigmaInv: sigma must be ≤ sigma(1) = ${sigmaMax}; got ${sigma}`,
          { path: "sigma" },
        );
      }
      // Solve ½·db·s² + βmin·s − L = 0 with L = ln(1 + σ²), in the cancellation-free form.
      const L = Math.log1p(sigma * sigma);
      return Math.min(1, (2 * L) / (betaMin + Math.sqrt(betaMin * betaMin + 2 * db * L)));
    },
    drift: (s: number) => -0.5 * beta(s),
    diffusion: (s: number) => Math.sqrt(beta(s)),
    toJSON: () => ({ kind: "vpLinear" as const, tMin, tMax, betaMin, betaMax }),
  });
}

/**
 * The registry entry of {@link vpLinearSchedule} (`schedules.vpLinear`): the factory with its note and parameters.
 *
 * @example
 * ```ts
 * import { schedules } from "@mixdiff/schedules";
 * schedules.vpLinear.params.betaMin.default; // 0.1
 * ```
 */
export const vpLinearEntry = defineSchedule(vpLinearSchedule, {
  note: "DDPM / score-SDE VP schedule with linear β(s) on [0, 1]",
  params: {
    tMin: { default: 1e-3, min: 0, exclusiveMin: true, note: "smallest time" },
    tMax: { default: 1, min: 0, exclusiveMin: true, max: 1, note: "largest time, > tMin" },
    betaMin: { default: 0.1, min: 0, exclusiveMin: true, note: "β at s = 0" },
    betaMax: { default: 20, min: 0, exclusiveMin: true, note: "β at s = 1, ≥ betaMin" },
  },
});
