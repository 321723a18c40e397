import type { Points } from "@mixdiff/core";

/**
 * A score model for the paper's variance-exploding process: `Y_t = X + √t·ξ`, so
 * `P_t = P0 * N(0, t I) = Q0 * N(0, (σ0² + t) I)`. Time `t` is always the *added* noise variance
 * (VE time); samplers for other schedules convert their own time to VE time (`t = σ(s)²`, `y = x / scale(s)`).
 *
 * The primary quantity is the posterior mean of the component mean, `f_t(y) = E[μ | Y_t = y]`
 * (what the paper learns); the score follows by Tweedie: `∇ln p_t(y) = (f_t(y) − y) / (σ0² + t)`.
 */
export interface ScoreModel {
  /** Dimension n of the data. */
  readonly dim: number;
  /** σ0, the standard deviation of the Gaussian part of the data (`X = μ + σ0·ξ`). */
  readonly sigma0: number;
  /** E[X] (length `dim`): samplers start from `N(mean, (T + σ0²) I)`. */
  readonly mean: Float64Array;
  /**
   * Largest VE time the model is meant for (a learned model's top level); samplers default to start there.
   * `Infinity` for exact models (any T works).
   */
  readonly tMax: number;
  /** E[μ | Y_t = y] for each row of `y` (shape `[rows, dim]`). Writes into `out` when given. */
  posteriorMean(y: Points, t: number, out?: Points): Points;
  /** ∇ln p_t(y) for each row of `y` (shape `[rows, dim]`). Writes into `out` when given. */
  score(y: Points, t: number, out?: Points): Points;
}
