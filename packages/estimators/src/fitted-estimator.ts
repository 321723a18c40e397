import type { Points, PointsLike, Rng } from "@mixdiff/core";
import type { Distribution, EmResult } from "@mixdiff/mixtures";
import type { AbortSignalLike, FitProgress, LearnedScoreModel, ScoreModel } from "@mixdiff/score";

/**
 * What a fitted estimator is: `"diffusion"` (a score model, learned or exact, sampled by reverse diffusion, its density
 * through the probability-flow ODE), `"em"` (an EM fit of a Gaussian mixture) or `"distribution"` (a known
 * distribution with closed forms).
 *
 * @example
 * ```ts
 * import type { EstimatorKind } from "@mixdiff/estimators";
 * const kinds: EstimatorKind[] = ["diffusion", "em", "distribution"];
 * ```
 */
export type EstimatorKind = "diffusion" | "em" | "distribution";

/**
 * The components of a discrete mixture `Σ_i w_i N(μ_i, σ0² I)`: weights `[k]` and means `[k, dim]`.
 *
 * @example
 * ```ts
 * const c = fitted.components(); // e.g. { weights: Float64Array [0.4, 0.35, 0.25], means: Points [3, 2] }
 * ```
 */
export interface MixtureComponents {
  readonly weights: Float64Array;
  readonly means: Points;
}

/**
 * A fitted density estimator (scikit-learn's fitted `GaussianMixture` / `KernelDensity`): one interface over the
 * paper's learned diffusion model, EM and known distributions, so they can be compared through it. It also
 * satisfies `KnownDistribution` of `@mixdiff/metrics` (`dim`, `sample`, `logDensity`), so every metric accepts it.
 *
 * | sklearn | here |
 * | --- | --- |
 * | `sample(n)` | `sample(n, rng).x` |
 * | `score_samples(X)` | `logDensity(X)` |
 * | `score(X)` (mean log-likelihood) | `meanLogLikelihood(X, fitted)` of `@mixdiff/metrics` (with its standard error) |
 * | `predict_proba(X)`, `predict(X)` | `predictProba(X)`, `predict(X)` |
 * | `weights_`, `means_` | `components()` |
 * | — | `score(X, t)`: the score `∇ ln p_t` |
 *
 * @example
 * ```ts
 * import { createRng } from "@mixdiff/core";
 * import { diffusionEstimator, emEstimator } from "@mixdiff/estimators";
 * for (const est of [diffusionEstimator(), emEstimator({ k: 3 })]) {
 *   const fitted = est.fit(train, { rng: createRng(1) });
 *   const ll = fitted.logDensity(test); // [rows] held-out log-likelihoods
 *   const p = fitted.predictProba(test); // [rows, k] responsibilities
 * }
 * ```
 */
export interface FittedEstimator {
  readonly kind: EstimatorKind;
  /** Dimension n of the data. */
  readonly dim: number;
  /** σ0, the standard deviation of the Gaussian part of the data (`X = μ + σ0·ξ`). */
  readonly noiseStd: number;
  /** The score model behind the estimator: the learned model, or the exact model of a closed-form distribution. */
  readonly scoreModel: ScoreModel;
  /** The learned model (kind `"diffusion"` from `fitScore` or `loadScoreModel`). */
  readonly learnedModel?: LearnedScoreModel;
  /** The closed-form distribution (kinds `"em"` and `"distribution"`). */
  readonly distribution?: Distribution;
  /** The EM fit (kind `"em"`). */
  readonly emResult?: EmResult;
  /**
   * `n` samples `[n, dim]` of the fitted distribution P̂0 (reverse diffusion for `"diffusion"`, exact draws
   * otherwise); sample i uses `rng.stream(i)`.
   */
  sample(n: number, rng: Rng): { x: Points };
  /** The score `∇ ln p̂_t(y)` for each row of `y` (`[rows, dim]`), VE time `t` (default 0). */
  score(y: PointsLike, t?: number): Points;
  /**
   * `ln p̂_t(y)` for each row of `y` (`[rows]`), VE time `t` (default 0): the closed form, or for `"diffusion"` the
   * probability-flow ODE with the model's exact divergence (`probabilityFlowLogDensity` of `@mixdiff/diffusion`).
   */
  logDensity(y: PointsLike, t?: number): Float64Array;
  /**
   * The discrete mixture the estimator holds: EM's fit, the atoms of a known discrete mixture, or for a learned model
   * the mixture estimated from it (`estimateMixture` of `@mixdiff/score`); `undefined` when there is none (an exact
   * model of a continuous mixing law, a continuous distribution).
   */
  components(): MixtureComponents | undefined;
  /**
   * Responsibilities `[rows, k]` of {@link FittedEstimator.components} for each row of `y`: `P(component i | y)` at
   * t = 0 (scikit-learn's `predict_proba`).
   *
   * @throws MixdiffError `INVALID_INPUT` when the estimator has no discrete mixture.
   */
  predictProba(y: PointsLike): Points;
  /** The most responsible component of each row (`[rows]`, indices into `components()`). */
  predict(y: PointsLike): Int32Array;
}

/**
 * Options of {@link Estimator.fit}.
 *
 * @example
 * ```ts
 * import { createRng } from "@mixdiff/core";
 * import type { EstimatorFitOptions } from "@mixdiff/estimators";
 * const o: EstimatorFitOptions = { rng: createRng(1), onProgress: (p) => console.log(p.level) };
 * ```
 */
export interface EstimatorFitOptions {
  /** The random source of the fit (required: the same seed gives the same fit). */
  rng: Rng;
  /** Aborts the diffusion learner between levels (`INTERRUPTED`); EM runs to its end. */
  signal?: AbortSignalLike;
  /** Progress of the diffusion learner after each level. */
  onProgress?: (p: FitProgress) => void;
}

/**
 * An unfitted estimator (scikit-learn's estimator before `fit`): its options, and `fit`, which returns a new
 * {@link FittedEstimator} (the estimator itself is not changed, so it can be fitted again, e.g. in cross-validation).
 *
 * @example
 * ```ts
 * import { createRng } from "@mixdiff/core";
 * import { emEstimator, type Estimator } from "@mixdiff/estimators";
 * const est: Estimator = emEstimator({ kMax: 6 });
 * const fitted = est.fit(x, { rng: createRng(2) });
 * ```
 */
export interface Estimator {
  readonly kind: "diffusion" | "em";
  /**
   * Fits the data `x` (`[rows, dim]`: `Points`, `number[][]` or an ml-matrix `Matrix`).
   *
   * @throws MixdiffError from the fit (`INVALID_OPTION`, `DIMENSION_MISMATCH`, `NON_FINITE_INPUT`, `INTERRUPTED`, …).
   */
  fit(x: PointsLike, options: EstimatorFitOptions): FittedEstimator;
}
