import { createPoints, type Points } from "@mixdiff/core";
import type { ScoreModel } from "@mixdiff/score";

/**
 * The exact VE score model of `P0 = Σ w_i N(μ_i, σ0² I)` (test oracle): posterior mean
 * `f_t(y) = Σ π_i(y) μ_i`, `π = softmax(ln w_i + ⟨y, μ_i⟩/σ² − |μ_i|²/(2σ²))`, score `(f − y)/σ²`, σ² = σ0² + t.
 */
export function atomsModel(atoms: number[][], weights: number[], sigma0 = 1): ScoreModel {
  const k = atoms.length;
  const dim = atoms[0]!.length;
  const mu = Float64Array.from(atoms.flat());
  const mean = new Float64Array(dim);
  for (let i = 0; i < k; i++) for (let c = 0; c < dim; c++) mean[c]! += weights[i]! * mu[i * dim + c]!;
  const logW = Float64Array.from(weights, Math.log);
  const half = Float64Array.from(atoms, (a) => 0.5 * a.reduce((s, v) => s + v * v, 0));
  const logits = new Float64Array(k);
  const posteriorMean = (y: Points, t: number, out: Points = createPoints(y.rows, dim)): Points => {
    const s2 = sigma0 * sigma0 + t;
    for (let r = 0; r < y.rows; r++) {
      let max = -Infinity;
      for (let i = 0; i < k; i++) {
        let dot = 0;
        for (let c = 0; c < dim; c++) dot += y.data[r * dim + c]! * mu[i * dim + c]!;
        const l = logW[i]! + (dot - half[i]!) / s2;
        logits[i] = l;
        if (l > max) max = l;
      }
      let z = 0;
      for (let i = 0; i < k; i++) z += logits[i] = Math.exp(logits[i]! - max);
      for (let c = 0; c < dim; c++) {
        let f = 0;
        for (let i = 0; i < k; i++) f += logits[i]! * mu[i * dim + c]!;
        out.data[r * dim + c] = f / z;
      }
    }
    return out;
  };
  return {
    dim,
    sigma0,
    mean,
    tMax: Number.POSITIVE_INFINITY,
    posteriorMean,
    score(y, t, out = createPoints(y.rows, dim)) {
      const s2 = sigma0 * sigma0 + t;
      posteriorMean(y, t, out);
      for (let i = 0; i < y.data.length; i++) out.data[i] = (out.data[i]! - y.data[i]!) / s2;
      return out;
    },
  };
}

/**
 * The exact VE score model of `N(m, diag(v))` with `v_j ≥ σ0²` (so it is `Q0 * N(0, σ0² I)` with
 * `Q0 = N(m, diag(v − σ0²))`): score `−(y − m)/(v + t)`, posterior mean `y + (σ0² + t)·score`.
 */
export function gaussianModel(m: number[], v: number[], sigma0 = 1): ScoreModel {
  const dim = m.length;
  const mean = Float64Array.from(m);
  const score = (y: Points, t: number, out: Points = createPoints(y.rows, dim)): Points => {
    for (let r = 0; r < y.rows; r++) {
      for (let c = 0; c < dim; c++) out.data[r * dim + c] = -(y.data[r * dim + c]! - m[c]!) / (v[c]! + t);
    }
    return out;
  };
  return {
    dim,
    sigma0,
    mean,
    tMax: Number.POSITIVE_INFINITY,
    score,
    posteriorMean(y, t, out = createPoints(y.rows, dim)) {
      score(y, t, out);
      const s2 = sigma0 * sigma0 + t;
      for (let i = 0; i < y.data.length; i++) out.data[i] = y.data[i]! + s2 * out.data[i]!;
      return out;
    },
  };
}
