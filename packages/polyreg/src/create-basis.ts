import { checkNumber, checkOneOf, MixdiffError } from "@mixdiff/core";
import { BASIS_KINDS, type BasisKind, bases } from "./bases.js";
import { featureCount } from "./feature-count.js";
import { MAX_DEGREE, multiIndices } from "./multi-indices.js";

/**
 * Default memory budget of {@link createBasis}: 1 GiB.
 *
 * @example
 * ```ts
 * import { DEFAULT_MEMORY_BUDGET_BYTES } from "@mixdiff/polyreg";
 * DEFAULT_MEMORY_BUDGET_BYTES; // 1073741824
 * ```
 */
export const DEFAULT_MEMORY_BUDGET_BYTES = 2 ** 30;

/**
 * A tensor-product polynomial basis of total degree ≤ `degree` in `dim` standardised variables.
 * Features are ordered as {@link multiIndices} (graded, so lower degrees are a prefix).
 *
 * @example
 * ```ts
 * import { createBasis } from "@mixdiff/polyreg";
 * const b = createBasis({ dim: 2, degree: 2 });
 * const phi = new Float64Array(b.size);
 * b.evaluate(new Float64Array([0.5, -1]), 1, phi); // 6 Hermite features of one point
 * ```
 */
export interface Basis {
  readonly kind: BasisKind;
  readonly dim: number;
  readonly degree: number;
  /** Number of features p = C(dim + degree, degree). */
  readonly size: number;
  /** Multi-indices, row-major `[size, dim]`. */
  readonly exponents: Uint8Array;
  /**
   * Features of `rows` standardised inputs `u` (row-major `[rows, dim]`) into `out` (`[rows, size]`).
   * No allocation: uses the basis's own workspace (so one basis must not be shared across threads).
   */
  evaluate(u: Float64Array, rows: number, out: Float64Array): void;
  /**
   * Features and their partial derivatives at one standardised point `u` (`[dim]`):
   * `phi` gets `[size]`, `grad` gets `[dim, size]` with `grad[j*size + f] = ∂φ_f/∂u_j`.
   */
  gradient(u: Float64Array, phi: Float64Array, grad: Float64Array): void;
}

/**
 * Bytes a basis plus one `[size, size]` float64 Gram matrix need (what a fit at this size allocates first).
 * Used by {@link createBasis} to refuse requests before allocating anything.
 *
 * @example
 * ```ts
 * import { basisMemoryEstimate } from "@mixdiff/polyreg";
 * basisMemoryEstimate(4, 5); // ≈ 126² · 8 + small tables
 * ```
 */
export function basisMemoryEstimate(dim: number, degree: number): number {
  const p = featureCount(dim, degree);
  return p * dim + p * 8 + p * p * 8;
}

/**
 * Builds a {@link Basis}. Features are computed per point by the 1-D recurrence of the family into a small
 * `[dim, degree + 1]` table, then one multiplication per feature: feature α = feature(α with its first non-zero
 * coordinate j removed) × q_{αⱼ}(uⱼ), whose parent comes earlier in the graded order.
 * Throws `RESOURCE_LIMIT` (with the estimate in `details`) before allocating when
 * {@link basisMemoryEstimate} exceeds `memoryBudgetBytes` (default 1 GiB).
 *
 * @example
 * ```ts
 * import { createBasis } from "@mixdiff/polyreg";
 * const b = createBasis({ kind: "monomial", dim: 2, degree: 3 }); // b.size === 10
 * ```
 */
export function createBasis(o: { kind?: BasisKind; dim: number; degree: number; memoryBudgetBytes?: number }): Basis {
  const fn = "createBasis";
  const kind = checkOneOf(o.kind ?? "hermite", fn, "kind", BASIS_KINDS);
  const m = checkNumber(o.dim, fn, "dim", { min: 1, integer: true });
  const d = checkNumber(o.degree, fn, "degree", { min: 0, max: MAX_DEGREE, integer: true });
  const budget = checkNumber(o.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET_BYTES, fn, "memoryBudgetBytes", { min: 0 });
  const estimate = basisMemoryEstimate(m, d);
  if (estimate > budget) {
    throw new MixdiffError(
      "RESOURCE_LIMIT",
      `${fn}: degree ${d} in ${m} variables has ${featureCount(m, d)} features and needs about ${estimate} bytes; the budget is ${budget} bytes`,
      {},
      { estimate, budget, size: featureCount(m, d) },
    );
  }
  const family = bases[kind];
  const exponents = multiIndices(m, d);
  const p = exponents.length / m;
  const w = d + 1;
  // parent[f]: feature index of α_f with its first non-zero coordinate zeroed; slot[f]: table index j*w + α_j.
  const parent = new Int32Array(p);
  const slot = new Int32Array(p);
  const first = new Int32Array(p);
  const lookup = new Map<string, number>();
  for (let f = 0; f < p; f++) lookup.set(exponents.subarray(f * m, (f + 1) * m).join(","), f);
  const tmp = new Uint8Array(m);
  for (let f = 1; f < p; f++) {
    const a = exponents.subarray(f * m, (f + 1) * m);
    let j = 0;
    while (a[j] === 0) j++;
    tmp.set(a);
    tmp[j] = 0;
    const pf = lookup.get(tmp.join(","));
    // internal invariant: a total-degree basis holds every monomial below one of its own
    if (pf === undefined) throw new Error(`createBasis: the basis lacks the monomial ${tmp.join(",")}`);
    parent[f] = pf;
    slot[f] = j * w + a[j]!;
    first[f] = j;
  }
  const table = new Float64Array(m * w);
  const dtable = new Float64Array(m * w);

  const products = (t: Float64Array, out: Float64Array, o0: number): void => {
    out[o0] = 1;
    for (let f = 1; f < p; f++) out[o0 + f] = out[o0 + parent[f]!]! * t[slot[f]!]!;
  };

  return Object.freeze({
    kind,
    dim: m,
    degree: d,
    size: p,
    exponents,
    evaluate(u: Float64Array, rows: number, out: Float64Array): void {
      for (let r = 0; r < rows; r++) {
        const ur = r * m;
        for (let j = 0; j < m; j++) family.values(u[ur + j]!, d, table, j * w);
        products(table, out, r * p);
      }
    },
    gradient(u: Float64Array, phi: Float64Array, grad: Float64Array): void {
      for (let j = 0; j < m; j++) family.values(u[j]!, d, table, j * w);
      products(table, phi, 0);
      for (let j = 0; j < m; j++) family.derivatives(table, d, dtable, j * w, u[j]!);
      // ∂φ_α/∂u_j: if j is α's first non-zero coordinate, φ_parent · q′(u_j) (the parent has no u_j);
      // otherwise ∂φ_parent/∂u_j · q(u_first).
      for (let j = 0; j < m; j++) {
        const g0 = j * p;
        grad[g0] = 0;
        for (let f = 1; f < p; f++) {
          grad[g0 + f] =
            first[f] === j ? phi[parent[f]!]! * dtable[slot[f]!]! : grad[g0 + parent[f]!]! * table[slot[f]!]!;
        }
      }
    },
  });
}
