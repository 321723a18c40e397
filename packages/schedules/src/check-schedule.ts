import { describe, MixdiffError } from "@mixdiff/core";
import type { NoiseSchedule } from "./noise-schedule.js";

/** The methods every {@link NoiseSchedule} has. */
const METHODS = [
  "scale",
  "scaleDeriv",
  "sigma",
  "sigmaDeriv",
  "sigmaInv",
  "drift",
  "diffusion",
  "toJSON",
] as const satisfies readonly (keyof NoiseSchedule)[];

/** The first thing wrong with `value` as a NoiseSchedule (field and problem), or undefined. */
function problem(value: unknown): [field: string, message: string] | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return ["", `must be a NoiseSchedule object (e.g. vpSchedule()); got ${describe(value)}`];
  }
  const s = value as Record<string, unknown>;
  if (typeof s.kind !== "string" || s.kind === "")
    return ["kind", `must be a non-empty string; got ${describe(s.kind)}`];
  for (const m of METHODS) {
    if (typeof s[m] !== "function") return [m, `must be a function; got ${describe(s[m])}`];
  }
  const { tMin, tMax } = s;
  if (typeof tMin !== "number" || !(tMin >= 0) || !Number.isFinite(tMin)) {
    return ["tMin", `must be a finite number ≥ 0; got ${describe(tMin)}`];
  }
  if (typeof tMax !== "number" || !Number.isFinite(tMax) || !(tMax > tMin)) {
    return ["tMax", `must be a finite number > tMin = ${tMin}; got ${describe(tMax)}`];
  }
  return undefined;
}

/**
 * Whether `value` has the shape of a {@link NoiseSchedule}: an object with a string `kind`, finite
 * `0 ≤ tMin < tMax` and every method. It accepts a schedule of your own as well as the built-in ones; it
 * does not evaluate the methods.
 *
 * @example
 * ```ts
 * import { isNoiseSchedule, vpSchedule } from "@mixdiff/schedules";
 * isNoiseSchedule(vpSchedule());        // true
 * isNoiseSchedule({ kind: "vp" });      // false
 * ```
 */
export function isNoiseSchedule(value: unknown): value is NoiseSchedule {
  return problem(value) === undefined;
}

/**
 * Returns `value` as a {@link NoiseSchedule}, or throws `INVALID_OPTION` naming the first missing or bad
 * field (`<fn>: <path>.sigmaInv must be a function; …`, `location.path` = `<path>.sigmaInv`). For the
 * public boundary of any API taking a `schedule` option: any object implementing the interface passes.
 *
 * @param value - the candidate schedule.
 * @param fn - the calling function's name, for the message.
 * @param path - the option's name. @default "schedule"
 * @returns `value`, typed.
 * @throws MixdiffError `INVALID_OPTION` when `value` is not a NoiseSchedule.
 *
 * @example
 * ```ts
 * import { checkSchedule, edmSchedule } from "@mixdiff/schedules";
 * const s = checkSchedule(edmSchedule(), "mySampler"); // the schedule
 * // checkSchedule({ kind: "edm" }, "mySampler") throws "mySampler: schedule.scale must be a function; got undefined"
 * ```
 */
export function checkSchedule(value: unknown, fn: string, path = "schedule"): NoiseSchedule {
  const p = problem(value);
  if (p) {
    const at = p[0] === "" ? path : `${path}.${p[0]}`;
    throw new MixdiffError("INVALID_OPTION", `${fn}: ${at} ${p[1]}`, { path: at });
  }
  return value as NoiseSchedule;
}
