import { MixdiffError, type PointsLike, type Rng } from "@mixdiff/core";
import { energyDistance } from "./energy-distance.js";
import { histogramTV } from "./histogram-tv.js";
import { knnTwoSampleTest } from "./knn-two-sample-test.js";
import { meanLogLikelihood } from "./mean-log-likelihood.js";
import { mmd2 } from "./mmd2.js";
import { nllGap } from "./nll-gap.js";
import { slicedWasserstein } from "./sliced-wasserstein.js";
import type { Estimate, KnownDistribution } from "./types.js";

/** Common options of every entry of {@link sampleMetrics}. */
export interface SampleMetricOptions {
  rng: Rng;
  /** Cap on the points per sample for O(n²) metrics (each metric's own default when omitted). */
  maxSamples?: number;
  /** The known distribution: required by likelihood metrics (`likelihood: true`), ignored by the others. */
  distribution?: KnownDistribution;
}

/**
 * The keys an estimate type `E` adds to {@link Estimate} (any string for plain `Estimate`).
 *
 * @example
 * ```ts
 * import type { ExtraEstimateKey, KnnTwoSampleEstimate } from "@mixdiff/metrics";
 * const k: ExtraEstimateKey<KnnTwoSampleEstimate> = "tvLowerBound"; // or "accuracy" | "pValue"
 * ```
 */
export type ExtraEstimateKey<E extends Estimate> = Estimate extends E
  ? string
  : Exclude<keyof E, keyof Estimate> & string;

/**
 * A metric-specific field of an estimate, as a {@link SampleMetric} declares it in `reports`.
 *
 * @example
 * ```ts
 * import type { ReportedField } from "@mixdiff/metrics";
 * const pValue: ReportedField = { key: "pValue", doc: "p-value of the test of equal laws", note: (p) => `p = ${p.toPrecision(3)}` };
 * ```
 */
export interface ReportedField<K extends string = string> {
  /** The property of the estimate (a number when present). */
  readonly key: K;
  /** One line: what the field is. */
  readonly doc: string;
  /** How the field reads in a table's note (`evaluateSamples`); fields without it are not in the note. */
  readonly note?: (v: number) => string;
}

/**
 * A metric as the registry {@link sampleMetrics} holds it, and as `evaluateSamples({ metrics })` takes a user's own:
 * its name, a one-line description, what it supports (dimensions; whether it needs a density), how to read its value,
 * the extra fields its estimate reports, and `run`.
 *
 * `run(x, y, o)` compares the samples `x` with the reference sample `y`. A likelihood metric (`likelihood: true`)
 * scores `x` under `o.distribution` (and may use `y` as the exact reference sample); it throws `INVALID_OPTION`
 * without one.
 *
 * @example
 * ```ts
 * import { toPoints } from "@mixdiff/core";
 * import { defineSampleMetric, type SampleMetric } from "@mixdiff/metrics";
 * // the distance between the first coordinates' means (no standard error)
 * const meanShift: SampleMetric = defineSampleMetric({
 *   name: "meanShift",
 *   description: "Distance between the means of the first coordinate",
 *   symmetric: true,
 *   maxDim: Infinity,
 *   likelihood: false,
 *   higherIsBetter: false,
 *   reports: [],
 *   run: (xIn, yIn) => {
 *     const [x, y] = [toPoints(xIn), toPoints(yIn)];
 *     const mean = (p: typeof x) => p.data.filter((_, i) => i % p.cols === 0).reduce((s, v) => s + v, 0) / p.rows;
 *     return { value: Math.abs(mean(x) - mean(y)), n: x.rows, m: y.rows, subsampled: false };
 *   },
 * });
 * ```
 */
export interface SampleMetric<E extends Estimate = Estimate> {
  /** The metric's name: its row name in tables, its key in {@link sampleMetrics}. */
  readonly name: string;
  /** One line for help texts, docs and the start of each table note. */
  readonly description: string;
  /** True when swapping x and y leaves the value unchanged (up to the random subsampling). */
  readonly symmetric: boolean;
  /** Largest supported dimension (`Infinity` when any). */
  readonly maxDim: number;
  /** True when the metric needs a known density (`o.distribution`) rather than only two samples. */
  readonly likelihood: boolean;
  /** True when a larger value means samples closer to the reference (a log-likelihood); false for discrepancies. */
  readonly higherIsBetter: boolean;
  /**
   * The value expected when `x` and `y` come from one law (0 for an unbiased discrepancy; a biased one's own bias
   * estimate); absent when there is no such reference value (a log-likelihood).
   */
  equalLawValue?(e: E): number;
  /** The fields `run`'s estimate adds to {@link Estimate}, in the order a note shows them. */
  readonly reports: readonly ReportedField[];
  run(x: PointsLike, y: PointsLike, o: SampleMetricOptions): E;
}

/**
 * Returns `metric` unchanged: a typed way to write a {@link SampleMetric} (the estimate type is inferred from `run`,
 * so the keys in `reports` are checked against it).
 *
 * @example
 * ```ts
 * import { defineSampleMetric, mmd2 } from "@mixdiff/metrics";
 * const mmdWithTest = defineSampleMetric({
 *   name: "mmd2Test",
 *   description: "Squared MMD with a 200-permutation p-value",
 *   symmetric: true,
 *   maxDim: Infinity,
 *   likelihood: false,
 *   higherIsBetter: false,
 *   equalLawValue: () => 0,
 *   reports: [{ key: "pValue", doc: "permutation p-value", note: (p) => `p = ${p.toPrecision(3)}` }],
 *   run: (x, y, o) => mmd2(x, y, { rng: o.rng, permutations: 200 }),
 * });
 * ```
 */
export function defineSampleMetric<E extends Estimate>(
  metric: SampleMetric<E> & { readonly reports: readonly ReportedField<ExtraEstimateKey<E>>[] },
): SampleMetric<E> {
  return metric;
}

function distributionOf(o: SampleMetricOptions, name: string): KnownDistribution {
  if (o.distribution === undefined) {
    throw new MixdiffError("INVALID_OPTION", `${name}: distribution is required (a likelihood metric)`, {
      path: "distribution",
    });
  }
  return o.distribution;
}

const pValue = {
  key: "pValue",
  doc: "p-value of the test of equal laws",
  note: (v: number) => `p = ${v.toPrecision(3)}`,
} as const;

/**
 * The metrics by name (a typed const map: `evaluateSamples`, the CLI and the docs enumerate it). Each `run` takes
 * `(x, y, { rng, maxSamples?, distribution? })` and returns an {@link Estimate}. Tables list the entries in this
 * order; the likelihood metrics (`likelihood: true`) need `distribution`, and a new entry may go anywhere (the
 * contributor guide appends it).
 *
 * @example
 * ```ts
 * import { createRng } from "@mixdiff/core";
 * import { sampleMetrics } from "@mixdiff/metrics";
 * const rng = createRng(0);
 * const x = Array.from({ length: 200 }, () => [rng.normal()]); // N(0, 1)
 * const y = Array.from({ length: 200 }, () => [rng.normal() + 0.5]); // N(0.5, 1)
 * for (const [name, metric] of Object.entries(sampleMetrics)) {
 *   if (metric.likelihood) continue; // needs a distribution
 *   const e = metric.run(x, y, { rng: createRng(1) });
 *   console.log(name, e.value, e.standardError);
 * }
 * ```
 */
export const sampleMetrics = {
  mmd2: defineSampleMetric({
    name: "mmd2",
    run: (x, y, o) => mmd2(x, y, { rng: o.rng, maxSamples: o.maxSamples }),
    description: "Squared MMD, Gaussian kernel, median-heuristic bandwidth, unbiased U-statistic",
    symmetric: true,
    maxDim: Infinity,
    likelihood: false,
    higherIsBetter: false,
    equalLawValue: () => 0,
    reports: [{ key: "bandwidth", doc: "the Gaussian kernel's bandwidth (median heuristic)" }, pValue],
  }),
  energyDistance: defineSampleMetric({
    name: "energyDistance",
    run: (x, y, o) => energyDistance(x, y, { rng: o.rng, maxSamples: o.maxSamples }),
    description: "Energy distance 2E‖X−Y‖ − E‖X−X'‖ − E‖Y−Y'‖, unbiased U-statistic",
    symmetric: true,
    maxDim: Infinity,
    likelihood: false,
    higherIsBetter: false,
    equalLawValue: () => 0,
    reports: [],
  }),
  slicedWasserstein: defineSampleMetric({
    name: "slicedWasserstein",
    run: (x, y, o) => slicedWasserstein(x, y, { rng: o.rng }),
    description: "Sliced 2-Wasserstein distance over 128 random directions",
    symmetric: true,
    maxDim: Infinity,
    likelihood: false,
    higherIsBetter: false,
    // biased upward: the pooled bootstrap's mean of SW² estimates E SW² under equal laws
    equalLawValue: (e) => Math.sqrt((e.details?.pooledBootstrapMean as number | undefined) ?? 0),
    reports: [],
  }),
  knnTwoSampleTest: defineSampleMetric({
    name: "knnTwoSampleTest",
    run: (x, y, o) => knnTwoSampleTest(x, y, { rng: o.rng, maxSamples: o.maxSamples }),
    description: "k-NN classifier two-sample test: 2·accuracy − 1 (a TV lower-bound estimate)",
    symmetric: true,
    maxDim: Infinity,
    likelihood: false,
    higherIsBetter: false,
    equalLawValue: () => 0,
    reports: [
      { key: "accuracy", doc: "held-out accuracy of the k-NN classifier telling x from y" },
      {
        key: "tvLowerBound",
        doc: "lower bound on TV(P, Q) holding with 95% confidence",
        note: (v) => `TV ≥ ${v.toPrecision(3)} (95%)`,
      },
      pValue,
    ],
  }),
  histogramTV: defineSampleMetric({
    name: "histogramTV",
    run: (x, y) => histogramTV(x, y),
    description: "Total variation between histograms (1–2 dimensions; biased upward, see details)",
    symmetric: true,
    maxDim: 2,
    likelihood: false,
    higherIsBetter: false,
    equalLawValue: (e) => e.bias,
    reports: [
      {
        key: "bias",
        doc: "expected value under equal laws (the sampling bias)",
        note: (v) => `H0 bias ≈ ${v.toPrecision(3)}`,
      },
    ],
  }),
  meanLogLikelihood: defineSampleMetric({
    name: "meanLogLikelihood",
    run: (x, _y, o) => meanLogLikelihood(x, distributionOf(o, "meanLogLikelihood")),
    description: "mean ln p(x) under the given distribution (higher is better)",
    symmetric: false,
    maxDim: Infinity,
    likelihood: true,
    higherIsBetter: true,
    reports: [],
  }),
  nllGap: defineSampleMetric({
    name: "nllGap",
    run: (x, y, o) => nllGap(x, distributionOf(o, "nllGap"), { rng: o.rng, reference: y }),
    description: "mean NLL of samples minus that of the reference (≈ 0 when samples ~ distribution)",
    symmetric: false,
    maxDim: Infinity,
    likelihood: true,
    higherIsBetter: false,
    equalLawValue: () => 0,
    reports: [],
  }),
} as const satisfies Record<string, SampleMetric>;

/** A key of {@link sampleMetrics}: the metric-name union. */
export type SampleMetricName = keyof typeof sampleMetrics;

/**
 * The names of {@link sampleMetrics} in registry order.
 *
 * @example
 * ```ts
 * import { sampleMetricNames } from "@mixdiff/metrics";
 * sampleMetricNames.join(", "); // "mmd2, energyDistance, …, nllGap"
 * ```
 */
export const sampleMetricNames = Object.keys(sampleMetrics) as readonly SampleMetricName[];
