import {
  CORRECTION_OFF,
  correctionWeight,
  evaluateGates,
  GATE_CUTOFF,
  GATE_MEAN,
  type GateScratch,
  logOf,
} from "./gates.js";
import type { LevelFeatures } from "./level-features.js";

/**
 * One learned level of the default learner: a **soft-gated** piecewise polynomial in the m projected coordinates,
 *
 * `f̂(y) = Σ_k π_k(y)·c_k + Σ_k w(π_k(y))·P_k(u_k)`,  `u_k = clip((y − c_k)/σ, box_k)`,
 *
 * with the gates π_k of `gates.ts` (responsibilities of the warm starts c_k at variance σ² = σ0² + t), the
 * correction weights `w(π)` of `correctionWeight` (π above 5 %, 0 below 1 %, C¹ in between) and per-gate
 * polynomials `P_k` in normalised Hermite features (coefficients `[p_k, m]`). The first sum — the mixture
 * base — is the posterior mean of the atoms `Σ mass_k δ_{c_k}`; the polynomials correct it.
 * Hard Voronoi cells are the limit of sharp gates; the soft partition of unity makes f̂ smooth, so its
 * divergence is exact everywhere (no jumps at cell boundaries).
 */
export interface GatedLevel {
  readonly kind: "gated";
  /** VE time of the level (≥ 0). */
  readonly t: number;
  /** Gate centres `[K, m]`. */
  readonly centers: Float64Array;
  /** Gate masses (sum 1). */
  readonly mass: Float64Array;
  /** Degree of each gate's polynomial. */
  readonly degrees: Int32Array;
  /** Per gate `[p_k, m]` coefficients in normalised Hermite features of `(y − c_k)/σ`. */
  readonly coefficients: readonly Float64Array[];
  /** Per gate standardised-input box `[K, m]` (inputs are clipped to it). */
  readonly lower: Float64Array;
  readonly upper: Float64Array;
}

/** Reusable buffers of {@link predictGated}. */
export interface GatedWorkspace {
  readonly gates: GateScratch;
  readonly u: Float64Array;
  readonly clipped: Uint8Array;
  readonly phi: Float64Array;
  readonly grad: Float64Array;
  readonly poly: Float64Array;
  /** Per output coordinate: its share of the divergence (`∂_c f̂_c`). */
  readonly dcoord: Float64Array;
  /** A gate's correction weight and its slope (`correctionWeight`). */
  readonly cw: Float64Array;
  logMass: Float64Array;
  logMassOf: Float64Array | undefined;
  /** Per gate: 1 where its correction's coefficients are all zero (the base alone), for the level `zeroOf`. */
  zero: Uint8Array;
  zeroOf: readonly Float64Array[] | undefined;
}

/** Evaluates f̂ of a gated level at `w` (`[rows, m]`) into `out`; optionally `∇·f̂` into `div` (exact). */
export function predictGated(
  level: GatedLevel,
  sigma0: number,
  feats: LevelFeatures,
  ws: GatedWorkspace,
  w: Float64Array,
  rows: number,
  out: Float64Array,
  outLower: Float64Array,
  outUpper: Float64Array,
  div?: Float64Array,
): void {
  const m = feats.dim;
  const s2 = sigma0 * sigma0 + level.t;
  const inv = 1 / Math.sqrt(s2);
  const inv2s2 = 0.5 / s2;
  const { centers, lower, upper, degrees, coefficients } = level;
  const K = degrees.length;
  if (ws.logMassOf !== level.mass) {
    ws.logMass = logOf(level.mass);
    ws.logMassOf = level.mass;
  }
  if (ws.zeroOf !== coefficients) {
    // A gate whose coefficients are all zero adds exactly +0 to f̂ and to its divergence: skip its features (most
    // gates of most levels, where the cross-validated choice kept the base alone).
    ws.zero = Uint8Array.from(coefficients, (B) => (B.every((v) => v === 0) ? 1 : 0));
    ws.zeroOf = coefficients;
  }
  const { gates, u, clipped, phi, grad, poly, dcoord, zero, cw } = ws;
  const size = feats.size;
  for (let i = 0; i < rows; i++) {
    const wo = i * m;
    evaluateGates(w, wo, centers, ws.logMass, K, m, inv2s2, gates, GATE_CUTOFF, div ? GATE_MEAN : 0); // the divergence reads c̄; nothing here reads the log-normaliser
    for (let c = 0; c < m; c++) {
      out[wo + c] = 0;
      dcoord[c] = 0;
    }
    for (let j = 0; j < gates.count; j++) {
      const k = gates.active[j]!;
      const pi = gates.pi[j]!;
      const co = k * m;
      // The base: π_k·c_k, ∂_c(π_k c_k,c) = π_k (c_k,c − c̄_c) c_k,c/σ².
      for (let c = 0; c < m; c++) {
        const ck = centers[co + c]!;
        out[wo + c] = out[wo + c]! + pi * ck;
        if (div) dcoord[c] = dcoord[c]! + pi * (ck - gates.mean[c]!) * ck * 2 * inv2s2;
      }
      if (pi <= CORRECTION_OFF || zero[k] === 1) continue;
      correctionWeight(pi, cw);
      const pk = cw[0]!;
      const dw = cw[1]!;
      for (let c = 0; c < m; c++) {
        let v = (w[wo + c]! - centers[co + c]!) * inv;
        clipped[c] = 0;
        const lo = lower[co + c]!;
        const hi = upper[co + c]!;
        if (v < lo) {
          v = lo;
          clipped[c] = 1;
        } else if (v > hi) {
          v = hi;
          clipped[c] = 1;
        }
        u[c] = v;
      }
      const p = feats.sizeByDegree[degrees[k]!]!;
      const B = coefficients[k]!;
      if (div) feats.basis.gradient(u, phi, grad);
      else feats.basis.evaluate(u, 1, phi);
      for (let c = 0; c < m; c++) poly[c] = 0;
      for (let a = 0; a < p; a++) {
        const v = phi[a]!;
        const ro = a * m;
        for (let c = 0; c < m; c++) poly[c] = poly[c]! + v * B[ro + c]!;
      }
      for (let c = 0; c < m; c++) out[wo + c] = out[wo + c]! + pk * poly[c]!;
      if (div) {
        // ∂_c[w(π_k)P_k,c] = w′(π_k)·π_k(c_k,c − c̄_c)/σ²·P_k,c + w(π_k)·(∂φ/∂u_c)·B/σ (0 where clipped).
        for (let c = 0; c < m; c++) {
          let g = dw * pi * (centers[co + c]! - gates.mean[c]!) * poly[c]! * 2 * inv2s2;
          if (clipped[c] === 0) {
            const gc = c * size;
            let s = 0;
            for (let a = 0; a < p; a++) s += grad[gc + a]! * B[a * m + c]!;
            g += pk * s * inv;
          }
          dcoord[c] = dcoord[c]! + g;
        }
      }
    }
    let dv = 0;
    for (let c = 0; c < m; c++) {
      const s = out[wo + c]!;
      // A clipped output coordinate is locally constant: it adds nothing to the divergence.
      if (s < outLower[c]!) out[wo + c] = outLower[c]!;
      else if (s > outUpper[c]!) out[wo + c] = outUpper[c]!;
      else dv += dcoord[c]!;
    }
    if (div) div[i] = dv;
  }
}
