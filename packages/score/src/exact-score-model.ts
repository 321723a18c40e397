import { createPoints, MixdiffError, type Points, type PointsLike, toPoints } from "@mixdiff/core";
import { type AtomsSpec, type Distribution, responsibilities } from "@mixdiff/mixtures";
import type { ScoreModel } from "./score-model.js";

/**
 * The exact (oracle) score model of a distribution: a {@link ScoreModel} whose `score` and `posteriorMean` accept
 * any batch (`Points`, `number[][]` or an ml-matrix `Matrix`), like every public function.
 *
 * @example
 * ```ts
 * import { gaussianMixture } from "@mixdiff/mixtures";
 * import { exactScoreModel, type ExactScoreModel } from "@mixdiff/score";
 * const oracle: ExactScoreModel = exactScoreModel(gaussianMixture({ means: [[-4], [4]] }));
 * oracle.score([[0], [4]], 1).rows; // 2: ∇ln p_1 at y = 0 and y = 4
 * ```
 */
export interface ExactScoreModel extends ScoreModel {
  /** E[μ | Y_t = y] for each row of `y` (`Points`, `number[][]` or `Matrix`). Writes into `out` when given. */
  posteriorMean(y: PointsLike, t: number, out?: Points): Points;
  /** ∇ln p_t(y) for each row of `y` (`Points`, `number[][]` or `Matrix`). Writes into `out` when given. */
  score(y: PointsLike, t: number, out?: Points): Points;
  /**
   * `∇·s(y, t) = (∇·f_t(y) − dim)/σ²`, σ² = σ0² + t, for each row of `y` (`[rows]`). Discrete mixtures (`atoms`):
   * exact, `∇·f_t = tr Cov(μ | Y_t = y)/σ²` from the responsibilities. Other mixing families: central differences of
   * `posteriorMean` with step `h = 1e-4·σ` (truncation error ≈ (h/σ)²·(R/σ)² relative, R the support radius;
   * rounding ≈ 1e-16·|f|/h), i.e. about 1e-7 relative at t = 0 for R ≈ 5σ0, smaller at larger t.
   */
  divergence(y: PointsLike, t: number): Float64Array;
}

/**
 * The exact score model of a `@mixdiff/mixtures` distribution (the oracle): `posteriorMean` and
 * `score` come from the distribution's closed forms (log-sum-exp for atoms, quadrature for continuous
 * mixing laws), and so does `divergence` for atoms (a central difference for the other families); `tMax` is
 * `Infinity`.
 *
 * @example
 * ```ts
 * import { gaussianMixture } from "@mixdiff/mixtures";
 * import { exactScoreModel } from "@mixdiff/score";
 * import { toPoints } from "@mixdiff/core";
 * const oracle = exactScoreModel(gaussianMixture({ means: [[-4, 0], [4, 0]], weights: [0.5, 0.5] }));
 * oracle.score(toPoints([[0, 0]]), 1).data; // Float64Array [0, 0] (by symmetry)
 * oracle.score([[0, 0]], 1).data; // the same: a number[][] (or a Matrix) is accepted too
 * oracle.divergence([[0, 0]], 1); // Float64Array [∇·s]: (tr Cov(μ | y)/σ² − 2)/σ² with σ² = 2
 * ```
 */
export function exactScoreModel(d: Distribution): ExactScoreModel {
  if (!d || typeof d.posteriorMean !== "function" || typeof d.mean !== "function" || !(d.noiseStd > 0)) {
    throw new MixdiffError("INVALID_INPUT", "exactScoreModel: expected a Distribution from @mixdiff/mixtures");
  }
  const n = d.dim;
  const sigma0 = d.noiseStd;
  const mean = Float64Array.from(d.mean());
  // The public boundary: t first, then any PointsLike converted once (shape and finiteness checked).
  const batch = (fn: string, input: PointsLike, t: number): Points => {
    if (!(typeof t === "number" && t >= 0 && t < Infinity)) {
      throw new MixdiffError("INVALID_INPUT", `${fn}: t must be a finite number ≥ 0; got ${t}`, { path: "t" });
    }
    return toPoints(input, { name: `${fn}: y (the model has dim ${n})`, expectedCols: n });
  };
  const posteriorMean = (input: PointsLike, t: number, out?: Points): Points => {
    const y = batch("posteriorMean", input, t);
    return d.posteriorMean(y, t, out ?? createPoints(y.rows, n));
  };
  const score = (input: PointsLike, t: number, out?: Points): Points => {
    const y = batch("score", input, t);
    return d.score(y, t, out ?? createPoints(y.rows, n));
  };
  // Atoms: tr Cov(μ | y) = Σ_i π_i |μ_i − f|², f = Σ_i π_i μ_i (so ∇·f = tr Cov/σ², Tweedie's second moment).
  const spec = d.mixing?.kind === "atoms" ? (d.toSpec().mixing as AtomsSpec) : undefined;
  const atoms = spec ? Float64Array.from(spec.points.flat()) : undefined;
  const atomsTraceCov = (y: Points, t: number): Float64Array => {
    const pi = responsibilities(d, y, t);
    const k = pi.cols;
    const mu = atoms as Float64Array;
    const out = new Float64Array(y.rows);
    const f = new Float64Array(n);
    for (let r = 0; r < y.rows; r++) {
      f.fill(0);
      for (let i = 0; i < k; i++) {
        const p = pi.data[r * k + i]!;
        for (let c = 0; c < n; c++) f[c] = f[c]! + p * mu[i * n + c]!;
      }
      let tr = 0;
      for (let i = 0; i < k; i++) {
        let d2 = 0;
        for (let c = 0; c < n; c++) d2 += (mu[i * n + c]! - f[c]!) ** 2;
        tr += pi.data[r * k + i]! * d2;
      }
      out[r] = tr;
    }
    return out;
  };
  // Other families: σ²·∇·f by central differences, 2·dim posterior means per row, batched.
  const differencedTrace = (y: Points, t: number, s2: number): Float64Array => {
    const h = 1e-4 * Math.sqrt(s2);
    const probe = createPoints(2 * n * y.rows, n);
    for (let r = 0; r < y.rows; r++) {
      for (let j = 0; j < n; j++) {
        for (const [q, sign] of [
          [2 * (r * n + j), 1],
          [2 * (r * n + j) + 1, -1],
        ] as const) {
          probe.data.set(y.data.subarray(r * n, r * n + n), q * n);
          probe.data[q * n + j] = probe.data[q * n + j]! + sign * h;
        }
      }
    }
    const f = d.posteriorMean(probe, t, createPoints(probe.rows, n)).data;
    const out = new Float64Array(y.rows);
    for (let r = 0; r < y.rows; r++) {
      let tr = 0;
      for (let j = 0; j < n; j++) {
        const q = 2 * (r * n + j);
        tr += (f[q * n + j]! - f[(q + 1) * n + j]!) / (2 * h);
      }
      out[r] = tr * s2;
    }
    return out;
  };
  const divergence = (input: PointsLike, t: number): Float64Array => {
    const y = batch("divergence", input, t);
    const s2 = sigma0 * sigma0 + t;
    const div = atoms ? atomsTraceCov(y, t) : differencedTrace(y, t, s2);
    for (let i = 0; i < y.rows; i++) {
      const v = (div[i]! / s2 - n) / s2;
      if (!Number.isFinite(v)) {
        throw new MixdiffError("NUMERICAL_FAILURE", `divergence: non-finite output at row ${i} (t = ${t})`, { row: i });
      }
      div[i] = v;
    }
    return div;
  };
  return Object.freeze({ dim: n, sigma0, mean, tMax: Infinity, posteriorMean, score, divergence });
}
