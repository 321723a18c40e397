import { checkNumber, createRng, MixdiffError } from "@mixdiff/core";
import { type Distribution, gaussianMixture } from "@mixdiff/mixtures";
import { nearestRow } from "@mixdiff/polyreg";
import { expNonPositive } from "./exp-non-positive.js";
import type { LearnedScoreModel } from "./learned-score-model.js";

/** Means (`[k, n]` rows) and weights of the mixture estimated by {@link estimateMixture}. */
export interface MixtureEstimate {
  means: number[][];
  weights: number[];
}

/**
 * Estimates a discrete mixing distribution from a learned model. **Soft-gated models** (format v3) carry it:
 * the gates of the lowest level are the atoms of the mixture base, fitted by EM at that level's known variance
 * (at t = 0 the maximum-likelihood atoms of `Σ w_k N(c_k, σ0²I)`); atoms closer than σ0/2 are merged
 * (mass-weighted), atoms lighter than `minWeight` dropped, and with `k` the closest pairs are merged until k
 * remain. **Hard-cell models** (v1/v2), in projected coordinates at the lowest level t (σ² = σ0² + t):
 *
 * 1. atoms start at the fixed points of the learned denoiser f̂ (iterating μ ← f̂(μ) from each cell's
 *    warm start); weights are the cells' masses;
 * 2. atoms closer than σ0/2 are merged, atoms lighter than `minWeight` are dropped;
 * 3. the means are refined so that the atoms' own posterior mean `f_atoms(y) = Σ π_i(y) μ_i` matches f̂
 *    in least squares on probe points around the atoms, at every learned level with t ≤ σ0² (fixed
 *    points of f̂ alone are shrunk towards neighbouring components when these overlap);
 * 4. the weights deconvolve the cell masses: `mass_k = Σ_i w_i P(N(μ_i, σ²I) ∈ cell_k)` solved on the
 *    simplex (a fixed-seed Monte Carlo estimates the probabilities, so the result is deterministic).
 *
 * @throws MixdiffError `INVALID_OPTION` for a bad `minWeight`.
 * @example
 * ```ts
 * import { estimateMixtureParameters } from "@mixdiff/score";
 * const { means, weights } = estimateMixtureParameters(model); // e.g. 3 atoms for gmm2d
 * ```
 */
export function estimateMixtureParameters(
  model: LearnedScoreModel,
  o: { minWeight?: number; k?: number } = {},
): MixtureEstimate {
  if (model?.kind !== "learned")
    throw new MixdiffError("INVALID_INPUT", "estimateMixture: expected a learned score model");
  const minWeight = checkNumber(o.minWeight ?? 0.02, "estimateMixture", "minWeight", { min: 0, max: 1 });
  const k = o.k === undefined ? undefined : checkNumber(o.k, "estimateMixture", "k", { min: 1, integer: true });
  const json = model.toJSON().model;
  if (json.gating === "soft") return fromGates(model, json, minWeight, k);
  const m = json.subspaceDim;
  const li = json.levels.length - 1;
  const level = json.levels[li]!;
  const s02 = json.sigma0 * json.sigma0;
  const sigma2 = s02 + level.t;
  const K = level.degrees.length;
  // 1. Fixed points of f̂ from every warm start.
  let pts = Float64Array.from(level.centers);
  for (let it = 0; it < 10; it++) {
    const next = Float64Array.from(model.levelPosteriorMean(li, pts, K));
    if (!next.every(Number.isFinite)) break; // an unclipped level (the paper preset) can run away: keep the last
    pts = next;
  }
  // 2. Merge close atoms; drop light ones.
  const atoms: { mu: number[]; w: number }[] = [];
  const mergeR2 = s02 / 4;
  for (let k = 0; k < K; k++) {
    const mu = Array.from(pts.subarray(k * m, k * m + m));
    const w = level.mass[k]!;
    const near = atoms.find((a) => a.mu.reduce((s, v, j) => s + (v - mu[j]!) ** 2, 0) < mergeR2);
    if (near) {
      const tot = near.w + w;
      if (tot > 0) near.mu = near.mu.map((v, j) => (v * near.w + mu[j]! * w) / tot);
      near.w = tot;
    } else atoms.push({ mu, w });
  }
  let kept = atoms.filter((a) => a.w >= minWeight);
  if (kept.length === 0) kept = [atoms.reduce((a, b) => (b.w > a.w ? b : a))];
  const tot = kept.reduce((s, a) => s + a.w, 0);
  const A = kept.length;
  const w = kept.map((x) => x.w / tot);
  const mu = new Float64Array(A * m);
  kept.forEach((x, k) => {
    for (let j = 0; j < m; j++) mu[k * m + j] = x.mu[j]!;
  });
  // 3. Fit the atoms' own posterior mean f_atoms(y) = Σ π_i(y) μ_i to the learned f̂ by least squares on
  //    probe points around the atoms (μ̂_k and μ̂_k ± σ e_j, ± 2σ e_j) at every learned level with t ≤ σ0²,
  //    by gradient descent with backtracking over (means, softmax weights).
  const useLevels: number[] = [];
  json.levels.forEach((L, i) => {
    if (L.t <= s02 || i === li) useLevels.push(i);
  });
  const a = w.map((v) => Math.log(v));
  const loss = (muv: Float64Array, av: number[], grad?: { mu: Float64Array; a: number[] }): number => {
    let total = 0;
    if (grad) {
      grad.mu.fill(0);
      grad.a.fill(0);
    }
    const lse = Math.log(av.reduce((acc, v) => acc + Math.exp(v), 0));
    const logw = av.map((v) => v - lse);
    const pi = new Float64Array(A);
    const f = new Float64Array(m);
    for (const lv of useLevels) {
      const Lt = json.levels[lv]!.t;
      const s2 = s02 + Lt;
      const sg = Math.sqrt(s2);
      const probes: number[] = [];
      for (let k = 0; k < A; k++) {
        const base = Array.from(muv.subarray(k * m, k * m + m));
        probes.push(...base);
        for (let j = 0; j < m; j++) {
          for (const h of [-2, -1, 1, 2]) {
            const q = base.slice();
            q[j] = q[j]! + h * sg;
            probes.push(...q);
          }
        }
      }
      const P = probes.length / m;
      const Y = Float64Array.from(probes);
      const fh = model.levelPosteriorMean(lv, Y, P);
      for (let r = 0; r < P; r++) {
        let mx = -Infinity;
        for (let i = 0; i < A; i++) {
          let dot = 0;
          let nn = 0;
          for (let j = 0; j < m; j++) {
            const v = muv[i * m + j]!;
            dot += Y[r * m + j]! * v;
            nn += v * v;
          }
          const l = logw[i]! + (dot - nn / 2) / s2;
          pi[i] = l;
          if (l > mx) mx = l;
        }
        let z = 0;
        for (let i = 0; i < A; i++) {
          const e = expNonPositive(pi[i]! - mx);
          pi[i] = e;
          z += e;
        }
        f.fill(0);
        for (let i = 0; i < A; i++) {
          pi[i] = pi[i]! / z;
          for (let j = 0; j < m; j++) f[j] = f[j]! + pi[i]! * muv[i * m + j]!;
        }
        const res = new Float64Array(m);
        for (let j = 0; j < m; j++) {
          res[j] = f[j]! - fh[r * m + j]!;
          total += res[j]! ** 2;
        }
        if (!grad) continue;
        for (let i = 0; i < A; i++) {
          const p = pi[i]!;
          if (p < 1e-300) continue;
          // ∂f/∂μ_i = π_i I + π_i (μ_i − f)(y − μ_i)ᵀ/σ²,  ∂f/∂a_i = π_i (μ_i − f)
          let dr = 0;
          for (let j = 0; j < m; j++) dr += (muv[i * m + j]! - f[j]!) * res[j]!;
          for (let j = 0; j < m; j++) {
            const g = p * res[j]! + (p * dr * (Y[r * m + j]! - muv[i * m + j]!)) / s2;
            grad.mu[i * m + j] = grad.mu[i * m + j]! + 2 * g;
          }
          grad.a[i] = grad.a[i]! + 2 * p * dr;
        }
      }
    }
    return total;
  };
  // Stage 3 moves the means only (weights fixed at the cell masses; step 4 corrects the weights).
  const grad = { mu: new Float64Array(A * m), a: new Array<number>(A).fill(0) };
  let cur = loss(mu, a, grad);
  let step = 0.1;
  for (let it = 0; it < 300 && step > 1e-12; it++) {
    const tryMu = new Float64Array(A * m);
    const tryA = a.slice();
    for (let q = 0; q < A * m; q++) tryMu[q] = mu[q]! - step * grad.mu[q]!;
    const next = loss(tryMu, tryA);
    if (next < cur) {
      mu.set(tryMu);
      for (let i = 0; i < A; i++) a[i] = tryA[i]!;
      const prev = cur;
      cur = loss(mu, a, grad);
      step *= 1.5;
      if (prev - cur < 1e-12 * Math.max(1, prev)) break;
    } else step /= 2;
  }
  // 4. Weights: the cell masses are P_t(Y ∈ V_k) = Σ_i w_i·P(N(μ_i, σ²I) ∈ V_k) =: (M w)_k at the lowest
  //    level; M is estimated with a fixed-seed Monte Carlo (4 000 draws per atom) and w solves
  //    min |M w − mass|² on the simplex (projected gradient), which undoes the overlap of the cells.
  const Kc = level.degrees.length;
  const M = new Float64Array(Kc * A);
  const mc = createRng("estimate-mixture");
  const S = 4000;
  const sg = Math.sqrt(sigma2);
  const yv = new Float64Array(m);
  for (let i = 0; i < A; i++) {
    const r = mc.stream(i);
    for (let q = 0; q < S; q++) {
      for (let j = 0; j < m; j++) yv[j] = mu[i * m + j]! + sg * r.normal();
      const best = nearestRow(yv, 0, level.centers, Kc, m);
      M[best * A + i] = M[best * A + i]! + 1 / S;
    }
  }
  const massTot = level.mass.reduce((acc, v) => acc + v, 0);
  const target = level.mass.map((v) => v / massTot);
  const wv = Float64Array.from(w);
  for (let it = 0; it < 2000; it++) {
    const g = new Float64Array(A);
    for (let k = 0; k < Kc; k++) {
      let r = -target[k]!;
      for (let i = 0; i < A; i++) r += M[k * A + i]! * wv[i]!;
      for (let i = 0; i < A; i++) g[i] = g[i]! + 2 * r * M[k * A + i]!;
    }
    for (let i = 0; i < A; i++) wv[i] = Math.max(0, wv[i]! - 0.25 * g[i]!);
    const sum = wv.reduce((acc, v) => acc + v, 0);
    for (let i = 0; i < A; i++) wv[i] = sum > 0 ? wv[i]! / sum : 1 / A;
  }
  for (let i = 0; i < A; i++) w[i] = wv[i]!;
  const lifted = model.lift(mu, A);
  const means: number[][] = [];
  for (let k = 0; k < A; k++) means.push(Array.from(lifted.data.subarray(k * model.dim, (k + 1) * model.dim)));
  if (!means.every((r) => r.every(Number.isFinite)) || !w.every(Number.isFinite)) {
    throw new MixdiffError(
      "NUMERICAL_FAILURE",
      "estimateMixture: the model's denoiser has no finite fixed points to estimate atoms from (an unclipped model far from its data?)",
    );
  }
  return { means, weights: w };
}

/**
 * For discrete mixtures: the estimated mixture itself as a `@mixdiff/mixtures` distribution
 * (`X = μ + σ0 ξ`, μ on the atoms of {@link estimateMixtureParameters}).
 *
 * @example
 * ```ts
 * import { estimateMixture } from "@mixdiff/score";
 * const d = estimateMixture(model, { minWeight: 0.02 });
 * d.toSpec().mixing; // { kind: "atoms", points, weights }
 * ```
 */
export function estimateMixture(model: LearnedScoreModel, o: { minWeight?: number; k?: number } = {}): Distribution {
  const { means, weights } = estimateMixtureParameters(model, o);
  return gaussianMixture({ means, weights, noiseStd: model.sigma0 });
}

/** Atoms of a soft-gated model: the lowest level's gates, merged, pruned and (with k) reduced to k. */
function fromGates(
  model: LearnedScoreModel,
  json: ReturnType<LearnedScoreModel["toJSON"]>["model"],
  minWeight: number,
  k: number | undefined,
): MixtureEstimate {
  const m = json.subspaceDim;
  const level = json.levels[json.levels.length - 1]!;
  let atoms = level.mass.map((w, i) => ({ mu: level.centers.slice(i * m, i * m + m), w }));
  const merge = (a: { mu: number[]; w: number }, b: { mu: number[]; w: number }) => ({
    mu: a.mu.map((v, j) => (v * a.w + b.mu[j]! * b.w) / (a.w + b.w || 1)),
    w: a.w + b.w,
  });
  const d2 = (a: number[], b: number[]) => a.reduce((s, v, j) => s + (v - b[j]!) ** 2, 0);
  const closest = () => {
    let best: [number, number, number] = [0, 1, Infinity];
    for (let i = 0; i < atoms.length; i++)
      for (let j = i + 1; j < atoms.length; j++) {
        const d = d2(atoms[i]!.mu, atoms[j]!.mu);
        if (d < best[2]) best = [i, j, d];
      }
    return best;
  };
  const mergePair = (i: number, j: number) => {
    const merged = merge(atoms[i]!, atoms[j]!);
    atoms = atoms.filter((_, q) => q !== i && q !== j);
    atoms.push(merged);
  };
  const s02 = json.sigma0 * json.sigma0;
  for (let [i, j, d] = closest(); atoms.length > 1 && d < s02 / 4; [i, j, d] = closest()) mergePair(i, j);
  if (atoms.some((a) => a.w >= minWeight)) atoms = atoms.filter((a) => a.w >= minWeight);
  if (k !== undefined) while (atoms.length > k) mergePair(...(closest().slice(0, 2) as [number, number]));
  const total = atoms.reduce((s, a) => s + a.w, 0);
  const lifted = model.lift(Float64Array.from(atoms.flatMap((a) => a.mu)), atoms.length);
  const means: number[][] = [];
  for (let q = 0; q < atoms.length; q++)
    means.push(Array.from(lifted.data.subarray(q * model.dim, (q + 1) * model.dim)));
  return { means, weights: atoms.map((a) => a.w / total) };
}
