import { describe, MixdiffError } from "@mixdiff/core";
import type { NoiseSchedule } from "./noise-schedule.js";
import type { ScheduleEntry } from "./schedule-entry.js";
import { schedules } from "./schedules.js";

/**
 * Rebuilds a schedule from its JSON form (`schedule.toJSON()`, possibly after `JSON.stringify`/`parse`).
 * The result equals the original exactly (same parameters, same numbers from every method). The accepted
 * fields of each kind are its entry's `params`.
 *
 * @param json - `{ kind, tMin, tMax, ...params }`.
 * @param registry - the kinds to accept: {@link schedules} by default; pass `{ ...schedules, mine }` to rebuild
 *   a schedule of your own (an entry made with {@link defineSchedule}).
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
export function scheduleFromJSON(
  json: unknown,
  // biome-ignore lint/suspicious/noExplicitAny: entries of any options type
  registry: Readonly<Record<string, ScheduleEntry<any>>> = schedules,
): NoiseSchedule {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new MixdiffError("INVALID_SPEC", `scheduleFromJSON: expected an object; got ${describe(json)}`);
  }
  const obj = json as Record<string, unknown>;
  const kind = obj.kind;
  const entry = typeof kind === "string" && Object.hasOwn(registry, kind) ? registry[kind] : undefined;
  if (entry === undefined) {
    throw new MixdiffError(
      "INVALID_SPEC",
      `scheduleFromJSON: kind must be one of ${Object.keys(registry)
        .map((k) => JSON.stringify(k))
        .join(", ")}; got ${describe(kind)}`,
      { path: "kind" },
    );
  }
  const params: Record<string, number> = {};
  for (const [key, value] of Object.entries(obj)) {
    if (key === "kind") continue;
    if (!Object.hasOwn(entry.params, key)) {
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
  return entry(params);
}
