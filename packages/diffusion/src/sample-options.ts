import type { Points, Rng } from "@mixdiff/core";
import type { NoiseSchedule } from "@mixdiff/schedules";
import type { ScoreModel } from "@mixdiff/score";

/**
 * Progress of a sampling run, reported after every step of every chunk.
 *
 * @example
 * ```ts
 * import { createRng } from "@mixdiff/core";
 * import { sample, type SampleProgress } from "@mixdiff/diffusion";
 * const log = (p: SampleProgress) => console.log(`${p.done + p.step / p.steps}`);
 * sample(model, { n: 100, rng: createRng(1), onProgress: log });
 * ```
 */
export interface SampleProgress {
  /** Steps done in the current chunk (1..steps). */
  readonly step: number;
  /** Steps per chunk (grid length − 1). */
  readonly steps: number;
  /** Samples finished before the current chunk. */
  readonly done: number;
  /** Samples requested. */
  readonly n: number;
}

/**
 * Options every sampler takes (the common options).
 *
 * Times are VE times (added noise variance) unless stated. A sampler's own options come on top: `schedule` ({@link
 * ScheduleOption}) for `eulerMaruyama`, `probabilityFlowEuler` and `probabilityFlowHeun`, `corrector` ({@link
 * CorrectorOption}) for `predictorCorrector`; each registry entry lists them in `options`, and an option the
 * sampler does not use is an `INVALID_OPTION` error, not ignored (a key whose value is `undefined` counts as
 * absent).
 *
 * @example
 * ```ts
 * import { createRng } from "@mixdiff/core";
 * import type { SampleOptions } from "@mixdiff/diffusion";
 * const o: SampleOptions = { n: 1000, rng: createRng(1), steps: 200, tMin: 1e-3, chunkSize: 512, trajectoryEvery: 20 };
 * ```
 */
export interface SampleOptions {
  /** Number of samples (integer ≥ 1). */
  n: number;
  /** The seeded generator; sample i draws all its noise from `rng.stream(offset + i)`. */
  rng: Rng;
  /** Number of steps. @default {@link defaultSteps} for the simulated dimension (m with a declared subspace, see `simulateSubspace`, else the model's dimension) and the time range */
  steps?: number;
  /** A custom descending grid of VE times from T to tMin (≥ 0); overrides (and conflicts with) `steps`, `tMax`, `tMin`. */
  grid?: Float64Array;
  /** Start time T. @default the model's `tMax` when finite, else {@link defaultTMax} */
  tMax?: number;
  /** Early-stopping time. @default 1e-3·σ0² */
  tMin?: number;
  /** Rows simulated at once (memory is O(chunkSize·dim)); the output does not depend on it. @default 4096 */
  chunkSize?: number;
  /** Apply a final Tweedie step `y + tMin·s(y) = E[X | Y_tMin = y]` ({@link tweedieDenoise}). This changes the target: the output are posterior means, not samples of P0. @default false */
  denoiseFinal?: boolean;
  /** Record the states every k-th step (plus the first and the last) in `trajectory`. */
  trajectoryEvery?: number;
  /** Called after every step of every chunk. */
  onProgress?: (p: SampleProgress) => void;
  /** Aborts between steps with a `MixdiffError` of code `INTERRUPTED` (an `AbortSignal`, or anything with `aborted`). */
  signal?: { readonly aborted: boolean };
  /**
   * When the model declares a subspace (`model.subspace`, e.g. a learned model whose data has an exactly
   * Gaussian complement), simulate only its m coordinates and draw the complement exactly (PAPER.md R8): no
   * discretisation error in the n − m complement directions, each step costs O(m) in the sampler, and the
   * default step count follows m (the KL budget of {@link defaultSteps} holds for the whole n-dimensional
   * output). `false` simulates all n coordinates with the step count of n. @default true
   */
  simulateSubspace?: boolean;
  /** Index of the first sample: sample i uses noise stream `offset + i`, so a run can be split into pieces (e.g. across workers) with identical bytes. @default 0 */
  offset?: number;
}

/**
 * The option of the samplers that discretise a schedule's SDE / probability-flow ODE (`eulerMaruyama`: default VE;
 * `probabilityFlowEuler`/`probabilityFlowHeun`: default EDM). The VE grid is mapped to the schedule's time by
 * `sigmaInv(√t)`.
 *
 * @example
 * ```ts
 * import { createRng } from "@mixdiff/core";
 * import { vpSchedule } from "@mixdiff/schedules";
 * import { sample } from "@mixdiff/diffusion";
 * sample(model, { sampler: "eulerMaruyama", n: 100, rng: createRng(1), schedule: vpSchedule() });
 * ```
 */
export interface ScheduleOption {
  /** The schedule whose reverse SDE / probability-flow ODE is discretised. */
  schedule?: NoiseSchedule;
}

/**
 * The option of `predictorCorrector`: Langevin corrector steps after each predictor step (Song et al. 2021), step
 * size from the signal-to-noise ratio `snr` (default 0.16). See {@link withLangevinCorrector}.
 *
 * @example
 * ```ts
 * import { createRng } from "@mixdiff/core";
 * import { sample } from "@mixdiff/diffusion";
 * sample(model, { sampler: "predictorCorrector", n: 100, rng: createRng(1), corrector: { steps: 2, snr: 0.1 } });
 * ```
 */
export interface CorrectorOption {
  /** Corrector steps (integer 0…100) after each predictor step and their signal-to-noise ratio. @default { steps: 1, snr: 0.16 } */
  corrector?: { steps: number; snr?: number };
}

/**
 * What a sampler returns.
 *
 * @example
 * ```ts
 * import { createRng } from "@mixdiff/core";
 * import { sample, type SampleResult } from "@mixdiff/diffusion";
 * const r: SampleResult = sample(model, { n: 10, rng: createRng(1), trajectoryEvery: 50 });
 * r.samples.rows; // 10
 * r.trajectory?.times[0] === r.grid[0]; // true
 * ```
 */
export interface SampleResult {
  /** The samples, shape `[n, dim]`. */
  samples: Points;
  /** The VE time grid that was used (descending, T → tMin). */
  grid: Float64Array;
  /** Number of coordinates the sampler simulated: `model.subspace.dim` when it used the subspace, else `dim`. */
  simulatedDim?: number;
  /** States along the way when `trajectoryEvery` was set: `points[j]` (shape `[n, dim]`) at step `steps[j]`, VE time `times[j]`. */
  trajectory?: { steps: number[]; times: number[]; points: Points[] };
}

/**
 * A sampler: a pure function of a score model and options (the RNG is in the options). `O` are the sampler's own
 * options on top of the common {@link SampleOptions} (e.g. {@link ScheduleOption}).
 *
 * @example
 * ```ts
 * import { createRng } from "@mixdiff/core";
 * import { samplers, type Sampler } from "@mixdiff/diffusion";
 * const s: Sampler = samplers.ddpm;
 * s(model, { n: 5, rng: createRng(1) }).samples.rows; // 5
 * ```
 */
export type Sampler<O extends object = object> = (model: ScoreModel, options: SampleOptions & O) => SampleResult;

/**
 * The common option names, as a set (internal: the unknown-option rule). Typed so that a new common option
 * that is not listed here does not compile.
 */
const COMMON: Record<keyof SampleOptions, true> = {
  n: true,
  rng: true,
  steps: true,
  grid: true,
  tMax: true,
  tMin: true,
  chunkSize: true,
  denoiseFinal: true,
  trajectoryEvery: true,
  onProgress: true,
  signal: true,
  simulateSubspace: true,
  offset: true,
};

/** The names of the common {@link SampleOptions} (internal). */
export const COMMON_OPTIONS: readonly string[] = Object.freeze(Object.keys(COMMON));

/** The options of the time grid, shared by `sample` and `createStepper` (internal). */
export const GRID_OPTIONS = ["steps", "grid", "tMax", "tMin"] as const satisfies readonly (keyof SampleOptions)[];
