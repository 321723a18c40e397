import { createPoints, MixdiffError, type Points, type Rng } from "@mixdiff/core";
import type { ScoreModel } from "@mixdiff/score";

/**
 * A model that declares a subspace (`model.subspace`, PAPER.md R2), seen in its own m coordinates
 * `w = Uᵀ(y − mean)`, plus the maps between the two spaces (internal to the samplers).
 */
export interface SubspaceReduction {
  /** The m-dimensional model: `h_t(w) = Uᵀ(f_t(mean + U w) − mean)`, score `Uᵀ s_t(mean + U w)`, mean 0. */
  readonly reduced: ScoreModel;
  /** m. */
  readonly dim: number;
  /** Writes `mean + U w_r + P⊥ c_r` for each row r into `out` (`c` is a complement vector in R^n, or omitted). */
  lift(w: Float64Array, rows: number, out: Float64Array, complement?: Float64Array): void;
  /** Fills `out[r·n .. r·n + n)` with `P⊥ ξ`, ξ ~ N(0, I_n) drawn from `streams[r]`, scaled by `scale`. */
  complementNoise(streams: readonly Rng[], rows: number, scale: number, out: Float64Array, add: boolean): void;
}

/**
 * What a declared subspace (`ScoreModel.subspace`) may add, read by the samplers when present: the model's
 * posterior mean in the subspace's own coordinates. Without it the samplers evaluate the full model on lifted
 * points `mean + U w` and project the result (O(n·m) per point and step on top of the model); with it they never
 * form an n-dimensional point until the end, so a step costs what the model's m-dimensional part costs.
 *
 * @example
 * ```ts
 * import type { SubspaceEvaluator } from "@mixdiff/diffusion";
 * import type { ModelSubspace } from "@mixdiff/score";
 * // N(0, 4) along the first axis of R³ (σ0 = 1): h_t(w) = w·(1 − (1 + t)/(4 + t)).
 * const subspace: ModelSubspace & SubspaceEvaluator = {
 *   dim: 1,
 *   basis: Float64Array.of(1, 0, 0),
 *   posteriorMean: (w, t, out = { data: new Float64Array(w.rows), rows: w.rows, cols: 1 }) => {
 *     for (let r = 0; r < w.rows; r++) out.data[r] = w.data[r]! * (1 - (1 + t) / (4 + t));
 *     return out;
 *   },
 * };
 * ```
 */
export interface SubspaceEvaluator {
  /**
   * `h_t(w) = Uᵀ(f_t(mean + U w) − mean)` for each row of `w` (shape `[rows, m]`, `w = Uᵀ(y − mean)`); writes
   * into `out` when given. Must agree with the model's `posteriorMean` (the samplers use one or the other).
   */
  posteriorMean?(w: Points, t: number, out?: Points): Points;
}

/** Tolerance on `UᵀU = I` for a declared subspace basis. */
const ORTHO_TOL = 1e-8;

/**
 * Validates `model.subspace` (internal helper): its basis (`1 ≤ m < dim`, `n·m` entries, orthonormal to 1e-8)
 * and returns it, or `undefined` when the model declares none.
 *
 * @throws MixdiffError `INVALID_INPUT` naming `model.subspace` for a bad declaration.
 */
export function checkSubspace(fn: string, model: ScoreModel): ScoreModel["subspace"] {
  const sub = model.subspace;
  if (sub === undefined) return undefined;
  const n = model.dim;
  const m = sub?.dim;
  if (!Number.isInteger(m) || m < 1 || m >= n || !(sub.basis instanceof Float64Array) || sub.basis.length !== n * m) {
    throw new MixdiffError(
      "INVALID_INPUT",
      `${fn}: model.subspace must be { dim: m (1 ≤ m < ${n}), basis: Float64Array of ${n}·m entries }`,
      { path: "model.subspace" },
    );
  }
  const U = sub.basis;
  for (let a = 0; a < m; a++) {
    for (let b = a; b < m; b++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += U[j * m + a]! * U[j * m + b]!;
      if (!(Math.abs(s - (a === b ? 1 : 0)) <= ORTHO_TOL)) {
        throw new MixdiffError(
          "INVALID_INPUT",
          `${fn}: model.subspace.basis columns ${a} and ${b} have inner product ${s}; the basis must be orthonormal`,
          { path: "model.subspace.basis" },
        );
      }
    }
  }
  return sub;
}

/**
 * The number of coordinates a sampler simulates (internal helper): `model.subspace.dim` when the model
 * declares a (valid) subspace and `simulateSubspace` is not `false`, else `model.dim`.
 */
export function simulatedDim(fn: string, model: ScoreModel, simulateSubspace: boolean | undefined): number {
  if (simulateSubspace === false) return model.dim;
  return checkSubspace(fn, model)?.dim ?? model.dim;
}

/**
 * Builds the reduced model of a model that declares a subspace (internal helper of `runSampler`; validates
 * the declaration with {@link checkSubspace}); `undefined` when the model declares none. The reduced model
 * calls the full model on lifted points, so it is exact whenever the declaration is true: the sampler's noise
 * in the m kept coordinates is the same as in a full simulation, and the complement, exactly Gaussian by the
 * declaration, is drawn in one step.
 */
export function reduceToSubspace(fn: string, model: ScoreModel): SubspaceReduction | undefined {
  const sub = checkSubspace(fn, model);
  if (sub === undefined) return undefined;
  const n = model.dim;
  const m = sub.dim;
  const mean = model.mean;
  // Uᵀ, m × n row-major: every kernel below runs along contiguous rows of length n (axpy and dot products).
  const UT = new Float64Array(m * n);
  for (let j = 0; j < n; j++) for (let k = 0; k < m; k++) UT[k * n + j] = sub.basis[j * m + k]!;
  const liftInto = (w: Float64Array, rows: number, out: Float64Array, complement?: Float64Array): void => {
    for (let i = 0; i < rows; i++) {
      const o = i * n;
      if (complement) for (let j = 0; j < n; j++) out[o + j] = mean[j]! + complement[o + j]!;
      else out.set(mean, o);
      for (let k = 0; k < m; k++) {
        const wk = w[i * m + k]!;
        const u = k * n;
        for (let j = 0; j < n; j++) out[o + j] = out[o + j]! + wk * UT[u + j]!;
      }
    }
  };
  // out_k = Σ_j U[j][k]·(v_j − mean_j) for each row.
  const projectInto = (v: Float64Array, rows: number, out: Float64Array): void => {
    for (let i = 0; i < rows; i++) {
      const o = i * n;
      for (let k = 0; k < m; k++) {
        const u = k * n;
        let s = 0;
        for (let j = 0; j < n; j++) s += UT[u + j]! * (v[o + j]! - mean[j]!);
        out[i * m + k] = s;
      }
    }
  };
  // Buffers for the lifted batch and the full model's output, reused across steps (one chunk's rows).
  let lifted = createPoints(0, n);
  let full = createPoints(0, n);
  const own = (sub as SubspaceEvaluator).posteriorMean;
  const posteriorMeanInto = (w: Points, t: number, out: Points | undefined): Points => {
    if (w.cols !== m) {
      throw new MixdiffError("DIMENSION_MISMATCH", `${fn}: reduced model got ${w.cols} columns; expected ${m}`);
    }
    if (typeof own === "function") return own.call(sub, w, t, out);
    if (lifted.rows !== w.rows) {
      lifted = createPoints(w.rows, n);
      full = createPoints(w.rows, n);
    }
    liftInto(w.data, w.rows, lifted.data);
    const res = out ?? createPoints(w.rows, m);
    // Use the returned batch: a model may not write into `out`.
    projectInto(model.posteriorMean(lifted, t, full).data, w.rows, res.data);
    return res;
  };
  // The reduced score from the reduced posterior mean by Tweedie, `(h_t(w) − w)/(σ0² + t)`: the full model is
  // evaluated once (its posterior mean) and nothing of size n is computed twice.
  const sigma0Sq = model.sigma0 * model.sigma0;
  const reduced: ScoreModel = {
    dim: m,
    sigma0: model.sigma0,
    mean: new Float64Array(m),
    tMax: model.tMax,
    posteriorMean: posteriorMeanInto,
    score(w, t, out) {
      const res = posteriorMeanInto(w, t, out);
      const inv = 1 / (sigma0Sq + t);
      const d = res.data;
      for (let i = 0; i < w.rows * m; i++) d[i] = (d[i]! - w.data[i]!) * inv;
      return res;
    },
  };
  const xi = new Float64Array(n);
  const complementNoise = (streams: readonly Rng[], rows: number, scale: number, out: Float64Array, add: boolean) => {
    for (let i = 0; i < rows; i++) {
      streams[i]!.fillNormal(xi, 0, n);
      for (let k = 0; k < m; k++) {
        const u = k * n;
        let s = 0;
        for (let j = 0; j < n; j++) s += UT[u + j]! * xi[j]!;
        for (let j = 0; j < n; j++) xi[j] = xi[j]! - s * UT[u + j]!;
      }
      const o = i * n;
      if (add) for (let j = 0; j < n; j++) out[o + j] = out[o + j]! + scale * xi[j]!;
      else for (let j = 0; j < n; j++) out[o + j] = scale * xi[j]!;
    }
  };
  return { reduced, dim: m, lift: liftInto, complementNoise };
}
