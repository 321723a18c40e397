import type { Rng } from "@mixdiff/core";
import { assignNearest } from "@mixdiff/polyreg";
import type { LevelFeatures } from "./level-features.js";
import { createWorkspace, type LevelState, predictLevel } from "./level-state.js";
import { greedyCover, lloydRefine } from "./warm-starts.js";

/** Warm starts of the next level: centres `[K, m]` and their masses (fractions of the covered points). */
export interface WarmStarts {
  readonly centers: Float64Array;
  readonly mass: Float64Array;
}

/**
 * Algorithm 2 of the paper on a fresh chunk of clean points `x` (`[rows, m]`): noise each point `draws`
 * times at the level's t, denoise with the level just learned (`μ̂ = f̂(y)`, Tweedie), then greedy max-coverage
 * with radius `radius` (at most `maxCenters` balls, stopping once all but `stopFraction` are covered) and
 * `lloydSteps` Lloyd steps on the denoised points. Masses are the fractions of denoised points nearest to each
 * centre (used as the gates' initial masses) (internal).
 */
export function updateWarmStarts(o: {
  level: LevelState;
  sigma0: number;
  feats: LevelFeatures;
  x: Float64Array;
  rows: number;
  draws: number;
  rng: Rng;
  radius: number;
  maxCenters: number;
  stopFraction: number;
  lloydSteps: number;
  outLower: Float64Array;
  outUpper: Float64Array;
}): WarmStarts {
  const m = o.feats.dim;
  const t = o.level.t;
  const sqt = Math.sqrt(t);
  const R = o.rows * o.draws;
  const y = new Float64Array(R * m);
  o.rng.fillNormal(y, 0, R * m);
  for (let r = 0; r < R; r++) {
    const i = Math.floor(r / o.draws);
    for (let c = 0; c < m; c++) y[r * m + c] = o.x[i * m + c]! + sqt * y[r * m + c]!;
  }
  const mu = new Float64Array(R * m);
  predictLevel(o.level, o.sigma0, o.feats, createWorkspace(o.feats), y, R, mu, o.outLower, o.outUpper);
  const pts = { data: mu, rows: R, cols: m };
  const cover = greedyCover(pts, { radius: o.radius, maxCenters: o.maxCenters, stopFraction: o.stopFraction });
  const centers = o.lloydSteps > 0 ? lloydRefine(pts, cover.centers, o.lloydSteps) : cover.centers;
  const cell = assignNearest(pts, centers);
  const mass = new Float64Array(centers.rows);
  for (let r = 0; r < R; r++) mass[cell[r]!] = mass[cell[r]!]! + 1 / R;
  return { centers: Float64Array.from(centers.data), mass };
}
