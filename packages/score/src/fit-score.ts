import { MixdiffError, type PointsLike, toPoints } from "@mixdiff/core";
import { createNormalEquations, featureCount, type NormalEquations, solveRidge } from "@mixdiff/polyreg";
import type { FitDiagnostics, LearnedScoreModel, ModelState } from "./learned-score-model.js";
import { learningGrid } from "./learning-grid.js";
import { createWorkspace, type LevelState, levelFeatures, predictLevel } from "./level-predictor.js";
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

function nearestIndex(y: Float64Array, centers: Float64Array, K: number, m: number): number {
  let best = 0;
  let bd = Infinity;
  for (let k = 0; k < K; k++) {
    let d = 0;
    for (let c = 0; c < m; c++) {
      const v = (y[c] as number) - (centers[k * m + c] as number);
      d += v * v;
    }
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

/** Points per noise stream: noise of point i at level ℓ comes from `rng.stream(tag, ℓ, ⌊i/BLOCK⌋)`. */
const BLOCK = 64;
/** Distinct points per feature a cell needs for its degree (else it drops degree). */
const MIN_POINTS_PER_FEATURE = 8;
/** Feature budget for the theory preset's degree cap. */
const THEORY_FEATURE_BUDGET = 300;
/** Gram-matrix multiply-adds per level above which extra noise draws (beyond noiseDraws) are not spent. */
const GRAM_BUDGET = 1.2e8;

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
 *    centred at each cell's warm start with variance σ², per Voronoi cell, by ridge least squares;
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
  const noise = new Float64Array(BLOCK * 4 * draws * Math.max(m, 1));
  const levelStates: LevelState[] = [];
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
    // A work budget caps the draws when the features are many: ≈ 1.2e8 Gram updates per level.
    const budgetDraws = Math.max(draws, Math.floor(GRAM_BUDGET / (nReg * ((P * (P + 1)) / 2))));
    const dl = Math.max(1, Math.min(4 * draws, budgetDraws, Math.ceil((draws * 6 * s02) / t)));
    const K = centers.length / m;
    const nes: NormalEquations[] = Array.from({ length: K }, () => createNormalEquations(P, m));
    const lower = new Float64Array(K * m).fill(Infinity);
    const upper = new Float64Array(K * m).fill(-Infinity);
    // Accumulate the per-cell normal equations.
    for (let b0 = 0; b0 < nReg; b0 += BLOCK) {
      const bn = Math.min(BLOCK, nReg - b0);
      rng.stream("noise", l, b0 / BLOCK).fillNormal(noise, 0, bn * dl * m);
      for (let q = 0; q < bn * dl; q++) {
        const i = b0 + Math.floor(q / dl);
        for (let c = 0; c < m; c++) {
          const xi = noise[q * m + c] as number;
          const y = (Zr[i * m + c] as number) + sqt * xi;
          yBuf[c] = y;
          zBuf[c] = y - (sigma2 / sqt) * xi;
        }
        const best = nearestIndex(yBuf, centers, K, m);
        for (let c = 0; c < m; c++) {
          const u = ((yBuf[c] as number) - (centers[best * m + c] as number)) * inv;
          yBuf[c] = u;
          const bi = best * m + c;
          if (u < (lower[bi] as number)) lower[bi] = u;
          if (u > (upper[bi] as number)) upper[bi] = u;
        }
        feats.basis.evaluate(yBuf, 1, phi);
        (nes[best] as NormalEquations).addRow(phi, 0, zBuf, 0);
      }
    }
    // Candidate solutions per cell for every (degree, ridge) on the level's grid; a cell whose data do
    // not support a degree uses its largest supported one (prefix sub-blocks of the same Gram matrix).
    const combos: { d: number; ridge: number }[] = [];
    for (let dd = degree; dd >= Math.max(0, degree - 3); dd--)
      for (const rr of ridges) combos.push({ d: dd, ridge: rr });
    const candidates: (Float64Array | undefined)[][] = [];
    const gramDiags: (Float64Array | undefined)[] = new Array(K);
    const effDeg: number[][] = [];
    for (let k = 0; k < K; k++) {
      const ne = nes[k] as NormalEquations;
      const rowsK = ne.rows;
      let d = degree;
      while (d > 0 && (feats.sizeByDegree[d] as number) * MIN_POINTS_PER_FEATURE > rowsK / dl) d--;
      const list: (Float64Array | undefined)[] = [];
      const ed: number[] = [];
      if (rowsK === 0) {
        for (let c = 0; c < m; c++) {
          lower[k * m + c] = 0;
          upper[k * m + c] = 0;
        }
        const coef = centers.slice(k * m, k * m + m);
        for (let c = 0; c < combos.length; c++) {
          list.push(coef);
          ed.push(0);
        }
      } else {
        const g = ne.gram();
        const gramDiag = new Float64Array(P);
        for (let a = 0; a < P; a++) gramDiag[a] = g[a * P + a] as number;
        gramDiags[k] = gramDiag;
        const cache = new Map<string, { coef: Float64Array; cond: number } | undefined>();
        for (const cb of combos) {
          const de = Math.min(cb.d, d);
          const key = `${de}/${de <= 1 ? 0 : cb.ridge}`;
          if (!cache.has(key))
            cache.set(
              key,
              solveCell(ne, gramDiag, feats.sizeByDegree[de] as number, de <= 1 ? 0 : cb.ridge, unpenalised, false),
            );
          const sol = cache.get(key);
          list.push(sol?.coef);
          ed.push(de);
        }
      }
      candidates.push(list);
      effDeg.push(ed);
    }

    // Held-out points (fresh noise): the level's (degree, ridge) minimises the held-out denoising loss
    // Σ|f̂(y) − z|² over all cells (an unbiased comparison: E|f̂ − z|² = E|f̂ − f|² + const). Stein/SURE
    // forms are not used: they are biased inside a Voronoi cell (boundary terms).
    const dh = Math.min(dl, 4);
    const hRows = nHeld * dh;
    const yh = new Float64Array(hRows * m);
    const zh = new Float64Array(hRows * m);
    for (let b0 = 0; b0 < nHeld; b0 += BLOCK) {
      const bn = Math.min(BLOCK, nHeld - b0);
      rng.stream("held", l, b0 / BLOCK).fillNormal(noise, 0, bn * dh * m);
      for (let q = 0; q < bn * dh; q++) {
        const i = b0 + Math.floor(q / dh);
        const r = b0 * dh + q;
        for (let c = 0; c < m; c++) {
          const xi = noise[q * m + c] as number;
          const y = (Zh[i * m + c] as number) + sqt * xi;
          yh[r * m + c] = y;
          zh[r * m + c] = y - (sigma2 / sqt) * xi;
        }
      }
    }
    const sure: Float64Array[] = candidates.map((c) => new Float64Array(c.length));
    for (let r = 0; r < hRows; r++) {
      const k = nearestIndex(yh.subarray(r * m, r * m + m), centers, K, m);
      const list = candidates[k] as (Float64Array | undefined)[];
      if ((nes[k] as NormalEquations).rows === 0) continue;
      const sk = sure[k] as Float64Array;
      for (let c = 0; c < m; c++) {
        let u = ((yh[r * m + c] as number) - (centers[k * m + c] as number)) * inv;
        const lo = lower[k * m + c] as number;
        const hi = upper[k * m + c] as number;
        u = Math.min(Math.max(u, lo), hi);
        yBuf[c] = u;
      }
      feats.basis.evaluate(yBuf, 1, phi);
      for (let dd = 0; dd < list.length; dd++) {
        const B = list[dd];
        if (!B) {
          sk[dd] = Infinity;
          continue;
        }
        const p = feats.sizeByDegree[(effDeg[k] as number[])[dd] as number] as number;
        let e = 0;
        for (let c = 0; c < m; c++) {
          let f = 0;
          for (let a = 0; a < p; a++) f += (phi[a] as number) * (B[a * m + c] as number);
          const v = f - (zh[r * m + c] as number);
          e += v * v;
        }
        sk[dd] = (sk[dd] as number) + e;
      }
    }
    const degrees = new Int32Array(K);
    const coefficients: Float64Array[] = [];
    let cond = 1;
    let maxDeg = 0;
    // Global choice (less noisy than per cell); ties → earlier combo (higher degree, smaller ridge).
    let pick = -1;
    let bestLoss = Infinity;
    for (let c = 0; c < combos.length; c++) {
      let tot = 0;
      for (let k = 0; k < K; k++) {
        if (!(candidates[k] as (Float64Array | undefined)[])[c]) tot = Infinity;
        else tot += (sure[k] as Float64Array)[c] as number;
      }
      if (tot < bestLoss) {
        bestLoss = tot;
        pick = c;
      }
    }
    if (pick < 0) throw new MixdiffError("NUMERICAL_FAILURE", `fitScore: no solvable system at t = ${t}`);
    const chosenRidge = (combos[pick] as { ridge: number }).ridge;
    for (let k = 0; k < K; k++) {
      degrees[k] = (effDeg[k] as number[])[pick] as number;
      coefficients.push((candidates[k] as Float64Array[])[pick] as Float64Array);
      // Condition number of the chosen system only (the candidates skip polyreg's estimate for speed).
      const gd = gramDiags[k];
      if (gd !== undefined) {
        const de = degrees[k] as number;
        const again = solveCell(
          nes[k] as NormalEquations,
          gd,
          feats.sizeByDegree[de] as number,
          de <= 1 ? 0 : chosenRidge,
          unpenalised,
          true,
        );
        cond = Math.max(cond, again?.cond ?? Infinity);
      }
      maxDeg = Math.max(maxDeg, degrees[k] as number);
    }
    const mass = new Float64Array(K);
    for (let k = 0; k < K; k++) mass[k] = (nes[k] as NormalEquations).rows / (nReg * dl);
    const level: LevelState = { t, centers, degrees, coefficients, lower, upper, mass };
    levelStates.push(level);

    // Held-out diagnostics with the chosen model.
    const fh = new Float64Array(hRows * m);
    const dv = new Float64Array(hRows);
    predictLevel(level, sigma0, feats, ws, yh, hRows, fh, outLower, outUpper, dv);
    let resid = 0;
    let loss = 0;
    let divSum = 0;
    for (let r = 0; r < hRows; r++) {
      for (let c = 0; c < m; c++) {
        const f = fh[r * m + c] as number;
        const a = (yh[r * m + c] as number) - f;
        const b = f - (zh[r * m + c] as number);
        resid += a * a;
        loss += b * b;
      }
      divSum += dv[r] as number;
    }
    resid /= hRows;
    loss /= hRows;
    // E|f̂ − z|² = E|f̂ − f|² + E|z − f|², and E[|z − f|² | y] = σ²σ0²m/t + σ²∇·f(y) (Tweedie, second
    // order); the unknown ∇·f is replaced by ∇·f̂ (plug-in), the rest is unbiased.
    const mse = Math.max(0, loss - (sigma2 * s02 * m) / t - sigma2 * (divSum / hRows));
    const fullScale = resid + (n - m) * sigma2; // E|f̂ − y|² in n dims
    const relErr = Math.sqrt(mse / Math.max(fullScale, 1e-300));
    diagLevels.push({
      t,
      cells: K,
      degree: maxDeg,
      ridge: chosenRidge,
      heldOutRelError: relErr,
      heldOutMse: mse,
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

  let klTerm = 0;
  for (let l = 0; l + 1 < levels; l++) {
    const a = diagLevels[l] as FitDiagnostics["levels"][number];
    const s2 = s02 + a.t;
    const ratio = Math.log(s2 / (s02 + (grid[l + 1] as number)));
    klTerm += ratio * (a.heldOutMse / s2);
  }
  const diagnostics: FitDiagnostics = {
    klTerm,
    levels: diagLevels,
    subspaceDim: m,
    eigenvalues: Array.from(sub.eigenvalues),
    fitMs: Date.now() - t0,
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
    outLower,
    outUpper,
    levels: levelStates,
  };
  return modelFromState(state, diagnostics);
}
