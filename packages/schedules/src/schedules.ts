import { cosineEntry } from "./cosine.js";
import { edmEntry } from "./edm.js";
import type { NoiseSchedule } from "./noise-schedule.js";
import type { ScheduleEntry } from "./schedule-entry.js";
import { veEntry } from "./ve.js";
import { vpEntry } from "./vp.js";
import { vpLinearEntry } from "./vp-linear.js";

/**
 * A schedule factory: takes its (all optional, numeric) parameters and returns a frozen schedule. Every
 * {@link ScheduleEntry} of {@link schedules} is one.
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
 * Every schedule family, keyed by its JSON `kind`. A new schedule is one file (the factory and its
 * {@link defineSchedule} entry) plus one line here; {@link ScheduleKind}, {@link scheduleFromJSON}, the
 * schedule tests, the CLI and the docs all enumerate this map. Each entry is callable
 * (`schedules.vpLinear({ betaMax: 10 })`) and carries `note` and `params` (defaults and domains).
 *
 * @example
 * ```ts
 * import { schedules } from "@mixdiff/schedules";
 * Object.keys(schedules);                  // ["ve", "vp", "vpLinear", "cosine", "edm"]
 * schedules.vpLinear({ betaMax: 10 }).kind; // "vpLinear"
 * schedules.cosine.params.offset?.default; // 0.008
 * ```
 */
export const schedules = {
  ve: veEntry,
  vp: vpEntry,
  vpLinear: vpLinearEntry,
  cosine: cosineEntry,
  edm: edmEntry,
  // biome-ignore lint/suspicious/noExplicitAny: each entry keeps its own options type
} as const satisfies Record<string, ScheduleEntry<any>>;
