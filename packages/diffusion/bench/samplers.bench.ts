/**
 * Benchmark: samples per second of every registered sampler at 100 steps with the exact score of the
 * test-fixtures cases gmm2d (2-D, 3 atoms) and gmm10d (10-D, 4 atoms), on the calling thread, on one and two
 * worker threads started per run (`sampleParallel`), and on pools of one and two kept warm (`createSamplePool`).
 * Imported by `mixdiff bench`; `pnpm --filter @mixdiff/diffusion bench
 * [--quick]` runs it standalone.
 */
import { createRng } from "@mixdiff/core";
import { Bench } from "tinybench";
import gmm2d from "../../../test-fixtures/eval/cases/gmm2d.json";
import gmm10d from "../../../test-fixtures/eval/cases/gmm10d.json";
import { createSamplePool, type SamplePool, sampleParallel } from "../src/node/index.js";
import { resolveModel } from "../src/node/resolve-model.js";
import { sample } from "../src/sample.js";
import { type SamplerName, samplers } from "../src/samplers.js";

/**
 * One measured configuration.
 *
 * @example
 * ```ts
 * const rows: BenchRow[] = await runSamplerBench({ quick: true });
 * rows.filter((r) => r.dim === 10).map((r) => r.samplesPerSecond);
 * ```
 */
export interface BenchRow {
  package: "@mixdiff/diffusion";
  name: string;
  sampler: SamplerName;
  dim: number;
  steps: number;
  /** Samples per run. */
  n: number;
  /** 0 = the calling thread (`sample`); k ≥ 1 = `sampleParallel` with k worker threads (pool start-up included). */
  workers: number;
  /** With workers: on a pool kept warm (`createSamplePool`; every sampler run once on it before timing). */
  pool?: boolean;
  /** Mean wall time of one run, ms. */
  msPerRun: number;
  samplesPerSecond: number;
  /** Timed runs. */
  runs: number;
}

/**
 * Times every sampler and returns one row per (sampler, dimension, thread setting).
 *
 * @param options - `quick` (fewer samples and runs, for CI smoke runs); `workerFile` (the worker script, when
 *   the built `dist/node/worker.js` is not beside the imported module, e.g. when this file is bundled).
 * @returns the rows.
 *
 * @example
 * ```ts
 * import { runSamplerBench } from "../packages/diffusion/bench/samplers.bench.js";
 * console.table(await runSamplerBench({ quick: true }));
 * ```
 */
export async function runSamplerBench({
  quick = false,
  workerFile,
}: {
  quick?: boolean;
  workerFile?: string | URL;
} = {}): Promise<BenchRow[]> {
  const steps = 100;
  // Full mode uses enough samples that the pool start-up (module load per worker) does not dominate.
  const n = quick ? 1000 : 50_000;
  const cases = [
    { dim: 2, spec: gmm2d },
    { dim: 10, spec: gmm10d },
  ];
  const threadSettings = quick ? [0, 2] : [0, 1, 2];
  const poolSettings = quick ? [2] : [1, 2];
  // Each run takes 0.1–2 s: a fixed number of runs and no warm-up keeps the full suite to a few minutes.
  const bench = new Bench({ time: 0, iterations: quick ? 1 : 2, warmup: false });
  const meta = new Map<string, Omit<BenchRow, "msPerRun" | "samplesPerSecond" | "runs">>();
  const pools = new Map<number, SamplePool>();
  for (const workers of poolSettings) pools.set(workers, await createSamplePool({ workers, workerFile }));
  try {
    for (const c of cases) {
      const descriptor = { kind: "exact" as const, spec: c.spec };
      const model = await resolveModel(descriptor);
      // Warm up the JIT on every sampler once, here and on the pools, so no timed configuration pays for it.
      for (const sampler of Object.keys(samplers) as SamplerName[]) {
        sample(model, { n: 200, steps: 20, sampler, rng: createRng(0) });
        for (const pool of pools.values()) await pool.sample(descriptor, { n: 200, steps: 20, sampler, seed: 0 });
      }
      for (const sampler of Object.keys(samplers) as SamplerName[]) {
        for (const workers of threadSettings) {
          const name = `${sampler} ${c.dim}-D ${workers === 0 ? "main thread" : `${workers} worker${workers > 1 ? "s" : ""}`}`;
          meta.set(name, { package: "@mixdiff/diffusion", name, sampler, dim: c.dim, steps, n, workers });
          let seed = 0;
          bench.add(
            name,
            workers === 0
              ? () => {
                  sample(model, { n, steps, sampler, rng: createRng(seed++) });
                }
              : async () => {
                  await sampleParallel(descriptor, { n, steps, sampler, seed: seed++, workers, workerFile });
                },
          );
        }
        for (const [workers, pool] of pools) {
          const name = `${sampler} ${c.dim}-D warm pool of ${workers}`;
          meta.set(name, { package: "@mixdiff/diffusion", name, sampler, dim: c.dim, steps, n, workers, pool: true });
          let seed = 0;
          bench.add(name, async () => {
            await pool.sample(descriptor, { n, steps, sampler, seed: seed++ });
          });
        }
      }
    }
    await bench.run();
  } finally {
    for (const pool of pools.values()) await pool.close();
  }
  return bench.tasks.map((task) => {
    const res = task.result as { state: string; period?: number; latency?: { samplesCount?: number } };
    if (res.state !== "completed" || res.period === undefined) throw new Error(`bench task ${task.name} ${res.state}`);
    const m = meta.get(task.name) as Omit<BenchRow, "msPerRun" | "samplesPerSecond" | "runs">;
    return {
      ...m,
      msPerRun: res.period,
      samplesPerSecond: (m.n * 1000) / res.period,
      runs: res.latency?.samplesCount ?? 0,
    };
  });
}
