import { createPoints, MixdiffError, type Points, toPoints } from "@mixdiff/core";
import { compilePolynomial, type PolynomialModel, standardise } from "./polynomial-model.js";

const CHUNK = 64;

/**
 * Evaluates a {@link PolynomialModel} on a batch `x` (`[rows, dim]`) → `[rows, outputs]` (into `out` when given).
 * Inputs are standardised and clipped to the model's training box, then features are evaluated in chunks of
 * 64 rows and multiplied by the coefficients. Throws `DIMENSION_MISMATCH` / `NON_FINITE_INPUT` for bad input.
 *
 * @example
 * ```ts
 * import { fitPolynomial, predictPolynomial } from "@mixdiff/polyreg";
 * import { toPoints } from "@mixdiff/core";
 * const m = fitPolynomial([[0], [1], [2]], [[1], [3], [5]], { degree: 1, ridge: 0 });
 * predictPolynomial(m, toPoints([[1.5]])).data[0]; // ≈ 4
 * ```
 */
export function predictPolynomial(m: PolynomialModel, x: Points, out?: Points): Points {
  const xs = toPoints(x, { name: "predictPolynomial: x", expectedCols: m.dim, allowEmpty: true });
  const res = checkOut(out, xs.rows, m.outputs, "predictPolynomial");
  predictRows(m, xs.data, 0, xs.rows, res.data, 0);
  return res;
}

/** Checks or creates the output batch of shape `[rows, cols]`. */
export function checkOut(out: Points | undefined, rows: number, cols: number, fn: string): Points {
  if (!out) return createPoints(rows, cols);
  if (out.rows !== rows || out.cols !== cols || out.data.length !== rows * cols) {
    throw new MixdiffError(
      "DIMENSION_MISMATCH",
      `${fn}: out must be ${rows} × ${cols}; got ${out.rows} × ${out.cols}`,
      { path: "out" },
    );
  }
  return out;
}

/**
 * Hot path (no validation): predictions for rows `[start, end)` of row-major `x` written to `out` from row
 * `outStart` on. Used by the piecewise model too.
 */
export function predictRows(
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
  const u = new Float64Array(Math.min(CHUNK, Math.max(end - start, 0)) * dim);
  const phi = new Float64Array((u.length / dim) * p);
  const coef = c.coef;
  for (let r0 = start; r0 < end; r0 += CHUNK) {
    const n = Math.min(CHUNK, end - r0);
    for (let r = 0; r < n; r++) standardise(c, x, r0 + r, u, r * dim);
    c.basis.evaluate(u, n, phi);
    for (let r = 0; r < n; r++) {
      const o0 = (outStart + r0 - start + r) * q;
      for (let o = 0; o < q; o++) out[o0 + o] = 0;
      for (let f = 0; f < p; f++) {
        const v = phi[r * p + f]!;
        const cf = f * q;
        for (let o = 0; o < q; o++) out[o0 + o]! += v * coef[cf + o]!;
      }
    }
  }
}
