import { expNonPositive } from "./exp-non-positive.js";
/**
 * Soft gates of a level: the responsibilities `π_k(y) ∝ mass_k·exp(−|y − c_k|²/2σ²)` of isotropic Gaussians
 * of variance σ² at the warm starts c_k — the posterior probabilities of the atoms when `Q0 = Σ_k mass_k δ_{c_k}`.
 * They form a smooth partition of unity; the mixture base `b(y) = Σ_k π_k(y)·c_k` is that posterior's mean.
 * Gates whose logit is more than {@link GATE_CUTOFF} below the largest are exactly 0, so a row touches only
 * the few gates near it (internal).
 */

/** Logit gap beyond which a gate is treated as exactly 0 (e^-36 ≈ 2e-16 relative: no visible jump). */
export const GATE_CUTOFF = 36;
/** Gate weight below which a gate's polynomial correction is off (see {@link correctionWeight}). */
export const CORRECTION_OFF = 0.01;
/** Gate weight above which a gate's polynomial correction has its full weight π. */
export const CORRECTION_ON = 0.05;
const LOG_OFF = Math.log(CORRECTION_OFF);
const LOG_SPAN = Math.log(CORRECTION_ON) - LOG_OFF;

/**
 * Weight `w(π)` of a gate's polynomial correction and its derivative `w′(π)`: `w = π` for π ≥ 0.05, `w = 0`
 * for π ≤ 0.01, and `π·s(x)` in between with the smoothstep `s(x) = 3x² − 2x³` of
 * `x = ln(π/0.01)/ln 5`. The corrections thus switch off smoothly (C¹) where a gate holds under 1 % of the
 * weight — a row touches the few gates near it, not every overlapping one — while f̂ stays continuously
 * differentiable, which the Stein and ISM estimators need (a jump would add boundary terms to ∇·f̂).
 * Writes `w` to `out[0]` and `w′` to `out[1]`: the hot loops call it once per active gate and row, and an object
 * returned from it would be allocated there.
 */
export function correctionWeight(pi: number, out: Float64Array): void {
  if (pi >= CORRECTION_ON) {
    out[0] = pi;
    out[1] = 1;
  } else if (pi <= CORRECTION_OFF) {
    out[0] = 0;
    out[1] = 0;
  } else {
    const x = (Math.log(pi) - LOG_OFF) / LOG_SPAN;
    const sm = x * x * (3 - 2 * x);
    const ds = 6 * x * (1 - x);
    out[0] = pi * sm;
    out[1] = sm + ds / LOG_SPAN;
  }
}

/** {@link evaluateGates} flag: compute the weights' mean of the centres, `GateScratch.mean`. */
export const GATE_MEAN = 1;
/** {@link evaluateGates} flag: compute `GateScratch.logNormaliser`. */
export const GATE_LOG = 2;

/** Scratch for {@link evaluateGates}: the active gate indices and their weights, grown on demand. */
export interface GateScratch {
  /** Number of active gates of the last evaluated row. */
  count: number;
  active: Int32Array;
  pi: Float64Array;
  logits: Float64Array;
  /** `c̄ = Σ π_k c_k` of the last row (`[m]`). */
  readonly mean: Float64Array;
  /** `ln Σ_k exp(logit_k)` of the last row: its log-likelihood under the atoms, up to `−(m/2)ln(2πσ²)`. */
  logNormaliser: number;
}

/** Scratch for gates in `m` dimensions. */
export function createGateScratch(m: number, K = 16): GateScratch {
  return {
    count: 0,
    active: new Int32Array(K),
    pi: new Float64Array(K),
    logits: new Float64Array(K),
    mean: new Float64Array(m),
    logNormaliser: 0,
  };
}

/**
 * Gates of the row `y[yOff .. yOff+m)` for centres `centers` (`[K, m]`) with log-masses `logMass`
 * (−∞ for an empty gate) at variance σ² (`inv2s2 = 1/2σ²`). Writes the active gates (ascending index) and
 * their normalised weights into `g`, and what `moments` asks for (both by default): `c̄ = Σ π_k c_k`
 * ({@link GATE_MEAN}) and the log-normaliser ({@link GATE_LOG}) — a caller skips what it does not read (EM
 * needs the log-normaliser, the regression the mean, the boxes neither); returns the index of the nearest-by-logit
 * gate.
 */
export function evaluateGates(
  y: Float64Array,
  yOff: number,
  centers: Float64Array,
  logMass: Float64Array,
  K: number,
  m: number,
  inv2s2: number,
  g: GateScratch,
  cutoff = GATE_CUTOFF,
  moments = GATE_MEAN | GATE_LOG,
): number {
  if (g.logits.length < K) {
    g.active = new Int32Array(K);
    g.pi = new Float64Array(K);
    g.logits = new Float64Array(K);
  }
  const { logits, active, pi, mean } = g;
  let mx = -Infinity;
  let best = 0;
  if (m === 2) {
    // The plane and space written out — the usual simulated dimensions — with the loop's sums (0 + v0² is v0²).
    const y0 = y[yOff]!;
    const y1 = y[yOff + 1]!;
    for (let k = 0; k < K; k++) {
      const v0 = y0 - centers[2 * k]!;
      const v1 = y1 - centers[2 * k + 1]!;
      const l = logMass[k]! - (v0 * v0 + v1 * v1) * inv2s2;
      logits[k] = l;
      if (l > mx) {
        mx = l;
        best = k;
      }
    }
  } else if (m === 3) {
    const y0 = y[yOff]!;
    const y1 = y[yOff + 1]!;
    const y2 = y[yOff + 2]!;
    for (let k = 0; k < K; k++) {
      const v0 = y0 - centers[3 * k]!;
      const v1 = y1 - centers[3 * k + 1]!;
      const v2 = y2 - centers[3 * k + 2]!;
      const l = logMass[k]! - (v0 * v0 + v1 * v1 + v2 * v2) * inv2s2;
      logits[k] = l;
      if (l > mx) {
        mx = l;
        best = k;
      }
    }
  } else {
    for (let k = 0; k < K; k++) {
      let d = 0;
      const co = k * m;
      for (let c = 0; c < m; c++) {
        const v = y[yOff + c]! - centers[co + c]!;
        d += v * v;
      }
      const l = logMass[k]! - d * inv2s2;
      logits[k] = l;
      if (l > mx) {
        mx = l;
        best = k;
      }
    }
  }
  let n = 0;
  let z = 0;
  for (let k = 0; k < K; k++) {
    const v = logits[k]! - mx;
    if (v > -cutoff) {
      const e = k === best ? 1 : expNonPositive(v); // exp(0) = 1 exactly
      active[n] = k;
      pi[n] = e;
      z += e;
      n++;
    }
  }
  const iz = 1 / z;
  g.count = n;
  if (moments & GATE_MEAN) {
    mean.fill(0);
    for (let j = 0; j < n; j++) {
      const p = pi[j]! * iz;
      pi[j] = p;
      const co = active[j]! * m;
      for (let c = 0; c < m; c++) mean[c] = mean[c]! + p * centers[co + c]!;
    }
  } else for (let j = 0; j < n; j++) pi[j] = pi[j]! * iz;
  if (moments & GATE_LOG) g.logNormaliser = mx + Math.log(z);
  return best;
}

/** `ln v` elementwise (−∞ for v ≤ 0). */
export function logOf(v: Float64Array): Float64Array {
  return v.map((x) => (x > 0 ? Math.log(x) : -Infinity));
}
