import { checkNumber, MixdiffError } from "@mixdiff/core";

/**
 * The largest grid any grid function builds (steps + 1 entries): 10⁷ doubles = 80 MB.
 *
 * @example
 * ```ts
 * import { MixdiffError } from "@mixdiff/core";
 * import { MAX_GRID_STEPS, uniformGrid } from "@mixdiff/schedules";
 * try {
 *   uniformGrid({ tMax: 1, tMin: 0, steps: MAX_GRID_STEPS + 1 });
 * } catch (e) {
 *   // RESOURCE_LIMIT, thrown before anything is allocated
 *   if (!(e instanceof MixdiffError && e.code === "RESOURCE_LIMIT")) throw e;
 * }
 * ```
 */
export const MAX_GRID_STEPS = 10_000_000;

/** Validates `steps` (internal helper). */
export function checkSteps(fn: string, steps: unknown): number {
  const n = checkNumber(steps, fn, "steps", { min: 1, integer: true });
  if (n > MAX_GRID_STEPS) {
    throw new MixdiffError(
      "RESOURCE_LIMIT",
      `${fn}: steps = ${n} exceeds the limit of ${MAX_GRID_STEPS} (a grid of ${(8 * (n + 1)) / 1e6} MB)`,
      { path: "steps" },
    );
  }
  return n;
}

/** Validates `0 ≤ tMin < tMax` (or `0 < tMin` when `positive`) (internal helper). */
export function checkEnds(
  fn: string,
  tMax: unknown,
  tMin: unknown,
  names: { max: string; min: string } = { max: "tMax", min: "tMin" },
  positive = false,
): { tMax: number; tMin: number } {
  const lo = checkNumber(tMin, fn, names.min, { min: 0, exclusiveMin: positive });
  const hi = checkNumber(tMax, fn, names.max, { min: 0, exclusiveMin: true });
  if (!(hi > lo)) {
    throw new MixdiffError(
      "INVALID_OPTION",
      `${fn}: ${names.max} must be > ${names.min}; got ${names.max} = ${hi}, ${names.min} = ${lo}`,
      { path: names.max },
    );
  }
  return { tMax: hi, tMin: lo };
}

/**
 * Builds `grid[i] = inv(a + (b − a)·i/steps)` for i = 0..steps, pins both ends to `first`/`last` exactly and
 * checks strict decrease (internal helper; throws `INVALID_OPTION` if the range is too narrow for `steps`).
 */
export function gridFromMap(
  fn: string,
  steps: number,
  a: number,
  b: number,
  inv: (v: number) => number,
  first: number,
  last: number,
): Float64Array {
  const grid = new Float64Array(steps + 1);
  for (let i = 0; i <= steps; i++) {
    const w = i / steps;
    grid[i] = inv(a * (1 - w) + b * w);
  }
  grid[0] = first;
  grid[steps] = last;
  assertDescending(fn, grid);
  return grid;
}

/** Throws `INVALID_OPTION` unless `grid` is finite and strictly decreasing (internal helper). */
export function assertDescending(fn: string, grid: Float64Array): void {
  for (let i = 0; i < grid.length; i++) {
    const v = grid[i]!;
    if (!Number.isFinite(v) || (i > 0 && !(v < grid[i - 1]!))) {
      throw new MixdiffError(
        "INVALID_OPTION",
        `${fn}: the grid is not strictly decreasing at index ${i} (${grid[i - 1]} → ${v}); the range is too narrow for this many steps`,
        { path: "steps" },
      );
    }
  }
}
