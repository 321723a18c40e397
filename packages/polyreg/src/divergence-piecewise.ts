import { MixdiffError, type Points } from "@mixdiff/core";
import { traces } from "./divergence-polynomial.js";
import { jacobianPiecewise } from "./jacobian-piecewise.js";
import type { PiecewiseModel } from "./piecewise-accumulator.js";

/**
 * Divergence of a {@link PiecewiseModel} with `outputs === dim` at each row of `x` → `[rows]`.
 *
 * @example
 * ```ts
 * import { fitPiecewise, divergencePiecewise } from "@mixdiff/polyreg";
 * import { toPoints } from "@mixdiff/core";
 * const xs = [[0, 0], [1, 0], [0, 1], [1, 1]];
 * const m = fitPiecewise(xs, xs, { centers: [[0.5, 0.5]], scale: 1, degree: 1, minRowsPerFeature: 1 });
 * divergencePiecewise(m, toPoints([[0.5, 0.5]]))[0]; // ≈ 2
 * ```
 */
export function divergencePiecewise(m: PiecewiseModel, x: Points): Float64Array {
  if (m.outputs !== m.dim) {
    throw new MixdiffError(
      "DIMENSION_MISMATCH",
      `divergencePiecewise: needs outputs === dim; the model has ${m.outputs} outputs in dimension ${m.dim}`,
    );
  }
  return traces(jacobianPiecewise(m, x), m.dim);
}
