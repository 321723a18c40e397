import { type Points, toPoints } from "@mixdiff/core";
import { compilePolynomial, type PolynomialModel, standardise } from "./polynomial-model.js";

/**
 * Jacobians ∂f_o/∂x_j of a {@link PolynomialModel} at each row of `x` (`[rows, dim]`), as a row-major
 * `Float64Array` of shape `[rows, outputs, dim]`. A coordinate clipped to the training box has derivative 0
 * (the clipped model is constant in that direction).
 *
 * @example
 * ```ts
 * import { fitPolynomial, jacobianPolynomial } from "@mixdiff/polyreg";
 * import { toPoints } from "@mixdiff/core";
 * const m = fitPolynomial([[0], [1], [2]], [[0], [1], [4]], { degree: 2, ridge: 0 }); // z = x²
 * jacobianPolynomial(m, toPoints([[1]]))[0]; // ≈ 2
 * ```
 */
export function jacobianPolynomial(m: PolynomialModel, x: Points): Float64Array {
  const xs = toPoints(x, { name: "jacobianPolynomial: x", expectedCols: m.dim, allowEmpty: true });
  const out = new Float64Array(xs.rows * m.outputs * m.dim);
  jacobianRows(m, xs.data, 0, xs.rows, out, 0);
  return out;
}

/** Hot path: Jacobians of rows `[start, end)` of `x` into `out` (`[*, outputs, dim]`) from row `outStart` on. */
export function jacobianRows(
  m: PolynomialModel,
  x: Float64Array,
  start: number,
  end: number,
  out: Float64Array,
  outStart: number,
): void {
  const c = compilePolynomial(m);
  const dim = m.dim;
  const q = m.outputs;
  const p = c.basis.size;
  const u = new Float64Array(dim);
  const inside = new Uint8Array(dim);
  const phi = new Float64Array(p);
  const grad = new Float64Array(dim * p);
  const coef = c.coef;
  for (let r = start; r < end; r++) {
    standardise(c, x, r, u, 0, inside);
    c.basis.gradient(u, phi, grad);
    const o0 = (outStart + r - start) * q * dim;
    for (let o = 0; o < q; o++) {
      for (let j = 0; j < dim; j++) {
        let s = 0;
        if (inside[j] === 1) {
          const g0 = j * p;
          for (let f = 0; f < p; f++) s += grad[g0 + f]! * coef[f * q + o]!;
          s *= c.invScale;
        }
        out[o0 + o * dim + j] = s;
      }
    }
  }
}
