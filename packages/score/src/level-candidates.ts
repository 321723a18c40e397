import { cholesky, MixdiffError } from "@mixdiff/core";
import type { LevelStatistics } from "./level-statistics.js";

/** One candidate of a level: polynomial degree and relative ridge; degree −1 is the zero correction (base only). */
export interface Candidate {
  readonly degree: number;
  readonly ridge: number;
}

/** A solved candidate: `[P(d), m]` coefficients in the graded layout. */
export interface CandidateFit extends Candidate {
  readonly coef: Float64Array;
  /** `max/min` of the squared Cholesky pivots of the Jacobi-scaled system (a cheap condition estimate). */
  readonly condition: number;
}

/**
 * Solves `(G + λ·diag G)·β = R` for every degree d ≤ `degree` (leading blocks `sizeByDegree[d]` of the
 * graded layout) with one Jacobi-scaled Cholesky factor per ridge λ: the factor of a leading block is the
 * leading block of the factor. The ridge is relative to each feature's own Gram diagonal and shrinks the
 * correction towards 0, i.e. f̂ towards the mixture base. Candidates whose factorisation fails are skipped.
 */
export function solveCandidates(
  stats: LevelStatistics,
  m: number,
  sizeByDegree: Int32Array,
  degree: number,
  ridges: readonly number[],
): CandidateFit[] {
  const P = sizeByDegree[degree]!;
  const Pfull = Math.round(Math.sqrt(stats.gram.length));
  const out: CandidateFit[] = [];
  if (P === 0 || stats.rows === 0) return out;
  const inv = 1 / stats.rows;
  const diag = new Float64Array(P);
  for (let i = 0; i < P; i++) diag[i] = stats.gram[i * Pfull + i]! * inv;
  const scale = Float64Array.from(diag, (v) => (v > 0 ? 1 / Math.sqrt(v) : 1));
  for (const ridge of ridges) {
    const A = new Float64Array(P * P);
    for (let i = 0; i < P; i++) {
      const si = scale[i]!;
      for (let j = 0; j < P; j++) A[i * P + j] = stats.gram[i * Pfull + j]! * inv * si * scale[j]!;
      A[i * P + i] = A[i * P + i]! + ridge * (diag[i]! > 0 ? 1 : 0);
    }
    let L: Float64Array;
    try {
      L = cholesky(A, P, { maxJitter: 1e-6 }).lower;
    } catch (e) {
      if (e instanceof MixdiffError) continue;
      throw e;
    }
    for (let d = 0; d <= degree; d++) {
      const Pd = sizeByDegree[d]!;
      const coef = prefixSolve(L, P, Pd, stats.rhs, m, scale, inv);
      if (!coef) continue;
      let lo = Infinity;
      let hi = 0;
      for (let i = 0; i < Pd; i++) {
        const v = L[i * P + i]! ** 2;
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      out.push({ degree: d, ridge, coef, condition: hi / lo });
    }
  }
  return out;
}

/** `β = D^{-1/2}(L_d L_dᵀ)^{-1} D^{-1/2} R/rows` for the leading `Pd` block of the factor `L` (`[P, P]`). */
function prefixSolve(
  L: Float64Array,
  P: number,
  Pd: number,
  rhs: Float64Array,
  m: number,
  scale: Float64Array,
  inv: number,
): Float64Array | undefined {
  const x = new Float64Array(Pd * m);
  for (let i = 0; i < Pd; i++) for (let c = 0; c < m; c++) x[i * m + c] = rhs[i * m + c]! * inv * scale[i]!;
  for (let i = 0; i < Pd; i++) {
    const li = i * P;
    for (let j = 0; j < i; j++) {
      const v = L[li + j]!;
      if (v === 0) continue;
      for (let c = 0; c < m; c++) x[i * m + c] = x[i * m + c]! - v * x[j * m + c]!;
    }
    const d = L[li + i]!;
    for (let c = 0; c < m; c++) x[i * m + c] = x[i * m + c]! / d;
  }
  for (let i = Pd - 1; i >= 0; i--) {
    for (let j = i + 1; j < Pd; j++) {
      const v = L[j * P + i]!;
      if (v === 0) continue;
      for (let c = 0; c < m; c++) x[i * m + c] = x[i * m + c]! - v * x[j * m + c]!;
    }
    const d = L[i * P + i]!;
    for (let c = 0; c < m; c++) x[i * m + c] = x[i * m + c]! / d;
  }
  for (let i = 0; i < Pd; i++) {
    for (let c = 0; c < m; c++) {
      const v = x[i * m + c]! * scale[i]!;
      if (!Number.isFinite(v)) return undefined;
      x[i * m + c] = v;
    }
  }
  return x;
}

/**
 * Loss of coefficients `β` (`[Pd, m]`, graded layout) relative to the base on the rows of `stats`:
 * `ΔL(β) = Σ_c (β_cᵀ G β_c − 2β_cᵀ R_c)/rows` — an unbiased estimate of `E|f̂_β − f|² − E|b − f|²` when
 * the rows are independent of β (0 for the zero correction). `quadraticOnly`: `Σ_c β_cᵀ G β_c/rows` alone,
 * the squared L²(p_t) norm of the correction `Φβ`.
 */
export function relativeLoss(stats: LevelStatistics, beta: Float64Array, m: number, quadraticOnly = false): number {
  if (stats.rows === 0) return 0;
  const Pd = beta.length / m;
  const P = Math.round(Math.sqrt(stats.gram.length));
  let s = 0;
  for (let i = 0; i < Pd; i++) {
    const gi = i * P;
    for (let c = 0; c < m; c++) {
      let gb = 0;
      for (let j = 0; j < Pd; j++) gb += stats.gram[gi + j]! * beta[j * m + c]!;
      const b = beta[i * m + c]!;
      s += b * (quadraticOnly ? gb : gb - 2 * stats.rhs[i * m + c]!);
    }
  }
  return s / stats.rows;
}
