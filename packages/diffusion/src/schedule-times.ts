import { MixdiffError } from "@mixdiff/core";
import type { NoiseSchedule } from "@mixdiff/schedules";

/**
 * Maps a VE grid to a schedule's own time, `s_i = sigmaInv(√t_i)` (internal helper). For the VE schedule the
 * grid is used as is, so no rounding is introduced. Throws `INVALID_OPTION` naming the grid entry when a VE
 * time is beyond the schedule's range (e.g. T above `sigma(1)²` of a VP-linear schedule).
 */
export function scheduleTimes(schedule: NoiseSchedule, grid: Float64Array): Float64Array {
  if (schedule.kind === "ve") return grid.slice();
  const out = new Float64Array(grid.length);
  for (let i = 0; i < grid.length; i++) {
    const t = grid[i]!;
    let s: number;
    try {
      s = schedule.sigmaInv(Math.sqrt(t));
    } catch (e) {
      throw new MixdiffError(
        "INVALID_OPTION",
        `the VE time ${t} (grid[${i}]) is outside the "${schedule.kind}" schedule's range: ${(e as Error).message}; lower tMax`,
        { path: `grid[${i}]` },
      );
    }
    out[i] = s;
  }
  return out;
}
