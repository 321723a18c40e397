import type { CrossValidated } from "./choose-candidate.js";

/** Estimate of `E|f̂ − f|²` at one level with its standard error. */
export interface LevelError {
  readonly mse: number;
  readonly standardError: number;
}

/**
 * Estimate of a soft-gated level's posterior-mean error `E_{p_t}|f̂ − f|²` from quantities the fit already has
 * (internal). With the mixture base b, `E|f̂ − f|² = B + ΔL(f̂)`, `B = E|b − f|²`, and the cross-validated loss
 * of a correction g (trained on (F−1)/F of the rows) has mean `approx(g) + F/(F−1)·var(g) − B`, so
 *
 * - `ΔL(f̂) ≈ CV(f̂) − var(f̂)/(F−1)` (var: the jackknife variance over the folds; 0 for the base alone);
 * - `B ≈ max(var(b), F/(F−1)·var(r) − CV(r))` with r the richest candidate, assuming r's approximation error
 *   is negligible, and `var(b)` the delta-method variance of the fitted atoms (`baseVariance`).
 *
 * What it cannot see: the approximation error of the richest candidate (an under-estimate where no candidate
 * fits f, e.g. a manifold whose atoms are sparser than σ). The standard error combines the folds' spread of the
 * CV losses and the jackknife's own relative error √(2/(F−1)).
 */
export function levelError(o: {
  chosen: CrossValidated | undefined;
  richest: CrossValidated | undefined;
  folds: number;
  baseVariance: number;
}): LevelError {
  const F = o.folds;
  const jackRel = Math.sqrt(2 / (F - 1));
  const fromRich = o.richest ? (F / (F - 1)) * o.richest.variance - o.richest.loss : -Infinity;
  const B = Math.max(o.baseVariance, fromRich);
  let se2 = 0;
  if (o.richest && fromRich > o.baseVariance)
    se2 += o.richest.standardError ** 2 + (jackRel * (F / (F - 1)) * o.richest.variance) ** 2;
  let delta = 0;
  if (o.chosen) {
    delta = o.chosen.loss - o.chosen.variance / (F - 1);
    se2 += o.chosen.standardError ** 2 + ((jackRel * o.chosen.variance) / (F - 1)) ** 2;
  }
  return { mse: Math.max(0, B + delta), standardError: Math.sqrt(se2) };
}

/**
 * The discretised Theorem 3.1 term `Σ_k ln(σ²_k/σ²_{k+1})·E|f̂_k − f_k|²/σ²_k` over consecutive learned levels
 * (descending t), from per-level estimates (undefined ones count as 0 and are listed), with its standard error.
 */
export function klTerm(
  ts: ArrayLike<number>,
  sigma0: number,
  errors: readonly (LevelError | undefined)[],
): { value: number; standardError: number; missing: number[] } {
  const s02 = sigma0 * sigma0;
  let value = 0;
  let variance = 0;
  const missing: number[] = [];
  for (let l = 0; l + 1 < ts.length; l++) {
    const s2 = s02 + ts[l]!;
    const w = Math.log(s2 / (s02 + ts[l + 1]!)) / s2;
    const e = errors[l];
    if (!e) {
      missing.push(l);
      continue;
    }
    value += w * e.mse;
    variance += (w * e.standardError) ** 2;
  }
  return { value, standardError: Math.sqrt(variance), missing };
}

/**
 * Error the estimated projection adds to `E|f̂ − f|²` at one level (internal). The learner keeps the m leading
 * eigenvectors Û of the sample covariance and the sample mean: f's part outside span(Û) is lost. First-order
 * perturbation of the eigenvectors of a sample covariance with noise eigenvalue σ0² gives each of the n − m noise
 * directions an angle of variance `λ_kσ0²/(N(λ_k − σ0²)²)` towards kept direction k, so the lost part of f is
 * `Σ_k (n − m)·λ_kσ0²·Var_{p_t}(f_k)/(N(λ_k − σ0²)²)` (f_k: f's coordinate along Û_k, whose variance the fitted
 * level gives), plus the sample mean's error in the complement, `(n − m)σ0²/N`. 0 when m = n.
 */
export function projectionVariance(o: {
  eigenvalues: ArrayLike<number>;
  m: number;
  n: number;
  N: number;
  sigma0: number;
  coordinateVariance: ArrayLike<number>;
}): number {
  const { m, n, N } = o;
  if (m >= n) return 0;
  const s02 = o.sigma0 * o.sigma0;
  let v = 1;
  for (let k = 0; k < m; k++) {
    const l = o.eigenvalues[k]!;
    const gap = l - s02;
    if (gap > 0) v += (l * o.coordinateVariance[k]!) / (gap * gap);
  }
  return ((n - m) * s02 * v) / N;
}
