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

/** Tolerance on `UᵀU = I` for a declared subspace basis. */
const ORTHO_TOL = 1e-8;

/**
 * Validates `model.subspace` and builds the reduced model (internal helper of `runSampler`); `undefined`
 * when the model declares none. The reduced model calls the full model on lifted points, so it is exact
 * whenever the declaration is true: the sampler's noise in the m kept coordinates is the same as in a full
 * simulation, and the complement, exactly Gaussian by the declaration, is drawn in one step.
 */
export function reduceToSubspace(fn: string, model: ScoreModel): SubspaceReduction | undefined {
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
      for (let j = 0; j < n; j++) s += (U[j * m + a] as number) * (U[j * m + b] as number);
      if (!(Math.abs(s - (a === b ? 1 : 0)) <= ORTHO_TOL)) {
        throw new MixdiffError(
          "INVALID_INPUT",
          `${fn}: model.subspace.basis columns ${a} and ${b} have inner product ${s}; the basis must be orthonormal`,
          { path: "model.subspace.basis" },
        );
      }
    }
  }
  const mean = model.mean;
  let buf: Points = createPoints(0, n);
  const lifted = (w: Points): Points => {
    if (buf.rows !== w.rows) buf = createPoints(w.rows, n);
    liftInto(w.data, w.rows, buf.data);
    return buf;
  };
  const liftInto = (w: Float64Array, rows: number, out: Float64Array, complement?: Float64Array): void => {
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < n; j++) {
        let s = (mean[j] as number) + (complement ? (complement[i * n + j] as number) : 0);
        for (let k = 0; k < m; k++) s += (U[j * m + k] as number) * (w[i * m + k] as number);
        out[i * n + j] = s;
      }
    }
  };
  // out_k = Σ_j U[j][k]·(v_j − shift_j) for each row.
  const projectInto = (v: Float64Array, rows: number, shift: Float64Array | undefined, out: Float64Array): void => {
    for (let i = 0; i < rows; i++) {
      for (let k = 0; k < m; k++) {
        let s = 0;
        for (let j = 0; j < n; j++) {
          s += (U[j * m + k] as number) * ((v[i * n + j] as number) - (shift ? (shift[j] as number) : 0));
        }
        out[i * m + k] = s;
      }
    }
  };
  const target = (w: Points, out: Points | undefined): Points => {
    if (w.cols !== m) {
      throw new MixdiffError("DIMENSION_MISMATCH", `${fn}: reduced model got ${w.cols} columns; expected ${m}`);
    }
    return out ?? createPoints(w.rows, m);
  };
  const reduced: ScoreModel = {
    dim: m,
    sigma0: model.sigma0,
    mean: new Float64Array(m),
    tMax: model.tMax,
    posteriorMean(w, t, out) {
      const res = target(w, out);
      projectInto(model.posteriorMean(lifted(w), t).data, w.rows, mean, res.data);
      return res;
    },
    score(w, t, out) {
      const res = target(w, out);
      projectInto(model.score(lifted(w), t).data, w.rows, undefined, res.data);
      return res;
    },
  };
  const xi = new Float64Array(n);
  const complementNoise = (streams: readonly Rng[], rows: number, scale: number, out: Float64Array, add: boolean) => {
    for (let i = 0; i < rows; i++) {
      (streams[i] as Rng).fillNormal(xi, 0, n);
      for (let k = 0; k < m; k++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += (U[j * m + k] as number) * (xi[j] as number);
        for (let j = 0; j < n; j++) xi[j] = (xi[j] as number) - s * (U[j * m + k] as number);
      }
      for (let j = 0; j < n; j++) {
        const v = scale * (xi[j] as number);
        out[i * n + j] = add ? (out[i * n + j] as number) + v : v;
      }
    }
  };
  return { reduced, dim: m, lift: liftInto, complementNoise };
}
