import type { Rng } from "@mixdiff/core";
import type { LevelFeatures } from "./level-features.js";
import { createWorkspace, type LevelState, predictLevel } from "./level-state.js";

/**
 * Variance of each coordinate of a level's f̂ under p_t, and `E|f̂(y) − y|²` (the scale of its score, times σ⁴), on
 * (at most 500) held-out points noised at its t, in the m projected coordinates.
 */
export function fittedVariance(
  level: LevelState,
  sigma0: number,
  feats: LevelFeatures,
  held: { x: Float64Array; rows: number },
  box: { lower: Float64Array; upper: Float64Array },
  r: Rng,
): { variance: Float64Array; residual: number } {
  const m = feats.dim;
  const R = Math.min(500, held.rows);
  const y = new Float64Array(R * m);
  r.fillNormal(y, 0, R * m);
  for (let q = 0; q < R * m; q++) y[q] = held.x[q]! + Math.sqrt(level.t) * y[q]!;
  const f = new Float64Array(R * m);
  predictLevel(level, sigma0, feats, createWorkspace(feats), y, R, f, box.lower, box.upper);
  const v = new Float64Array(m);
  for (let c = 0; c < m; c++) {
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < R; i++) {
      s += f[i * m + c]!;
      s2 += f[i * m + c]! ** 2;
    }
    v[c] = Math.max(0, s2 / R - (s / R) ** 2);
  }
  let residual = 0;
  for (let q = 0; q < R * m; q++) residual += (f[q]! - y[q]!) ** 2;
  return { variance: v, residual: residual / R };
}
