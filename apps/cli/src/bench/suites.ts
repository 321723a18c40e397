import { runSamplerBench } from "../../../../packages/diffusion/bench/samplers.bench.js";
import { runMetricsBench } from "../../../../packages/metrics/bench/metrics.bench.js";
import { runAccumulateBench } from "../../../../packages/polyreg/bench/accumulate.bench.js";
import { runRooflineBench } from "../../../../packages/polyreg/bench/roofline.bench.js";
import { runFitBench } from "./fit.bench.js";
import { runSamplingBench } from "./sampling.bench.js";

/** One benchmark suite: a name and a function returning rows (plain objects). */
export interface BenchSuite {
  readonly description: string;
  run(o: { quick: boolean }): Promise<readonly object[]>;
}

/**
 * The benchmark suites `mixdiff bench` runs, in order. Adding a suite = one line here (the bench functions
 * live beside the package they measure, in packages/<p>/bench/, and are bundled into the CLI).
 */
export const benchSuites = {
  polyregAccumulate: {
    description: "streaming ΦᵀΦ accumulation (@mixdiff/polyreg)",
    run: (o) => runAccumulateBench(o),
  },
  roofline: {
    description: "Gram/feature kernel against the measured JS and WebAssembly SIMD peaks (@mixdiff/polyreg)",
    run: (o) => runRooflineBench(o),
  },
  samplers: {
    description: "every sampler, main thread and worker threads (@mixdiff/diffusion)",
    // the worker script is built beside cli.js (see tsup.config.ts)
    run: (o) => runSamplerBench({ ...o, workerFile: new URL("./diffusion-worker.js", import.meta.url) }),
  },
  sampling: {
    description: "learned models at the default steps: R^40 with m = 3 vs 2-D, 10⁵ samples, CLI path, workers",
    run: (o) => runSamplingBench({ ...o, workerFile: new URL("./diffusion-worker.js", import.meta.url) }),
  },
  metrics: { description: "two-sample metrics (@mixdiff/metrics)", run: (o) => runMetricsBench(o) },
  fit: {
    description:
      "fitScore on every public case and an 8-D target; fitScoreParallel with 1 and 2 workers (@mixdiff/score)",
    // the fit worker script is built beside cli.js (see tsup.config.ts)
    run: (o) => runFitBench({ ...o, workerFile: new URL("./score-fit-worker.js", import.meta.url) }),
  },
} as const satisfies Record<string, BenchSuite>;

export type BenchSuiteName = keyof typeof benchSuites;
