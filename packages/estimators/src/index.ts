/**
 * @packageDocumentation
 * One scikit-learn-style estimator interface over the paper's diffusion learner, EM and known distributions: fit,
 * sample, score (∇ ln p), logDensity (the probability-flow likelihood with the exact divergence for learned models)
 * and, for discrete mixtures, the responsibilities.
 */

export type { DiffusionEstimatorOptions } from "./diffusion-estimator.js";
export { diffusionEstimator } from "./diffusion-estimator.js";
export type { EmEstimatorOptions } from "./em-estimator.js";
export { emEstimator } from "./em-estimator.js";
export type {
  Estimator,
  EstimatorFitOptions,
  EstimatorKind,
  FittedEstimator,
  MixtureComponents,
} from "./fitted-estimator.js";
export { fromDistribution, fromEmResult } from "./from-distribution.js";
export type { DiffusionOptions } from "./from-score-model.js";
export { fromScoreModel } from "./from-score-model.js";
