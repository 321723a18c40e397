import { describe, MixdiffError } from "@mixdiff/core";
import type { NoiseSchedule, ScheduleKind } from "./noise-schedule.js";
import { schedules } from "./schedules.js";

const PARAMS: Record<ScheduleKind, readonly string[]> = {
  ve: ["tMin", "tMax"],
  vp: ["tMin", "tMax"],
  vpLinear: ["tMin", "tMax", "betaMin", "betaMax"],
  cosine: ["tMin", "tMax", "offset"],
  edm: ["tMin", "tMax"],
};

/**
 * Rebuilds a schedule from its JSON form (`schedule.toJSON()`, possibly after `JSON.stringify`/`parse`).
 * The result equals the original exactly (same parameters, same numbers from every method).
 *
 * @param json - `{ kind, tMin, tMax, ...params }`.
 * @returns the schedule.
 * @throws MixdiffError `INVALID_SPEC` for a non-object, an unknown `kind`, an unknown or non-numeric field
 *   (the message names the field); `INVALID_OPTION` when a parameter is out of its domain.
 *
 * @example
 * ```ts
 * import { scheduleFromJSON, vpLinearSchedule } from "@mixdiff/schedules";
 * const s = vpLinearSchedule({ betaMax: 12 });
 * const back = scheduleFromJSON(JSON.parse(JSON.stringify(s)));
 * back.sigma(0.5) === s.sigma(0.5); // true
 * ```
 */
export function scheduleFromJSON(json: unknown): NoiseSchedule {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new MixdiffError("INVALID_SPEC", `scheduleFromJSON: expected an object; got ${describe(json)}`);
  }
  const obj = json as Record<string, unknown>;
  const kind = obj.kind;
  if (typeof kind !== "string" || !Object.hasOwn(schedules, kind)) {
    throw new MixdiffError(
      "INVALID_SPEC",
      `scheduleFromJSON: kind must be one of ${Object.keys(schedules)
        .map((k) => JSON.stringify(k))
        .join(", ")}; got ${describe(kind)}`,
      { path: "kind" },
    );
  }
  const allowed = PARAMS[kind as ScheduleKind];
  const params: Record<string, number> = {};
  for (const [key, value] of Object.entries(obj)) {
    if (key === "kind") continue;
    if (!allowed.includes(key)) {
      throw new MixdiffError("INVALID_SPEC", `scheduleFromJSON: unknown field "${key}" for kind "${kind}"`, {
        path: key,
      });
    }
    if (typeof value !== "number") {
      throw new MixdiffError("INVALID_SPEC", `scheduleFromJSON: ${key} must be a number; got ${describe(value)}`, {
        path: key,
      });
    }
    params[key] = value;
  }
  return schedules[kind as ScheduleKind](params);
}
