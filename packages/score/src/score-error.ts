import { createPoints, MixdiffError, type Points } from "@mixdiff/core";
import type { ScoreModel } from "./score-model.js";

/**
 * Score error of `model` against `truth` at VE time t on points `y ~ p_t`: `mse = mean |ŝ − s|²`,
 * `relative = √(Σ|ŝ − s|² / Σ|s|²)` (relative L2 error), and the standard error of `mse`.
 *
 * @throws MixdiffError `DIMENSION_MISMATCH` when dimensions differ.
 * @example
 * ```ts
 * import { scoreError } from "@mixdiff/score";
 * const { relative } = scoreError(learned, oracle, 1.0, yFromPt); // e.g. 0.04
 * ```
 */
export function scoreError(
  model: ScoreModel,
  truth: ScoreModel,
  t: number,
  y: Points,
): { mse: number; relative: number; standardError: number } {
  if (model.dim !== truth.dim || y.cols !== model.dim) {
    throw new MixdiffError(
      "DIMENSION_MISMATCH",
      `scoreError: model dim ${model.dim}, truth dim ${truth.dim}, y has ${y.cols} columns`,
    );
  }
  if (y.rows < 2) throw new MixdiffError("INVALID_INPUT", "scoreError: need at least 2 points");
  const a = model.score(y, t, createPoints(y.rows, y.cols)).data;
  const b = truth.score(y, t, createPoints(y.rows, y.cols)).data;
  const n = y.cols;
  let s1 = 0;
  let s2 = 0;
  let norm = 0;
  for (let i = 0; i < y.rows; i++) {
    let e = 0;
    for (let j = 0; j < n; j++) {
      const d = a[i * n + j]! - b[i * n + j]!;
      e += d * d;
      norm += b[i * n + j]! ** 2;
    }
    s1 += e;
    s2 += e * e;
  }
  const N = y.rows;
  const mse = s1 / N;
  const variance = Math.max(0, s2 / N - mse * mse);
  return { mse, relative: Math.sqrt(s1 / Math.max(norm, 1e-300)), standardError: Math.sqrt(variance / (N - 1)) };
}
