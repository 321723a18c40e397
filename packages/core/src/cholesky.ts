import { MixdiffError } from "./errors.js";

/** A lower-triangular Cholesky factor, row-major `[n, n]`, with the jitter that was added to the diagonal. */
export interface CholeskyFactor {
  readonly n: number;
  readonly lower: Float64Array;
  /** Amount added to the diagonal to make the matrix numerically positive definite (0 if none). */
  readonly jitter: number;
}

/**
 * Cholesky factorisation A = L Lᵀ of a symmetric positive (semi-)definite row-major `[n, n]` matrix.
 * If a pivot is not positive, retries with diagonal jitter `1e-12·trace/n`, growing ×10 up to `maxJitter`
 * (relative); throws `NUMERICAL_FAILURE` if still not positive definite. `a` is not modified.
 *
 * @example
 * ```ts
 * import { cholesky } from "@mixdiff/core";
 * const f = cholesky(new Float64Array([4, 2, 2, 3]), 2); // L = [[2, 0], [1, √2]]
 * ```
 */
export function cholesky(a: Float64Array, n: number, opts: { maxJitter?: number } = {}): CholeskyFactor {
  if (a.length !== n * n) {
    throw new MixdiffError("DIMENSION_MISMATCH", `cholesky: matrix has ${a.length} entries; expected ${n}×${n}`);
  }
  let trace = 0;
  for (let i = 0; i < n; i++) trace += a[i * n + i]!;
  const scale = n > 0 ? Math.abs(trace) / n || 1 : 1;
  const maxJitter = (opts.maxJitter ?? 1e-6) * scale;
  let jitter = 0;
  const L = new Float64Array(n * n);
  for (;;) {
    if (tryFactor(a, n, jitter, L)) return { n, lower: L, jitter };
    jitter = jitter === 0 ? 1e-12 * scale : jitter * 10;
    if (jitter > maxJitter) {
      throw new MixdiffError(
        "NUMERICAL_FAILURE",
        `cholesky: matrix (${n}×${n}) is not positive definite`,
        {},
        {
          n,
        },
      );
    }
  }
}

function tryFactor(a: Float64Array, n: number, jitter: number, L: Float64Array): boolean {
  L.fill(0);
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j]! + jitter;
    const rj = j * n;
    for (let k = 0; k < j; k++) {
      const v = L[rj + k]!;
      d -= v * v;
    }
    if (!(d > 0) || !Number.isFinite(d)) return false;
    const ljj = Math.sqrt(d);
    L[rj + j] = ljj;
    // Four rows at a time: four independent sums share each load of row j (each sum still runs over k in
    // order, so the factor is bit for bit the one-row loop's).
    let i = j + 1;
    for (; i + 3 < n; i += 4) {
      const r0 = i * n;
      const r1 = r0 + n;
      const r2 = r1 + n;
      const r3 = r2 + n;
      let s0 = a[r0 + j]!;
      let s1 = a[r1 + j]!;
      let s2 = a[r2 + j]!;
      let s3 = a[r3 + j]!;
      for (let k = 0; k < j; k++) {
        const l = L[rj + k]!;
        s0 -= L[r0 + k]! * l;
        s1 -= L[r1 + k]! * l;
        s2 -= L[r2 + k]! * l;
        s3 -= L[r3 + k]! * l;
      }
      L[r0 + j] = s0 / ljj;
      L[r1 + j] = s1 / ljj;
      L[r2 + j] = s2 / ljj;
      L[r3 + j] = s3 / ljj;
    }
    for (; i < n; i++) {
      const ri = i * n;
      let s = a[ri + j]!;
      for (let k = 0; k < j; k++) s -= L[ri + k]! * L[rj + k]!;
      L[ri + j] = s / ljj;
    }
  }
  return true;
}

/**
 * Solves A X = B for X given A's Cholesky factor; B is row-major `[n, m]` (m right-hand sides),
 * solved in place and returned.
 *
 * @example
 * ```ts
 * import { cholesky, choleskySolve } from "@mixdiff/core";
 * const f = cholesky(new Float64Array([4, 2, 2, 3]), 2);
 * choleskySolve(f, new Float64Array([6, 5]), 1); // [1, 1]
 * ```
 */
export function choleskySolve(f: CholeskyFactor, b: Float64Array, m: number): Float64Array {
  const { n, lower: L } = f;
  if (b.length !== n * m) {
    throw new MixdiffError(
      "DIMENSION_MISMATCH",
      `choleskySolve: right-hand side has ${b.length} entries; expected ${n}×${m}`,
    );
  }
  // forward: L Y = B
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let c = 0; c < m; c++) {
      let s = b[i * m + c]!;
      for (let k = 0; k < i; k++) s -= L[ri + k]! * b[k * m + c]!;
      b[i * m + c] = s / L[ri + i]!;
    }
  }
  // backward: Lᵀ X = Y
  for (let i = n - 1; i >= 0; i--) {
    for (let c = 0; c < m; c++) {
      let s = b[i * m + c]!;
      for (let k = i + 1; k < n; k++) s -= L[k * n + i]! * b[k * m + c]!;
      b[i * m + c] = s / L[i * n + i]!;
    }
  }
  return b;
}
