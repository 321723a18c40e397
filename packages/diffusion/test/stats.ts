import type { Points, Rng } from "@mixdiff/core";

/** Direct samples of `Σ w_i N(μ_i, σ0² I)` (the truth the samplers are compared with). */
export function sampleAtoms(atoms: number[][], weights: number[], sigma0: number, n: number, rng: Rng): Points {
  const dim = atoms[0]!.length;
  const data = new Float64Array(n * dim);
  for (let r = 0; r < n; r++) {
    let u = rng.uniform();
    let i = 0;
    while (i < weights.length - 1 && u >= weights[i]!) u -= weights[i++]!;
    for (let c = 0; c < dim; c++) data[r * dim + c] = atoms[i]![c]! + sigma0 * rng.normal();
  }
  return { data, rows: n, cols: dim };
}

/** Index of the nearest atom for every row. */
export function nearestAtom(p: Points, atoms: number[][]): Int32Array {
  const out = new Int32Array(p.rows);
  for (let r = 0; r < p.rows; r++) {
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < atoms.length; i++) {
      let d = 0;
      for (let c = 0; c < p.cols; c++) d += (p.data[r * p.cols + c]! - atoms[i]![c]!) ** 2;
      if (d < best) {
        best = d;
        out[r] = i;
      }
    }
  }
  return out;
}

/** Mean and the variance of the per-row statistic `g(row)` over a batch. */
export function meanVar(values: ArrayLike<number>): { mean: number; variance: number; n: number } {
  const n = values.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += values[i]!;
  m /= n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (values[i]! - m) ** 2;
  return { mean: m, variance: v / (n - 1), n };
}

/**
 * Unbiased MMD² with a Gaussian kernel of bandwidth h between x and y, and its permutation null
 * (mean and standard deviation over `perms` random splits of the pooled sample).
 */
export function mmdTest(
  x: Points,
  y: Points,
  h: number,
  perms: number,
  rng: Rng,
): { mmd2: number; nullMean: number; nullSd: number } {
  const m = x.rows;
  const n = y.rows;
  const d = x.cols;
  const N = m + n;
  const pool = new Float64Array(N * d);
  pool.set(x.data, 0);
  pool.set(y.data, m * d);
  const K = new Float64Array(N * N);
  for (let i = 0; i < N; i++) {
    for (let j = i + 1; j < N; j++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += (pool[i * d + c]! - pool[j * d + c]!) ** 2;
      const k = Math.exp(-s / (2 * h * h));
      K[i * N + j] = k;
      K[j * N + i] = k;
    }
  }
  const stat = (inX: Uint8Array) => {
    let xx = 0;
    let yy = 0;
    let xy = 0;
    for (let i = 0; i < N; i++) {
      for (let j = i + 1; j < N; j++) {
        const k = K[i * N + j]!;
        if (inX[i] && inX[j]) xx += k;
        else if (!inX[i] && !inX[j]) yy += k;
        else xy += k;
      }
    }
    return (2 * xx) / (m * (m - 1)) + (2 * yy) / (n * (n - 1)) - (2 * xy) / (m * n);
  };
  const label = new Uint8Array(N);
  for (let i = 0; i < m; i++) label[i] = 1;
  const mmd2 = stat(label);
  const nulls: number[] = [];
  const idx = Array.from({ length: N }, (_, i) => i);
  for (let p = 0; p < perms; p++) {
    for (let i = N - 1; i > 0; i--) {
      const j = Math.floor(rng.uniform() * (i + 1));
      [idx[i], idx[j]] = [idx[j]!, idx[i]!];
    }
    const perm = new Uint8Array(N);
    for (let i = 0; i < m; i++) perm[idx[i]!] = 1;
    nulls.push(stat(perm));
  }
  const mv = meanVar(nulls);
  return { mmd2, nullMean: mv.mean, nullSd: Math.sqrt(mv.variance) };
}
