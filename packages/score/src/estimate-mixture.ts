import { checkNumber, MixdiffError } from "@mixdiff/core";
import { type Distribution, gaussianMixture } from "@mixdiff/mixtures";
import type { LearnedScoreModel } from "./learned-score-model.js";

/** Means (`[k, n]` rows) and weights of the mixture estimated by {@link estimateMixture}. */
export interface MixtureEstimate {
  means: number[][];
  weights: number[];
}

/**
 * Estimates a discrete mixing distribution from a learned model, in projected coordinates, at its
 * lowest level t (σ² = σ0² + t):
 *
 * 1. atoms start at the fixed points of the learned denoiser f̂ (iterating μ ← f̂(μ) from each cell's
 *    warm start); weights are the cells' masses;
 * 2. atoms closer than σ0/2 are merged, atoms lighter than `minWeight` are dropped;
 * 3. the means are corrected so that the atoms' own posterior mean `Σ π_i(y) μ_i` matches f̂ at the
 *    atoms (`μ ← μ + f̂(μ) − f_atoms(μ)`, damped) — fixed points of f̂ alone are shrunk towards
 *    neighbouring components when they overlap.
 *
 * @throws MixdiffError `INVALID_OPTION` for a bad `minWeight`.
 * @example
 * ```ts
 * import { estimateMixtureParameters } from "@mixdiff/score";
 * const { means, weights } = estimateMixtureParameters(model); // e.g. 3 atoms for gmm2d
 * ```
 */
export function estimateMixtureParameters(model: LearnedScoreModel, o: { minWeight?: number } = {}): MixtureEstimate {
  if (model?.kind !== "learned")
    throw new MixdiffError("INVALID_INPUT", "estimateMixture: expected a learned score model");
  const minWeight = checkNumber(o.minWeight ?? 0.02, "estimateMixture", "minWeight", { min: 0, max: 1 });
  const json = model.toJSON().model;
  const m = json.subspaceDim;
  const li = json.levels.length - 1;
  const level = json.levels[li] as (typeof json.levels)[number];
  const s02 = json.sigma0 * json.sigma0;
  const sigma2 = s02 + level.t;
  const K = level.degrees.length;
  // 1. Fixed points of f̂ from every warm start.
  let pts = Float64Array.from(level.centers);
  for (let it = 0; it < 100; it++) pts = Float64Array.from(model.levelPosteriorMean(li, pts, K));
  // 2. Merge close atoms; drop light ones.
  const atoms: { mu: number[]; w: number }[] = [];
  const mergeR2 = s02 / 4;
  for (let k = 0; k < K; k++) {
    const mu = Array.from(pts.subarray(k * m, k * m + m));
    const w = level.mass[k] as number;
    const near = atoms.find((a) => a.mu.reduce((s, v, j) => s + (v - (mu[j] as number)) ** 2, 0) < mergeR2);
    if (near) {
      const tot = near.w + w;
      if (tot > 0) near.mu = near.mu.map((v, j) => (v * near.w + (mu[j] as number) * w) / tot);
      near.w = tot;
    } else atoms.push({ mu, w });
  }
  let kept = atoms.filter((a) => a.w >= minWeight);
  if (kept.length === 0) kept = [atoms.reduce((a, b) => (b.w > a.w ? b : a))];
  const tot = kept.reduce((s, a) => s + a.w, 0);
  const A = kept.length;
  const w = kept.map((a) => a.w / tot);
  const mu = new Float64Array(A * m);
  kept.forEach((a, k) => {
    for (let j = 0; j < m; j++) mu[k * m + j] = a.mu[j] as number;
  });
  // 3. Match the atoms' posterior mean to f̂ at the atoms.
  const logits = new Float64Array(A);
  for (let it = 0; it < 200; it++) {
    const fh = model.levelPosteriorMean(li, mu, A);
    let moved = 0;
    const next = Float64Array.from(mu);
    for (let k = 0; k < A; k++) {
      let mx = -Infinity;
      for (let i = 0; i < A; i++) {
        let d = 0;
        for (let j = 0; j < m; j++) d += ((mu[k * m + j] as number) - (mu[i * m + j] as number)) ** 2;
        const v = Math.log(w[i] as number) - d / (2 * sigma2);
        logits[i] = v;
        if (v > mx) mx = v;
      }
      let z = 0;
      for (let i = 0; i < A; i++) {
        const e = Math.exp((logits[i] as number) - mx);
        logits[i] = e;
        z += e;
      }
      for (let j = 0; j < m; j++) {
        let fa = 0;
        for (let i = 0; i < A; i++) fa += ((logits[i] as number) / z) * (mu[i * m + j] as number);
        const step = 0.5 * ((fh[k * m + j] as number) - fa);
        next[k * m + j] = (mu[k * m + j] as number) + step;
        moved = Math.max(moved, Math.abs(step));
      }
    }
    mu.set(next);
    if (moved < 1e-9) break;
  }
  const lifted = model.lift(mu, A);
  const means: number[][] = [];
  for (let k = 0; k < A; k++) means.push(Array.from(lifted.data.subarray(k * model.dim, (k + 1) * model.dim)));
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
export function estimateMixture(model: LearnedScoreModel, o: { minWeight?: number } = {}): Distribution {
  const { means, weights } = estimateMixtureParameters(model, o);
  return gaussianMixture({ means, weights, noiseStd: model.sigma0 });
}
