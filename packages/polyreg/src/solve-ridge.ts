import { type CholeskyFactor, checkNumber, cholesky, choleskySolve, MixdiffError } from "@mixdiff/core";
import type { NormalEquations } from "./normal-equations.js";

/**
 * Result of {@link solveRidge}.
 *
 * @example
 * ```ts
 * import type { RidgeSolution } from "@mixdiff/polyreg";
 * const show = (s: RidgeSolution) => `κ ≈ ${s.conditionNumber.toExponential(1)}`;
 * ```
 */
export interface RidgeSolution {
  /** Coefficients, row-major `[size, outputs]`. */
  coefficients: Float64Array;
  /**
   * Estimated 2-norm condition number of the (Jacobi-scaled) matrix that was factorised,
   * `S(ΦᵀΦ + λ·rows·I)S` with `S = diag(·)^{-1/2}` (power and inverse iteration; a lower bound, usually within a few %).
   */
  conditionNumber: number;
  /** The ridge λ that was asked for. */
  ridge: number;
  /** Diagonal jitter Cholesky had to add to the scaled matrix (0 when none; > 0 means numerically singular). */
  jitter: number;
}

/**
 * Solves the ridge-regularised least-squares problem `min_c Σᵢ |zᵢ − cᵀφᵢ|² + λ·rows·|c|²` for all outputs at
 * once from accumulated {@link NormalEquations}: `(ΦᵀΦ + λ·rows·I) C = Φᵀz` by one Cholesky factorisation of the
 * Jacobi-scaled matrix (`size` picks the leading sub-block, i.e. a lower total degree). λ is per row, so with
 * orthonormal (Hermite) features it compares with the Gram matrix's eigenvalues ≈ 1.
 * Throws `INVALID_INPUT` with no rows and `NUMERICAL_FAILURE` when the system is singular beyond jitter
 * (pass a ridge) or the solution is not finite. `estimateCondition: false` skips the O(60·size²) condition
 * estimate (then `conditionNumber` is NaN), e.g. inside cross-validation loops. `penalty` (optional, `[≥ size]`,
 * finite, ≥ 0) weights the ridge per feature: the diagonal gets `λ·rows·penalty[i]` instead of `λ·rows`
 * (0 leaves a feature unpenalised, e.g. the constant and linear terms; `INVALID_OPTION` if malformed).
 *
 * @example
 * ```ts
 * import { createNormalEquations, solveRidge } from "@mixdiff/polyreg";
 * const ne = createNormalEquations(2, 1);
 * ne.add(new Float64Array([1, 0, 1, 1, 1, 2]), new Float64Array([1, 3, 5]), 3);
 * const { coefficients, conditionNumber } = solveRidge(ne, { ridge: 0 }); // [1, 2]
 * ```
 */
export function solveRidge(
  ne: NormalEquations,
  o: { ridge?: number; size?: number; estimateCondition?: boolean; penalty?: Float64Array } = {},
): RidgeSolution {
  const fn = "solveRidge";
  const ridge = checkNumber(o.ridge ?? 0, fn, "ridge", { min: 0 });
  const s = checkNumber(o.size ?? ne.size, fn, "size", { min: 1, max: ne.size, integer: true });
  if (ne.rows === 0) throw new MixdiffError("INVALID_INPUT", `${fn}: no rows were accumulated`);
  const q = ne.outputs;
  const A = ne.gram(s);
  const b = ne.rhs(s);
  for (let k = 0; k < A.length; k++) {
    if (!Number.isFinite(A[k]!)) {
      throw new MixdiffError("NUMERICAL_FAILURE", `${fn}: the Gram matrix has a non-finite entry (features overflow?)`);
    }
  }
  const lam = ridge * ne.rows;
  const pen = o.penalty;
  if (pen !== undefined) {
    if (!(pen instanceof Float64Array) || pen.length < s) {
      throw new MixdiffError("INVALID_OPTION", `${fn}: penalty must be a Float64Array of length ≥ size (${s})`, {
        path: "penalty",
      });
    }
    for (let i = 0; i < s; i++) {
      if (!(pen[i]! >= 0 && pen[i]! < Infinity)) {
        throw new MixdiffError("INVALID_OPTION", `${fn}: penalty[${i}] must be finite and ≥ 0; got ${pen[i]}`, {
          path: `penalty[${i}]`,
        });
      }
    }
  }
  const scale = new Float64Array(s);
  for (let i = 0; i < s; i++) {
    const d = A[i * s + i]! + (pen === undefined ? lam : lam * pen[i]!);
    A[i * s + i] = d;
    scale[i] = d > 0 ? 1 / Math.sqrt(d) : 1;
  }
  for (let i = 0; i < s; i++) for (let j = 0; j < s; j++) A[i * s + j]! *= scale[i]! * scale[j]!;
  for (let i = 0; i < s; i++) for (let c = 0; c < q; c++) b[i * q + c]! *= scale[i]!;
  let f: CholeskyFactor;
  try {
    f = cholesky(A, s);
  } catch (e) {
    throw new MixdiffError(
      "NUMERICAL_FAILURE",
      `${fn}: the ${s}×${s} normal equations are singular (fewer independent rows than features?); use a ridge > 0 or a lower degree`,
      {},
      { size: s, rows: ne.rows, cause: e instanceof Error ? e.message : String(e) },
    );
  }
  const y = choleskySolve(f, b, q);
  for (let i = 0; i < s; i++) for (let c = 0; c < q; c++) y[i * q + c]! *= scale[i]!;
  for (let k = 0; k < y.length; k++) {
    if (!Number.isFinite(y[k]!)) {
      throw new MixdiffError("NUMERICAL_FAILURE", `${fn}: the solution is not finite (coefficient ${k})`);
    }
  }
  const conditionNumber = o.estimateCondition === false ? Number.NaN : estimateCondition(A, f, s);
  return { coefficients: y, conditionNumber, ridge, jitter: f.jitter };
}

/**
 * Condition-number estimate of a symmetric positive-definite `[n, n]` matrix from its Cholesky factor:
 * largest eigenvalue by power iteration, smallest by inverse iteration (both from a fixed start, 60 steps).
 */
function estimateCondition(A: Float64Array, f: CholeskyFactor, n: number): number {
  const steps = 60;
  let v = new Float64Array(n);
  let w = new Float64Array(n);
  const start = (): void => {
    for (let i = 0; i < n; i++) v[i] = 1 + ((i * 0.618033988749895) % 1);
    normalise(v);
  };
  start();
  let hi = 0;
  for (let t = 0; t < steps; t++) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += A[i * n + j]! * v[j]!;
      w[i] = s;
    }
    hi = normalise(w);
    [v, w] = [w, v];
  }
  start();
  let inv = 0;
  for (let t = 0; t < steps; t++) {
    w.set(v);
    choleskySolve(f, w, 1);
    inv = normalise(w);
    [v, w] = [w, v];
  }
  // f factors A + jitter·I; its smallest eigenvalue is 1/inv.
  const lo = 1 / inv;
  return lo > 0 ? hi / lo : Number.POSITIVE_INFINITY;
}

function normalise(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  const r = Math.sqrt(s);
  if (r > 0) for (let i = 0; i < v.length; i++) v[i] = v[i]! / r;
  return r;
}
