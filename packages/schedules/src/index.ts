/**
 * @packageDocumentation
 * Noise schedules (VE, VP, cosine, EDM) and time grids for diffusion models.
 */

export type { BentonGridOptions } from "./benton-grid.js";
export { bentonGrid } from "./benton-grid.js";
export { checkSchedule, isNoiseSchedule } from "./check-schedule.js";
export type { CosineOptions } from "./cosine.js";
export { cosineSchedule } from "./cosine.js";
export { edmSchedule } from "./edm.js";
export { geometricGrid } from "./geometric-grid.js";
export { MAX_GRID_STEPS } from "./grid-options.js";
export type { KarrasGridOptions } from "./karras-grid.js";
export { karrasGrid } from "./karras-grid.js";
export type { NoiseSchedule, ScheduleJSON, ScheduleKind, ScheduleRange } from "./noise-schedule.js";
export type { ScheduleEntry, ScheduleParam } from "./schedule-entry.js";
export { defineSchedule } from "./schedule-entry.js";
export { scheduleFromJSON } from "./schedule-from-json.js";
export type { ScheduleFactory } from "./schedules.js";
export { schedules } from "./schedules.js";
export { forwardDrift, probabilityFlowDrift, reverseDrift } from "./sde.js";
export type { TheoryGridOptions } from "./theory-grid.js";
export { theoryGrid } from "./theory-grid.js";
export type { GridOptions } from "./uniform-grid.js";
export { uniformGrid } from "./uniform-grid.js";
export { veSchedule } from "./ve.js";
export { vpSchedule } from "./vp.js";
export type { VpLinearOptions } from "./vp-linear.js";
export { vpLinearSchedule } from "./vp-linear.js";
