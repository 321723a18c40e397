/**
 * Messages between the live examples (Vue, main thread) and `fit-worker.ts` (Web Worker), besides the learner's
 * own protocol (`fitScoreInWorker` / `serveFitWorker` of `@mixdiff/score/worker`).
 * Plain data only: typed arrays are structured-cloned.
 */
import type { LearnedModelJSON } from "@mixdiff/score";

/** The eval-case JSON form (`test-fixtures/eval/cases/*.json`): what `createDistribution` accepts. */
export interface SpecJSON {
  name?: string;
  dim: number;
  noiseStd: number;
  mixing: Record<string, unknown> & { kind: string };
}

/** A batch of 2-D points, row-major. */
export interface Cloud {
  data: Float64Array;
  rows: number;
}

/** The learner's presets (`fitScore`'s `preset`): soft gates and the Stein estimator, or Algorithms 1 and 2 as printed. */
export type LearnerPreset = "practical" | "paper";

export interface FitRequest {
  type: "fit";
  id: number;
  spec: SpecJSON;
  seed: number;
  trainSize: number;
  sampleSize: number;
  /** Learned levels with t > 0 (the practical preset adds one at t = 0). */
  levels: number;
  /** Largest degree; undefined = the preset's default (practical: 3 in 2-D; paper: the paper's formula, capped). */
  degree?: number;
  preset: LearnerPreset;
  steps: number;
  sampler: string;
  emComponents: number;
  /** Half-width of the square plot window, centred at `center`. */
  view: { center: [number, number]; halfWidth: number };
}

export interface SweepRequest {
  type: "sweep";
  id: number;
  spec: SpecJSON;
  seed: number;
  sizes: number[];
  sampleSize: number;
  levels: number;
  steps: number;
  emComponents: number;
}

/**
 * The playground's job after the learner has run (through `fitScoreInWorker`): sample the model, fit EM, measure.
 * `request` is the page's fit request; `train` the data the model was fitted on.
 */
export interface AnalyseRequest {
  type: "analyse";
  id: number;
  request: Omit<FitRequest, "type" | "id">;
  train: Cloud;
  model: LearnedModelJSON;
  fitMs: number;
}

/** The jobs of the examples' own protocol (the learner's messages are `@mixdiff/score/worker`'s). */
export type WorkerRequest = AnalyseRequest | SweepRequest;

export interface ProgressMessage {
  type: "progress";
  id: number;
  /** 0…1 over the whole job. */
  fraction: number;
  label: string;
}

export interface ErrorMessage {
  type: "error";
  id: number;
  message: string;
  code?: string;
}

/** A regular grid of values over the plot window (row-major, `ny` rows of `nx`). */
export interface Grid {
  nx: number;
  ny: number;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  values: Float64Array;
}

/** Score vectors at the grid nodes for one VE time. */
export interface Field {
  t: number;
  nx: number;
  ny: number;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  learned: Float64Array;
  exact: Float64Array;
  /** The exact density p_t at the nodes (weights for the error under p_t). */
  density: Float64Array;
}

export interface MetricRow {
  name: string;
  /** An unbiased estimate (U-statistic) of a quantity ≥ 0: near a perfect fit it is negative about half the time. */
  unbiased: boolean;
  diffusion: number;
  diffusionSE?: number;
  em: number;
  emSE?: number;
  /** The noise floor: the same metric for a second exact sample (a perfect sampler) against the reference. */
  exact: number;
  exactSE?: number;
  note?: string;
}

export interface LevelRow {
  /** VE time; the practical preset's last level is at t = 0. */
  t: number;
  cells: number;
  degree: number;
  /**
   * The level's ridge: practical preset, the chosen relative ridge (0 with degree 0: no correction, the mixture
   * base alone); paper preset, the ridge its coefficient ball needed (0: plain least squares).
   */
  ridge: number;
  /**
   * The learner's relative error √(E|f̂ − f|² / E|f̂ − y|²). This and the estimate below are absent where the
   * level has no error estimate (every level of the paper preset).
   */
  heldOutRelError?: number;
  /** The learner's estimate of E|f̂ − f|² and its standard error. */
  mseEstimate?: number;
  mseSE?: number;
  /** E|f̂(y) − y|² = σ⁴·E|ŝ(y)|² under p_t, estimated on the fresh reference sample: the relative error's scale. */
  scale?: number;
}

export interface FitResult {
  type: "fit-result";
  id: number;
  train: Cloud;
  truth: Cloud;
  learned: Cloud;
  em: Cloud;
  trajectory: { times: number[]; frames: Cloud[] };
  truthDensity: Grid;
  emDensity: Grid;
  fields: Field[];
  metrics: MetricRow[];
  /** The preset the model was fitted with. */
  preset: LearnerPreset;
  levels: LevelRow[];
  /** The learner's estimate of its Theorem 3.1 term (0 when no level has an estimate: the paper preset). */
  klTerm: number;
  klTermSE?: number;
  subspaceDim: number;
  fitMs: number;
  sampleMs: number;
  emMs: number;
  warnings: string[];
}

export interface SweepPoint {
  n: number;
  diffusion: number;
  diffusionSE: number;
  em: number;
  emSE: number;
  /** Floor: the same metric between two independent exact samples. */
  exact: number;
  exactSE: number;
  fitMs: number;
}

export interface SweepResult {
  type: "sweep-result";
  id: number;
  metric: string;
  points: SweepPoint[];
}

export type WorkerResponse = ProgressMessage | ErrorMessage | FitResult | SweepResult;
