import { type GatedLevel, type GatedWorkspace, predictGated } from "./gated-level.js";
import { createGateScratch } from "./gates.js";
import type { LevelFeatures } from "./level-features.js";
import { predictVoronoi, type VoronoiLevel, type VoronoiWorkspace } from "./voronoi-level.js";

/** One learned level: soft-gated (the default learner, format v3) or hard Voronoi cells (the paper's; v1/v2). */
export type LevelState = GatedLevel | VoronoiLevel;

/** Buffers for {@link predictLevel} of either kind. */
export interface PredictWorkspace {
  readonly gated: GatedWorkspace;
  readonly voronoi: VoronoiWorkspace;
}

/** Buffers sized for `feats` (internal; not shared across threads). */
export function createWorkspace(feats: LevelFeatures): PredictWorkspace {
  const m = feats.dim;
  return {
    gated: {
      gates: createGateScratch(m),
      u: new Float64Array(m),
      clipped: new Uint8Array(m),
      phi: new Float64Array(feats.size),
      grad: new Float64Array(feats.size * m),
      poly: new Float64Array(m),
      dcoord: new Float64Array(m),
      cw: new Float64Array(2),
      logMass: new Float64Array(0),
      logMassOf: undefined,
      zero: new Uint8Array(0),
      zeroOf: undefined,
    },
    voronoi: {
      u: new Float64Array(m),
      phi: new Float64Array(feats.size),
      grad: new Float64Array(feats.size * m),
      clipped: new Uint8Array(m),
      dist: new Float64Array(16),
      logits: new Float64Array(16),
      base: new Float64Array(m),
      dBase: new Float64Array(m),
      acc: new Float64Array(m),
    },
  };
}

/**
 * f̂ of one level at the projected points `w` (`[rows, m]`) into `out`, optionally `∇·f̂` into `div`;
 * inputs are clipped to the cells' training boxes and outputs to `[outLower, outUpper]` (internal).
 */
export function predictLevel(
  level: LevelState,
  sigma0: number,
  feats: LevelFeatures,
  ws: PredictWorkspace,
  w: Float64Array,
  rows: number,
  out: Float64Array,
  outLower: Float64Array,
  outUpper: Float64Array,
  div?: Float64Array,
): void {
  if (level.kind === "gated") predictGated(level, sigma0, feats, ws.gated, w, rows, out, outLower, outUpper, div);
  else predictVoronoi(level, sigma0, feats, ws.voronoi, w, rows, out, outLower, outUpper, div);
}
