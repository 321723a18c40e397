import { ArgSorter, checkNumber, MixdiffError, type PointsLike, type Rng } from "@mixdiff/core";
import { projectionBuffers, projectSorted } from "./project-sorted.js";
import { bootstrapVariance } from "./sliced-wasserstein-bootstrap.js";
import { twoSamples } from "./two-samples.js";
import type { Estimate } from "./types.js";
import { wassersteinSorted } from "./wasserstein-1d.js";

/** Options of {@link slicedWasserstein}. */
export interface SlicedWassersteinOptions {
  /** Draws the random directions (uniform on the unit sphere) and the bootstrap resamples. */
  rng: Rng;
  /** Number of random directions (default 128). */
  projections?: number;
  /** The order p (default 2). */
  p?: 1 | 2;
  /**
   * Bootstrap replicates for the sampling part of the standard error (default 64; at least 2, or 0). 0 skips
   * the bootstrap: the estimate then has no `standardError`, only `details.directionStandardError`, which covers
   * the random directions alone (what `standardError` used to be).
   */
  bootstrap?: number;
  /** How many of the directions the bootstrap runs on (default `min(projections, 16)`). */
  bootstrapProjections?: number;
}

/**
 * Sliced p-Wasserstein distance between samples `x` `[n, d]` and `y` `[m, d]`:
 * `SW_p = (E_θ W_p^p(θᵀX, θᵀY))^{1/p}` with θ uniform on the unit sphere, estimated with `projections`
 * seeded random directions and the exact 1-D distance on each ({@link wasserstein1d}); O(L (n+m) log(n+m)).
 * No subsampling is needed. In 1-D it is the exact W_p. Between N(μ₁, s₁²I) and N(μ₂, s₂²I) in d dimensions,
 * `SW₂² = ‖μ₁−μ₂‖²/d + (s₁−s₂)²`.
 *
 * **Standard error.** `standardError` is the standard deviation of the estimate over the draw of the two samples
 * *and* the random directions: `√(V_sampling + V_directions)` for `T = mean_θ W_p^p`, taken to the SW scale by the
 * delta method (p = 2: divided by `2√T₀` with `T₀ = max(T, T̄_pool)`, see below).
 * - `V_directions = sd_θ(W_p^p)²/L`, the Monte-Carlo error of the direction average. This was the whole standard
 *   error before; on its own it is far too small (≈ 10× on 20 000 × 20 000 points in 2-D).
 * - `V_sampling`, the variance of T over the samples at fixed directions, by the bootstrap: `bootstrap`
 *   (B) replicates that resample x and y with replacement, the same resample on every direction (so the
 *   dependence between directions is kept), on the first `bootstrapProjections` (L_b) directions. A projection
 *   is sorted once (exact radix argsort); a replicate is a multinomial count per original point read along the
 *   sorted order, O(n+m) per direction: O(B·L_b·(n+m)) in all, about 4× the cost of the estimate alone with the
 *   defaults (≈ 1 s instead of 0.25 s for 20 000 × 20 000 points in 2-D).
 * - p = 2: not the plain bootstrap. In quantile functions `W₂²(θ) = ∫(Δ + D)²` exactly, with `Δ = F⁻¹ − G⁻¹`
 *   the population difference and D the sampling fluctuation; a replicate is `∫(Δ̂ + D*)²` with `Δ̂ = Δ + D`, so
 *   the variance of its linear part `2∫Δ̂D*` is too large by `4·E(∫D₁D₂)²` (D₁, D₂ independent fluctuations),
 *   which makes the plain bootstrap ≈ 2× too wide (in SE) when the laws are equal. Instead
 *   `V_sampling = V_pool + max(0, Var*(2∫Δ̂D*) − 4·mean_b(∫D*_{b−1}D*_b)²)`: the variance under equal laws
 *   `V_pool`, from a pooled bootstrap (x* and y* both drawn from x ∪ y), plus the linear part less its inflation,
 *   estimated from consecutive pairs of replicates. The pooled replicates' mean `T̄_pool` estimates E T under
 *   equal laws, a lower bound for E T, and is where the square root is linearised when T is below it.
 *   For p = 1 the plain two-sample bootstrap variance is used.
 * - From L_b to L directions: with `V₁` the same variance for one direction alone (averaged over the L_b) and
 *   `V_b` for the L_b-direction average, the mean covariance between directions is `C = (L_b·V_b − V₁)/(L_b − 1)`
 *   and `V_sampling = C + (V₁ − C)/L` (floored at 0); in 1-D all directions coincide and `V_sampling = V_b`.
 *
 * Calibration (`scripts/calibrate.ts` and the tests; 150 independent replications, n = 500–5 000): the mean
 * reported standard error over the empirical standard deviation is 0.94–1.07 when the laws differ (Gaussians in
 * 2-D and 10-D, n ≠ m, small and large differences, p = 1 and 2) and 1.14–1.35 (conservative, most at small n;
 * up to 1.4 at n = 100–300) when they are equal, Gaussian or a three-cluster mixture. It is a standard deviation, not a bias bound: like
 * every empirical Wasserstein distance the estimate is biased upward, > 0 for two samples of one law — by
 * O(n^{-1/2}) up to logs for smooth laws and by O(n^{-1/4}) for well-separated clusters, where moving the sampling
 * excess of a cluster's weight across the gap dominates (and the estimate varies a lot from draw to draw).
 * With `bootstrap: 0` only the direction part is computed (`details.directionStandardError`) and there is no
 * `standardError`. When `T = T̄_pool = 0` (all points equal) the standard error is 0.
 *
 * `details`: `perDirectionMean` (T) and `perDirectionMeanStandardError` (its standard error, on the T scale),
 * `samplingStandardError` and `directionStandardError` (the two parts on the SW scale), `pooledBootstrapMean`
 * (T̄_pool, p = 2), `projections`, `bootstrap`, `bootstrapProjections` and `standardErrorCovers`.
 *
 * @example
 * ```ts
 * import { createRng } from "@mixdiff/core";
 * import { slicedWasserstein } from "@mixdiff/metrics";
 * const sw = slicedWasserstein([[0, 0], [1, 1]], [[3, 0], [4, 1]], { rng: createRng(2), projections: 64 });
 * sw.value; // the estimate; sw.standardError covers the samples and the directions
 * ```
 */
export function slicedWasserstein(xIn: PointsLike, yIn: PointsLike, o: SlicedWassersteinOptions): Estimate {
  const fn = "slicedWasserstein";
  const { x, y } = twoSamples(xIn, yIn, fn, 1);
  const L = checkNumber(o.projections ?? 128, fn, "projections", { min: 1, integer: true });
  const p = o.p ?? 2;
  if (p !== 1 && p !== 2) {
    throw new MixdiffError("INVALID_OPTION", `${fn}: p must be 1 or 2; got ${String(p)}`, { path: "p" });
  }
  const B = checkNumber(o.bootstrap ?? 64, fn, "bootstrap", { min: 0, integer: true });
  if (B === 1) {
    throw new MixdiffError("INVALID_OPTION", `${fn}: bootstrap must be 0 (off) or at least 2; got 1`, {
      path: "bootstrap",
    });
  }
  const d = x.cols;
  const n = x.rows;
  const m = y.rows;
  const LbOption = checkNumber(o.bootstrapProjections ?? Math.min(L, 16), fn, "bootstrapProjections", {
    min: 1,
    max: L,
    integer: true,
  });
  // in 1-D every direction is the same: one is enough
  const Lb = d === 1 ? 1 : LbOption;

  const thetas = drawDirections(o.rng.stream("directions"), L, d);
  const { px, py, ix, iy, xs, ys } = projectionBuffers(n, m);
  const sorter = new ArgSorter(Math.max(n, m));
  const wpDir = new Float64Array(L);
  let sum = 0;
  for (let l = 0; l < L; l++) {
    projectSorted(x.data, n, d, thetas, l, px, ix, xs, sorter);
    projectSorted(y.data, m, d, thetas, l, py, iy, ys, sorter);
    const w = wassersteinSorted(xs, ys, p);
    const wp = p === 1 ? w : w * w;
    wpDir[l] = wp;
    sum += wp;
  }
  const mean = sum / L;
  let ssDir = 0;
  for (let l = 0; l < L; l++) ssDir += (wpDir[l]! - mean) ** 2;
  const varDir = L > 1 ? ssDir / (L - 1) / L : 0;

  const boot =
    B === 0
      ? undefined
      : bootstrapVariance({ x: x.data, y: y.data, n, m, d, thetas, Lb, L, B, p, wpDir, rng: o.rng, sorter });
  const varSampling = boot?.variance;
  // p = 2: linearise the square root at max(T, T̄₀), T̄₀ the pooled-bootstrap mean (E T under equal laws)
  const at = Math.max(mean, boot?.nullMean ?? 0);

  const value = p === 1 ? mean : Math.sqrt(mean);
  // delta method for the p-th root: d(mean^{1/p}) = mean^{1/p − 1}/p · d(mean)
  const toSw = (v: number) => (p === 1 ? Math.sqrt(v) : at > 0 ? Math.sqrt(v / at) / 2 : 0);
  const details: Record<string, unknown> = {
    p,
    projections: L,
    perDirectionMean: mean,
    bootstrap: B,
    bootstrapProjections: B === 0 ? 0 : Lb,
    directionStandardError: toSw(varDir),
    standardErrorCovers: B === 0 ? "none (bootstrap: 0)" : "sampling of x and y (bootstrap) and the random directions",
  };
  if (varSampling !== undefined) {
    details.samplingStandardError = toSw(varSampling);
    details.perDirectionMeanStandardError = Math.sqrt(varSampling + varDir);
    if (p === 2) details.pooledBootstrapMean = boot?.nullMean;
  }
  return {
    value,
    ...(varSampling !== undefined && { standardError: toSw(varSampling + varDir) }),
    n,
    m,
    subsampled: false,
    details,
  };
}

function drawDirections(rng: Rng, L: number, d: number): Float64Array {
  const thetas = new Float64Array(L * d);
  const theta = new Float64Array(d);
  for (let l = 0; l < L; l++) {
    let norm = 0;
    if (d === 1) {
      theta[0] = 1;
      norm = 1;
    } else {
      while (norm === 0) {
        rng.fillNormal(theta);
        norm = 0;
        for (let c = 0; c < d; c++) norm += theta[c]! ** 2;
      }
      norm = Math.sqrt(norm);
    }
    for (let c = 0; c < d; c++) thetas[l * d + c] = theta[c]! / norm;
  }
  return thetas;
}
