import { createPoints, MixdiffError, type Points, type PointsLike, toPoints } from "@mixdiff/core";
import { type GatedLevel, predictGated } from "./gated-level.js";
import { levelFeatures } from "./level-features.js";
import { createWorkspace, type LevelState, predictLevel } from "./level-state.js";
import type { ScoreModel } from "./score-model.js";

/**
 * Summary of one learned level.
 *
 * @example
 * ```ts
 * model.levels.map((L) => [L.t, L.cells]); // e.g. [[333, 1], …, [0.05, 3]]
 * ```
 */
export interface LevelInfo {
  /** VE time t. */
  readonly t: number;
  /** σ² = σ0² + t. */
  readonly sigma2: number;
  /** Number of cells (warm starts). */
  readonly cells: number;
  /** Largest per-cell polynomial degree. */
  readonly degree: number;
}

/**
 * Diagnostics of a fit (also stored in the model JSON). They hold no wall-clock time, so the same data, options and
 * seed give the same model file byte for byte (files written before this rule may carry a `fitMs` field; it is
 * checksummed like the rest and loads unchanged).
 *
 * @example
 * ```ts
 * const { klTerm, levels, subspaceDim, warnings } = model.diagnostics;
 * ```
 */
export interface FitDiagnostics {
  /**
   * Discretised Theorem 3.1 term `Σ_k ln(σ²_{k}/σ²_{k+1})·ε_k²` over consecutive learned levels, with
   * `ε_k² = σ_k²·E|ŝ − s|² = E|f̂ − f|²/σ_k²` estimated on held-out data (see `heldOutMseEstimate`), clipped at 0.
   */
  klTerm: number;
  /** Standard error of `klTerm` from the per-level standard errors (absent in files written before it was added). */
  klTermStandardError?: number;
  /** Per level, in fitting order (largest t first). */
  levels: {
    t: number;
    cells: number;
    degree: number;
    /**
     * Relative ridge chosen for the level (`(G + λ·diag G)β = R`; 0 with the zero correction); for the paper
     * preset the largest ridge the ball constraint needed.
     */
    ridge: number;
    /** Whether the level was shrunk towards the previous level's f̂ (format v1/v2 files only). */
    shrink?: boolean;
    /**
     * √(E|ŝ − s|² / E|ŝ − 0|²)-style relative error `√(E|f̂ − f|² / E|f̂ − y|²)` in the full n-dim space, from
     * `heldOutMse`; absent where the level has no error estimate (the paper preset).
     */
    heldOutRelError?: number;
    /** `heldOutMseEstimate` clipped at 0; absent where the level has no error estimate. */
    heldOutMse?: number;
    /**
     * Estimate of E|f̂ − f|² (posterior-mean error, projected coordinates) under p_t: the mean over held-out
     * points of `(f̂ − f_A)·(f̂ − f_B)` with two independent kernel estimates f_A, f_B of f from the halves of
     * the clustering pool (format v3; v1/v2 files hold the earlier plug-in estimate). Absent where the kernels
     * are too thin (low t).
     */
    heldOutMseEstimate?: number;
    /** Standard error of `heldOutMseEstimate` over the evaluation points. */
    heldOutMseStandardError?: number;
    /**
     * Format v3: held-out loss of the chosen level relative to the mixture base, `ΔL = E|f̂ − f|² − E|b − f|²`
     * (≤ 0 when a correction was chosen). Format v1/v2: the held-out denoising loss.
     */
    heldOutLoss: number;
    /** Largest per-cell condition-number estimate of the chosen (Jacobi-scaled) ridge system (`solveRidge`). */
    conditionNumber: number;
    /** Regression rows the level used (points × noise draws): its window, or the rounds of it that were enough. */
    rows: number;
  }[];
  /** Dimension m of the estimated span of the means. */
  subspaceDim: number;
  /** Eigenvalues of the sample covariance, descending. */
  eigenvalues: number[];
  /** Wall time of the fit in milliseconds (format v1/v2 files only: v3 keeps clocks out of the file). */
  fitMs?: number;
  /** Warnings (theory-preset sizes, caps applied, …). */
  warnings: string[];
  /** The resolved options (JSON-safe). */
  options: Record<string, unknown>;
}

/**
 * Serialisable learned model (plain JSON).
 *
 * @example
 * ```ts
 * const text = JSON.stringify(model.toJSON()); // { format: "mixdiff-score", version: 1, checksum, model, diagnostics }
 * ```
 */
export interface LearnedModelJSON {
  format: "mixdiff-score";
  /**
   * 3 for soft-gated models (the practical learner); hard-cell models are written as 1 (the paper preset) or
   * 2 (hard cells with the mixture base, read only) — the lowest version that represents the model.
   */
  version: 1 | 2 | 3;
  /** FNV-1a (2×32 bit) hex of the canonical JSON of `model` and `diagnostics`. */
  checksum: string;
  model: {
    dim: number;
    subspaceDim: number;
    sigma0: number;
    mean: number[];
    /** `[n, m]` row-major. */
    basis: number[];
    tMin: number;
    degree: number;
    interpolation: "nearest" | "log-sigma";
    /** Format v2: every level is `f̂ = mixture base + polynomial` with hard cells. */
    base?: boolean;
    /** Format v3: `"soft"` — every level is soft-gated (`f̂ = Σ_k π_k(y)(c_k + P_k)`, levels may include t = 0) — or `"hard"` cells. */
    gating?: "soft" | "hard";
    /** Format v3: false when inputs and outputs are not clipped (the paper preset). */
    clip?: boolean;
    outLower: number[];
    outUpper: number[];
    levels: {
      t: number;
      centers: number[];
      degrees: number[];
      coefficients: number[][];
      lower: number[];
      upper: number[];
      mass: number[];
    }[];
  };
  diagnostics: FitDiagnostics;
}

/**
 * A learned score model (result of `fitScore` / `loadScoreModel`).
 *
 * @example
 * ```ts
 * const s = model.score(y, 0.3);          // [rows, n]
 * const f = model.posteriorMean(y, 0.3);  // E[μ | Y_t = y]
 * ```
 */
export interface LearnedScoreModel extends ScoreModel {
  readonly kind: "learned";
  /**
   * E[μ | Y_t = y] for each row of `y` (`[rows, dim]`): a `Points`, a `number[][]` or an ml-matrix `Matrix`, like
   * every public function. Writes into `out` when given.
   */
  posteriorMean(y: PointsLike, t: number, out?: Points): Points;
  /** ∇ln p_t(y) for each row of `y` (`Points`, `number[][]` or `Matrix`). Writes into `out` when given. */
  score(y: PointsLike, t: number, out?: Points): Points;
  /** Learned levels, largest t first. */
  readonly levels: readonly LevelInfo[];
  readonly diagnostics: FitDiagnostics;
  /** Smallest t the model was built for (below the lowest level f is reused with the exact σ²(t)). */
  readonly tMin: number;
  /** Dimension m of the learned subspace. */
  readonly subspaceDim: number;
  /**
   * Exact divergence `∇·s(y, t)` of the learned score per row of `y` — polynomial features and smooth gates
   * have closed-form derivatives, so no Hutchinson trace estimate is needed (the probability-flow likelihood
   * uses it).
   */
  divergence(y: PointsLike, t: number): Float64Array;
  /** Plain-JSON form; `loadScoreModel(model.toJSON())` is bit-exact. */
  toJSON(): LearnedModelJSON;
  /**
   * Posterior mean in projected coordinates at one learned level (index into `levels`), `w` `[rows, m]`;
   * its exact divergence `∇·f̂` (in the m coordinates) into `div` when given. Used by `estimateMixture`.
   */
  levelPosteriorMean(
    level: number,
    w: Float64Array,
    rows: number,
    out?: Float64Array,
    div?: Float64Array,
  ): Float64Array;
  /** Project centred points onto the learned subspace: `[rows, n] → [rows, m]`. */
  project(y: Points): Float64Array;
  /** Map projected coordinates back: `mean + U w`, `[rows, m] → [rows, n]`. */
  lift(w: Float64Array, rows: number): Points;
}

/** Internal full state of a learned model. */
export interface ModelState {
  dim: number;
  subspaceDim: number;
  sigma0: number;
  mean: Float64Array;
  basis: Float64Array;
  tMin: number;
  degree: number;
  interpolation: "nearest" | "log-sigma";
  /** `"soft"`: gated levels (v3); `"hard"`: Voronoi levels, with the mixture base when their `base` flags say so. */
  gating: "soft" | "hard";
  outLower: Float64Array;
  outUpper: Float64Array;
  /** Descending t. */
  levels: LevelState[];
}

/** Builds the model object from its state (internal; use `fitScore` or `loadScoreModel`). */
export function createLearnedModel(
  state: ModelState,
  diagnostics: FitDiagnostics,
  toJSON: () => LearnedModelJSON,
): LearnedScoreModel {
  const { dim: n, subspaceDim: m, sigma0, mean, basis, levels } = state;
  const feats = levelFeatures(m, state.degree);
  const clip = !state.levels.some((L) => L.kind === "voronoi" && L.clip === false);
  const outLower = clip ? state.outLower : new Float64Array(m).fill(-Infinity);
  const outUpper = clip ? state.outUpper : new Float64Array(m).fill(Infinity);
  const ws = createWorkspace(feats);
  const s02 = sigma0 * sigma0;
  // Ascending copy for lookup in ln σ².
  const asc = levels.map((L, i) => ({ L, i, ls: Math.log(s02 + L.t) })).sort((a, b) => a.ls - b.ls);
  // Reused per-call buffers (the model is not re-entrant: one batch at a time per model object and thread).
  let bufW = new Float64Array(0) as Float64Array;
  let bufG = new Float64Array(0) as Float64Array;
  let bufG2 = new Float64Array(0) as Float64Array;
  const grow = (buf: Float64Array, size: number): Float64Array => (buf.length >= size ? buf : new Float64Array(size));
  const centred = new Float64Array(n);
  const project = (y: Points, into?: Float64Array): Float64Array => {
    const w = into ?? new Float64Array(y.rows * m);
    const yd = y.data;
    const r = centred;
    for (let i = 0; i < y.rows; i++) {
      for (let j = 0; j < n; j++) r[j] = yd[i * n + j]! - mean[j]!;
      for (let k = 0; k < m; k++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += r[j]! * basis[j * m + k]!;
        w[i * m + k] = s;
      }
    }
    return w;
  };
  const liftInto = (g: Float64Array, rows: number, out: Points): Points => {
    const od = out.data;
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < n; j++) {
        let s = mean[j]!;
        for (let k = 0; k < m; k++) s += basis[j * m + k]! * g[i * m + k]!;
        od[i * n + j] = s;
      }
    }
    return out;
  };
  const levelPosteriorMean = (li: number, w: Float64Array, rows: number, out?: Float64Array, div?: Float64Array) => {
    const res = out ?? new Float64Array(rows * m);
    predictLevel(levels[li]!, sigma0, feats, ws, w, rows, res, outLower, outUpper, div);
    return res;
  };
  /**
   * Per ascending pair (asc[q], asc[q+1]): the atoms' posterior both levels are, when both are soft-gated with
   * the same atoms (centres and masses) and neither has a correction — then f̂ between them is that posterior at
   * the current σ²(t) itself (one evaluation, and the exact function the two levels are samples of), not a
   * blend of the two (see ARCHITECTURE.md, "Evaluating a learned model").
   */
  const sameArray = (a: Float64Array, b: Float64Array) => a.length === b.length && a.every((v, k) => v === b[k]);
  const isBase = (L: LevelState) => L.kind === "gated" && L.coefficients.every((B) => B.every((v) => v === 0));
  const pureBase: (GatedLevel | undefined)[] = asc.slice(0, -1).map(({ L: lo }, q) => {
    const hi = asc[q + 1]!.L;
    return lo.kind === "gated" &&
      hi.kind === "gated" &&
      isBase(lo) &&
      isBase(hi) &&
      sameArray(lo.centers, hi.centers) &&
      sameArray(lo.mass, hi.mass)
      ? lo
      : undefined;
  });
  // The public boundary: any PointsLike, converted once (shape and finiteness checked), then t and out.
  const checkBatch = (input: PointsLike, t: number, out: Points | undefined, fn: string): Points => {
    const y = toPoints(input, { name: `${fn}: y (the model has dim ${n})`, expectedCols: n });
    if (!(typeof t === "number" && t >= 0 && t < Infinity)) {
      throw new MixdiffError("INVALID_INPUT", `${fn}: t must be a finite number ≥ 0; got ${t}`, { path: "t" });
    }
    if (out && (out.rows !== y.rows || out.cols !== n)) {
      throw new MixdiffError("DIMENSION_MISMATCH", `${fn}: out is ${out.rows}×${out.cols}; expected ${y.rows}×${n}`);
    }
    return y;
  };
  // Last line of defence: never return a non-finite value silently.
  const nonFinite = (fn: string, k: number, t: number): MixdiffError => {
    const i = Math.floor(k / n);
    return new MixdiffError(
      "NUMERICAL_FAILURE",
      `${fn}: non-finite output at row ${i}, column ${k - i * n} (t = ${t}); the model's coefficients are unusable for this input`,
      { row: i, column: k - i * n },
    );
  };
  const checkOutput = (res: Points, rows: number, fn: string, t: number): Points => {
    const d = res.data;
    for (let k = 0; k < rows * n; k++) if (!Number.isFinite(d[k]!)) throw nonFinite(fn, k, t);
    return res;
  };
  const posteriorMean = (input: PointsLike, t: number, out?: Points): Points => {
    const y = checkBatch(input, t, out, "posteriorMean");
    return checkOutput(posteriorMeanRaw(y, t, out), y.rows, "posteriorMean", t);
  };
  /**
   * f̂ in the projected coordinates at any t: the learned levels interpolated linearly in ln σ² (or the nearest
   * one), with the exact divergence of the same interpolation into `div` when given.
   */
  const projectedMean = (w: Float64Array, rows: number, t: number, g: Float64Array, div?: Float64Array) => {
    const ls = Math.log(s02 + t);
    const first = asc[0]!;
    const last = asc[asc.length - 1]!;
    if (ls <= first.ls || asc.length === 1) levelPosteriorMean(first.i, w, rows, g, div);
    else if (ls >= last.ls) levelPosteriorMean(last.i, w, rows, g, div);
    else {
      let q = 0;
      while (asc[q + 1]!.ls < ls) q++;
      const lo = asc[q]!;
      const hi = asc[q + 1]!;
      const a = (ls - lo.ls) / (hi.ls - lo.ls);
      const base = pureBase[q];
      if (state.interpolation === "nearest") levelPosteriorMean(a < 0.5 ? lo.i : hi.i, w, rows, g, div);
      else if (base && a > 0) {
        predictGated({ ...base, t }, sigma0, feats, ws.gated, w, rows, g, outLower, outUpper, div);
      } else {
        levelPosteriorMean(lo.i, w, rows, g, div);
        if (a > 0) {
          const d2 = div ? new Float64Array(rows) : undefined;
          bufG2 = grow(bufG2, rows * m);
          const g2 = levelPosteriorMean(hi.i, w, rows, bufG2.subarray(0, rows * m), d2);
          for (let k = 0; k < g.length; k++) g[k] = (1 - a) * g[k]! + a * g2[k]!;
          if (div && d2) for (let k = 0; k < rows; k++) div[k] = (1 - a) * div[k]! + a * d2[k]!;
        }
      }
    }
    return g;
  };
  const posteriorMeanRaw = (y: Points, t: number, out?: Points): Points => {
    const res = out ?? createPoints(y.rows, n);
    bufW = grow(bufW, y.rows * m);
    bufG = grow(bufG, y.rows * m);
    const g = projectedMean(project(y, bufW.subarray(0, y.rows * m)), y.rows, t, bufG.subarray(0, y.rows * m));
    return liftInto(g, y.rows, res);
  };
  /**
   * Exact `∇·s(y, t)`: f̂ = mean + U·g(Uᵀ(y − mean)) has Jacobian U·J_g·Uᵀ, whose trace is that of J_g, so
   * `∇·s = (∇·g − n)/σ²` (the complement's Gaussian score contributes −(n − m)/σ²).
   */
  const divergence = (input: PointsLike, t: number): Float64Array => {
    const y = checkBatch(input, t, undefined, "divergence");
    const div = new Float64Array(y.rows);
    projectedMean(project(y), y.rows, t, new Float64Array(y.rows * m), div);
    const inv = 1 / (s02 + t);
    for (let i = 0; i < y.rows; i++) {
      const v = (div[i]! - n) * inv;
      if (!Number.isFinite(v))
        throw new MixdiffError("NUMERICAL_FAILURE", `divergence: non-finite output at row ${i} (t = ${t})`, { row: i });
      div[i] = v;
    }
    return div;
  };
  /** `h_t(w)` of the model's subspace (its own m coordinates; samplers then skip project and lift). */
  const subspaceMean = (w: Points, t: number, out?: Points): Points => {
    if (w.cols !== m)
      throw new MixdiffError("DIMENSION_MISMATCH", `subspace.posteriorMean: w has ${w.cols} columns; expected ${m}`);
    if (!(typeof t === "number" && t >= 0 && t < Infinity))
      throw new MixdiffError("INVALID_INPUT", `subspace.posteriorMean: t must be a finite number ≥ 0; got ${t}`, {
        path: "t",
      });
    const res = out ?? createPoints(w.rows, m);
    projectedMean(w.data, w.rows, t, res.data);
    for (let k = 0; k < w.rows * m; k++) {
      if (!Number.isFinite(res.data[k]!)) {
        const i = Math.floor(k / m);
        throw new MixdiffError(
          "NUMERICAL_FAILURE",
          `subspace.posteriorMean: non-finite output at row ${i} (t = ${t})`,
          { row: i },
        );
      }
    }
    return res;
  };
  // One pass over the output: the posterior mean checked, turned into the score, checked again.
  const score = (input: PointsLike, t: number, out?: Points): Points => {
    const y = checkBatch(input, t, out, "score");
    const res = posteriorMeanRaw(y, t, out);
    const inv = 1 / (s02 + t);
    const d = res.data;
    const yd = y.data;
    for (let k = 0; k < y.rows * n; k++) {
      const v = (d[k]! - yd[k]!) * inv;
      if (!Number.isFinite(v)) throw nonFinite("score", k, t); // a non-finite mean, or an overflow
      d[k] = v;
    }
    return res;
  };
  const info: LevelInfo[] = levels.map((L) => {
    let deg = 0;
    for (const d of L.degrees) deg = Math.max(deg, d);
    return Object.freeze({ t: L.t, sigma2: s02 + L.t, cells: L.degrees.length, degree: deg });
  });
  return Object.freeze({
    kind: "learned" as const,
    dim: n,
    sigma0,
    mean: Float64Array.from(mean),
    tMax: levels[0]!.t,
    tMin: state.tMin,
    subspaceDim: m,
    ...(m < n
      ? { subspace: Object.freeze({ dim: m, basis: Float64Array.from(basis), posteriorMean: subspaceMean }) }
      : {}),
    levels: Object.freeze(info),
    diagnostics,
    posteriorMean,
    score,
    divergence,
    toJSON,
    levelPosteriorMean,
    project: (y: Points) => {
      if (y.cols !== n) throw new MixdiffError("DIMENSION_MISMATCH", `project: y has ${y.cols} columns; expected ${n}`);
      return project(y);
    },
    lift: (w: Float64Array, rows: number) => liftInto(w, rows, createPoints(rows, n)),
  });
}
