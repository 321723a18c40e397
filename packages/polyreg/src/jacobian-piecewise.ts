import { type Points, toPoints } from "@mixdiff/core";
import { jacobianRows } from "./jacobian-polynomial.js";
import type { PiecewiseModel } from "./piecewise-accumulator.js";
import { groupByCell } from "./predict-piecewise.js";

/**
 * Jacobians of a {@link PiecewiseModel} at each row of `x` → `[rows, outputs, dim]` (each row by its cell's
 * polynomial; the piecewise function is not differentiable across cell boundaries).
 *
 * @example
 * ```ts
 * import { fitPiecewise, jacobianPiecewise } from "@mixdiff/polyreg";
 * import { toPoints } from "@mixdiff/core";
 * const m = fitPiecewise([[0], [1], [2], [3]], [[0], [1], [2], [3]], { centers: [[1.5]], scale: 1, degree: 1, minRowsPerFeature: 1 });
 * jacobianPiecewise(m, toPoints([[1]]))[0]; // ≈ 1
 * ```
 */
export function jacobianPiecewise(m: PiecewiseModel, x: Points): Float64Array {
  const xs = toPoints(x, { name: "jacobianPiecewise: x", expectedCols: m.dim, allowEmpty: true });
  const { order, starts, gathered } = groupByCell(m, xs);
  const block = m.outputs * m.dim;
  const tmp = new Float64Array(xs.rows * block);
  for (let j = 0; j < m.cells.length; j++) {
    if (starts[j + 1]! > starts[j]!) jacobianRows(m.cells[j]!, gathered, starts[j]!, starts[j + 1]!, tmp, starts[j]!);
  }
  const out = new Float64Array(xs.rows * block);
  for (let r = 0; r < xs.rows; r++) out.set(tmp.subarray(r * block, (r + 1) * block), order[r]! * block);
  return out;
}
