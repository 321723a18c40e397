import { checkNumber, createPoints, MixdiffError } from "@mixdiff/core";
import type { ScoreModel } from "@mixdiff/score";

/**
 * Spread of the mixing distribution, `tr Cov(μ) = E|μ − E μ|²`, read off the model itself: at a large VE
 * time t the posterior mean has Jacobian `∇f_t = Cov(μ | Y_t)/σ_t² → Cov(μ)/σ_t²`, so
 * `tr Cov(μ) ≈ σ_t²·Σ_j ∂f_j/∂y_j` by central differences at `y = mean` (internal helper; exact models only).
 */
export function mixingSpread(model: ScoreModel): number {
  const n = model.dim;
  const s0 = model.sigma0 * model.sigma0;
  let t = 1e6 * s0;
  let spread = 0;
  for (let iter = 0; iter < 4; iter++) {
    const sigma2 = s0 + t;
    const h = Math.sqrt(sigma2);
    const y = createPoints(2 * n, n);
    for (let j = 0; j < n; j++) {
      for (let c = 0; c < n; c++) {
        const m = model.mean[c]!;
        y.data[2 * j * n + c] = m;
        y.data[(2 * j + 1) * n + c] = m;
      }
      y.data[2 * j * n + j] = y.data[2 * j * n + j]! + h;
      y.data[(2 * j + 1) * n + j] = y.data[(2 * j + 1) * n + j]! - h;
    }
    const f = model.posteriorMean(y, t);
    let trace = 0;
    for (let j = 0; j < n; j++) trace += (f.data[2 * j * n + j]! - f.data[(2 * j + 1) * n + j]!) / (2 * h);
    spread = Math.max(0, trace * sigma2);
    if (!Number.isFinite(spread)) break;
    // The probe is accurate when σ_t² ≫ spread; otherwise repeat further out.
    if (spread * 1e4 <= t) break;
    t = spread * 1e6;
  }
  if (!Number.isFinite(spread)) {
    throw new MixdiffError("NUMERICAL_FAILURE", "defaultTMax: the model's posterior mean is not finite at large t");
  }
  return spread;
}

/**
 * The default start time T for a model: its `tMax` when finite (a learned model's top level); otherwise the
 * smallest T with the prior-mismatch bound `KL(P_T ‖ N(mean, (T + σ0²) I)) ≤ E|μ − Eμ|² / (2(T + σ0²))` at most
 * `klTarget`, i.e. `T = E|μ − Eμ|²/(2·klTarget) − σ0²`, and at least `10·σ0²`. The spread `E|μ − Eμ|²` is read
 * off the model's posterior mean at a large t (its Jacobian there is `Cov(μ)/σ_t²`), so this works for any
 * exact model.
 *
 * @param model - the score model.
 * @param options - `klTarget` (default 1e-3).
 * @returns T > 0.
 * @throws MixdiffError `NUMERICAL_FAILURE` when the model's posterior mean is not finite far out.
 *
 * @example
 * ```ts
 * import { defaultTMax } from "@mixdiff/diffusion";
 * // For 0.5·δ(−3) + 0.5·δ(3) (spread 9) with σ0 = 1: T = 9/(2·1e-3) − 1 = 4499.
 * const T = defaultTMax(model);
 * ```
 */
export function defaultTMax(model: ScoreModel, options: { klTarget?: number } = {}): number {
  if (Number.isFinite(model.tMax)) return model.tMax;
  const klTarget = checkNumber(options.klTarget ?? 1e-3, "defaultTMax", "klTarget", { min: 0, exclusiveMin: true });
  const s0 = model.sigma0 * model.sigma0;
  return Math.max(10 * s0, mixingSpread(model) / (2 * klTarget) - s0);
}
