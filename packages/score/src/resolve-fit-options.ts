import { checkNumber, checkOneOf, describe, MixdiffError, type Rng } from "@mixdiff/core";
import { featureCount } from "@mixdiff/polyreg";

/**
 * The part of `AbortSignal` the learner reads (packages compile without DOM types).
 *
 * @example
 * ```ts
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
 * fitScore(x, { rng, onProgress: (p) => console.log(`${p.level + 1}/${p.levels} t=${p.t} cells=${p.cells}`) });
 * ```
 */
export interface FitProgress {
  /** 0-based index of the level just fitted (largest t first). */
  level: number;
  levels: number;
  t: number;
  cells: number;
  degree: number;
  /** Held-out relative score error estimate of this level (see `FitDiagnostics`). */
  heldOutError: number;
  elapsedMs: number;
}

/**
 * Options of `fitScore`. Every numeric option is validated (`INVALID_OPTION` naming the field).
 *
 * @example
 * ```ts
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
  /** Polynomial degree. @default {@link defaultDegree}(m) (m = subspace dimension); each cell picks its degree ≤ this by held-out SURE */
  degree?: number;
  /** Number of learning levels. @default 30 */
  levels?: number;
  /** Largest VE time T. @default max(10σ0², 20·S), S = Σ (λ_k − σ0²)₊ over the kept eigenvalues */
  tMax?: number;
  /** Smallest VE time the model is meant for. @default 1e-3·σ0² */
  tMin?: number;
  /** No level is learned below this t; f of the lowest level is reused there. @default 0.05·σ0² */
  tFloor?: number;
  /**
   * Independent noise draws per regression point at t = 6σ0²; level t uses ⌈noiseDraws·6σ0²/t⌉ clamped to
   * [1, 4·noiseDraws] (the target's noise variance σ²σ0²/t grows as t falls); draws beyond 4 are only spent
   * while a level costs ≤ 8e7 Gram updates (rows·p(p+1)/2). @default 16
   */
  noiseDraws?: number;
  /**
   * Relative ridge λ on the features of degree ≥ 2: (G + λ·diag₂(G)) B = Φᵀz. @default chosen per level
   * from {1e-4, 1e-2, 0.1, 1} together with the degree by held-out loss
   */
  ridge?: number;
  /** Warm-start update cadence. @default "sigma-halving" */
  cadence?: "sigma-halving" | "t-halving" | "every-level";
  /** Constant c of the Algorithm 2 radius c·(R0 + σ√ln(1/α_min)). @default 0.5 */
  radiusConstant?: number;
  /** Cap on the number of warm starts. @default k ? ⌈2k·ln(1/α_min)⌉ : min(100, ⌊N_reg/(16·p)⌋) (p = features at the full degree) */
  maxCenters?: number;
  /**
   * Check the warm starts at every level and adopt them as soon as the cover splits into more cells than
   * the current set (besides the cadence); the levels just before a split are otherwise the worst. @default true
   */
  adaptive?: boolean;
  /**
   * Also try, at every level after the first, ridge fits shrunk towards the previous level's f̂ (f changes
   * slowly with t; at small t the target's noise grows like 1/t) and keep them when the held-out loss is
   * lower. Not in the paper: the theory preset turns it off. @default true (false with preset "theory")
   */
  shrink?: boolean;
  /**
   * Learn each level as `f̂ = b + polynomial` with the mixture base `b(y) = Σ_k π_k(y)·c_k`,
   * `π_k ∝ mass_k·exp(−|y − c_k|²/2σ²)` over the warm starts c_k — the exact posterior mean when the atoms
   * sit at the warm starts — so the polynomials only learn a remainder that is smooth across cell
   * boundaries. Not in the paper: the theory preset turns it off. @default true (false with preset "theory")
   */
  mixtureBase?: boolean;
  /** Lloyd refinement of the greedy-cover centres on the denoised points. @default "lloyd" */
  refine?: "lloyd" | "none";
  /** Subspace: "auto" (noise-edge rule), "none" (all n dims) or a fixed dimension. @default "auto" */
  projection?: "auto" | "none" | number;
  /** "practical" defaults or the paper's "theory" constants (capped to feasible sizes, with warnings). */
  preset?: "practical" | "theory";
  /** Target accuracy ε used by the theory preset. @default 0.1 */
  epsilon?: number;
  /** Score between learned levels. @default "log-sigma" */
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
  "degree",
  "levels",
  "tMax",
  "tMin",
  "tFloor",
  "noiseDraws",
  "ridge",
  "cadence",
  "adaptive",
  "shrink",
  "mixtureBase",
  "radiusConstant",
  "maxCenters",
  "refine",
  "projection",
  "preset",
  "epsilon",
  "interpolation",
  "onProgress",
  "signal",
]);

/**
 * Options after validation (data-dependent defaults still undefined).
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
  degree: number | undefined;
  levels: number | undefined;
  tMax: number | undefined;
  tMin: number | undefined;
  tFloor: number | undefined;
  noiseDraws: number;
  ridge: number;
  cadence: "sigma-halving" | "t-halving" | "every-level";
  adaptive: boolean;
  shrink: boolean | undefined;
  mixtureBase: boolean | undefined;
  radiusConstant: number | undefined;
  maxCenters: number | undefined;
  refine: "lloyd" | "none";
  projection: "auto" | "none" | number;
  preset: "practical" | "theory";
  epsilon: number;
  interpolation: "nearest" | "log-sigma";
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
  const sigma0 = checkNumber(o.sigma0 ?? 1, fn, "sigma0", { min: 0, exclusiveMin: true });
  const k = opt(o.k, (v) => checkNumber(v, fn, "k", { min: 1, max: 100000, integer: true }));
  const alphaMin = checkNumber(o.alphaMin ?? (k ? 1 / (2 * k) : 0.05), fn, "alphaMin", {
    min: 0,
    max: 1,
    exclusiveMin: true,
  });
  if (alphaMin >= 1)
    throw new MixdiffError("INVALID_OPTION", `${fn}: alphaMin must be < 1; got ${alphaMin}`, { path: "alphaMin" });
  const preset = checkOneOf(o.preset ?? "practical", fn, "preset", ["practical", "theory"] as const);
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
  const tFloor = opt(o.tFloor, (v) => checkNumber(v, fn, "tFloor", { min: 0 }));
  if (o.onProgress !== undefined && typeof o.onProgress !== "function") {
    throw new MixdiffError("INVALID_OPTION", `${fn}: onProgress must be a function`, { path: "onProgress" });
  }
  if (
    o.signal !== undefined &&
    (typeof o.signal !== "object" || o.signal === null || typeof o.signal.aborted !== "boolean")
  ) {
    throw new MixdiffError("INVALID_OPTION", `${fn}: signal must be an AbortSignal`, { path: "signal" });
  }
  return {
    rng,
    sigma0,
    k,
    alphaMin,
    r0: checkNumber(o.r0 ?? sigma0, fn, "r0", { min: 0, exclusiveMin: true }),
    degree: opt(o.degree, (v) => checkNumber(v, fn, "degree", { min: 0, max: 40, integer: true })),
    levels: opt(o.levels, (v) => checkNumber(v, fn, "levels", { min: 2, max: 100000, integer: true })),
    tMax,
    tMin,
    tFloor,
    noiseDraws: checkNumber(o.noiseDraws ?? 16, fn, "noiseDraws", { min: 1, max: 1024, integer: true }),
    ridge: checkNumber(o.ridge ?? 1e-3, fn, "ridge", { min: 0, max: 1e6 }),
    cadence: checkOneOf(o.cadence ?? "sigma-halving", fn, "cadence", [
      "sigma-halving",
      "t-halving",
      "every-level",
    ] as const),
    adaptive: checkBoolean(o.adaptive ?? true, fn, "adaptive"),
    shrink: o.shrink === undefined ? undefined : checkBoolean(o.shrink, fn, "shrink"),
    mixtureBase: o.mixtureBase === undefined ? undefined : checkBoolean(o.mixtureBase, fn, "mixtureBase"),
    radiusConstant: opt(o.radiusConstant, pos("radiusConstant")),
    maxCenters: opt(o.maxCenters, (v) => checkNumber(v, fn, "maxCenters", { min: 1, max: 100000, integer: true })),
    refine: checkOneOf(o.refine ?? "lloyd", fn, "refine", ["lloyd", "none"] as const),
    projection,
    preset,
    epsilon: checkNumber(o.epsilon ?? 0.1, fn, "epsilon", { min: 0, max: 0.5, exclusiveMin: true }),
    interpolation: checkOneOf(o.interpolation ?? "log-sigma", fn, "interpolation", ["nearest", "log-sigma"] as const),
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

/**
 * The paper's constants (PAPER.md §5) for given ε, n, M2, R0, σ0, k, α_min.
 *
 * @example
 * ```ts
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
 * Default degree rule: the largest d ≤ 6 with C(m+d, d) ≤ 66 features, at least 2 while C(m+2, 2) ≤ 231
 * (m ≤ 20), else 1. m = 1, 2 → 6; m = 3 → 5; m = 4, 5 → 3; m = 6…10 → 2. Each cell then picks its own
 * degree ≤ d by held-out SURE.
 *
 * @example
 * ```ts
 * import { defaultDegree } from "@mixdiff/score";
 * defaultDegree(2); // 6
 * ```
 */
export function defaultDegree(m: number): number {
  let d = 1;
  while (d < 6 && featureCount(m, d + 1) <= 66) d++;
  if (d < 2 && featureCount(m, 2) <= 231) d = 2;
  return d;
}
