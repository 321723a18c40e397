import { checkNumber, MixdiffError } from "@mixdiff/core";
import type { schedules } from "./schedules.js";

/**
 * The registered schedule families, as stored in the `kind` field of their JSON form: the keys of
 * {@link schedules} (derived, so registering a schedule there is enough).
 *
 * @example
 * ```ts
 * import { schedules, type ScheduleKind } from "@mixdiff/schedules";
 * const kinds = Object.keys(schedules) as ScheduleKind[]; // ["ve", "vp", "vpLinear", "cosine", "edm"]
 * ```
 */
export type ScheduleKind = keyof typeof schedules;

/**
 * The JSON form of a schedule: its `kind` and its parameters (plain numbers), see {@link scheduleFromJSON}.
 *
 * @example
 * ```ts
 * import { vpLinearSchedule, type ScheduleJSON } from "@mixdiff/schedules";
 * const json: ScheduleJSON = vpLinearSchedule().toJSON(); // { kind: "vpLinear", tMin: 0.001, tMax: 1, betaMin: 0.1, betaMax: 20 }
 * ```
 */
export interface ScheduleJSON {
  /** A {@link ScheduleKind} for the built-in schedules; a schedule of your own uses its own name. */
  readonly kind: string;
  readonly tMin: number;
  readonly tMax: number;
  readonly [param: string]: number | string;
}

/**
 * A noise schedule in the EDM form `x_s = scale(s)·(X + sigma(s)·z)`, `z ~ N(0, I)`, for continuous
 * schedule time `s ∈ [tMin, tMax]`. Every schedule maps to the paper's variance-exploding (VE) time
 * `t = sigma(s)²` and VE state `y = x / scale(s)`, so one score model (in VE time) serves all of them.
 *
 * The forward SDE is `dx = drift(s)·x ds + diffusion(s) dW` with `drift = scale'/scale` and
 * `diffusion = scale·√(2·sigma·sigma')`; see {@link forwardDrift}, {@link reverseDrift} and
 * {@link probabilityFlowDrift} for the reverse SDE and the probability-flow ODE.
 *
 * @example
 * ```ts
 * import { vpSchedule, type NoiseSchedule } from "@mixdiff/schedules";
 * const s: NoiseSchedule = vpSchedule();
 * s.sigma(1) ** 2;       // e² − 1: VE time of VP time 1
 * s.scale(1);            // e^{-1}
 * s.sigmaInv(s.sigma(1)); // 1
 * ```
 */
export interface NoiseSchedule {
  /**
   * The family, as in the JSON form: a {@link ScheduleKind} for the built-in schedules; a schedule of your
   * own (any object implementing this interface, see {@link checkSchedule}) may use any other name.
   */
  readonly kind: string;
  /** Smallest schedule time the schedule is meant for (grids end here by default). */
  readonly tMin: number;
  /** Largest schedule time (grids start here by default). */
  readonly tMax: number;
  /** scale(s) > 0: the factor multiplying the VE state. 1 for VE and EDM. */
  scale(s: number): number;
  /** d scale / ds. */
  scaleDeriv(s: number): number;
  /** sigma(s) ≥ 0: the noise standard deviation in VE units, so VE time is `sigma(s)²`. */
  sigma(s: number): number;
  /** d sigma / ds. */
  sigmaDeriv(s: number): number;
  /** The schedule time s with `sigma(s) = sigma` (the inverse of {@link NoiseSchedule.sigma}). */
  sigmaInv(sigma: number): number;
  /** f(s) = scale'(s)/scale(s), the drift coefficient of the forward SDE `dx = f·x ds + g dW`. */
  drift(s: number): number;
  /** g(s) = scale(s)·√(2·sigma(s)·sigma'(s)), the diffusion coefficient of the forward SDE. */
  diffusion(s: number): number;
  /** The plain JSON form (kind and parameters); `scheduleFromJSON(s.toJSON())` rebuilds it exactly. */
  toJSON(): ScheduleJSON;
}

/**
 * Options every schedule factory takes: the time range.
 *
 * @example
 * ```ts
 * import { veSchedule, type ScheduleRange } from "@mixdiff/schedules";
 * const range: ScheduleRange = { tMin: 1e-4, tMax: 1000 };
 * veSchedule(range).tMax; // 1000
 * ```
 */
export interface ScheduleRange {
  /** Smallest schedule time. */
  tMin?: number;
  /** Largest schedule time. */
  tMax?: number;
}

/** Validates a schedule's `[tMin, tMax]` against its domain `(lo, hi]` (internal helper). */
export function checkRange(
  fn: string,
  opts: ScheduleRange,
  defaults: { tMin: number; tMax: number },
  domain: { max?: number; minInclusive?: boolean } = {},
): { tMin: number; tMax: number } {
  const tMin = checkNumber(opts.tMin ?? defaults.tMin, fn, "tMin", { min: 0, exclusiveMin: !domain.minInclusive });
  const tMax = checkNumber(opts.tMax ?? defaults.tMax, fn, "tMax", { min: 0, exclusiveMin: true, max: domain.max });
  if (!(tMax > tMin)) {
    throw new MixdiffError("INVALID_OPTION", `${fn}: tMax must be > tMin; got tMin = ${tMin}, tMax = ${tMax}`, {
      path: "tMax",
    });
  }
  return { tMin, tMax };
}

/** Throws `INVALID_OPTION` for a negative or non-finite sigma (internal helper for `sigmaInv`). */
export function checkSigma(fn: string, sigma: number): void {
  if (!(sigma >= 0) || !Number.isFinite(sigma)) {
    throw new MixdiffError("INVALID_OPTION", `${fn}: sigma must be a finite number ≥ 0; got ${sigma}`, {
      path: "sigma",
    });
  }
}
