import type { PointsLike, Rng } from "@mixdiff/core";
import { energyDistance } from "./energy-distance.js";
import { histogramTV } from "./histogram-tv.js";
import { knnTwoSampleTest } from "./knn-two-sample-test.js";
import { mmd2 } from "./mmd2.js";
import { slicedWasserstein } from "./sliced-wasserstein.js";
import type { Estimate } from "./types.js";

/** Common options of every entry of {@link sampleMetrics}. */
export interface SampleMetricOptions {
  rng: Rng;
  /** Cap on the points per sample for O(n²) metrics (each metric's own default when omitted). */
  maxSamples?: number;
}

/** A two-sample metric as the registry exposes it: a description, the dimensions it supports, and `run`. */
export interface SampleMetric {
  /** One line for help texts and docs. */
  readonly description: string;
  /** True when swapping x and y leaves the value unchanged (up to the random subsampling). */
  readonly symmetric: boolean;
  /** Largest supported dimension (`Infinity` when any). */
  readonly maxDim: number;
  run(x: PointsLike, y: PointsLike, o: SampleMetricOptions): Estimate;
}

/**
 * The two-sample metrics by name (a typed const map: the CLI and the docs enumerate it). Each `run` takes
 * `(x, y, { rng, maxSamples? })` and returns an {@link Estimate}.
 *
 * @example
 * ```ts
 * import { createRng } from "@mixdiff/core";
 * import { sampleMetrics, type SampleMetricName } from "@mixdiff/metrics";
 * for (const name of Object.keys(sampleMetrics) as SampleMetricName[]) {
 *   const e = sampleMetrics[name].run([[0], [1], [2]], [[1], [2], [3]], { rng: createRng(0) });
 *   console.log(name, e.value, e.standardError);
 * }
 * ```
 */
export const sampleMetrics = {
  mmd2: {
    description: "Squared MMD, Gaussian kernel, median-heuristic bandwidth, unbiased U-statistic",
    symmetric: true,
    maxDim: Infinity,
    run: (x, y, o) => mmd2(x, y, { rng: o.rng, maxSamples: o.maxSamples }),
  },
  energyDistance: {
    description: "Energy distance 2E‖X−Y‖ − E‖X−X'‖ − E‖Y−Y'‖, unbiased U-statistic",
    symmetric: true,
    maxDim: Infinity,
    run: (x, y, o) => energyDistance(x, y, { rng: o.rng, maxSamples: o.maxSamples }),
  },
  slicedWasserstein: {
    description: "Sliced 2-Wasserstein distance over 128 random directions",
    symmetric: true,
    maxDim: Infinity,
    run: (x, y, o) => slicedWasserstein(x, y, { rng: o.rng }),
  },
  knnTwoSampleTest: {
    description: "k-NN classifier two-sample test: 2·accuracy − 1 (a TV lower-bound estimate)",
    symmetric: true,
    maxDim: Infinity,
    run: (x, y, o) => knnTwoSampleTest(x, y, { rng: o.rng, maxSamples: o.maxSamples }),
  },
  histogramTV: {
    description: "Total variation between histograms (1–2 dimensions; biased upward, see details)",
    symmetric: true,
    maxDim: 2,
    run: (x, y) => histogramTV(x, y),
  },
} as const satisfies Record<string, SampleMetric>;

/** A key of {@link sampleMetrics}. */
export type SampleMetricName = keyof typeof sampleMetrics;
