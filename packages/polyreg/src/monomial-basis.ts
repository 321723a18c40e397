import type { BasisFamily } from "./basis-family.js";

/**
 * Plain monomials `u^k`. Same span as {@link hermiteBasis} (so the same unregularised fit), but the Gram
 * matrix is badly conditioned beyond degree ≈ 4–5; offered for comparison and for exact-polynomial work.
 *
 * @example
 * ```ts
 * import { monomialBasis } from "@mixdiff/polyreg";
 * const out = new Float64Array(4);
 * monomialBasis.values(2, 3, out, 0); // [1, 2, 4, 8]
 * ```
 */
export const monomialBasis: BasisFamily = {
  kind: "monomial",
  description: "plain monomials u^k in the standardised input u = (x − center)/scale",
  values(u: number, d: number, out: Float64Array, offset: number): void {
    let v = 1;
    for (let k = 0; k <= d; k++) {
      out[offset + k] = v;
      v *= u;
    }
  },
  derivatives(values: Float64Array, d: number, out: Float64Array, offset: number): void {
    out[offset] = 0;
    for (let k = 1; k <= d; k++) out[offset + k] = k * values[offset + k - 1]!;
  },
};
