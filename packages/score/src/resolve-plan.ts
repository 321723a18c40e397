import { MixdiffError } from "@mixdiff/core";
import { featureCount } from "@mixdiff/polyreg";
import { theoryGrid } from "@mixdiff/schedules";
import { learningGrid } from "./learning-grid.js";
import type { CheckedOptions } from "./resolve-fit-options.js";

/** Feature budget of the paper preset's degree: the formula's d is capped to C(m+d, d) ≤ this. */
export const PAPER_FEATURE_BUDGET = 28;
/** Default cap on a soft-gated level's parameters per output, K·p(d). */
const MAX_PARAMS = 300;
/** Ridge grid of the practical learner's held-out choice (relative to each feature's Gram diagonal). */
const RIDGES = [1e-4, 1e-2, 1];

/** Everything `fitScore` needs once the data are known: the preset's and the data's defaults resolved. */
export interface FitPlan {
  readonly preset: "practical" | "paper";
  readonly gating: "soft" | "hard";
  readonly estimator: "stein" | "ism" | "dsm";
  /** Learned VE times, descending (may end with 0). */
  readonly grid: Float64Array;
  readonly tMax: number;
  readonly tMin: number;
  readonly degree: number;
  readonly ridges: readonly number[];
  readonly noiseDraws: number;
  readonly emSteps: number;
  /** Refit every level with the lowest level's gates after the descent (practical preset). */
  readonly refit: boolean;
  /** EM steps of the refit's gates at each level. */
  readonly refitEmSteps: number;
  readonly maxParams: number;
  /** Regression points a soft-gated level uses at most (each level its own window of the pool). */
  readonly rowsPerLevel: number;
  readonly cadence: "sigma-halving" | "t-halving" | "every-level";
  readonly adaptive: boolean;
  readonly lloydSteps: number;
  readonly radiusConstant: number;
  readonly maxCenters: number;
  readonly interpolation: "nearest" | "log-sigma";
  /** Paper preset: radius D of the coefficient ball (Frobenius), 0 otherwise. */
  readonly ball: number;
  /** Fractions of the data held out (model choice, diagnostics) and for the clustering chunks. */
  readonly heldFraction: number;
  readonly clusterFraction: number;
  readonly warnings: readonly string[];
}

/** What the data tell the plan (after centring and projection). */
export interface DataSummary {
  readonly n: number;
  readonly N: number;
  readonly m: number;
  /** Σ over kept directions of (λ_k − σ0²)₊. */
  readonly signalVariance: number;
  /** Trace of the sample covariance (M2 of the centred data). */
  readonly totalVariance: number;
  /** max_i |z_i| of the centred, projected data. */
  readonly radius: number;
}

/**
 * Resolves the defaults of a fit from the preset and the data (see {@link FitScoreOptions} for each default).
 * The **paper** preset computes the paper's constants (PAPER.md §5, universal constants 1) and scales the two
 * that cannot run as they are, with a warning each: the Theorem 3.1 grid (`κ = ε²/((M2+n)ln(T+1))`, ≈10⁵
 * levels) keeps its shape — uniform in ln(t+σ0²) above t+σ0² = e²σ0², geometric below — with κ enlarged so that it
 * has `levels` (40) levels; the degree `d = (ln³(1/ε) + (R0/σ0)⁶)ln⁴(1/ε)` is capped to
 * C(m+d, d) ≤ 28 features. `k` unknown counts as 1/α_min (Assumption 1.1 gives k ≤ 1/α_min). The ball
 * radius D is `max|x_i|` of the centred data (a bound on the means' radius).
 */
export function resolveFitPlan(o: CheckedOptions, data: DataSummary): FitPlan {
  const { m, n, N } = data;
  const s02 = o.sigma0 * o.sigma0;
  const warnings: string[] = [];
  const paper = o.preset === "paper";
  const gating = o.gating ?? (paper ? "hard" : "soft");
  const estimator = o.estimator ?? (gating === "hard" || paper ? "dsm" : "stein");
  let tMax: number;
  let tMin: number;
  let grid: Float64Array;
  let degree: number;
  const levels = o.levels ?? (paper ? 40 : 30);
  const kEff = o.k ?? Math.floor(1 / o.alphaMin);
  if (paper) {
    const th = theoryConstants({
      epsilon: o.epsilon,
      n,
      m2: data.totalVariance,
      r0: o.r0,
      sigma0: o.sigma0,
      k: kEff,
      alphaMin: o.alphaMin,
    });
    tMax = o.tMax ?? th.tMax;
    tMin = o.tMin ?? th.tMin;
    grid = scaledTheoryGrid(tMax, o.tFloor ?? tMin, o.sigma0, levels);
    warnings.push(
      `paper preset: the Theorem 3.1 grid (κ = ${th.kappa.toPrecision(3)}, ${th.nSteps} levels) is scaled to ${grid.length} levels of the same shape`,
    );
    let d = o.degree ?? th.degree;
    if (o.degree === undefined) {
      while (d > 1 && featureCount(m, d) > PAPER_FEATURE_BUDGET) d--;
      warnings.push(
        `paper preset: degree d = ${th.degree} capped to ${d} (C(m+d, d) ≤ ${PAPER_FEATURE_BUDGET}, m = ${m})`,
      );
    }
    degree = d;
  } else {
    tMax = o.tMax ?? Math.max(10 * s02, 20 * data.signalVariance);
    tMin = o.tMin ?? 1e-3 * s02;
    const floor = Math.max(tMin, o.tFloor ?? 0.02 * s02);
    if (!(floor < tMax)) {
      throw new MixdiffError(
        "INVALID_OPTION",
        `fitScore: the lowest learned level ${floor} must be below tMax = ${tMax}`,
        {
          path: "tFloor",
        },
      );
    }
    grid = learningGrid({ tMax, tMin: floor, levels, sigma0: o.sigma0 });
    const atZero = o.learnAtZero ?? (estimator !== "dsm" && gating === "soft");
    if (atZero) grid = Float64Array.from([...grid, 0]);
    degree = o.degree ?? defaultDegree(m);
  }
  const maxCenters =
    o.maxCenters ??
    (paper
      ? Math.max(1, Math.ceil(kEff * Math.log(1 / o.alphaMin)))
      : o.k
        ? Math.ceil(2 * o.k * Math.log(1 / o.alphaMin))
        : // an atom costs m + 1 parameters of the base (its polynomial is chosen by CV): 8 points each
          Math.max(4, Math.min(100, Math.floor(N / (8 * (m + 1))))));
  return {
    preset: o.preset,
    gating,
    estimator,
    grid,
    tMax,
    tMin,
    degree,
    ridges: o.ridge !== undefined ? [o.ridge] : RIDGES,
    noiseDraws: o.noiseDraws ?? (paper ? 1 : 2),
    emSteps: gating === "soft" ? o.emSteps : 0,
    refit: gating === "soft" && o.refit !== false,
    refitEmSteps: 0,
    maxParams: MAX_PARAMS,
    rowsPerLevel: o.rowsPerLevel ?? 30000,
    cadence: o.cadence,
    adaptive: o.adaptive ?? !paper,
    lloydSteps: (o.refine ?? (paper ? "none" : "lloyd")) === "lloyd" ? 3 : 0,
    radiusConstant: o.radiusConstant ?? (paper ? 1 : 0.25),
    maxCenters,
    interpolation: o.interpolation ?? (paper ? "nearest" : "log-sigma"),
    ball: paper ? data.radius : 0,
    heldFraction: paper ? 0.1 : 0.15,
    clusterFraction: paper ? 0.2 : 0.1,
    warnings,
  };
}

/**
 * The Theorem 3.1 grid from T down to t1 with κ chosen so that it has `levels` points (the same shape as the
 * paper's: uniform in ln(1 + t/σ0²) steps of 2κ above 2, geometric below).
 */
function scaledTheoryGrid(T: number, t1: number, sigma0: number, levels: number): Float64Array {
  const c = sigma0 * sigma0;
  const uMax = Math.log1p(T / c);
  const uMin = Math.log1p(t1 / c);
  const count = (kappa: number) =>
    Math.ceil(Math.max(0, uMax - 2) / (2 * kappa)) +
    Math.ceil(Math.log(Math.max(uMin, Math.min(2, uMax)) / uMin) / -Math.log1p(-kappa)) +
    1;
  let lo = 1e-9;
  let hi = 0.999;
  for (let it = 0; it < 100; it++) {
    const mid = Math.sqrt(lo * hi);
    if (count(mid) > levels) lo = mid;
    else hi = mid;
  }
  return theoryGrid({ T, tMin: t1, kappa: hi, sigma0 });
}

/**
 * The paper's constants (PAPER.md §5) for given ε, n, M2, R0, σ0, k, α_min.
 *
 * @example
 * ```ts
 * import { theoryConstants } from "@mixdiff/score";
 * const { nSteps, degree } = theoryConstants({ epsilon: 0.1, n: 2, m2: 20, r0: 1, sigma0: 1, k: 3, alphaMin: 0.2 });
 * ```
 */
export interface TheoryConstants {
  tMax: number;
  tMin: number;
  kappa: number;
  nSteps: number;
  degree: number;
  maxCenters: number;
}

/**
 * The paper's constants with all universal constants set to 1: `T = (M2+n)/ε²`, `t1 = ε²σ0²/(2√n)`,
 * `κ = ε²/((M2+n)ln(T+1))`, `Nstep = ln((T+1)/t1)/κ`, `d = (ln³(1/ε) + (R0/σ0)⁶)·ln⁴(1/ε)`,
 * `k' = k·ln(1/α_min)`. The paper sets σ0 = 1; for other σ0, M2, T and t are measured in units of σ0²
 * (`T = (M2 + nσ0²)/ε²`, `κ = ε²/((M2/σ0² + n)·ln(T/σ0² + 1))`, `Nstep = ln((T + σ0²)/t1)/κ`), so that
 * rescaling the data by a together with σ0 rescales T and t1 by a² and leaves κ and Nstep unchanged.
 *
 * @example
 * ```ts
 * import { theoryConstants } from "@mixdiff/score";
 * theoryConstants({ epsilon: 0.1, n: 2, m2: 20, r0: 1, sigma0: 1, k: 3, alphaMin: 0.2 }).tMax; // 2200
 * ```
 */
export function theoryConstants(o: {
  epsilon: number;
  n: number;
  m2: number;
  r0: number;
  sigma0: number;
  k: number;
  alphaMin: number;
}): TheoryConstants {
  const { epsilon: e, n, m2, r0, sigma0, k, alphaMin } = o;
  const s02 = sigma0 * sigma0;
  const tMax = (m2 + n * s02) / (e * e);
  const tMin = (e * e * s02) / (2 * Math.sqrt(n));
  const kappa = (e * e) / ((m2 / s02 + n) * Math.log(tMax / s02 + 1));
  const nSteps = Math.ceil(Math.log((tMax + s02) / tMin) / kappa);
  const l = Math.log(1 / e);
  const degree = Math.ceil((l ** 3 + (r0 / sigma0) ** 6) * l ** 4);
  const maxCenters = Math.max(1, Math.ceil(k * Math.log(1 / alphaMin)));
  return { tMax, tMin, kappa, nSteps, degree, maxCenters };
}

/**
 * Default degree of the practical learner: the largest d ≤ 3 with C(m+d, d) ≤ 21 features per gate, at least 1:
 * m = 1…3 → 3; m = 4, 5 → 2; m ≥ 6 → 1. Soft gates carry the shape; low degrees keep the variance down,
 * and each level picks its degree ≤ d (or no correction) by held-out loss.
 *
 * @example
 * ```ts
 * import { defaultDegree } from "@mixdiff/score";
 * defaultDegree(2); // 3
 * ```
 */
export function defaultDegree(m: number): number {
  let d = 1;
  while (d < 3 && featureCount(m, d + 1) <= 21) d++;
  return d;
}
