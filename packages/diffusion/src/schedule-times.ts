import type { NoiseSchedule } from "@mixdiff/schedules";

/**
 * Maps a VE grid to a schedule's own time, `s_i = sigmaInv(√t_i)` (internal helper). For the VE schedule the
 * grid is used as is, so no rounding is introduced.
 */
export function scheduleTimes(schedule: NoiseSchedule, grid: Float64Array): Float64Array {
  if (schedule.kind === "ve") return grid.slice();
  return grid.map((t) => schedule.sigmaInv(Math.sqrt(t)));
}
