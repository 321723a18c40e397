import type { BasisFamily } from "./basis-family.js";

/**
 * Probabilists' Hermite polynomials normalised by 1/√k!: `h_k = He_k / √k!`, orthonormal under N(0, 1)
 * (so the tensor basis in `u = (x − c)/s` is orthonormal under N(c, s² I)). Evaluated by the stable
 * three-term recurrence `h_{k+1} = (u·h_k − √k·h_{k−1}) / √(k+1)`; derivatives `h_k′ = √k·h_{k−1}`.
 *
 * @example
 * ```ts
 * import { hermiteBasis } from "@mixdiff/polyreg";
 * const out = new Float64Array(3);
 * hermiteBasis.values(2, 2, out, 0); // [1, 2, (4 − 1)/√2]
 * ```
 */
export const hermiteBasis: BasisFamily = {
  kind: "hermite",
  description: "probabilists' Hermite polynomials He_k(u)/√k!, orthonormal under N(center, scale² I)",
  values(u: number, d: number, out: Float64Array, offset: number): void {
    out[offset] = 1;
    if (d === 0) return;
    out[offset + 1] = u;
    let prev = 1;
    let cur = u;
    for (let k = 1; k < d; k++) {
      const next = (u * cur - SQRT[k]! * prev) * INV_SQRT[k + 1]!;
      out[offset + k + 1] = next;
      prev = cur;
      cur = next;
    }
  },
  derivatives(values: Float64Array, d: number, out: Float64Array, offset: number): void {
    out[offset] = 0;
    for (let k = 1; k <= d; k++) out[offset + k] = SQRT[k]! * values[offset + k - 1]!;
  },
};

const SQRT = Float64Array.from({ length: 257 }, (_, k) => Math.sqrt(k));
const INV_SQRT = Float64Array.from({ length: 257 }, (_, k) => (k === 0 ? 0 : 1 / Math.sqrt(k)));
