import { checkEnds, checkSteps, gridFromMap } from "./grid-options.js";

/**
 * Options of the `tMax → tMin` grids.
 *
 * @example
 * ```ts
 * import { geometricGrid, type GridOptions } from "@mixdiff/schedules";
 * const o: GridOptions = { tMax: 100, tMin: 0.01, steps: 4 };
 * geometricGrid(o).length; // 5
 * ```
 */
export interface GridOptions {
  /** First (largest) time. */
  tMax: number;
  /** Last (smallest) time. */
  tMin: number;
  /** Number of steps; the grid has `steps + 1` entries. */
  steps: number;
}

/**
 * A grid uniform in time, descending from `tMax` to `tMin`: `steps + 1` entries, both ends exact.
 *
 * @param options - `tMax > tMin ≥ 0`, integer `steps ≥ 1`.
 * @returns `Float64Array` of length `steps + 1`, strictly decreasing.
 * @throws MixdiffError `INVALID_OPTION` for bad ends or steps; `RESOURCE_LIMIT` for more than 10⁷ steps.
 *
 * @example
 * ```ts
 * import { uniformGrid } from "@mixdiff/schedules";
 * uniformGrid({ tMax: 1, tMin: 0, steps: 4 }); // Float64Array [1, 0.75, 0.5, 0.25, 0]
 * ```
 */
export function uniformGrid(options: GridOptions): Float64Array {
  const fn = "uniformGrid";
  const steps = checkSteps(fn, options?.steps);
  const { tMax, tMin } = checkEnds(fn, options.tMax, options.tMin);
  return gridFromMap(fn, steps, tMax, tMin, (v) => v, tMax, tMin);
}
