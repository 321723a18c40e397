import { type Candidate, relativeLoss, solveCandidates } from "./level-candidates.js";
import type { LevelStatistics } from "./level-statistics.js";

/** The candidate chosen by {@link crossValidate}, with its cross-validated loss relative to the base. */
export interface CrossValidated extends Candidate {
  readonly loss: number;
  readonly standardError: number;
  /**
   * Jackknife variance of the full-data fit in the L²(p_t) norm, `((F−1)/F)·Σ_f Σ_c d_fcᵀ (G/rows) d_fc` with
   * `d_f = β_{−f} − mean_f β_{−f}` — the estimation error the candidate adds (with the gates held fixed).
   */
  readonly variance: number;
}

/** What {@link crossValidate} returns: the choice (undefined: the zero correction) and the richest candidate. */
export interface LevelChoice {
  readonly chosen: CrossValidated | undefined;
  /** The highest degree with the smallest ridge (the reference for the level's error estimate). */
  readonly richest: CrossValidated | undefined;
  /** Every candidate solvable on all folds, with its CV summary. */
  readonly candidates: readonly CrossValidated[];
}

/**
 * K-fold choice among the zero correction and every (degree ≤ `degree`, ridge): each candidate is solved on
 * all folds but one and scored by {@link relativeLoss} on the left-out fold; its CV loss is the row-weighted
 * mean and its standard error the spread over folds. **One-standard-error rule**: among the candidates whose CV
 * loss is within one SE of the best, the simplest wins (zero correction, then lower degree, then larger
 * ridge) — the held-out differences between candidates are small and noisy, and a needless correction adds
 * variance. Undefined when the zero correction wins. `rule: "correction"` applies the same rule among the
 * corrections only, never the zero correction (the descent's denoiser must spread the points for Algorithm 2).
 */
export function crossValidate(
  total: LevelStatistics,
  folds: readonly LevelStatistics[],
  m: number,
  sizeByDegree: Int32Array,
  degree: number,
  ridges: readonly number[],
  rule: "one-se" | "correction" = "one-se",
): LevelChoice {
  const F = folds.filter((f) => f.rows > 0).length;
  const scores = new Map<string, { c: Candidate; losses: number[]; rows: number[]; coefs: Float64Array[] }>();
  const P = total.gram.length;
  for (let f = 0; f < F; f++) {
    const fold = folds[f]!;
    if (fold.rows === 0) continue;
    const rest: LevelStatistics = {
      rows: total.rows - fold.rows,
      gram: new Float64Array(P),
      rhs: new Float64Array(total.rhs.length),
    };
    for (let i = 0; i < P; i++) rest.gram[i] = total.gram[i]! - fold.gram[i]!;
    for (let i = 0; i < rest.rhs.length; i++) rest.rhs[i] = total.rhs[i]! - fold.rhs[i]!;
    for (const fit of solveCandidates(rest, m, sizeByDegree, degree, ridges)) {
      const key = `${fit.degree}/${fit.ridge}`;
      let e = scores.get(key);
      if (!e) {
        e = { c: { degree: fit.degree, ridge: fit.ridge }, losses: [], rows: [], coefs: [] };
        scores.set(key, e);
      }
      e.losses.push(relativeLoss(fold, fit.coef, m));
      e.rows.push(fold.rows);
      e.coefs.push(fit.coef);
    }
  }
  const rated: CrossValidated[] = [];
  for (const { c, losses, rows, coefs } of scores.values()) {
    if (losses.length < F) continue;
    const n = rows.reduce((a, b) => a + b, 0);
    const mean = losses.reduce((a, l, i) => a + l * rows[i]!, 0) / n;
    const v = losses.reduce((a, l) => a + (l - mean) ** 2, 0) / Math.max(1, losses.length - 1);
    rated.push({ ...c, loss: mean, standardError: Math.sqrt(v / losses.length), variance: jackknife(total, coefs, m) });
  }
  const simpler = (a: Candidate, b: Candidate) => (a.degree !== b.degree ? a.degree < b.degree : a.ridge > b.ridge);
  let richest: CrossValidated | undefined;
  for (const r of rated) if (!richest || simpler(richest, r)) richest = r;
  let best: CrossValidated | undefined;
  const zero = rule === "one-se" ? 0 : Infinity;
  for (const r of rated) if (r.loss < (best?.loss ?? zero)) best = r;
  if (!best) return { chosen: undefined, richest, candidates: rated };
  const line = best.loss + best.standardError;
  if (zero <= line) return { chosen: undefined, richest, candidates: rated };
  let pick = best;
  for (const r of rated) if (r.loss <= line && simpler(r, pick)) pick = r;
  return { chosen: pick, richest, candidates: rated };
}

/** Jackknife variance of the fit from its leave-one-fold-out coefficients (see {@link CrossValidated.variance}). */
function jackknife(total: LevelStatistics, coefs: readonly Float64Array[], m: number): number {
  const F = coefs.length;
  const mean = new Float64Array(coefs[0]!.length);
  for (const b of coefs) for (let i = 0; i < mean.length; i++) mean[i] = mean[i]! + b[i]! / F;
  const d = new Float64Array(mean.length);
  let v = 0;
  for (const b of coefs) {
    for (let i = 0; i < d.length; i++) d[i] = b[i]! - mean[i]!;
    v += relativeLoss(total, d, m, true);
  }
  return ((F - 1) / F) * v;
}
