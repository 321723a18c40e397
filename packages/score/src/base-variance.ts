import { cholesky, choleskySolve, MixdiffError, type Rng } from "@mixdiff/core";
import type { Pool } from "./fit-gated-level.js";
import { createGateScratch, evaluateGates, GATE_CUTOFF, GATE_MEAN, logOf } from "./gates.js";

/** Responsibilities below this are treated as 0 in the score vectors and Jacobians (sparsity). */
const TINY = 1e-8;
/** Evaluation points per level of {@link baseVariance}. */
const EVAL_ROWS = 500;

/**
 * Asymptotic covariance of the atoms `θ = (c_1…c_K, a_1…a_K)` (centres and softmax logits of the weights) of the
 * mixture base, fitted by maximum likelihood at t = 0 (`x ~ Σ_k w_k N(c_k, σ0²I)`): the inverse of the observed
 * information `Σ_i g_i g_iᵀ` with the per-point scores `∂ℓ/∂c_k = r_k(x − c_k)/σ0²`, `∂ℓ/∂a_k = r_k − w_k`
 * (the logits' common shift, which changes nothing, gets a tiny ridge). `[D, D]` with `D = K(m+1)` (internal).
 */
export function atomCovariance(o: {
  centers: Float64Array;
  mass: Float64Array;
  data: Pool;
  m: number;
  sigma0: number;
}): Float64Array {
  const { m, data } = o;
  const K = o.mass.length;
  const D = K * (m + 1);
  const s2 = o.sigma0 * o.sigma0;
  const info = new Float64Array(D * D);
  const g = createGateScratch(m, K);
  const logMass = logOf(o.mass);
  const idx = new Int32Array(D);
  const val = new Float64Array(D);
  for (let i = 0; i < data.rows; i++) {
    evaluateGates(data.x, i * m, o.centers, logMass, K, m, 0.5 / s2, g, GATE_CUTOFF, 0);
    let L = 0;
    for (let j = 0; j < g.count; j++) {
      const r = g.pi[j]!;
      if (r < TINY) continue;
      const k = g.active[j]!;
      for (let c = 0; c < m; c++) {
        idx[L] = k * m + c;
        val[L++] = (r * (data.x[i * m + c]! - o.centers[k * m + c]!)) / s2;
      }
    }
    // ∂ℓ/∂a_k = r_k − w_k is non-zero for every k: dense part.
    for (let k = 0; k < K; k++) {
      let r = 0;
      for (let j = 0; j < g.count; j++) if (g.active[j] === k) r = g.pi[j]!;
      idx[L] = K * m + k;
      val[L++] = r - o.mass[k]!;
    }
    for (let a = 0; a < L; a++) {
      const ia = idx[a]! * D;
      const va = val[a]!;
      for (let b = 0; b < L; b++) info[ia + idx[b]!] = info[ia + idx[b]!]! + va * val[b]!;
    }
  }
  let trace = 0;
  for (let d = 0; d < D; d++) trace += info[d * D + d]!;
  for (let k = 0; k < K; k++) {
    const d = K * m + k;
    info[d * D + d] = info[d * D + d]! + 1e-9 * (trace / D);
  }
  const eye = new Float64Array(D * D);
  for (let d = 0; d < D; d++) eye[d * D + d] = 1;
  try {
    return choleskySolve(cholesky(info, D, { maxJitter: 1e-3 }), eye, D);
  } catch (e) {
    if (e instanceof MixdiffError) return new Float64Array(D * D).fill(Number.NaN);
    throw e;
  }
}

/**
 * Delta-method variance `E_y tr(J Cov Jᵀ)` of the mixture base `b(y) = Σ_k π_k(y)·c_k` at VE time t, over
 * held-out points noised at t, with the Jacobian `∂b/∂c_j = π_j I + π_j(c_j − b)(y − c_j)ᵀ/σ²`,
 * `∂b/∂a_j = π_j(c_j − b)` and `Cov` from {@link atomCovariance} (internal).
 */
export function baseVariance(o: {
  t: number;
  centers: Float64Array;
  mass: Float64Array;
  covariance: Float64Array;
  held: Pool;
  m: number;
  sigma0: number;
  rng: Rng;
}): number {
  const { m, t, centers, covariance: C } = o;
  const K = o.mass.length;
  const D = K * (m + 1);
  const s2 = o.sigma0 * o.sigma0 + t;
  const R = Math.min(EVAL_ROWS, o.held.rows);
  const y = new Float64Array(R * m);
  o.rng.fillNormal(y, 0, R * m);
  for (let q = 0; q < R * m; q++) y[q] = o.held.x[q]! + Math.sqrt(t) * y[q]!;
  const g = createGateScratch(m, K);
  const logMass = logOf(o.mass);
  const idx = new Int32Array(D);
  const J = new Float64Array(D * m);
  let total = 0;
  for (let i = 0; i < R; i++) {
    evaluateGates(y, i * m, centers, logMass, K, m, 0.5 / s2, g, GATE_CUTOFF, GATE_MEAN);
    const b = g.mean;
    let L = 0;
    for (let j = 0; j < g.count; j++) {
      const p = g.pi[j]!;
      if (p < TINY) continue;
      const k = g.active[j]!;
      for (let c = 0; c < m; c++) {
        idx[L] = k * m + c;
        // column of J for parameter c_k,c: ∂b_e/∂c_k,c = π δ_ec + π (c_k,e − b_e)(y_c − c_k,c)/σ²
        const yc = (y[i * m + c]! - centers[k * m + c]!) / s2;
        for (let e = 0; e < m; e++) J[L * m + e] = (e === c ? p : 0) + p * (centers[k * m + e]! - b[e]!) * yc;
        L++;
      }
      idx[L] = K * m + k;
      for (let e = 0; e < m; e++) J[L * m + e] = p * (centers[k * m + e]! - b[e]!);
      L++;
    }
    for (let a = 0; a < L; a++) {
      const ca = idx[a]! * D;
      for (let bb = 0; bb < L; bb++) {
        const cov = C[ca + idx[bb]!]!;
        let dot = 0;
        for (let e = 0; e < m; e++) dot += J[a * m + e]! * J[bb * m + e]!;
        total += cov * dot;
      }
    }
  }
  return total / R;
}
