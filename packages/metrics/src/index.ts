/**
 * @packageDocumentation
 * Distances between distributions with standard errors: MMD, energy, sliced Wasserstein, TV, KL, parameter recovery, score error.
 */

export type { EnergyDistanceOptions } from "./energy-distance.js";
export { energyDistance } from "./energy-distance.js";
export type { EvaluateSamplesOptions, MetricsRow, MetricsTable } from "./evaluate-samples.js";
export { evaluateSamples } from "./evaluate-samples.js";
export type { HistogramTVEstimate, HistogramTVOptions } from "./histogram-tv.js";
export { histogramTV } from "./histogram-tv.js";
export { hungarian } from "./hungarian.js";
export type { KernelTwoSampleResult, TwoSampleKernel } from "./kernel-two-sample.js";
export { kernelTwoSample } from "./kernel-two-sample.js";
export type { KlBound } from "./kl-bound-from-score-errors.js";
export { klBoundFromScoreErrors } from "./kl-bound-from-score-errors.js";
export type { KnnTwoSampleEstimate, KnnTwoSampleOptions } from "./knn-two-sample-test.js";
export { knnTwoSampleTest } from "./knn-two-sample-test.js";
export { meanAndError } from "./mean-and-error.js";
export { meanLogLikelihood } from "./mean-log-likelihood.js";
export { medianHeuristic } from "./median-heuristic.js";
export type { Mmd2Estimate, Mmd2Options } from "./mmd2.js";
export { mmd2 } from "./mmd2.js";
export type { MonteCarloOptions } from "./monte-carlo-kl.js";
export { monteCarloKL } from "./monte-carlo-kl.js";
export { monteCarloTV } from "./monte-carlo-tv.js";
export type { NllGapOptions } from "./nll-gap.js";
export { nllGap } from "./nll-gap.js";
export type { MixtureParameters, ParameterRecovery } from "./parameter-recovery.js";
export { parameterRecovery } from "./parameter-recovery.js";
export type {
  ExtraEstimateKey,
  ReportedField,
  SampleMetric,
  SampleMetricName,
  SampleMetricOptions,
} from "./sample-metrics.js";
export { defineSampleMetric, sampleMetricNames, sampleMetrics } from "./sample-metrics.js";
export type { ScoreErrorLevel } from "./score-error-by-level.js";
export { scoreErrorByLevel } from "./score-error-by-level.js";
export type { SlicedWassersteinOptions } from "./sliced-wasserstein.js";
export { slicedWasserstein } from "./sliced-wasserstein.js";
export { subsampleRows } from "./subsample-rows.js";
export { twoSamples } from "./two-samples.js";
export type { Estimate, KnownDistribution, ScoreTruth } from "./types.js";
export { wasserstein1d, wassersteinSorted } from "./wasserstein-1d.js";
