import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { MixdiffError } from "./errors.js";

/** Eigen-decomposition of a symmetric matrix, eigenvalues in descending order. */
export interface SymmetricEigen {
  /** Eigenvalues, descending, length n. */
  readonly values: Float64Array;
  /** Eigenvectors as columns of a row-major `[n, n]` matrix: vector k is `vectors[i*n + k]`, i = 0..n-1. */
  readonly vectors: Float64Array;
}

/**
 * Eigenvalues and orthonormal eigenvectors of a symmetric row-major `[n, n]` matrix (ml-matrix's
 * tridiagonal QL), sorted by decreasing eigenvalue. Each eigenvector's sign is fixed so that its
 * largest-magnitude entry is positive (deterministic output).
 *
 * @example
 * ```ts
 * import { symmetricEigen } from "@mixdiff/core";
 * const { values } = symmetricEigen(new Float64Array([2, 0, 0, 5]), 2); // [5, 2]
 * ```
 */
export function symmetricEigen(a: Float64Array, n: number): SymmetricEigen {
  if (a.length !== n * n) {
    throw new MixdiffError("DIMENSION_MISMATCH", `symmetricEigen: matrix has ${a.length} entries; expected ${n}×${n}`);
  }
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i]!)) {
      throw new MixdiffError("NON_FINITE_INPUT", `symmetricEigen: entry (${Math.floor(i / n)}, ${i % n}) is ${a[i]}`);
    }
  }
  const sym = new Matrix(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) sym.set(i, j, 0.5 * (a[i * n + j]! + a[j * n + i]!));
  }
  const e = new EigenvalueDecomposition(sym, { assumeSymmetric: true });
  const vals = e.realEigenvalues;
  const V = e.eigenvectorMatrix;
  const order = Array.from({ length: n }, (_, i) => i).sort((p, q) => vals[q]! - vals[p]!);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const src = order[k]!;
    values[k] = vals[src]!;
    let big = 0;
    for (let i = 0; i < n; i++) {
      const v = V.get(i, src);
      if (Math.abs(v) > Math.abs(big)) big = v;
    }
    const sign = big < 0 ? -1 : 1;
    for (let i = 0; i < n; i++) vectors[i * n + k] = sign * V.get(i, src);
  }
  return { values, vectors };
}
