import { cosineSchedule } from "./cosine.js";
import { edmSchedule } from "./edm.js";
import type { NoiseSchedule, ScheduleKind } from "./noise-schedule.js";
import { veSchedule } from "./ve.js";
import { vpSchedule } from "./vp.js";
import { vpLinearSchedule } from "./vp-linear.js";

/**
 * A schedule factory: takes its (all optional, numeric) parameters and returns a frozen schedule.
 *
 * @example
 * ```ts
 * import { schedules, type ScheduleFactory } from "@mixdiff/schedules";
 * const make: ScheduleFactory = schedules.cosine;
 * make({ offset: 0.01 }).kind; // "cosine"
 * ```
 */
export type ScheduleFactory = (options?: Record<string, number>) => NoiseSchedule;

/**
 * Every schedule family, keyed by its JSON `kind`. A new schedule is one file plus one line here;
 * {@link scheduleFromJSON}, the CLI and the docs enumerate this map.
 *
 * @example
 * ```ts
 * import { schedules } from "@mixdiff/schedules";
 * Object.keys(schedules);                  // ["ve", "vp", "vpLinear", "cosine", "edm"]
 * schedules.vpLinear({ betaMax: 10 }).kind; // "vpLinear"
 * ```
 */
export const schedules = {
  ve: veSchedule,
  vp: vpSchedule,
  vpLinear: vpLinearSchedule,
  cosine: cosineSchedule,
  edm: edmSchedule,
} as const satisfies Record<ScheduleKind, ScheduleFactory>;
