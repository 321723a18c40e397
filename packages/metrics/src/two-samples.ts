import { MixdiffError, type Points, type PointsLike, toPoints } from "@mixdiff/core";

/**
 * Converts and validates the two inputs of a two-sample metric: both non-empty, finite, with the same
 * number of columns and at least `minRows` rows each. Throws `DIMENSION_MISMATCH`, `INVALID_INPUT` or
 * `NON_FINITE_INPUT` naming `x` or `y` and the row/column.
 *
 * @example
 * ```ts
 * import { twoSamples } from "@mixdiff/metrics";
 * const { x, y } = twoSamples([[0], [1]], [[2], [3]], "mmd2", 2);
 * ```
 */
export function twoSamples(xIn: PointsLike, yIn: PointsLike, fn: string, minRows = 1): { x: Points; y: Points } {
  const x = toPoints(xIn, { name: `${fn}: x` });
  const y = toPoints(yIn, { name: `${fn}: y`, expectedCols: x.cols });
  if (x.rows < minRows || y.rows < minRows) {
    throw new MixdiffError(
      "INVALID_INPUT",
      `${fn}: need at least ${minRows} points in each sample; got x: ${x.rows}, y: ${y.rows}`,
    );
  }
  return { x, y };
}
