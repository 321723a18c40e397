/**
 * A one-dimensional polynomial family q₀, q₁, …, q_d from which a tensor-product basis is built
 * (feature of multi-index α = ∏ⱼ q_{αⱼ}(uⱼ)). Adding a basis is one file implementing this plus one line in
 * the `bases` registry.
 *
 * @example
 * ```ts
 * import type { BasisFamily } from "@mixdiff/polyreg";
 * const constant: BasisFamily = {
 *   kind: "monomial",
 *   description: "u^k",
 *   values(u, d, out, offset) { let v = 1; for (let k = 0; k <= d; k++) { out[offset + k] = v; v *= u; } },
 *   derivatives(values, d, out, offset) { out[offset] = 0; for (let k = 1; k <= d; k++) out[offset + k] = k * values[offset + k - 1]!; },
 * };
 * ```
 */
export interface BasisFamily {
  /** Registry key. */
  readonly kind: string;
  /** One line for docs and the CLI. */
  readonly description: string;
  /** Writes q₀(u), …, q_d(u) into `out[offset .. offset + d]`. */
  values(u: number, d: number, out: Float64Array, offset: number): void;
  /**
   * Writes q₀′(u), …, q_d′(u) into `out[offset .. offset + d]`, given the values that `values` wrote at the
   * same offset of `values` (families whose derivatives are lower members use them; no recomputation).
   */
  derivatives(values: Float64Array, d: number, out: Float64Array, offset: number, u: number): void;
}
