/**
 * Benchmark: the O(n²) two-sample metrics (MMD², energy distance, k-NN classifier test) on n × n samples in
 * 2-D — 10 000 × 10 000 (quick mode: 1 000 × 1 000) — and the O(L n log n) sliced Wasserstein distance.
 * Imported by `mixdiff bench`; `pnpm --filter @mixdiff/metrics bench [--quick]` runs it standalone.
 */
import { createRng, type Points } from "@mixdiff/core";
import { Bench } from "tinybench";
import { energyDistance } from "../src/energy-distance.js";
import { knnTwoSampleTest } from "../src/knn-two-sample-test.js";
import { mmd2 } from "../src/mmd2.js";
import { slicedWasserstein } from "../src/sliced-wasserstein.js";

/** One measured metric. */
export interface BenchRow {
  package: "@mixdiff/metrics";
  name: string;
  /** Points per sample (both samples have this many). */
  n: number;
  dim: number;
  /** Kernel/distance evaluations per run (pairs for the O(n²) metrics; projected points for sliced W). */
  work: number;
  /** Mean wall time of one run, ms. */
  msPerRun: number;
  /** `work` per second. */
  pairsPerSecond: number;
  /** Timed runs. */
  runs: number;
}

function gaussian(n: number, dim: number, shift: number, seed: string): Points {
  const data = new Float64Array(n * dim);
  createRng(seed).fillNormal(data);
  for (let i = 0; i < n; i++) data[i * dim] = data[i * dim]! + shift;
  return { data, rows: n, cols: dim };
}

/**
 * Times the metrics and returns one row per metric.
 *
 * @example
 * ```ts
 * import { runMetricsBench } from "../packages/metrics/bench/metrics.bench.js";
 * const rows = await runMetricsBench({ quick: true });
 * console.table(rows);
 * ```
 */
export async function runMetricsBench({ quick = false }: { quick?: boolean } = {}): Promise<BenchRow[]> {
  const n = quick ? 1000 : 10_000;
  const dim = 2;
  const x = gaussian(n, dim, 0, "bench-x");
  const y = gaussian(n, dim, 0.5, "bench-y");
  const rng = createRng("bench");
  const pairs = (2 * n * (2 * n - 1)) / 2;
  const projections = 128;
  const cases = [
    // bandwidth given: the median heuristic's own O(1000²) pass is timed separately below
    { name: "mmd2 (unbiased, h given)", work: pairs, run: () => mmd2(x, y, { rng, bandwidth: 1, maxSamples: n }) },
    { name: "mmd2 (median heuristic)", work: pairs, run: () => mmd2(x, y, { rng, maxSamples: n }) },
    { name: "energyDistance", work: pairs, run: () => energyDistance(x, y, { rng, maxSamples: n }) },
    // train half × test half, both samples: n/2 · n distances per side
    { name: "knnTwoSampleTest (k = 5)", work: n * n, run: () => knnTwoSampleTest(x, y, { rng, maxSamples: n }) },
    {
      name: `slicedWasserstein (${projections} directions)`,
      work: 2 * n * projections,
      run: () => slicedWasserstein(x, y, { rng, projections }),
    },
  ];
  const bench = new Bench({ time: quick ? 100 : 500, iterations: quick ? 3 : 2, warmup: quick });
  for (const c of cases) bench.add(c.name, c.run);
  await bench.run();
  return bench.tasks.map((task) => {
    const res = task.result as { state: string; period?: number; latency?: { samplesCount?: number } };
    if (res.state !== "completed" || res.period === undefined) throw new Error(`bench task ${task.name} ${res.state}`);
    const c = cases.find((k) => k.name === task.name) as (typeof cases)[number];
    return {
      package: "@mixdiff/metrics",
      name: task.name,
      n,
      dim,
      work: c.work,
      msPerRun: res.period,
      pairsPerSecond: c.work / (res.period / 1000),
      runs: res.latency?.samplesCount ?? 0,
    };
  });
}
