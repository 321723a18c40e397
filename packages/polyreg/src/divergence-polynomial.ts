import { MixdiffError, type Points } from "@mixdiff/core";
import { jacobianPolynomial } from "./jacobian-polynomial.js";
import type { PolynomialModel } from "./polynomial-model.js";

/**
 * Divergence Σⱼ ∂f_j/∂x_j of a {@link PolynomialModel} with `outputs === dim`, at each row of `x` → `[rows]`.
 * Throws `DIMENSION_MISMATCH` when the model is not a vector field.
 *
 * @example
 * ```ts
 * import { fitPolynomial, divergencePolynomial } from "@mixdiff/polyreg";
 * import { toPoints } from "@mixdiff/core";
 * const m = fitPolynomial([[0, 0], [1, 0], [0, 1], [1, 1]], [[0, 0], [1, 0], [0, 1], [1, 1]], { degree: 1, ridge: 0 });
 * divergencePolynomial(m, toPoints([[0.5, 0.5]]))[0]; // ≈ 2 (identity map)
 * ```
 */
export function divergencePolynomial(m: PolynomialModel, x: Points): Float64Array {
  if (m.outputs !== m.dim) {
    throw new MixdiffError(
      "DIMENSION_MISMATCH",
      `divergencePolynomial: needs outputs === dim; the model has ${m.outputs} outputs in dimension ${m.dim}`,
    );
  }
  const jac = jacobianPolynomial(m, x);
  return traces(jac, m.dim);
}

/** Traces of consecutive `[dim, dim]` blocks. */
export function traces(jac: Float64Array, dim: number): Float64Array {
  const rows = jac.length / (dim * dim);
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let j = 0; j < dim; j++) s += jac[r * dim * dim + j * dim + j]!;
    out[r] = s;
  }
  return out;
}
