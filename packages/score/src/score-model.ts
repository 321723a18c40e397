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
  /**
   * Optional: the divergence `∇·s(y, t) = Σ_j ∂s_j/∂y_j` of the score for each row of `y` (`[rows]` values), i.e.
   * `(∇·f_t − dim)/(σ0² + t)`. Learned models and the exact models give it in closed form; the probability-flow
   * likelihood (`probabilityFlowLogDensity` of `@mixdiff/diffusion`) integrates it.
   */
  divergence?(y: Points, t: number): Float64Array;
  /**
   * Optional: the model lives in an m-dimensional subspace (1 ≤ m < dim). Declaring it is a promise that, at
   * every t, `posteriorMean(y, t) = mean + U·h_t(Uᵀ(y − mean))` for the orthonormal `U` given here and some
   * function `h_t` — i.e. the data's component orthogonal to `span(U)` is exactly Gaussian, `N(0, σ0² I)`
   * around the mean (the learner's noise-edge projection, PAPER.md R2). Samplers may then simulate only the
   * m projected coordinates and draw the complement directly (PAPER.md R8).
   */
  readonly subspace?: ModelSubspace;
}

/**
 * An orthonormal basis `U` (`dim × m`, row-major: `basis[j·m + k] = U[j][k]`) of the subspace a
 * {@link ScoreModel} lives in; see {@link ScoreModel.subspace}.
 *
 * @example
 * ```ts
 * import type { ModelSubspace } from "@mixdiff/score";
 * const s: ModelSubspace = { dim: 1, basis: Float64Array.of(1, 0, 0) }; // the first axis of R³
 * ```
 */
export interface ModelSubspace {
  /** m, the number of columns of U (1 ≤ m < model.dim). */
  readonly dim: number;
  /** U, `model.dim × m`, row-major, orthonormal columns. */
  readonly basis: Float64Array;
}
