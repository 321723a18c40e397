import { cholesky, choleskySolve, MixdiffError, type PointsLike, toPoints } from "@mixdiff/core";
import { createNormalEquations, featureCount, type NormalEquations, solveRidge } from "@mixdiff/polyreg";
import { ControlVariates, estimateLevelError } from "./held-out-error.js";
import type { FitDiagnostics, LearnedScoreModel, ModelState } from "./learned-score-model.js";
import { learningGrid } from "./learning-grid.js";
import {
  clippedInput,
  createWorkspace,
  type LevelFeatures,
  type LevelState,
  levelFeatures,
  logOf,
  mixtureBase,
  predictLevel,
} from "./level-predictor.js";
import { modelFromState } from "./load-score-model.js";
import { principalSubspace } from "./principal-subspace.js";
import {
  type AbortSignalLike,
  checkFitOptions,
  defaultDegree,
  type FitScoreOptions,
  theoryConstants,
} from "./resolve-fit-options.js";
import { greedyCover, lloydRefine } from "./warm-starts.js";

function nearestIndex(y: Float64Array, centers: Float64Array, K: number, m: number, dist?: Float64Array): number {
  let best = 0;
  let bd = Infinity;
  for (let k = 0; k < K; k++) {
    let d = 0;
    for (let c = 0; c < m; c++) {
      const v = (y[c] as number) - (centers[k * m + c] as number);
      d += v * v;
    }
    if (dist) dist[k] = d;
    if (d < bd) {
      bd = d;
      best = k;
    }
  }
  return best;
}

/**
 * Ridge solve of a cell's leading p×p system with `@mixdiff/polyreg`: `(G + λ·N·diag₂(G/N)) B = H`, i.e.
 * `(G/N + λ·diag₂(G/N)) B = H/N` — the ridge acts on the features of degree ≥ 2 only, scaled by their own
 * Gram diagonal (polyreg's per-feature `penalty` weights), and shrinks each cell towards its best linear
 * (single-Gaussian-like) fit, never towards f = 0. Undefined when the system is singular or the solution
 * is not finite.
 */
function solveCell(
  ne: NormalEquations,
  gramDiag: Float64Array,
  p: number,
  ridge: number,
  unpenalised: number,
  estimateCondition: boolean,
): { coef: Float64Array; cond: number } | undefined {
  const rowsK = ne.rows;
  const penalty = new Float64Array(p);
  for (let a = unpenalised; a < p; a++) penalty[a] = (gramDiag[a] as number) / rowsK;
  try {
    const sol = solveRidge(ne, { ridge, size: p, penalty, estimateCondition });
    return { coef: sol.coefficients, cond: sol.conditionNumber };
  } catch (e) {
    if (e instanceof MixdiffError && e.code === "NUMERICAL_FAILURE") return undefined;
    throw e;
  }
}

/**
 * `out = clip(b + Φ·B)` for features `phi[off .. off+p)`, coefficients `B` `[p, m]` and the mixture base
 * `add[addOff .. addOff+m)` (or 0), clipped to the output box.
 */
function evalPoly(
  phi: Float64Array,
  off: number,
  B: Float64Array,
  p: number,
  m: number,
  outLower: Float64Array,
  outUpper: Float64Array,
  out: Float64Array,
  add?: Float64Array,
  addOff = 0,
): void {
  for (let c = 0; c < m; c++) out[c] = add ? (add[addOff + c] as number) : 0;
  for (let a = 0; a < p; a++) {
    const v = phi[off + a] as number;
    const ro = a * m;
    for (let c = 0; c < m; c++) out[c] = (out[c] as number) + v * (B[ro + c] as number);
  }
  for (let c = 0; c < m; c++)
    out[c] = Math.min(Math.max(out[c] as number, outLower[c] as number), outUpper[c] as number);
}

/** Largest degree ≤ `degree` a cell with `rows` rows (`draws` per point) supports. */
function maxDegreeFor(rows: number, draws: number, degree: number, feats: LevelFeatures): number {
  let d = degree;
  while (d > 0 && (feats.sizeByDegree[d] as number) * MIN_POINTS_PER_FEATURE > rows / draws) d--;
  return d;
}

/** `[p, m]` coefficients zero-padded to `[p2, m]` rows (p ≤ p2). */
function padRows(B: Float64Array, p: number, p2: number, m: number): Float64Array {
  const out = new Float64Array(p2 * m);
  out.set(B.subarray(0, Math.min(p, p2) * m));
  return out;
}

/**
 * Ridge fit shrunk towards `B0` (`[p, m]`): `(G + λ·D)B = H + λ·D·B0` with D = diag(G) on all features
 * (Jacobi-scaled Cholesky with jitter). Undefined when singular or not finite.
 */
function solveShrink(
  ne: NormalEquations,
  gramDiag: Float64Array,
  p: number,
  ridge: number,
  B0: Float64Array,
  m: number,
): Float64Array | undefined {
  const A = ne.gram(p);
  const b = ne.rhs(p);
  const scale = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    const pen = ridge * (gramDiag[i] as number);
    A[i * p + i] = (A[i * p + i] as number) + pen;
    for (let c = 0; c < m; c++) b[i * m + c] = (b[i * m + c] as number) + pen * (B0[i * m + c] as number);
    const dd = A[i * p + i] as number;
    scale[i] = dd > 0 ? 1 / Math.sqrt(dd) : 1;
  }
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < p; j++) A[i * p + j] = (A[i * p + j] as number) * (scale[i] as number) * (scale[j] as number);
    for (let c = 0; c < m; c++) b[i * m + c] = (b[i * m + c] as number) * (scale[i] as number);
  }
  try {
    const x = choleskySolve(cholesky(A, p), b, m);
    for (let i = 0; i < p; i++)
      for (let c = 0; c < m; c++) {
        const v = (x[i * m + c] as number) * (scale[i] as number);
        if (!Number.isFinite(v)) return undefined;
        x[i * m + c] = v;
      }
    return x;
  } catch (e) {
    if (e instanceof MixdiffError) return undefined;
    throw e;
  }
}

/** Points per noise stream: noise of point i at level ℓ comes from `rng.stream(tag, ℓ, ⌊i/BLOCK⌋)`. */
const BLOCK = 64;
/** Distinct points per feature a cell needs for its degree (else it drops degree). */
const MIN_POINTS_PER_FEATURE = 8;
/** Feature budget for the theory preset's degree cap. */
const THEORY_FEATURE_BUDGET = 300;
/** Gram-matrix multiply-adds per level above which extra noise draws (beyond noiseDraws) are not spent. */
const GRAM_BUDGET = 8e7;
/** Noise draws per held-out point (cheap: one prediction per candidate). */
const HELD_DRAWS = 4;
/** Noise draws per evaluation point of the per-level error estimate (one prediction each). */
const DIAG_DRAWS = 2;
/** Relative ridges of the shrink-towards-the-previous-level candidates (penalty on all features; tried at
 * the two highest degrees). */
const SHRINK_RIDGES = [0.03, 0.3, 3, 30];

function throwIfAborted(signal: AbortSignalLike | undefined): void {
  if (signal?.aborted) throw new MixdiffError("INTERRUPTED", "fitScore: aborted by the caller's signal");
}

/**
 * Learns the score of `P0 = Q0 * N(0, σ0² I)` from samples — the paper's Algorithm 1 with Algorithm 2
 * warm starts, made practical (DESIGN.md "Practical defaults"):
 *
 * 1. centre the data and project onto the estimated span of the means (eigenvalues of the covariance
 *    above the noise edge σ0²(1+√(n/N))²); the complement gets the exact Gaussian score;
 * 2. split the data into a regression pool, disjoint clustering chunks and a held-out set;
 * 3. on a learning grid from T down to max(tMin, tFloor) (uniform in ln t + ln(t+σ0²)), regress the paper's
 *    target `z = y − σ²ξ/√t` (fresh noise, several draws per point) on normalised Hermite features
 *    centred at each cell's warm start with variance σ², per Voronoi cell, by ridge least squares (shrunk
 *    towards the best linear fit, or — option `shrink` — towards the previous level's f̂); degree and
 *    ridge are chosen per level by held-out loss with control variates (held-out-error.ts), and every
 *    level reports a held-out estimate of E|f̂ − f|² with its standard error;
 *    each cell's inputs are clipped to its training box and f to the data box;
 * 4. whenever σ² has halved (cadence option), denoise a fresh chunk with the current model and choose
 *    the next warm starts by greedy set cover with radius c·(R0 + σ√ln(1/α_min)) (+ Lloyd steps).
 *
 * Below the lowest level f is reused with the exact σ²(t).
 *
 * @param samples - `[N, n]` samples of P0.
 * @throws MixdiffError `INVALID_OPTION`, `INVALID_INPUT`, `NON_FINITE_INPUT`, `INTERRUPTED`.
 * @example
 * ```ts
 * import { fitScore } from "@mixdiff/score";
 * import { createRng } from "@mixdiff/core";
 * const model = fitScore(samples, { rng: createRng(7) });
 * model.score(y, 0.5);              // [rows, n]
 * model.diagnostics.klTerm;         // Σ ln(σ²_k/σ²_{k+1})·ε_k²
 * ```
 */
export function fitScore(samples: PointsLike, options: FitScoreOptions): LearnedScoreModel {
  const t0 = Date.now();
  const x = toPoints(samples, { name: "samples" });
  const n = x.cols;
  const opts = checkFitOptions(options, n);
  const N = x.rows;
  if (N < 50) throw new MixdiffError("INVALID_INPUT", `fitScore: need at least 50 samples; got ${N}`);
  const { rng, sigma0, alphaMin, r0, signal } = opts;
  const s02 = sigma0 * sigma0;
  const warnings: string[] = [];

  // 1. Centre and project.
  const sub = principalSubspace(x, sigma0, opts.projection);
  const m = sub.dim;
  const Z = new Float64Array(N * m);
  for (let i = 0; i < N; i++) {
    for (let k = 0; k < m; k++) {
      let s = 0;
      for (let j = 0; j < n; j++)
        s += ((x.data[i * n + j] as number) - (sub.mean[j] as number)) * (sub.basis[j * m + k] as number);
      Z[i * m + k] = s;
    }
  }
  let signalVar = 0;
  let totalVar = 0;
  for (let k = 0; k < n; k++) {
    const l = sub.eigenvalues[k] as number;
    totalVar += l;
    if (k < m) signalVar += Math.max(0, l - s02);
  }

  // 2. Split: regression pool, clustering pool, held-out set (one seeded permutation).
  const perm = new Int32Array(N);
  for (let i = 0; i < N; i++) perm[i] = i;
  const srng = rng.stream("split");
  for (let i = N - 1; i > 0; i--) {
    const j = Math.floor(srng.uniform() * (i + 1));
    const tmp = perm[i] as number;
    perm[i] = perm[j] as number;
    perm[j] = tmp;
  }
  const nHeld = Math.max(10, Math.round(0.1 * N));
  const nClus = Math.max(20, Math.round(0.15 * N));
  const nReg = N - nHeld - nClus;
  const take = (from: number, count: number) => {
    const out = new Float64Array(count * m);
    for (let i = 0; i < count; i++)
      for (let k = 0; k < m; k++) out[i * m + k] = Z[(perm[from + i] as number) * m + k] as number;
    return out;
  };
  const Zr = take(0, nReg);
  const Zc = take(nReg, nClus);
  const Zh = take(nReg + nClus, nHeld);
  // Evaluation set of the per-level error estimate: the held-out and clustering points (neither is in the
  // regression pool; the clustering points only place the warm starts), with |x|² as a control variate
  // whose mean over all N points is known far more precisely.
  const nEval = nHeld + nClus;
  const evalX = new Float64Array(nEval * m);
  evalX.set(Zh, 0);
  evalX.set(Zc, nHeld * m);
  const spread = new Float64Array(nEval);
  for (let i = 0; i < nEval; i++) {
    let v = 0;
    for (let k = 0; k < m; k++) v += (evalX[i * m + k] as number) ** 2;
    spread[i] = v;
  }
  let spreadMean = 0;
  for (let i = 0; i < N * m; i++) spreadMean += (Z[i] as number) ** 2;
  spreadMean /= N;
  const evalSet = { x: evalX, rows: nEval, spread, spreadMean };
  // Output box: f lies in the convex hull of supp Q0, inside the box of the data.
  const outLower = new Float64Array(m).fill(Infinity);
  const outUpper = new Float64Array(m).fill(-Infinity);
  for (let i = 0; i < N; i++) {
    for (let k = 0; k < m; k++) {
      const v = Z[i * m + k] as number;
      if (v < (outLower[k] as number)) outLower[k] = v;
      if (v > (outUpper[k] as number)) outUpper[k] = v;
    }
  }

  // 3. Resolve data-dependent defaults.
  let degree = opts.degree ?? defaultDegree(m);
  let tMax = opts.tMax ?? Math.max(10 * s02, 20 * signalVar);
  let tMin = opts.tMin ?? 1e-3 * s02;
  let tFloor = opts.tFloor ?? 0.05 * s02;
  let levels = opts.levels ?? 30;
  let radiusConstant = opts.radiusConstant ?? 0.5;
  const draws = opts.noiseDraws;
  let maxCenters =
    opts.maxCenters ??
    (opts.k
      ? Math.ceil(2 * opts.k * Math.log(1 / alphaMin))
      : Math.max(1, Math.min(100, Math.floor(nReg / (2 * MIN_POINTS_PER_FEATURE * featureCount(m, degree))))));
  if (opts.preset === "theory") {
    const th = theoryConstants({ epsilon: opts.epsilon, n, m2: totalVar, r0, sigma0, k: opts.k ?? 1, alphaMin });
    warnings.push(
      `theory preset: T = ${th.tMax.toPrecision(4)}, t1 = ${th.tMin.toPrecision(4)}, κ = ${th.kappa.toPrecision(3)}, Nstep = ${th.nSteps}, degree d = ${th.degree}, k' = ${th.maxCenters} (universal constants set to 1)`,
    );
    tMax = opts.tMax ?? th.tMax;
    tMin = opts.tMin ?? th.tMin;
    tFloor = opts.tFloor ?? th.tMin;
    radiusConstant = opts.radiusConstant ?? 1;
    maxCenters = opts.maxCenters ?? th.maxCenters;
    const wantLevels = opts.levels ?? th.nSteps;
    levels = Math.min(wantLevels, 200);
    if (levels < wantLevels) warnings.push(`theory preset: ${wantLevels} levels capped to ${levels}`);
    let dCap = opts.degree ?? th.degree;
    while (dCap > 1 && featureCount(m, dCap) > THEORY_FEATURE_BUDGET) dCap--;
    if (dCap < (opts.degree ?? th.degree))
      warnings.push(
        `theory preset: degree ${opts.degree ?? th.degree} capped to ${dCap} (C(m+d,d) ≤ ${THEORY_FEATURE_BUDGET}, m = ${m})`,
      );
    degree = dCap;
  }
  const shrink = opts.shrink ?? opts.preset !== "theory";
  const useBase = opts.mixtureBase ?? opts.preset !== "theory";
  const tLow = Math.max(tMin, tFloor);
  if (!(tLow < tMax)) {
    throw new MixdiffError(
      "INVALID_OPTION",
      `fitScore: the lowest learned level max(tMin, tFloor) = ${tLow} must be below tMax = ${tMax}`,
      { path: "tFloor" },
    );
  }
  const grid = learningGrid({ tMax, tMin: tLow, levels, sigma0 });
  const feats = levelFeatures(m, degree);
  const unpenalised = feats.sizeByDegree[Math.min(1, degree)] as number;
  // Ridge grid searched per level by held-out loss (a single value when the caller fixes it).
  const ridges = options.ridge === undefined ? [1e-4, 1e-2, 0.1, 1] : [opts.ridge];
  const P = feats.size;
  const ws = createWorkspace(feats);

  // Clustering chunks: one per expected warm-start update (disjoint while the pool allows).
  let nUpdates = 0;
  {
    let last = grid[0] as number;
    for (let l = 0; l + 1 < levels; l++) {
      const t = grid[l] as number;
      if (
        opts.cadence === "every-level" ||
        (opts.cadence === "sigma-halving" && s02 + t <= (s02 + last) / 2) ||
        (opts.cadence === "t-halving" && t <= last / 2)
      ) {
        nUpdates++;
        last = t;
      }
    }
    nUpdates = Math.max(1, nUpdates);
  }
  const chunk = Math.max(1, Math.min(nClus, Math.max(Math.floor(nClus / nUpdates), 400)));
  if (chunk * nUpdates > nClus)
    warnings.push(`clustering chunks of ${chunk} points are reused (${nUpdates} updates, ${nClus} clustering points)`);
  // Greedy cover is O(rows²): at most ≈ 800 denoised points per update.
  const clusterDraws = Math.max(1, Math.min(8, Math.floor(800 / chunk)));

  const resolved: Record<string, unknown> = {
    sigma0,
    k: opts.k ?? null,
    alphaMin,
    r0,
    degree,
    levels,
    tMax,
    tMin,
    tFloor,
    noiseDraws: draws,
    ridge: opts.ridge,
    cadence: opts.cadence,
    adaptive: opts.adaptive,
    shrink,
    mixtureBase: useBase,
    radiusConstant,
    maxCenters,
    refine: opts.refine,
    projection: opts.projection,
    preset: opts.preset,
    epsilon: opts.epsilon,
    interpolation: opts.interpolation,
    split: { regression: nReg, clustering: nClus, heldOut: nHeld },
    clusterChunk: chunk,
    clusterDraws,
  };

  // Buffers.
  let centers = new Float64Array(m); // {0}
  const phi = new Float64Array(P);
  const yBuf = new Float64Array(m);
  const zBuf = new Float64Array(m);
  const baseBuf = new Float64Array(m);
  let dist = new Float64Array(16);
  let logits = new Float64Array(16);
  const noise = new Float64Array(BLOCK * Math.max(4 * draws, HELD_DRAWS, 8) * Math.max(m, 1));
  const levelStates: LevelState[] = [];
  let yBlock = new Float64Array(0);
  let pBlock = new Float64Array(0);
  let yh = new Float64Array(0);
  let zh = new Float64Array(0);
  let xih = new Float64Array(0);
  const diagLevels: FitDiagnostics["levels"] = [];
  let clusterUpdate = 0;
  let lastUpdateT = grid[0] as number;

  for (let l = 0; l < levels; l++) {
    throwIfAborted(signal);
    const t = grid[l] as number;
    const sigma2 = s02 + t;
    const sig = Math.sqrt(sigma2);
    const inv = 1 / sig;
    const sqt = Math.sqrt(t);
    // Noise draws: the target's noise variance σ²σ0²/t is what extra draws average, so the draws per
    // point follow it: noiseDraws at t = 6σ0², fewer above (down to 1), more below (up to 4·noiseDraws).
    // A work budget caps the extra draws (above noiseDraws) when the features are many: ≈ 8e7 Gram updates
    // per level. It never cuts below noiseDraws: with m ≥ 3 a cap of 4 left the mid-t levels variance-limited
    // (gmm10d true KL term 0.020 → 0.015 with the floor at noiseDraws = 16).
    const budgetDraws = Math.max(draws, Math.floor(GRAM_BUDGET / (nReg * ((P * (P + 1)) / 2))));
    const dl = Math.max(1, Math.min(4 * draws, budgetDraws, Math.ceil((draws * 6 * s02) / t)));
    const K = centers.length / m;
    // Shrinkage towards the previous level: f changes slowly with t, so the previous level's f̂ is a
    // prior for this one. A candidate is either `f̂ = Φ·B` fitted to z with a ridge on the features of
    // degree ≥ 2 (shrinking towards the best linear fit), or the ridge fit shrunk towards `B₀`, the
    // least-squares projection of the previous level's f̂ on this cell's features:
    // `(G + λ·D)B = H + λ·D·B₀`, D = diag(G). f̂_prev is smooth and noise-free, so B₀ is fitted on one draw
    // per point (its own small normal equations). Held-out loss decides.
    const prev = shrink && levelStates.length > 0 ? (levelStates[levelStates.length - 1] as LevelState) : undefined;
    const nes: NormalEquations[] = Array.from({ length: K }, () => createNormalEquations(P, m));
    const nesPrev: NormalEquations[] = prev ? Array.from({ length: K }, () => createNormalEquations(P, m)) : [];
    const lower = new Float64Array(K * m).fill(Infinity);
    const upper = new Float64Array(K * m).fill(-Infinity);
    if (yBlock.length < BLOCK * m) {
      yBlock = new Float64Array(BLOCK * m);
      pBlock = new Float64Array(BLOCK * m);
    }
    // Mixture base (option mixtureBase): the cells' masses come from a pre-pass on one fresh draw per point.
    if (dist.length < K) {
      dist = new Float64Array(K);
      logits = new Float64Array(K);
    }
    const inv2s2 = 0.5 / sigma2;
    const preMass = new Float64Array(K);
    if (useBase) {
      for (let b0 = 0; b0 < nReg; b0 += BLOCK) {
        const bn = Math.min(BLOCK, nReg - b0);
        rng.stream("mass", l, b0 / BLOCK).fillNormal(noise, 0, bn * m);
        for (let j = 0; j < bn; j++) {
          for (let c = 0; c < m; c++) yBuf[c] = (Zr[(b0 + j) * m + c] as number) + sqt * (noise[j * m + c] as number);
          const k = nearestIndex(yBuf, centers, K, m);
          preMass[k] = (preMass[k] as number) + 1 / nReg;
        }
      }
    }
    const logMass = logOf(preMass);
    // Accumulate the per-cell normal equations (targets: z minus the base when it is used).
    for (let b0 = 0; b0 < nReg; b0 += BLOCK) {
      const bn = Math.min(BLOCK, nReg - b0);
      rng.stream("noise", l, b0 / BLOCK).fillNormal(noise, 0, bn * dl * m);
      if (prev) {
        // First draw of each point of the block: f̂_prev there.
        for (let j = 0; j < bn; j++)
          for (let c = 0; c < m; c++)
            yBlock[j * m + c] = (Zr[(b0 + j) * m + c] as number) + sqt * (noise[j * dl * m + c] as number);
        predictLevel(prev, sigma0, feats, ws, yBlock, bn, pBlock, outLower, outUpper);
        if (useBase) {
          for (let j = 0; j < bn; j++) {
            nearestIndex(yBlock.subarray(j * m, j * m + m), centers, K, m, dist);
            mixtureBase(dist, centers, logMass, K, m, inv2s2, logits, baseBuf);
            for (let c = 0; c < m; c++) pBlock[j * m + c] = (pBlock[j * m + c] as number) - (baseBuf[c] as number);
          }
        }
      }
      for (let q2 = 0; q2 < bn * dl; q2++) {
        const i = b0 + Math.floor(q2 / dl);
        for (let c = 0; c < m; c++) {
          const xi = noise[q2 * m + c] as number;
          const y = (Zr[i * m + c] as number) + sqt * xi;
          yBuf[c] = y;
          zBuf[c] = y - (sigma2 / sqt) * xi;
        }
        const best = nearestIndex(yBuf, centers, K, m, dist);
        if (useBase) {
          mixtureBase(dist, centers, logMass, K, m, inv2s2, logits, baseBuf);
          for (let c = 0; c < m; c++) zBuf[c] = (zBuf[c] as number) - (baseBuf[c] as number);
        }
        for (let c = 0; c < m; c++) {
          const u = ((yBuf[c] as number) - (centers[best * m + c] as number)) * inv;
          yBuf[c] = u;
          const bi = best * m + c;
          if (u < (lower[bi] as number)) lower[bi] = u;
          if (u > (upper[bi] as number)) upper[bi] = u;
        }
        feats.basis.evaluate(yBuf, 1, phi);
        (nes[best] as NormalEquations).addRow(phi, 0, zBuf, 0);
        if (prev && q2 % dl === 0) (nesPrev[best] as NormalEquations).addRow(phi, 0, pBlock, (q2 / dl) * m);
      }
    }
    // Candidate solutions per cell for every (degree, kind, ridge) on the level's grid; a cell whose data
    // do not support a degree uses its largest supported one (prefix sub-blocks of the same Gram matrix).
    const combos: { d: number; ridge: number; shrink: boolean }[] = [];
    for (let dd = degree; dd >= Math.max(0, degree - 3); dd--) {
      for (const rr of ridges) combos.push({ d: dd, ridge: rr, shrink: false });
      if (prev && shrink && dd >= degree - 1)
        for (const rr of SHRINK_RIDGES) combos.push({ d: dd, ridge: rr, shrink: true });
    }
    const candidates: (Float64Array | undefined)[][] = [];
    const gramDiags: (Float64Array | undefined)[] = new Array(K);
    const effDeg: number[][] = [];
    for (let k = 0; k < K; k++) {
      const ne = nes[k] as NormalEquations;
      const rowsK = ne.rows;
      const d = maxDegreeFor(rowsK, dl, degree, feats);
      const list: (Float64Array | undefined)[] = [];
      const ed: number[] = [];
      if (rowsK === 0) {
        for (let c = 0; c < m; c++) {
          lower[k * m + c] = 0;
          upper[k * m + c] = 0;
        }
        // No rows: the cell predicts its centre (or, with the base, the base alone).
        const coef = useBase ? new Float64Array(m) : centers.slice(k * m, k * m + m);
        for (let c = 0; c < combos.length; c++) {
          list.push(coef);
          ed.push(0);
        }
      } else {
        const g = ne.gram();
        const gramDiag = new Float64Array(P);
        for (let a = 0; a < P; a++) gramDiag[a] = g[a * P + a] as number;
        gramDiags[k] = gramDiag;
        const neP = nesPrev[k];
        const cache = new Map<string, Float64Array | undefined>();
        const plain = (de: number, rr: number) => {
          const key = `${de}/${de <= 1 ? 0 : rr}`;
          if (!cache.has(key))
            cache.set(
              key,
              solveCell(ne, gramDiag, feats.sizeByDegree[de] as number, de <= 1 ? 0 : rr, unpenalised, false)?.coef,
            );
          return cache.get(key);
        };
        for (const cb of combos) {
          const de = Math.min(cb.d, d);
          let coef: Float64Array | undefined;
          if (!cb.shrink) coef = plain(de, cb.ridge);
          else if (neP !== undefined && neP.rows > 0) {
            const key = `s${de}/${cb.ridge}`;
            if (!cache.has(key)) {
              const pKey = `p${de}`;
              if (!cache.has(pKey)) {
                const gp = neP.gram();
                const gdP = new Float64Array(P);
                for (let a = 0; a < P; a++) gdP[a] = gp[a * P + a] as number;
                const pde = Math.min(de, maxDegreeFor(neP.rows, 1, degree, feats));
                const sol = solveCell(
                  neP,
                  gdP,
                  feats.sizeByDegree[pde] as number,
                  pde <= 1 ? 0 : (ridges[0] as number),
                  unpenalised,
                  false,
                );
                cache.set(
                  pKey,
                  sol
                    ? padRows(sol.coef, feats.sizeByDegree[pde] as number, feats.sizeByDegree[de] as number, m)
                    : undefined,
                );
              }
              const B0 = cache.get(pKey);
              cache.set(
                key,
                B0 ? solveShrink(ne, gramDiag, feats.sizeByDegree[de] as number, cb.ridge, B0, m) : undefined,
              );
            }
            coef = cache.get(key);
          }
          list.push(coef);
          ed.push(de);
        }
      }
      candidates.push(list);
      effDeg.push(ed);
    }

    // Held-out points (fresh noise). For a candidate f̂ the held-out loss |f̂(y) − z|² estimates
    // E|f̂ − f|² + const without bias; two control variates with known mean cut its variance (which grows
    // like σ⁴/t): the χ² term (σ⁴/t)(|ξ|² − m) (coefficient 1, exact) and C = 2(σ²/√t)(f̂(x) − x)·ξ with x
    // the clean held-out point (mean 0 as ξ ⟂ x; coefficient fitted per candidate). Stein/SURE forms are
    // not used for the choice: they are biased inside a Voronoi cell (boundary terms).
    const dh = HELD_DRAWS;
    const hRows = nHeld * dh;
    if (yh.length < hRows * m) {
      yh = new Float64Array(hRows * m);
      zh = new Float64Array(hRows * m);
      xih = new Float64Array(hRows * m);
    }
    for (let b0 = 0; b0 < nHeld; b0 += BLOCK) {
      const bn = Math.min(BLOCK, nHeld - b0);
      rng.stream("held", l, b0 / BLOCK).fillNormal(noise, 0, bn * dh * m);
      for (let q2 = 0; q2 < bn * dh; q2++) {
        const i = b0 + Math.floor(q2 / dh);
        const r = b0 * dh + q2;
        for (let c = 0; c < m; c++) {
          const xi = noise[q2 * m + c] as number;
          const y = (Zh[i * m + c] as number) + sqt * xi;
          xih[r * m + c] = xi;
          yh[r * m + c] = y;
          zh[r * m + c] = y - (sigma2 / sqt) * xi;
        }
      }
    }
    const kappa = sigma2 / sqt;
    const kappa2 = kappa * kappa;
    const nc = combos.length;
    // Candidate choice: mean held-out loss with the two control variates that differ between candidates
    // (see held-out-error.ts): the χ² term and 2(σ²/√t)(f̂(x) − x)·ξ.
    const SEL_CV = 2;
    const cvec = new Float64Array(SEL_CV);
    const cvs = Array.from({ length: nc }, () => new ControlVariates(SEL_CV));
    const bad = new Uint8Array(nc);
    // Distinct coefficient arrays per cell (many combos share one: degree caps, ridge-free low degrees).
    const slotOf: Int32Array[] = [];
    const slotB: Float64Array[][] = [];
    const slotP: number[][] = [];
    for (let k = 0; k < K; k++) {
      const list = candidates[k] as (Float64Array | undefined)[];
      const so = new Int32Array(nc).fill(-1);
      const bs: Float64Array[] = [];
      const ps: number[] = [];
      for (let c = 0; c < nc; c++) {
        const B = list[c];
        if (!B) {
          bad[c] = 1;
          continue;
        }
        let j = bs.indexOf(B);
        if (j < 0) {
          j = bs.length;
          bs.push(B);
          ps.push(feats.sizeByDegree[(effDeg[k] as number[])[c] as number] as number);
        }
        so[c] = j;
      }
      slotOf.push(so);
      slotB.push(bs);
      slotP.push(ps);
    }
    const maxSlots = Math.max(1, ...slotB.map((b) => b.length));
    // f̂(x) − x at the clean held-out points for every slot of the point's cell (once per point).
    const gx = new Float64Array(nHeld * maxSlots * m);
    const cellX = new Int32Array(nHeld);
    const fy = new Float64Array(m);
    const bX = useBase ? new Float64Array(nHeld * m) : undefined;
    const bY = useBase ? new Float64Array(m) : undefined;
    for (let i = 0; i < nHeld; i++) {
      const kx = nearestIndex(Zh.subarray(i * m, i * m + m), centers, K, m, dist);
      if (bX) {
        mixtureBase(dist, centers, logMass, K, m, inv2s2, logits, baseBuf);
        bX.set(baseBuf, i * m);
      }
      cellX[i] = kx;
      clippedInput(Zh, i, centers, kx, lower, upper, inv, m, yBuf);
      feats.basis.evaluate(yBuf, 1, phi);
      const bs = slotB[kx] as Float64Array[];
      for (let j = 0; j < bs.length; j++) {
        evalPoly(
          phi,
          0,
          bs[j] as Float64Array,
          (slotP[kx] as number[])[j] as number,
          m,
          outLower,
          outUpper,
          fy,
          bX,
          i * m,
        );
        for (let c = 0; c < m; c++) gx[(i * maxSlots + j) * m + c] = (fy[c] as number) - (Zh[i * m + c] as number);
      }
    }
    const slotL = new Float64Array(maxSlots);
    for (let r = 0; r < hRows; r++) {
      const i = Math.floor(r / dh);
      const ky = nearestIndex(yh.subarray(r * m, r * m + m), centers, K, m, dist);
      if (bY) mixtureBase(dist, centers, logMass, K, m, inv2s2, logits, bY);
      const kx = cellX[i] as number;
      clippedInput(yh, r, centers, ky, lower, upper, inv, m, yBuf);
      feats.basis.evaluate(yBuf, 1, phi);
      let chi = -m;
      for (let c = 0; c < m; c++) chi += (xih[r * m + c] as number) ** 2;
      chi *= kappa2;
      const bs = slotB[ky] as Float64Array[];
      for (let j = 0; j < bs.length; j++) {
        evalPoly(phi, 0, bs[j] as Float64Array, (slotP[ky] as number[])[j] as number, m, outLower, outUpper, fy, bY);
        let L = 0;
        for (let c = 0; c < m; c++) {
          const v = (fy[c] as number) - (zh[r * m + c] as number);
          L += v * v;
        }
        slotL[j] = L;
      }
      const soY = slotOf[ky] as Int32Array;
      const soX = slotOf[kx] as Int32Array;
      for (let dd = 0; dd < nc; dd++) {
        if (bad[dd]) continue;
        const jx = soX[dd] as number;
        let C2 = 0;
        for (let c = 0; c < m; c++) C2 += (gx[(i * maxSlots + jx) * m + c] as number) * (xih[r * m + c] as number);
        cvec[0] = chi;
        cvec[1] = 2 * kappa * C2;
        (cvs[dd] as ControlVariates).add(slotL[soY[dd] as number] as number, cvec);
      }
    }
    const degrees = new Int32Array(K);
    const coefficients: Float64Array[] = [];
    let cond = 1;
    let maxDeg = 0;
    // Global choice (less noisy than per cell); ties → earlier combo (higher degree, smaller ridge).
    let pick = -1;
    let bestLoss = Infinity;
    for (let c = 0; c < nc; c++) {
      let ok = bad[c] === 0;
      for (let k = 0; k < K && ok; k++) if (!(candidates[k] as (Float64Array | undefined)[])[c]) ok = false;
      if (!ok) continue;
      const tot = (cvs[c] as ControlVariates).estimate().value;
      if (tot < bestLoss) {
        bestLoss = tot;
        pick = c;
      }
    }
    if (pick < 0) throw new MixdiffError("NUMERICAL_FAILURE", `fitScore: no solvable system at t = ${t}`);
    const chosen = combos[pick] as { ridge: number; shrink: boolean };
    for (let k = 0; k < K; k++) {
      degrees[k] = (effDeg[k] as number[])[pick] as number;
      coefficients.push((candidates[k] as Float64Array[])[pick] as Float64Array);
      // Condition number of the chosen system only (the candidates skip polyreg's estimate for speed).
      const gd = gramDiags[k];
      if (gd !== undefined) {
        const de = degrees[k] as number;
        const p = feats.sizeByDegree[de] as number;
        const again = solveCell(
          nes[k] as NormalEquations,
          gd,
          p,
          chosen.shrink ? chosen.ridge : de <= 1 ? 0 : chosen.ridge,
          chosen.shrink ? 0 : unpenalised,
          true,
        );
        cond = Math.max(cond, again?.cond ?? Infinity);
      }
      maxDeg = Math.max(maxDeg, degrees[k] as number);
    }
    // Cell masses: the pre-pass's when the base uses them (training and prediction then agree exactly).
    const mass = useBase ? preMass : new Float64Array(K);
    if (!useBase) for (let k = 0; k < K; k++) mass[k] = (nes[k] as NormalEquations).rows / (nReg * dl);
    const level: LevelState = useBase
      ? { t, centers, degrees, coefficients, lower, upper, mass, base: true }
      : { t, centers, degrees, coefficients, lower, upper, mass };
    levelStates.push(level);

    // Error estimate of the chosen model on fresh noise (held-out-error.ts).
    const est = estimateLevelError({
      level,
      sigma0,
      feats,
      ws,
      evalSet,
      draws: DIAG_DRAWS,
      rng: rng.stream("diag", l),
      outLower,
      outUpper,
    });
    const mseRaw = est.mse;
    const mseSe = est.standardError;
    const resid = est.residual;
    const loss = est.loss;
    const mse = Math.max(0, mseRaw);
    const fullScale = resid + (n - m) * sigma2; // E|f̂ − y|² in n dims
    const relErr = Math.sqrt(mse / Math.max(fullScale, 1e-300));
    diagLevels.push({
      t,
      cells: K,
      degree: maxDeg,
      ridge: chosen.ridge,
      shrink: chosen.shrink,
      heldOutRelError: relErr,
      heldOutMse: mse,
      heldOutMseEstimate: mseRaw,
      heldOutMseStandardError: mseSe,
      heldOutLoss: loss,
      conditionNumber: cond,
      rows: nReg * dl,
    });
    opts.onProgress?.({
      level: l,
      levels,
      t,
      cells: K,
      degree: maxDeg,
      heldOutError: relErr,
      elapsedMs: Date.now() - t0,
    });

    // Algorithm 2: new warm starts from a fresh chunk denoised by this level's model. Checked at every
    // level; adopted when the cadence is due or when the cover splits into more cells (adaptive split).
    if (l + 1 < levels) {
      const due =
        opts.cadence === "every-level" ||
        (opts.cadence === "sigma-halving" && s02 + t <= (s02 + lastUpdateT) / 2) ||
        (opts.cadence === "t-halving" && t <= lastUpdateT / 2);
      const start = (clusterUpdate * chunk) % nClus;
      const cRows = chunk * clusterDraws;
      const yc = new Float64Array(cRows * m);
      for (let b0 = 0; b0 < chunk; b0 += BLOCK) {
        const bn = Math.min(BLOCK, chunk - b0);
        rng.stream("cluster", l, b0 / BLOCK).fillNormal(noise, 0, bn * clusterDraws * m);
        for (let q = 0; q < bn * clusterDraws; q++) {
          const i = (start + b0 + Math.floor(q / clusterDraws)) % nClus;
          const r = b0 * clusterDraws + q;
          for (let c = 0; c < m; c++) yc[r * m + c] = (Zc[i * m + c] as number) + sqt * (noise[q * m + c] as number);
        }
      }
      const mu = new Float64Array(cRows * m);
      predictLevel(level, sigma0, feats, ws, yc, cRows, mu, outLower, outUpper);
      const radius = radiusConstant * (r0 + sig * Math.sqrt(Math.log(1 / alphaMin)));
      const pts = { data: mu, rows: cRows, cols: m };
      const cover = greedyCover(pts, { radius, maxCenters, stopFraction: alphaMin / 2 });
      if (due || (opts.adaptive && cover.centers.rows > K)) {
        const refined = opts.refine === "lloyd" ? lloydRefine(pts, cover.centers, 3) : cover.centers;
        centers = Float64Array.from(refined.data);
        lastUpdateT = t;
        clusterUpdate++;
      }
    }
  }

  // Discretised Theorem 3.1 term from the unclipped per-level estimates (their noise averages out in the
  // sum; clipping each at 0 first would bias it upwards), with its standard error.
  let klRaw = 0;
  let klVar = 0;
  for (let l = 0; l + 1 < levels; l++) {
    const a = diagLevels[l] as FitDiagnostics["levels"][number];
    const s2 = s02 + a.t;
    const w = Math.log(s2 / (s02 + (grid[l + 1] as number))) / s2;
    klRaw += w * (a.heldOutMseEstimate as number);
    klVar += (w * (a.heldOutMseStandardError as number)) ** 2;
  }
  const klTerm = Math.max(0, klRaw);
  const diagnostics: FitDiagnostics = {
    klTerm,
    klTermStandardError: Math.sqrt(klVar),
    levels: diagLevels,
    subspaceDim: m,
    eigenvalues: Array.from(sub.eigenvalues),
    warnings,
    options: resolved,
  };
  const state: ModelState = {
    dim: n,
    subspaceDim: m,
    sigma0,
    mean: sub.mean,
    basis: sub.basis,
    tMin,
    degree,
    interpolation: opts.interpolation,
    base: useBase,
    outLower,
    outUpper,
    levels: levelStates,
  };
  return modelFromState(state, diagnostics);
}
