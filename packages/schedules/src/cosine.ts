import { checkNumber, MixdiffError } from "@mixdiff/core";
import { checkRange, checkSigma, type NoiseSchedule, type ScheduleRange } from "./noise-schedule.js";
import { defineSchedule } from "./schedule-entry.js";

/**
 * Options of {@link cosineSchedule}.
 *
 * @example
 * ```ts
 * import { cosineSchedule, type CosineOptions } from "@mixdiff/schedules";
 * const o: CosineOptions = { offset: 0.008, tMax: 0.99 };
 * cosineSchedule(o).tMax; // 0.99
 * ```
 */
export interface CosineOptions extends ScheduleRange {
  /** The offset ε of Nichol & Dhariwal (2021) that keeps β finite near s = 0. @default 0.008 */
  offset?: number;
}

/**
 * The cosine schedule of Nichol & Dhariwal (2021), continuous in `s ∈ [0, 1)`:
 * `ᾱ(s) = cos²(θ(s)) / cos²(θ(0))` with `θ(s) = (s + ε)/(1 + ε)·π/2`; `scale = √ᾱ`,
 * `sigma = √(1/ᾱ − 1)` (VE time `1/ᾱ − 1`, which is infinite at s = 1, so `tMax < 1`).
 *
 * @param options - `offset` ε (0.008), `tMin` (1e-3) and `tMax` (0.995, must be < 1).
 * @returns a frozen {@link NoiseSchedule} of kind `"cosine"`.
 * @throws MixdiffError `INVALID_OPTION` for ε ≤ 0 or a range outside (0, 1).
 *
 * @example
 * ```ts
 * import { cosineSchedule } from "@mixdiff/schedules";
 * const s = cosineSchedule();
 * s.scale(0);                 // 1
 * s.sigmaInv(s.sigma(0.5));   // 0.5
 * s.sigma(0.995);             // ≈ 128
 * ```
 */
export function cosineSchedule(options: CosineOptions = {}): NoiseSchedule {
  const fn = "cosineSchedule";
  const offset = checkNumber(options.offset ?? 0.008, fn, "offset", { min: 0, exclusiveMin: true, max: 1 });
  const { tMin, tMax } = checkRange(fn, options, { tMin: 1e-3, tMax: 0.995 }, { max: 1 });
  if (!(tMax < 1)) {
    throw new MixdiffError("INVALID_OPTION", `${fn}: tMax must be < 1 (sigma is infinite at 1); got ${tMax}`, {
      path: "tMax",
    });
  }
  const dTheta = Math.PI / (2 * (1 + offset)); // θ'(s)
  const theta = (s: number) => (s + offset) * dTheta;
  const theta0 = theta(0);
  const cos0 = Math.cos(theta0);
  // σ² = (cos²θ0 − cos²θ)/cos²θ = sin(θ − θ0)·sin(θ + θ0)/cos²θ, without cancellation near s = 0.
  const sigma2 = (s: number) => {
    const th = theta(s);
    const c = Math.cos(th);
    return (Math.sin(th - theta0) * Math.sin(th + theta0)) / (c * c);
  };
  return Object.freeze({
    kind: "cosine" as const,
    tMin,
    tMax,
    offset,
    scale: (s: number) => Math.cos(theta(s)) / cos0,
    scaleDeriv: (s: number) => (-Math.sin(theta(s)) * dTheta) / cos0,
    sigma: (s: number) => Math.sqrt(sigma2(s)),
    sigmaDeriv: (s: number) => {
      const th = theta(s);
      const c = Math.cos(th);
      // d(σ²)/ds = 2 cos²θ0 · tanθ · θ' / cos²θ
      return (cos0 * cos0 * Math.tan(th) * dTheta) / (c * c * Math.sqrt(sigma2(s)));
    },
    sigmaInv: (sigma: number) => {
      checkSigma("cosineSchedule.sigmaInv", sigma);
      // cos θ = cos θ0 / √(1 + σ²); written with atan2 for accuracy at both ends:
      // tan θ = √(1 + σ² − cos²θ0) / cos θ0.
      const th = Math.atan2(Math.sqrt(sigma * sigma + 1 - cos0 * cos0), cos0);
      return th / dTheta - offset;
    },
    drift: (s: number) => -Math.tan(theta(s)) * dTheta,
    diffusion: (s: number) => Math.sqrt(2 * Math.tan(theta(s)) * dTheta),
    toJSON: () => ({ kind: "cosine" as const, tMin, tMax, offset }),
  });
}

/**
 * The registry entry of {@link cosineSchedule} (`schedules.cosine`): the factory with its note and parameters.
 *
 * @example
 * ```ts
 * import { schedules } from "@mixdiff/schedules";
 * schedules.cosine.params.offset.default; // 0.008
 * ```
 */
export const cosineEntry = defineSchedule(cosineSchedule, {
  note: "Cosine schedule of Nichol & Dhariwal (2021) on [0, 1)",
  params: {
    tMin: { default: 1e-3, min: 0, exclusiveMin: true, note: "smallest time" },
    tMax: {
      default: 0.995,
      min: 0,
      exclusiveMin: true,
      max: 1,
      exclusiveMax: true,
      note: "largest time, > tMin (sigma is infinite at 1)",
    },
    offset: { default: 0.008, min: 0, exclusiveMin: true, max: 1, note: "the offset ε that keeps β finite near s = 0" },
  },
});
