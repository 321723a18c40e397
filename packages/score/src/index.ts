/**
 * @packageDocumentation
 * Score models: the exact oracle and the paper's piecewise-polynomial score learner with warm starts.
 */

export { toDenoiser, toEpsilon, toX0 } from "./adapters.js";
export type { MixtureEstimate } from "./estimate-mixture.js";
export { estimateMixture, estimateMixtureParameters } from "./estimate-mixture.js";
export type { ExactScoreModel } from "./exact-score-model.js";
export { exactScoreModel } from "./exact-score-model.js";
export { fitScore, fitScoreSteps } from "./fit-score.js";
export {
  type AccumulateInput,
  accumulateBlocks,
  applyDataStep,
  BLOCK_SHARDS,
  type BoxSums,
  blockCount,
  type EmInput,
  type EmSums,
  type FitData,
  type FitStep,
  FOLDS,
  type Pool,
  type PoolName,
  poolArray,
  rngFromKey,
  SHARD_ROWS,
  type Steps,
  type Window,
  windowOf,
} from "./fit-tasks.js";
export type { FitDiagnostics, LearnedModelJSON, LearnedScoreModel, LevelInfo } from "./learned-score-model.js";
export { learningGrid } from "./learning-grid.js";
export { loadScoreModel } from "./load-score-model.js";
export type { PrincipalSubspace } from "./principal-subspace.js";
export { principalSubspace } from "./principal-subspace.js";
export type { RefitInput, RefitResult } from "./refit-levels.js";
export type { AbortSignalLike, FitProgress, FitScoreOptions } from "./resolve-fit-options.js";
export { checkFitOptions } from "./resolve-fit-options.js";
export type { TheoryConstants } from "./resolve-plan.js";
export { defaultDegree, theoryConstants } from "./resolve-plan.js";
export { type BlockHook, refitProgress, runBlock, runLocally } from "./run-steps.js";
export { scoreError } from "./score-error.js";
export type { ModelSubspace, ScoreModel } from "./score-model.js";
export type { TrialInput } from "./select-atoms.js";
export { greedyCover, lloydRefine, nearestCenter } from "./warm-starts.js";
