import {
  checkNumber,
  createPoints,
  MixdiffError,
  type Points,
  type PointsLike,
  type Rng,
  toPoints,
} from "@mixdiff/core";

const LN_2PI = Math.log(2 * Math.PI);

/** Result of {@link fitEm}: a k-component Gaussian mixture with shared spherical covariance noiseStd²·I. */
export interface EmResult {
  /** Number of components. */
  k: number;
  /** Mixture weights [k], sorted descending (components ordered by weight). */
  weights: Float64Array;
  /** Component means [k, dim], in the order of `weights`. */
  means: Points;
  /** The (known or estimated) common standard deviation σ0. */
  noiseStd: number;
  /** Total log-likelihood Σ_i ln p(x_i) of the returned parameters. */
  logLikelihood: number;
  /** Bayesian information criterion −2·logLikelihood + p·ln n, p = (k − 1) + k·dim (+1 when σ0 is estimated). */
  bic: number;
  /** EM iterations (M-steps) of the best restart. */
  iterations: number;
  /** Whether the best restart met the tolerance before maxIterations. */
  converged: boolean;
  /** Number of restarts run. */
  restarts: number;
  /** Log-likelihood per iteration of the best restart (non-decreasing up to rounding: EM's monotonicity). */
  history: number[];
}

/** Options of {@link fitEm}. */
export interface EmOptions {
  /**
   * Number of components (1 ≤ k ≤ rows; k > rows throws `INVALID_OPTION` naming k and N). With
   * `noiseStd: "estimate"` and k ≥ the number of distinct rows the likelihood is unbounded and σ̂ can fall to
   * its floor, 1e-6 × the per-coordinate root-mean-square deviation of the data (1e-150 when all rows
   * coincide): a finite but degenerate fit.
   */
  k: number;
  /** Randomness for k-means++ seeding; restart r uses `rng.stream("restart", r)`. */
  rng: Rng;
  /** Known σ0 (default 1, the paper's model) or "estimate" to fit a common spherical σ0 too. */
  noiseStd?: number | "estimate";
  /** Independent k-means++ initialisations; the one with the highest likelihood wins (default 5). */
  restarts?: number;
  /** Maximum EM iterations per restart (default 1000). */
  maxIterations?: number;
  /** Stop when the per-sample log-likelihood changes by less than this (default 1e-9). */
  tolerance?: number;
}

interface Fit {
  weights: Float64Array;
  means: Float64Array;
  s2: number;
  ll: number;
  iterations: number;
  converged: boolean;
  history: number[];
}

/** k-means++ seeding (Arthur & Vassilvitskii 2007) on centred data `x` [n, d]. */
function kmeansPlusPlus(x: Float64Array, n: number, d: number, k: number, rng: Rng): Float64Array {
  const means = new Float64Array(k * d);
  const dist = new Float64Array(n).fill(Infinity);
  let idx = Math.min(n - 1, Math.floor(rng.uniform() * n));
  for (let j = 0; j < k; j++) {
    for (let c = 0; c < d; c++) means[j * d + c] = x[idx * d + c]!;
    let total = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let c = 0; c < d; c++) {
        const e = x[i * d + c]! - means[j * d + c]!;
        s += e * e;
      }
      if (s < dist[i]!) dist[i] = s;
      total += dist[i]!;
    }
    if (j === k - 1) break;
    if (total > 0) {
      let u = rng.uniform() * total;
      idx = n - 1;
      for (let i = 0; i < n; i++) {
        u -= dist[i]!;
        if (u < 0) {
          idx = i;
          break;
        }
      }
    } else {
      idx = Math.min(n - 1, Math.floor(rng.uniform() * n));
    }
  }
  return means;
}

/** One EM run from k-means++ seeds. `x` is centred. */
function runEm(
  x: Float64Array,
  n: number,
  d: number,
  k: number,
  rng: Rng,
  fixedS2: number | undefined,
  maxIterations: number,
  tolerance: number,
): Fit {
  const means = kmeansPlusPlus(x, n, d, k, rng);
  const weights = new Float64Array(k).fill(1 / k);
  let s2 = fixedS2 ?? 0;
  if (fixedS2 === undefined) {
    // initial σ²: mean squared distance to the nearest seed per coordinate (fallback: total variance)
    let s = 0;
    let tot = 0;
    for (let i = 0; i < n; i++) {
      let best = Infinity;
      for (let j = 0; j < k; j++) {
        let e2 = 0;
        for (let c = 0; c < d; c++) e2 += (x[i * d + c]! - means[j * d + c]!) ** 2;
        if (e2 < best) best = e2;
      }
      s += best;
      for (let c = 0; c < d; c++) tot += x[i * d + c]! ** 2;
    }
    s2 = s / (n * d) > 0 ? s / (n * d) : tot / (n * d) > 0 ? tot / (n * d) : 1;
  }
  let sumSq = 0;
  for (let i = 0; i < n * d; i++) sumSq += x[i]! ** 2;
  const logits = new Float64Array(k);
  const nk = new Float64Array(k);
  const sk = new Float64Array(k * d);
  const history: number[] = [];
  let converged = false;
  let iterations = 0;
  let ll = -Infinity;
  for (let it = 0; ; it++) {
    // E-step (and the log-likelihood of the current parameters)
    nk.fill(0);
    sk.fill(0);
    const inv = 0.5 / s2;
    const logW = weights.map(Math.log);
    ll = 0;
    for (let i = 0; i < n; i++) {
      let max = -Infinity;
      for (let j = 0; j < k; j++) {
        let e2 = 0;
        for (let c = 0; c < d; c++) {
          const e = x[i * d + c]! - means[j * d + c]!;
          e2 += e * e;
        }
        const l = logW[j]! - e2 * inv;
        logits[j] = l;
        if (l > max) max = l;
      }
      let s = 0;
      for (let j = 0; j < k; j++) {
        const e = Math.exp(logits[j]! - max);
        logits[j] = e;
        s += e;
      }
      ll += max + Math.log(s);
      for (let j = 0; j < k; j++) {
        const r = logits[j]! / s;
        if (r === 0) continue;
        nk[j] = nk[j]! + r;
        for (let c = 0; c < d; c++) sk[j * d + c] = sk[j * d + c]! + r * x[i * d + c]!;
      }
    }
    ll -= 0.5 * n * d * (LN_2PI + Math.log(s2));
    const prev = history.length > 0 ? history[history.length - 1]! : -Infinity;
    history.push(ll);
    if (Math.abs(ll - prev) <= tolerance * n) {
      converged = true;
      break;
    }
    if (it >= maxIterations) break;
    // M-step
    let explained = 0;
    for (let j = 0; j < k; j++) {
      const nj = nk[j]!;
      weights[j] = nj / n;
      if (nj > 1e-300) {
        let m2 = 0;
        for (let c = 0; c < d; c++) {
          const m = sk[j * d + c]! / nj;
          means[j * d + c] = m;
          m2 += m * m;
        }
        explained += nj * m2;
      }
    }
    if (fixedS2 === undefined) {
      const v = (sumSq - explained) / (n * d);
      s2 = v > 1e-12 * (sumSq / (n * d) + 1e-300) ? v : Math.max(1e-300, 1e-12 * (sumSq / (n * d)));
    }
    iterations++;
  }
  return { weights, means, s2, ll, iterations, converged, history };
}

/** Largest |x| EM accepts: beyond it squared distances overflow (checked with the row and column). */
const MAX_ABS_VALUE = 1e150;

/** Validates the shared EM options. Internal. */
export function emSettings(
  fn: string,
  o: Omit<EmOptions, "k">,
): { fixedS2: number | undefined; restarts: number; maxIterations: number; tolerance: number } {
  if (o === null || typeof o !== "object") throw new MixdiffError("INVALID_OPTION", `${fn}: options object required`);
  if (o.rng === null || typeof o.rng !== "object" || typeof o.rng.stream !== "function") {
    throw new MixdiffError("INVALID_OPTION", `${fn}: rng must be an Rng (createRng(seed))`, { path: "rng" });
  }
  const ns = o.noiseStd ?? 1;
  const fixedS2 = ns === "estimate" ? undefined : checkNumber(ns, fn, "noiseStd", { min: 0, exclusiveMin: true }) ** 2;
  return {
    fixedS2,
    restarts: checkNumber(o.restarts ?? 5, fn, "restarts", { min: 1, max: 10_000, integer: true }),
    maxIterations: checkNumber(o.maxIterations ?? 1000, fn, "maxIterations", { min: 0, integer: true }),
    tolerance: checkNumber(o.tolerance ?? 1e-9, fn, "tolerance", { min: 0 }),
  };
}

/** EM on validated input. Internal (shared with fitEmBic). */
export function fitEmPoints(p: Points, k: number, o: Omit<EmOptions, "k">, fn: string): EmResult {
  const { fixedS2, restarts, maxIterations, tolerance } = emSettings(fn, o);
  const n = p.rows;
  const d = p.cols;
  checkNumber(k, fn, "k", { min: 1, integer: true });
  if (k > n) {
    throw new MixdiffError(
      "INVALID_OPTION",
      `${fn}: k = ${k} components exceed the N = ${n} samples; k must be at most N (and well below it for a meaningful fit)`,
      { path: "k" },
      { k, samples: n },
    );
  }
  // Squared distances of larger values overflow a double: refuse with the location instead of a NaN likelihood.
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < d; c++) {
      const v = p.data[i * d + c]!;
      if (!(Math.abs(v) <= MAX_ABS_VALUE)) {
        throw new MixdiffError(
          "INVALID_INPUT",
          `${fn}: row ${i}, column ${c} is ${v}; EM needs |x| ≤ ${MAX_ABS_VALUE} (squared distances must stay finite)`,
          { row: i, column: c },
        );
      }
    }
  }
  // centre the data (keeps the σ² update free of cancellation)
  const centre = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let c = 0; c < d; c++) centre[c] = centre[c]! + p.data[i * d + c]! / n;
  const x = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let c = 0; c < d; c++) x[i * d + c] = p.data[i * d + c]! - centre[c]!;
  let best: Fit | undefined;
  for (let r = 0; r < restarts; r++) {
    const fit = runEm(x, n, d, k, o.rng.stream("restart", r), fixedS2, maxIterations, tolerance);
    if (best === undefined || fit.ll > best.ll) best = fit;
  }
  const b = best as Fit;
  if (!Number.isFinite(b.ll)) {
    throw new MixdiffError("NUMERICAL_FAILURE", `${fn}: EM produced a non-finite log-likelihood (${b.ll})`);
  }
  const order = Array.from({ length: k }, (_, j) => j).sort((a, c) => b.weights[c]! - b.weights[a]!);
  const weights = new Float64Array(k);
  const means = createPoints(k, d);
  order.forEach((j, rank) => {
    weights[rank] = b.weights[j]!;
    for (let c = 0; c < d; c++) means.data[rank * d + c] = b.means[j * d + c]! + centre[c]!;
  });
  const params = k - 1 + k * d + (fixedS2 === undefined ? 1 : 0);
  return {
    k,
    weights,
    means,
    noiseStd: Math.sqrt(b.s2),
    logLikelihood: b.ll,
    bic: -2 * b.ll + params * Math.log(n),
    iterations: b.iterations,
    converged: b.converged,
    restarts,
    history: b.history,
  };
}

/**
 * Expectation–maximisation for a k-component Gaussian mixture with shared spherical covariance σ0²·I
 * (σ0 known — default 1, the paper's model — or estimated): k-means++ seeding, `restarts` independent runs
 * from distinct streams (`rng.stream("restart", r)`), the best likelihood wins. Log-sum-exp responsibilities;
 * components sorted by weight. The classical baseline the diffusion learner is compared against.
 *
 * @example
 * ```ts
 * import { createRng } from "@mixdiff/core";
 * import { fitEm, gaussianMixture } from "@mixdiff/mixtures";
 * const truth = gaussianMixture({ means: [[-4, 0], [4, 0]] });
 * const { x } = truth.sample(2000, createRng(1));
 * const fit = fitEm(x, { k: 2, rng: createRng(2) }); // fit.means ≈ [[±4, 0]], fit.converged === true
 * ```
 */
export function fitEm(x: PointsLike, o: EmOptions): EmResult {
  const p = toPoints(x, { name: "fitEm: x" });
  return fitEmPoints(p, o?.k, o, "fitEm");
}
