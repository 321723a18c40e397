import { nearestRow } from "@mixdiff/polyreg";
import { expNonPositive } from "./exp-non-positive.js";
import { logOf } from "./gates.js";
import type { LevelFeatures } from "./level-features.js";

/**
 * One learned noise level with **hard Voronoi cells** (the paper's model; format v1, and v2 with the mixture
 * base): f̂ = [base] + the polynomial of the nearest warm start, in the m projected coordinates (internal).
 */
export interface VoronoiLevel {
  readonly kind: "voronoi";
  /** VE time of the level. */
  readonly t: number;
  /** Warm starts (cell centres) `[cells, m]`. */
  readonly centers: Float64Array;
  /** Degree of each cell's polynomial (a cell may drop below the level degree when it has few rows). */
  readonly degrees: Int32Array;
  /** Per cell: coefficients `[p_j, m]` in normalised Hermite features of `(y − centre)/σ`. */
  readonly coefficients: readonly Float64Array[];
  /** Per cell standardised-input box seen in training `[cells, m]` (inputs are clipped to it). */
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  /** Fraction of regression rows that fell in each cell. */
  readonly mass: Float64Array;
  /**
   * When true, f̂ = b(y) + the cell's polynomial, with the mixture base b(y) = Σ_k π_k(y)·c_k,
   * π_k ∝ mass_k·exp(−|y − c_k|²/2σ²): the posterior mean of atoms at the warm starts (see {@link mixtureBase}).
   */
  readonly base?: boolean;
  /** False for the paper preset: inputs are not clipped to the boxes (which are then only recorded). */
  readonly clip?: boolean;
}

/** Cells whose logit is this far below the best get weight 0 in the mixture base (e^-40 ≈ 4e-18). */
const BASE_CUTOFF = 40;

/**
 * Mixture base `b(y) = Σ_k π_k(y)·c_k`, `π_k ∝ mass_k·exp(−d_k/2σ²)`, from the squared distances `d`
 * (`[K]`) of y to the centres and `logMass` = ln mass_k (−∞ for empty cells); writes b into `out` (`[m]`) and `∂b_c/∂y_c` into `dOut` (`[m]`, optional).
 * `logits` is scratch of length ≥ K. For atoms at the centres with weights ∝ mass this is the exact
 * posterior mean, so the polynomials only learn the remainder (smooth across cell boundaries).
 */
export function mixtureBase(
  d: Float64Array,
  centers: Float64Array,
  logMass: Float64Array,
  K: number,
  m: number,
  inv2s2: number,
  logits: Float64Array,
  out: Float64Array,
  dOut?: Float64Array,
): void {
  let mx = -Infinity;
  for (let k = 0; k < K; k++) {
    const v = logMass[k]! - d[k]! * inv2s2;
    logits[k] = v;
    if (v > mx) mx = v;
  }
  for (let c = 0; c < m; c++) out[c] = 0;
  if (dOut) for (let c = 0; c < m; c++) dOut[c] = 0;
  if (mx === -Infinity) return;
  if (K === 1) {
    for (let c = 0; c < m; c++) out[c] = centers[c]!;
    return;
  }
  let z = 0;
  for (let k = 0; k < K; k++) {
    const v = logits[k]! - mx;
    const e = v > -BASE_CUTOFF ? expNonPositive(v) : 0;
    logits[k] = e;
    z += e;
  }
  const iz = 1 / z;
  for (let k = 0; k < K; k++) {
    const p = logits[k]! * iz;
    if (p === 0) continue;
    for (let c = 0; c < m; c++) {
      const v = centers[k * m + c]!;
      out[c] = out[c]! + p * v;
      if (dOut) dOut[c] = dOut[c]! + p * v * v;
    }
  }
  // ∂b_c/∂y_c = Var_π(c_{·,c})/σ² = (Σπ c² − (Σπ c)²)·2·inv2s2.
  if (dOut) for (let c = 0; c < m; c++) dOut[c] = Math.max(0, dOut[c]! - out[c]! ** 2) * 2 * inv2s2;
}

/** Reusable buffers of {@link predictVoronoi}. */
export interface VoronoiWorkspace {
  readonly u: Float64Array;
  readonly phi: Float64Array;
  readonly grad: Float64Array;
  readonly clipped: Uint8Array;
  /** Squared distances to the centres and logits (grown on demand). */
  dist: Float64Array;
  logits: Float64Array;
  readonly base: Float64Array;
  readonly dBase: Float64Array;
  readonly acc: Float64Array;
}

/**
 * Evaluates f̂ of one level at the projected points `w` (`[rows, m]`) into `out`, optionally the
 * divergence `∇·f̂` into `div`. Inputs are clipped to the cell's training box and outputs to
 * `[outLower, outUpper]`; clipped coordinates contribute zero to the divergence.
 */
export function predictVoronoi(
  level: VoronoiLevel,
  sigma0: number,
  feats: LevelFeatures,
  ws: VoronoiWorkspace,
  w: Float64Array,
  rows: number,
  out: Float64Array,
  outLower: Float64Array,
  outUpper: Float64Array,
  div?: Float64Array,
  cellsOut?: Int32Array,
): void {
  const m = feats.dim;
  const sig = Math.sqrt(sigma0 * sigma0 + level.t);
  const inv = 1 / sig;
  const { centers, lower, upper, degrees, coefficients } = level;
  const K = degrees.length;
  const { u, phi, grad, clipped } = ws;
  if (ws.dist.length < K) {
    ws.dist = new Float64Array(K);
    ws.logits = new Float64Array(K);
  }
  const { dist, logits, base, dBase, acc } = ws;
  const logMass = level.base ? logOf(level.mass) : dist;
  const inv2s2 = 0.5 * inv * inv;
  const noClip = level.clip === false;
  for (let i = 0; i < rows; i++) {
    const wo = i * m;
    const best = nearestRow(w, wo, centers, K, m, dist);
    if (level.base) mixtureBase(dist, centers, logMass, K, m, inv2s2, logits, base, div ? dBase : undefined);
    if (cellsOut) cellsOut[i] = best;
    for (let j = 0; j < m; j++) {
      let v = (w[wo + j]! - centers[best * m + j]!) * inv;
      clipped[j] = 0;
      const lo = lower[best * m + j]!;
      const hi = upper[best * m + j]!;
      if (noClip) {
        /* the paper preset: no clipping */
      } else if (v < lo) {
        v = lo;
        clipped[j] = 1;
      } else if (v > hi) {
        v = hi;
        clipped[j] = 1;
      }
      u[j] = v;
    }
    const p = feats.sizeByDegree[degrees[best]!]!;
    const B = coefficients[best]!;
    if (div) feats.basis.gradient(u, phi, grad);
    else feats.basis.evaluate(u, 1, phi);
    let dv = 0;
    for (let c = 0; c < m; c++) acc[c] = level.base ? base[c]! : 0;
    for (let a = 0; a < p; a++) {
      const v = phi[a]!;
      const ro = a * m;
      for (let c = 0; c < m; c++) acc[c] = acc[c]! + v * B[ro + c]!;
    }
    for (let c = 0; c < m; c++) {
      const s = acc[c]!;
      let oc = s;
      if (oc < outLower[c]!) oc = outLower[c]!;
      else if (oc > outUpper[c]!) oc = outUpper[c]!;
      out[wo + c] = oc;
      if (div && oc === s) {
        if (clipped[c] === 0) {
          let g = 0;
          const gc = c * feats.size;
          for (let a = 0; a < p; a++) g += grad[gc + a]! * B[a * m + c]!;
          dv += g * inv;
        }
        if (level.base) dv += dBase[c]!;
      }
    }
    if (div) div[i] = dv;
  }
}
