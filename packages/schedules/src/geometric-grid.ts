import { checkEnds, checkSteps, gridFromMap } from "./grid-options.js";
import type { GridOptions } from "./uniform-grid.js";

/**
 * A geometric grid (uniform in ln t), descending from `tMax` to `tMin > 0`: `steps + 1` entries, ends exact.
 *
 * @param options - `tMax > tMin > 0`, integer `steps ≥ 1`.
 * @returns `Float64Array` of length `steps + 1`, strictly decreasing.
 * @throws MixdiffError `INVALID_OPTION` for bad ends or steps; `RESOURCE_LIMIT` for more than 10⁷ steps.
 *
 * @example
 * ```ts
 * import { geometricGrid } from "@mixdiff/schedules";
 * geometricGrid({ tMax: 100, tMin: 0.01, steps: 4 }); // Float64Array [100, 10, 1, 0.1, 0.01] (up to rounding)
 * ```
 */
export function geometricGrid(options: GridOptions): Float64Array {
  const fn = "geometricGrid";
  const steps = checkSteps(fn, options?.steps);
  const { tMax, tMin } = checkEnds(fn, options.tMax, options.tMin, undefined, true);
  return gridFromMap(fn, steps, Math.log(tMax), Math.log(tMin), Math.exp, tMax, tMin);
}
