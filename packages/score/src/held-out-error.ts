import type { Rng } from "@mixdiff/core";
import {
  cellValue,
  type LevelFeatures,
  type LevelState,
  type PredictWorkspace,
  predictLevel,
} from "./level-predictor.js";

/** Half-width of the slab around a cell boundary, in units of σ, for the jump term of ∇·f̂. */
const JUMP_SLAB = 0.2;

/**
 * Control-variate mean of L given k variates C of known mean 0: `mean L − βᵀ·mean C` with β the
 * least-squares coefficients β = Cov(C)⁻¹Cov(C, L) (a variate with no variance gets β = 0). The
 * estimated β makes the estimate biased by O(k/rows) only (internal).
 */
export class ControlVariates {
  readonly k: number;
  n = 0;
  sL = 0;
  readonly sC: Float64Array;
  readonly sLC: Float64Array;
  readonly sCC: Float64Array;
  constructor(k: number) {
    this.k = k;
    this.sC = new Float64Array(k);
    this.sLC = new Float64Array(k);
    this.sCC = new Float64Array(k * k);
  }
  add(L: number, c: Float64Array): void {
    const k = this.k;
    this.n++;
    this.sL += L;
    for (let a = 0; a < k; a++) {
      const ca = c[a] as number;
      this.sC[a] = (this.sC[a] as number) + ca;
      this.sLC[a] = (this.sLC[a] as number) + L * ca;
      for (let b = 0; b <= a; b++) this.sCC[a * k + b] = (this.sCC[a * k + b] as number) + ca * (c[b] as number);
    }
  }
  /** Coefficients β and the controlled mean. */
  estimate(): { value: number; beta: Float64Array } {
    const { k, n: R } = this;
    const beta = new Float64Array(k);
    if (R === 0) return { value: Infinity, beta };
    const mL = this.sL / R;
    const mC = Float64Array.from(this.sC, (v) => v / R);
    // Covariance system with Jacobi scaling; Gaussian elimination skipping degenerate pivots (k small).
    const A = new Float64Array(k * k);
    const rhs = new Float64Array(k);
    const scale = new Float64Array(k);
    for (let a = 0; a < k; a++) {
      const v = (this.sCC[a * k + a] as number) / R - (mC[a] as number) ** 2;
      scale[a] = v > 0 ? 1 / Math.sqrt(v) : 0;
    }
    for (let a = 0; a < k; a++) {
      rhs[a] = ((this.sLC[a] as number) / R - mL * (mC[a] as number)) * (scale[a] as number);
      for (let b = 0; b < k; b++) {
        const cov =
          (this.sCC[Math.max(a, b) * k + Math.min(a, b)] as number) / R - (mC[a] as number) * (mC[b] as number);
        A[a * k + b] = cov * (scale[a] as number) * (scale[b] as number);
      }
    }
    const active = Array.from({ length: k }, (_, a) => (scale[a] as number) > 0);
    for (let a = 0; a < k; a++) {
      if (!active[a]) continue;
      const piv = A[a * k + a] as number;
      if (!(piv > 1e-10)) {
        active[a] = false;
        continue;
      }
      for (let b = a + 1; b < k; b++) {
        if (!active[b]) continue;
        const f = (A[b * k + a] as number) / piv;
        for (let c = a; c < k; c++) A[b * k + c] = (A[b * k + c] as number) - f * (A[a * k + c] as number);
        rhs[b] = (rhs[b] as number) - f * (rhs[a] as number);
      }
    }
    for (let a = k - 1; a >= 0; a--) {
      if (!active[a]) continue;
      let v = rhs[a] as number;
      for (let c = a + 1; c < k; c++) if (active[c]) v -= (A[a * k + c] as number) * (beta[c] as number);
      beta[a] = v / (A[a * k + a] as number);
    }
    let value = mL;
    for (let a = 0; a < k; a++) {
      beta[a] = (beta[a] as number) * (scale[a] as number);
      value -= (beta[a] as number) * (mC[a] as number);
    }
    return { value, beta };
  }
}

/** Evaluation points of {@link estimateLevelError}: clean projected points `x` `[rows, m]` not used in regression. */
export interface EvaluationSet {
  readonly x: Float64Array;
  readonly rows: number;
  /** `|x_i|²` per point and its mean over all N data points (an x-only control variate). */
  readonly spread: Float64Array;
  readonly spreadMean: number;
}

/**
 * Estimate of the posterior-mean error `E|f̂ − f|²` of one learned level, under `p_t`, from clean points
 * the regression did not use, with fresh noise (internal).
 *
 * With `y = x + √t·ξ` and the paper's target `z = y − σ²ξ/√t`, `E|f̂(y) − z|² = E|f̂ − f|² + E|z − f|²`
 * and `E[|z − f|² | y] = σ²σ0²m/t + σ²∇·f(y)` (second-order Tweedie); ∇·f is replaced by ∇·f̂ (plug-in),
 * taken in the distributional sense: the pointwise divergence inside the cells plus the jumps of the
 * piecewise f̂ across cell boundaries, `∫_S p_t [f̂]·n dS`, estimated from the rows within `0.2σ` of the
 * bisector between their two nearest cells (`[f̂]·n / 2ε` per such row).
 * The plug-in error enters to first order: the estimate is `E|f̂ − f|² − σ²E[∇·(f̂ − f)]`, and for a
 * least-squares fit with linear features `σ²E[∇·(f̂ − f)] = E[(f̂ − f)·(y − f)]` (Stein) is close to the
 * part of the error outside the feature span — so the estimate mostly sees the estimation (variance) and
 * shrinkage parts of the error, not the approximation part. The variance of `|f̂(y) − z|²` grows like σ⁴/t; control variates of known mean
 * remove most of it: the χ² term `(σ⁴/t)(|ξ|² − m)`, `2(σ²/√t)(f̂(x) − x)·ξ` (mean 0 as ξ ⟂ x),
 * `|x|² − mean` and the coordinates `x_j` (mean 0 after centring). The standard error is taken over
 * per-point means.
 */
export function estimateLevelError(o: {
  level: LevelState;
  sigma0: number;
  feats: LevelFeatures;
  ws: PredictWorkspace;
  evalSet: EvaluationSet;
  draws: number;
  rng: Rng;
  outLower: Float64Array;
  outUpper: Float64Array;
}): { mse: number; standardError: number; loss: number; residual: number } {
  const { level, sigma0, feats, ws, evalSet, draws, outLower, outUpper } = o;
  const m = feats.dim;
  const t = level.t;
  const s02 = sigma0 * sigma0;
  const sigma2 = s02 + t;
  const sqt = Math.sqrt(t);
  const kappa = sigma2 / sqt;
  const nE = evalSet.rows;
  const rows = nE * draws;
  const X = evalSet.x;
  const xi = new Float64Array(rows * m);
  o.rng.fillNormal(xi, 0, rows * m);
  const y = new Float64Array(rows * m);
  for (let r = 0; r < rows; r++) {
    const i = Math.floor(r / draws);
    for (let c = 0; c < m; c++) y[r * m + c] = (X[i * m + c] as number) + sqt * (xi[r * m + c] as number);
  }
  const fy = new Float64Array(rows * m);
  const fx = new Float64Array(nE * m);
  const div = new Float64Array(rows);
  predictLevel(level, sigma0, feats, ws, y, rows, fy, outLower, outUpper, div);
  predictLevel(level, sigma0, feats, ws, X, nE, fx, outLower, outUpper);
  // Jump term of the divergence at cell boundaries.
  const jump = new Float64Array(rows);
  const { centers } = level;
  const Kc = level.degrees.length;
  if (Kc > 1) {
    const eps = JUMP_SLAB * Math.sqrt(sigma2);
    const fa = new Float64Array(m);
    const fb = new Float64Array(m);
    const zero = new Float64Array(m);
    const noLower = new Float64Array(m).fill(-Infinity);
    const noUpper = new Float64Array(m).fill(Infinity);
    for (let r = 0; r < rows; r++) {
      const yr = y.subarray(r * m, r * m + m);
      let k1 = 0;
      let k2 = 0;
      let d1 = Infinity;
      let d2 = Infinity;
      for (let k = 0; k < Kc; k++) {
        let d = 0;
        for (let c = 0; c < m; c++) d += ((yr[c] as number) - (centers[k * m + c] as number)) ** 2;
        if (d < d1) {
          d2 = d1;
          k2 = k1;
          d1 = d;
          k1 = k;
        } else if (d < d2) {
          d2 = d;
          k2 = k;
        }
      }
      let gap = 0;
      for (let c = 0; c < m; c++) gap += ((centers[k2 * m + c] as number) - (centers[k1 * m + c] as number)) ** 2;
      gap = Math.sqrt(gap);
      if (!(gap > 0) || (d2 - d1) / (2 * gap) >= eps) continue;
      // The base is continuous: the jump is that of the two cells' polynomials (output clipping, rare at a
      // boundary, is ignored).
      cellValue(level, k1, sigma0, feats, ws, yr, noLower, noUpper, zero, fa);
      cellValue(level, k2, sigma0, feats, ws, yr, noLower, noUpper, zero, fb);
      let J = 0;
      for (let c = 0; c < m; c++)
        J +=
          ((fb[c] as number) - (fa[c] as number)) * ((centers[k2 * m + c] as number) - (centers[k1 * m + c] as number));
      jump[r] = J / gap / (2 * eps);
    }
  }
  const K = 3 + m;
  const cv = new ControlVariates(K);
  const C = new Float64Array(rows * K);
  const L = new Float64Array(rows);
  const irreducible = (sigma2 * s02 * m) / t;
  let loss = 0;
  let residual = 0;
  for (let r = 0; r < rows; r++) {
    const i = Math.floor(r / draws);
    let l = -irreducible - sigma2 * ((div[r] as number) + (jump[r] as number));
    let chi = -m;
    let cx = 0;
    for (let c = 0; c < m; c++) {
      const f = fy[r * m + c] as number;
      const e = xi[r * m + c] as number;
      const yy = y[r * m + c] as number;
      const b = f - (yy - kappa * e);
      residual += (yy - f) ** 2;
      loss += b * b;
      l += b * b;
      chi += e * e;
      cx += ((fx[i * m + c] as number) - (X[i * m + c] as number)) * e;
    }
    const row = C.subarray(r * K, r * K + K);
    row[0] = chi * kappa * kappa;
    row[1] = 2 * kappa * cx;
    row[2] = (evalSet.spread[i] as number) - evalSet.spreadMean;
    for (let c = 0; c < m; c++) row[3 + c] = X[i * m + c] as number;
    L[r] = l;
    cv.add(l, row);
  }
  const { beta } = cv.estimate();
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < nE; i++) {
    let v = 0;
    for (let j = 0; j < draws; j++) {
      const r = i * draws + j;
      let e = L[r] as number;
      for (let a = 0; a < K; a++) e -= (beta[a] as number) * (C[r * K + a] as number);
      v += e;
    }
    v /= draws;
    sum += v;
    sumSq += v * v;
  }
  const mse = sum / nE;
  const standardError = Math.sqrt(Math.max(0, sumSq / nE - mse * mse) / Math.max(1, nE - 1));
  return { mse, standardError, loss: loss / rows, residual: residual / rows };
}
