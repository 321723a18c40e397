import { checkNumber, checkOneOf, describe, MixdiffError, type Rng } from "@mixdiff/core";

/**
 * The part of `AbortSignal` the learner reads (packages compile without DOM types).
 *
 * @example
 * ```ts
 * import { fitScore } from "@mixdiff/score";
 * const controller = new AbortController();
 * fitScore(x, { rng, signal: controller.signal }); // controller.abort() → INTERRUPTED
 * ```
 */
export interface AbortSignalLike {
  readonly aborted: boolean;
}

/**
 * Progress report after each learned level.
 *
 * @example
 * ```ts
 * import { fitScore } from "@mixdiff/score";
 * fitScore(x, { rng, onProgress: (p) => console.log(`${p.phase} ${p.level + 1}/${p.levels} t=${p.t} cells=${p.cells}`) });
 * ```
 */
export interface FitProgress {
  /**
   * `"descent"`: Algorithms 1 + 2 from T down (the warm starts split); `"refit"`: every level again with the final
   * atoms as gates (practical preset). The paper preset has the descent only.
   */
  phase: "descent" | "refit";
  /** 0-based index of the level just fitted (largest t first). */
  level: number;
  levels: number;
  t: number;
  cells: number;
  degree: number;
  elapsedMs: number;
}

/**
 * Options of `fitScore`. Every numeric option is validated (`INVALID_OPTION` naming the field). Options left
 * undefined are resolved from the data and the preset (`FitDiagnostics.options` records the values used).
 *
 * @example
 * ```ts
 * import { createRng } from "@mixdiff/core";
 * import type { FitScoreOptions } from "@mixdiff/score";
 * const options: FitScoreOptions = { rng: createRng(1), sigma0: 1, levels: 30, cadence: "sigma-halving" };
 * ```
 */
export interface FitScoreOptions {
  /** Random source (noise draws, data split); required. */
  rng: Rng;
  /** Known σ0 of the Gaussian part. @default 1 */
  sigma0?: number;
  /** Number of components (or an upper bound); optional — when omitted the warm starts decide the cells. */
  k?: number;
  /** Minimum local mass α_min. @default k ? 1/(2k) : 0.05 */
  alphaMin?: number;
  /** Cluster radius R0 of Assumption 1.1. @default sigma0 */
  r0?: number;
  /**
   * `"practical"` (default): soft gates, implicit score matching, EM-refined gates, held-out model choice,
   * learned down to t = 0. `"paper"`: Algorithms 1 and 2 with nothing added (hard Voronoi cells, the
   * denoising target with one fresh draw, the ball constraint, greedy cover on fresh chunks at the σ²-halving
   * cadence, the paper's constants scaled to finish in minutes — see `resolveFitPlan`). `"theory"` is the
   * former name of `"paper"`.
   */
  preset?: "practical" | "paper" | "theory";
  /** Highest polynomial degree. @default practical: {@link defaultDegree}(m); paper: the paper's formula, capped */
  degree?: number;
  /** Number of learned levels with t > 0. @default practical 30; paper 40 */
  levels?: number;
  /** Largest VE time T. @default practical max(10σ0², 20·S), S = Σ (λ_k − σ0²)₊; paper (M2 + nσ0²)/ε² */
  tMax?: number;
  /** Smallest VE time the model is meant for. @default practical 1e-3·σ0²; paper ε²σ0²/(2√n) */
  tMin?: number;
  /** Lowest learned level with t > 0 (a level at t = 0 follows with `learnAtZero`). @default practical 0.02·σ0²; paper tMin */
  tFloor?: number;
  /** Also learn a level at t = 0 (σ0 > 0 makes p_0 smooth; needs the ISM estimator). @default practical true */
  learnAtZero?: boolean;
  /**
   * Regression points a level uses at most (practical preset). With more data each level takes its own window of the
   * shuffled pool (wrapping around), so all of it serves some level while a level's work stays bounded: its fit's
   * variance falls like 1/rows, its approximation error does not. Within its window a level takes its rows in
   * rounds (¼, ½, all) and stops once more rows could lower its error by at most 5 % — its fit's jackknife variance
   * plus what a richer candidate would gain without its own — with the error estimate within half its value (see
   * `FitDiagnostics.levels[i].rows`). @default 30000
   */
  rowsPerLevel?: number;
  /** Noise draws per regression point and level (t > 0). @default practical 2; paper 1 */
  noiseDraws?: number;
  /** Relative ridge λ: (G + λ·diag G)β = R. @default chosen per level with the degree by held-out loss */
  ridge?: number;
  /**
   * Regression estimator, all with the same population target: `"stein"` (the clean point as target, the σ0²
   * part integrated out by Stein's identity — bounded variance at every t), `"ism"` (implicit score matching,
   * Hyvärinen 2005: no target at all) or `"dsm"` (the paper's denoising target y − σ²ξ/√t, variance ∝ σ²σ0²/t).
   * @default practical "stein"; paper "dsm"
   */
  estimator?: "stein" | "ism" | "dsm";
  /** `"soft"` gates (a partition of unity from the warm starts' responsibilities) or the paper's `"hard"` Voronoi cells. @default practical "soft"; paper "hard" */
  gating?: "soft" | "hard";
  /** EM steps refining the gates' centres and masses at each level (soft gating). @default 3 */
  emSteps?: number;
  /**
   * After the descent, refit every level with the lowest level's gates as the mixture base (the EM fit of
   * the atoms at t = 0); soft gating only. @default true
   */
  refit?: boolean;
  /** Warm-start update cadence. @default "sigma-halving" */
  cadence?: "sigma-halving" | "t-halving" | "every-level";
  /** Constant c of the Algorithm 2 radius c·(R0 + σ√ln(1/α_min)). @default practical 0.5; paper 1 */
  radiusConstant?: number;
  /** Cap on the number of warm starts. @default k ? ⌈2k·ln(1/α_min)⌉ : clamp(⌊N/(8(m+1))⌋, 4, 100); paper ⌈k·ln(1/α_min)⌉ (k unknown: 1/α_min in place of k) */
  maxCenters?: number;
  /** Also adopt new warm starts as soon as the cover splits into more cells (besides the cadence). @default practical true; paper false */
  adaptive?: boolean;
  /** Lloyd refinement of the greedy-cover centres on the denoised points. @default practical "lloyd"; paper "none" */
  refine?: "lloyd" | "none";
  /** Subspace: "auto" (noise-edge rule), "none" (all n dims) or a fixed dimension. @default "auto" */
  projection?: "auto" | "none" | number;
  /** Target accuracy ε used by the paper preset. @default 0.1 */
  epsilon?: number;
  /** Score between learned levels. @default practical "log-sigma"; paper "nearest" */
  interpolation?: "nearest" | "log-sigma";
  onProgress?: (p: FitProgress) => void;
  /** Abort the fit (checked between levels; throws `INTERRUPTED`). An `AbortSignal` or anything with `aborted`. */
  signal?: AbortSignalLike;
}

const KNOWN = new Set([
  "rng",
  "sigma0",
  "k",
  "alphaMin",
  "r0",
  "preset",
  "degree",
  "levels",
  "tMax",
  "tMin",
  "tFloor",
  "learnAtZero",
  "noiseDraws",
  "rowsPerLevel",
  "ridge",
  "estimator",
  "gating",
  "emSteps",
  "refit",
  "cadence",
  "radiusConstant",
  "maxCenters",
  "adaptive",
  "refine",
  "projection",
  "epsilon",
  "interpolation",
  "onProgress",
  "signal",
]);

/** Options removed with the second learner, with what replaces them. */
const REMOVED: Record<string, string> = {
  shrink: 'the practical learner pools nothing across levels; use preset "paper" for independent levels',
  mixtureBase:
    "the practical learner's soft gates always contain the mixture base; gating: \"hard\" gives the paper's cells",
};

/**
 * Options after validation (data- and preset-dependent defaults still undefined).
 *
 * @example
 * ```ts
 * const checked: CheckedOptions = checkFitOptions({ rng: createRng(1) }, 2);
 * ```
 */
export interface CheckedOptions {
  rng: Rng;
  sigma0: number;
  k: number | undefined;
  alphaMin: number;
  r0: number;
  preset: "practical" | "paper";
  degree: number | undefined;
  levels: number | undefined;
  tMax: number | undefined;
  tMin: number | undefined;
  tFloor: number | undefined;
  learnAtZero: boolean | undefined;
  noiseDraws: number | undefined;
  rowsPerLevel: number | undefined;
  ridge: number | undefined;
  estimator: "stein" | "ism" | "dsm" | undefined;
  gating: "soft" | "hard" | undefined;
  emSteps: number;
  refit: boolean | undefined;
  cadence: "sigma-halving" | "t-halving" | "every-level";
  radiusConstant: number | undefined;
  maxCenters: number | undefined;
  adaptive: boolean | undefined;
  refine: "lloyd" | "none" | undefined;
  projection: "auto" | "none" | number;
  epsilon: number;
  interpolation: "nearest" | "log-sigma" | undefined;
  onProgress: ((p: FitProgress) => void) | undefined;
  signal: AbortSignalLike | undefined;
}

/**
 * Validates `fitScore` options (before any work). Throws `INVALID_OPTION` with the field name.
 *
 * @example
 * ```ts
 * import { checkFitOptions } from "@mixdiff/score";
 * import { createRng } from "@mixdiff/core";
 * checkFitOptions({ rng: createRng(1), degree: 4 }, 2).degree; // 4
 * ```
 */
export function checkFitOptions(o: FitScoreOptions, dim: number): CheckedOptions {
  const fn = "fitScore";
  if (typeof o !== "object" || o === null)
    throw new MixdiffError("INVALID_OPTION", `${fn}: options must be an object with an rng`);
  for (const key of Object.keys(o)) {
    if (key in REMOVED)
      throw new MixdiffError("INVALID_OPTION", `${fn}: option "${key}" was removed: ${REMOVED[key]}`, { path: key });
    if (!KNOWN.has(key)) throw new MixdiffError("INVALID_OPTION", `${fn}: unknown option "${key}"`, { path: key });
  }
  const rng = o.rng as Rng | undefined;
  if (!rng || typeof rng.stream !== "function" || typeof rng.normal !== "function") {
    throw new MixdiffError(
      "INVALID_OPTION",
      `${fn}: rng is required (an Rng from createRng(seed)); got ${describe(rng)}`,
      { path: "rng" },
    );
  }
  const opt = <T>(v: T | undefined, f: (v: T) => T): T | undefined => (v === undefined ? undefined : f(v));
  const pos = (name: string) => (v: number) => checkNumber(v, fn, name, { min: 0, exclusiveMin: true });
  const bool = (name: string) => (v: boolean) => checkBoolean(v, fn, name);
  const sigma0 = checkNumber(o.sigma0 ?? 1, fn, "sigma0", { min: 0, exclusiveMin: true });
  const k = opt(o.k, (v) => checkNumber(v, fn, "k", { min: 1, max: 100000, integer: true }));
  const alphaMin = checkNumber(o.alphaMin ?? (k ? 1 / (2 * k) : 0.05), fn, "alphaMin", {
    min: 0,
    max: 1,
    exclusiveMin: true,
  });
  if (alphaMin >= 1)
    throw new MixdiffError("INVALID_OPTION", `${fn}: alphaMin must be < 1; got ${alphaMin}`, { path: "alphaMin" });
  const preset0 = checkOneOf(o.preset ?? "practical", fn, "preset", ["practical", "paper", "theory"] as const);
  const preset = preset0 === "theory" ? "paper" : preset0;
  const projection = o.projection ?? "auto";
  if (
    !(
      projection === "auto" ||
      projection === "none" ||
      (typeof projection === "number" && Number.isInteger(projection) && projection >= 1 && projection <= dim)
    )
  ) {
    throw new MixdiffError(
      "INVALID_OPTION",
      `${fn}: projection must be "auto", "none" or an integer in [1, ${dim}]; got ${describe(projection)}`,
      { path: "projection" },
    );
  }
  const tMax = opt(o.tMax, pos("tMax"));
  const tMin = opt(o.tMin, pos("tMin"));
  if (tMax !== undefined && tMin !== undefined && !(tMin < tMax)) {
    throw new MixdiffError("INVALID_OPTION", `${fn}: tMin (${tMin}) must be smaller than tMax (${tMax})`, {
      path: "tMin",
    });
  }
  if (o.onProgress !== undefined && typeof o.onProgress !== "function") {
    throw new MixdiffError("INVALID_OPTION", `${fn}: onProgress must be a function`, { path: "onProgress" });
  }
  if (
    o.signal !== undefined &&
    (typeof o.signal !== "object" || o.signal === null || typeof o.signal.aborted !== "boolean")
  ) {
    throw new MixdiffError("INVALID_OPTION", `${fn}: signal must be an AbortSignal`, { path: "signal" });
  }
  const estimator = opt(o.estimator, (v) => checkOneOf(v, fn, "estimator", ["stein", "ism", "dsm"] as const));
  const gating = opt(o.gating, (v) => checkOneOf(v, fn, "gating", ["soft", "hard"] as const));
  if (gating === "hard" && estimator !== undefined && estimator !== "dsm") {
    throw new MixdiffError(
      "INVALID_OPTION",
      `${fn}: estimator "${estimator}" needs soft gates (hard cells add boundary terms to the divergence); use estimator "dsm" with gating "hard"`,
      { path: "estimator" },
    );
  }
  const learnAtZero = opt(o.learnAtZero, bool("learnAtZero"));
  if (learnAtZero && (estimator === "dsm" || gating === "hard" || (preset === "paper" && estimator === undefined))) {
    throw new MixdiffError(
      "INVALID_OPTION",
      `${fn}: learnAtZero needs the "stein" or "ism" estimator with soft gates (the denoising target is undefined at t = 0)`,
      { path: "learnAtZero" },
    );
  }
  return {
    rng,
    sigma0,
    k,
    alphaMin,
    r0: checkNumber(o.r0 ?? sigma0, fn, "r0", { min: 0, exclusiveMin: true }),
    preset,
    degree: opt(o.degree, (v) => checkNumber(v, fn, "degree", { min: 0, max: 40, integer: true })),
    levels: opt(o.levels, (v) => checkNumber(v, fn, "levels", { min: 2, max: 100000, integer: true })),
    tMax,
    tMin,
    tFloor: opt(o.tFloor, pos("tFloor")),
    learnAtZero,
    noiseDraws: opt(o.noiseDraws, (v) => checkNumber(v, fn, "noiseDraws", { min: 1, max: 1024, integer: true })),
    rowsPerLevel: opt(o.rowsPerLevel, (v) => checkNumber(v, fn, "rowsPerLevel", { min: 100, max: 1e9, integer: true })),
    ridge: opt(o.ridge, (v) => checkNumber(v, fn, "ridge", { min: 0, max: 1e6 })),
    estimator,
    gating,
    emSteps: checkNumber(o.emSteps ?? 3, fn, "emSteps", { min: 0, max: 1000, integer: true }),
    refit: opt(o.refit, bool("refit")),
    cadence: checkOneOf(o.cadence ?? "sigma-halving", fn, "cadence", [
      "sigma-halving",
      "t-halving",
      "every-level",
    ] as const),
    radiusConstant: opt(o.radiusConstant, pos("radiusConstant")),
    maxCenters: opt(o.maxCenters, (v) => checkNumber(v, fn, "maxCenters", { min: 1, max: 100000, integer: true })),
    adaptive: opt(o.adaptive, bool("adaptive")),
    refine: opt(o.refine, (v) => checkOneOf(v, fn, "refine", ["lloyd", "none"] as const)),
    projection,
    epsilon: checkNumber(o.epsilon ?? 0.1, fn, "epsilon", { min: 0, max: 0.5, exclusiveMin: true }),
    interpolation: opt(o.interpolation, (v) => checkOneOf(v, fn, "interpolation", ["nearest", "log-sigma"] as const)),
    onProgress: o.onProgress,
    signal: o.signal,
  };
}

function checkBoolean(v: unknown, fn: string, name: string): boolean {
  if (typeof v !== "boolean")
    throw new MixdiffError("INVALID_OPTION", `${fn}: ${name} must be true or false; got ${describe(v)}`, {
      path: name,
    });
  return v;
}
