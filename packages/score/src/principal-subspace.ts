import { MixdiffError, type Points, symmetricEigen } from "@mixdiff/core";

/** Result of {@link principalSubspace}. */
export interface PrincipalSubspace {
  /** Sample mean, length n. */
  readonly mean: Float64Array;
  /** Orthonormal basis U, row-major `[n, m]` (column k = k-th direction). */
  readonly basis: Float64Array;
  /** Subspace dimension m (1 ≤ m ≤ n). */
  readonly dim: number;
  /** Eigenvalues of the sample covariance, descending (length n). */
  readonly eigenvalues: Float64Array;
  /** The noise edge σ0²(1 + √(n/N))² used by `"auto"`. */
  readonly edge: number;
}

/**
 * Centres the samples and estimates the span of the (centred) component means (PAPER.md R2):
 * for identity-covariance noise `Cov(X) = Cov(μ) + σ0² I`, so directions whose eigenvalue exceeds the
 * Marchenko–Pastur noise edge `σ0²(1 + √(n/N))²` carry signal. `"auto"` keeps those (at least one),
 * `"none"` keeps all n, a number keeps that many leading directions.
 *
 * @param x - samples `[N, n]`.
 * @example
 * ```ts
 * import { principalSubspace } from "@mixdiff/score";
 * import { toPoints } from "@mixdiff/core";
 * const s = principalSubspace(toPoints([[0, 0], [4, 0.1], [-4, -0.1]]), 1, "auto"); // s.dim === 1
 * ```
 */
export function principalSubspace(x: Points, sigma0: number, projection: "auto" | "none" | number): PrincipalSubspace {
  const { rows: N, cols: n, data } = x;
  const mean = new Float64Array(n);
  for (let i = 0; i < N; i++) for (let j = 0; j < n; j++) mean[j] = mean[j]! + data[i * n + j]!;
  for (let j = 0; j < n; j++) mean[j] = mean[j]! / N;
  const cov = new Float64Array(n * n);
  const r = new Float64Array(n);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < n; j++) r[j] = data[i * n + j]! - mean[j]!;
    for (let a = 0; a < n; a++) {
      const ra = r[a]!;
      for (let b = a; b < n; b++) cov[a * n + b] = cov[a * n + b]! + ra * r[b]!;
    }
  }
  for (let a = 0; a < n; a++) {
    for (let b = a; b < n; b++) {
      const v = cov[a * n + b]! / N;
      cov[a * n + b] = v;
      cov[b * n + a] = v;
    }
  }
  const eig = symmetricEigen(cov, n);
  const edge = sigma0 * sigma0 * (1 + Math.sqrt(n / N)) ** 2;
  let m: number;
  if (projection === "none") m = n;
  else if (projection === "auto") {
    m = 0;
    while (m < n && eig.values[m]! > edge) m++;
    m = Math.max(1, m);
  } else {
    if (!Number.isInteger(projection) || projection < 1 || projection > n) {
      throw new MixdiffError(
        "INVALID_OPTION",
        `principalSubspace: projection must be "auto", "none" or an integer in [1, ${n}]; got ${projection}`,
        { path: "projection" },
      );
    }
    m = projection;
  }
  const basis = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let k = 0; k < m; k++) basis[i * m + k] = eig.vectors[i * n + k]!;
  return { mean, basis, dim: m, eigenvalues: eig.values, edge };
}
