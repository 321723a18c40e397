/// <reference types="node" />
/**
 * @packageDocumentation
 * Node-only helpers: worker-thread parallel sampling (piscina) with the same bytes as one thread.
 * piscina is an optional peer dependency (`npm install piscina`), loaded when `sampleParallel` first runs,
 * so installing this package pulls no native module.
 */

import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  checkNumber,
  checkOneOf,
  createPoints,
  createRng,
  type ErrorCode,
  MixdiffError,
  type Seed,
} from "@mixdiff/core";
import type { NoiseSchedule } from "@mixdiff/schedules";
import type { Piscina } from "piscina";
import { checkOptionKeys, optionUsersOf, resolveGrid } from "../resolve-options.js";
import { COMMON_OPTIONS, type CorrectorOption, type SampleOptions, type SampleResult } from "../sample-options.js";
import { type SamplerName, type SamplerOwnOptions, samplers } from "../samplers.js";
import { type ModelDescriptor, resolveModel } from "./resolve-model.js";
import type { WorkerError, WorkerTask } from "./worker.js";

export type { ModelDescriptor } from "./resolve-model.js";
export { resolveModel } from "./resolve-model.js";

/**
 * Options of {@link sampleParallel}: those of `sample` for sampler `N` (the sampler's own included, e.g.
 * `schedule`), with `seed` instead of `rng`.
 *
 * @example
 * ```ts
 * import type { ParallelSampleOptions } from "@mixdiff/diffusion/node";
 * const o: ParallelSampleOptions = { n: 100_000, seed: "run-1", workers: 2, sampler: "ddpm", steps: 300 };
 * ```
 */
export type ParallelSampleOptions<N extends SamplerName = SamplerName> = Omit<
  SampleOptions,
  "rng" | "onProgress" | "offset"
> &
  SamplerOwnOptions<N> & {
    /** The seed (the run equals `sample(model, { rng: createRng(seed), ... })`). */
    seed: Seed;
    /** Sampler name. @default "exponentialIntegrator" */
    sampler?: N;
    /** Worker threads. @default min(4, available parallelism) */
    workers?: number;
    /** Called when each piece finishes, with the number of samples done so far. */
    onProgress?: (p: { done: number; n: number }) => void;
    /** The worker script (advanced: for bundlers or tests); defaults to the built `worker.js` beside this module. */
    workerFile?: string | URL;
  };

/** The options every sampler takes in {@link sampleParallel} (internal: the unknown-option rule). */
const PARALLEL_OPTIONS: readonly string[] = [
  ...COMMON_OPTIONS.filter((o) => o !== "rng" && o !== "offset"),
  "seed",
  "sampler",
  "workers",
  "workerFile",
];

/**
 * piscina, loaded on first use: it is an optional peer dependency, so a missing install is reported as a
 * MixdiffError that says how to add it (and the rest of this entry, e.g. `resolveModel`, works without it).
 */
async function loadPiscina(fn: string): Promise<typeof Piscina> {
  try {
    return (await import("piscina")).Piscina;
  } catch (e) {
    const { code, message } = e as { code?: string; message?: string };
    const missing =
      (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") && /['"]piscina['"]/.test(String(message));
    if (missing) {
      throw new MixdiffError(
        "INVALID_OPTION",
        `${fn}: worker threads need the optional peer dependency piscina (^5.3.2), which is not installed; run \`npm install piscina\` (or sample on one thread with \`sample\` from @mixdiff/diffusion)`,
        { path: "workers" },
      );
    }
    throw e;
  }
}

/**
 * The built worker script: beside this module (the package's `dist/node/`), else wherever
 * `@mixdiff/diffusion/node` resolves (when this module was bundled into an app).
 */
function defaultWorkerFile(fn: string): string {
  const candidates: string[] = [];
  const cjs = typeof __dirname !== "undefined";
  candidates.push(cjs ? join(__dirname, "worker.cjs") : fileURLToPath(new URL("./worker.js", import.meta.url)));
  try {
    const main = createRequire(cjs ? __filename : import.meta.url).resolve("@mixdiff/diffusion/node");
    candidates.push(join(dirname(main), main.endsWith(".cjs") ? "worker.cjs" : "worker.js"));
  } catch {
    // not resolvable: only the first candidate is tried
  }
  const found = candidates.find((f) => existsSync(f));
  if (!found) {
    throw new MixdiffError(
      "INVALID_OPTION",
      `${fn}: cannot find the worker script (looked at ${candidates.join(", ")}); build @mixdiff/diffusion or pass workerFile`,
      { path: "workerFile" },
    );
  }
  return found;
}

/**
 * Draws `n` samples on worker threads (piscina). Each worker rebuilds the model from `descriptor`, and
 * samples a contiguous range of sample indices with per-sample noise streams, so the result is
 * **byte-identical** to `sample(model, { n, rng: createRng(seed), ... })` on one thread, for any number of
 * workers and any `chunkSize`. The grid is resolved once, on the calling thread. The threads start for this call
 * and end with it; to sample more than once, keep them with {@link createSamplePool}.
 *
 * @param descriptor - how to rebuild the model (see {@link ModelDescriptor}).
 * @param options - the sampling options, with `seed` instead of `rng`, and `workers`.
 * @returns the samples `[n, dim]`, the grid and an optional trajectory (as `sample`).
 * @throws MixdiffError as `sample`; `INTERRUPTED` when `signal` aborts; `INVALID_OPTION` when the optional peer
 * dependency piscina is not installed.
 *
 * @example
 * ```ts
 * // @typecheck-only: the workers run the built package's worker script (dist/node/worker.js)
 * import { sampleParallel } from "@mixdiff/diffusion/node";
 * import type { DistributionSpec } from "@mixdiff/mixtures";
 * const spec: DistributionSpec = { dim: 2, noiseStd: 1, mixing: { kind: "atoms", points: [[-4, 0], [4, 0]] } };
 * const { samples } = await sampleParallel({ kind: "exact", spec }, { n: 1_000_000, seed: 1, workers: 2 });
 * ```
 */
export async function sampleParallel<N extends SamplerName = "exponentialIntegrator">(
  descriptor: ModelDescriptor,
  options: ParallelSampleOptions<N>,
): Promise<SampleResult> {
  const fn = "sampleParallel";
  checkSampleCall(fn, options, PARALLEL_OPTIONS);
  const workers = workerCount(fn, options.workers);
  const filename = String(options.workerFile ?? defaultWorkerFile(fn));
  const PiscinaPool = await loadPiscina(fn);
  // The threads start (and load their modules) while this thread rebuilds the model and resolves the grid.
  const pool = new PiscinaPool({ filename, minThreads: workers, maxThreads: workers, idleTimeout: 1000 });
  try {
    return await runOnPool(fn, pool, workers, descriptor, options);
  } finally {
    await pool.destroy();
  }
}

/**
 * Options of {@link SamplePool.sample}: those of {@link sampleParallel} but the pool's own (`workers`,
 * `workerFile`).
 *
 * @example
 * ```ts
 * import type { PoolSampleOptions } from "@mixdiff/diffusion/node";
 * const o: PoolSampleOptions = { n: 100_000, seed: "run-2", sampler: "ddpm", steps: 300 };
 * ```
 */
export type PoolSampleOptions<N extends SamplerName = SamplerName> = Omit<
  ParallelSampleOptions<N>,
  "workers" | "workerFile"
>;

/**
 * Worker threads kept for several runs (see {@link createSamplePool}).
 *
 * @example
 * ```ts
 * import type { SamplePool } from "@mixdiff/diffusion/node";
 * const size = (pool: SamplePool) => pool.workers;
 * ```
 */
export interface SamplePool {
  /** Number of worker threads. */
  readonly workers: number;
  /**
   * {@link sampleParallel} on the pool's threads: the bytes of `sample(model, { rng: createRng(seed), ... })`.
   * Runs may overlap; each thread keeps the last model it rebuilt, so runs from one model skip rebuilding it.
   *
   * @throws MixdiffError as {@link sampleParallel}; `INVALID_OPTION` once the pool is closed.
   */
  sample<N extends SamplerName = "exponentialIntegrator">(
    descriptor: ModelDescriptor,
    options: PoolSampleOptions<N>,
  ): Promise<SampleResult>;
  /** Lets the runs already called finish, then ends the threads. Later runs reject. */
  close(): Promise<void>;
}

/**
 * Worker threads for {@link sampleParallel}'s runs that outlive one run: a new thread loads its modules, rebuilds
 * the model and compiles the sampler (V8 compiles per thread) before it samples at full speed, which a pool's later
 * runs skip. Idle threads do not keep the process alive, but `close()` is how they end.
 *
 * @throws MixdiffError `INVALID_OPTION` for `workers`, a missing worker script or a missing piscina.
 * @example
 * ```ts
 * // @typecheck-only: the workers run the built package's worker script (dist/node/worker.js)
 * import { createSamplePool } from "@mixdiff/diffusion/node";
 * import type { DistributionSpec } from "@mixdiff/mixtures";
 * const spec: DistributionSpec = { dim: 2, noiseStd: 1, mixing: { kind: "atoms", points: [[-4, 0], [4, 0]] } };
 * const pool = await createSamplePool({ workers: 2 });
 * try {
 *   for (const seed of [1, 2, 3]) await pool.sample({ kind: "exact", spec }, { n: 100_000, seed });
 * } finally {
 *   await pool.close();
 * }
 * ```
 */
export async function createSamplePool(
  options: { workers?: number; workerFile?: string | URL } = {},
): Promise<SamplePool> {
  const fn = "createSamplePool";
  const workers = workerCount(fn, options.workers);
  const filename = String(options.workerFile ?? defaultWorkerFile(fn));
  const PiscinaPool = await loadPiscina(fn);
  const pool = new PiscinaPool({ filename, minThreads: workers, maxThreads: workers, idleTimeout: 1000 });
  const running = new Set<Promise<unknown>>();
  let closed = false;
  return Object.freeze({
    workers,
    sample<N extends SamplerName = "exponentialIntegrator">(
      descriptor: ModelDescriptor,
      o: PoolSampleOptions<N>,
    ): Promise<SampleResult> {
      const run = (async () => {
        if (closed) throw new MixdiffError("INVALID_OPTION", "SamplePool.sample: the pool is closed", { path: "pool" });
        checkSampleCall("SamplePool.sample", o, POOL_OPTIONS);
        return runOnPool("SamplePool.sample", pool, workers, descriptor, o);
      })();
      const tracked = run.catch(() => undefined);
      running.add(tracked);
      void tracked.then(() => running.delete(tracked));
      return run;
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await Promise.all(running);
      await pool.destroy();
    },
  });
}

/** The options every sampler takes on a {@link SamplePool} (the parallel ones but the pool's own). */
const POOL_OPTIONS: readonly string[] = PARALLEL_OPTIONS.filter((o) => o !== "workers" && o !== "workerFile");

function workerCount(fn: string, workers: number | undefined): number {
  return checkNumber(workers ?? Math.min(4, availableParallelism()), fn, "workers", {
    min: 1,
    max: 256,
    integer: true,
  });
}

/** Checks `n`, the sampler, the option names (`allowed` plus the sampler's own) and the seed. */
function checkSampleCall(
  fn: string,
  options: PoolSampleOptions<SamplerName> | undefined,
  allowed: readonly string[],
): void {
  checkNumber(options?.n, fn, "n", { min: 1, integer: true });
  const o = options as PoolSampleOptions<SamplerName>;
  const sampler = checkOneOf(
    o.sampler ?? "exponentialIntegrator",
    fn,
    "sampler",
    Object.keys(samplers) as SamplerName[],
  );
  const own = samplers[sampler].options as readonly string[];
  checkOptionKeys(fn, sampler, o, [...allowed, ...own], optionUsersOf);
  createRng(o.seed); // validates the seed
}

/** One run on started threads: pieces of the index range, gathered in place (the options are checked). */
async function runOnPool(
  fn: string,
  pool: Piscina,
  workers: number,
  descriptor: ModelDescriptor,
  options: PoolSampleOptions<SamplerName>,
): Promise<SampleResult> {
  const n = options.n;
  const sampler = options.sampler ?? "exponentialIntegrator";
  const { schedule, corrector } = options as { schedule?: NoiseSchedule } & CorrectorOption;
  let done = 0;
  try {
    const model = await resolveModel(descriptor);
    const grid = resolveGrid(fn, model, options);
    const dim = model.dim;
    if (8 * n * dim > 2 ** 31) {
      throw new MixdiffError("RESOURCE_LIMIT", `${fn}: n × dim = ${n} × ${dim} needs more than 2 GB of output`, {
        path: "n",
      });
    }
    // Pieces are index ranges; any split gives the same bytes. Several per worker balance the load.
    const pieces = Math.min(n, workers * 4);
    const size = Math.ceil(n / pieces);
    const descriptorKey = JSON.stringify(descriptor);
    const samples = createPoints(n, dim);
    let trajectory: SampleResult["trajectory"];
    let simulatedDim: number | undefined;
    const runs: Promise<void>[] = [];
    for (let start = 0; start < n; start += size) {
      const count = Math.min(size, n - start);
      const task: WorkerTask = {
        descriptor,
        descriptorKey,
        sampler,
        seed: options.seed,
        start,
        count,
        grid,
        chunkSize: options.chunkSize,
        denoiseFinal: options.denoiseFinal,
        corrector,
        trajectoryEvery: options.trajectoryEvery,
        schedule: schedule?.toJSON(),
        simulateSubspace: options.simulateSubspace,
      };
      runs.push(
        (
          pool.run(task, { signal: options.signal as AbortSignal | undefined }) as Promise<SampleResult | WorkerError>
        ).then((out) => {
          if ("error" in out) {
            const { code, message, location, details } = out.error;
            throw new MixdiffError(code as ErrorCode, message, location, details);
          }
          const r = out;
          simulatedDim = r.simulatedDim;
          samples.data.set(r.samples.data, start * dim);
          if (r.trajectory) {
            trajectory ??= {
              steps: r.trajectory.steps,
              times: r.trajectory.times,
              points: r.trajectory.points.map(() => createPoints(n, dim)),
            };
            r.trajectory.points.forEach((p, j) => {
              trajectory?.points[j]?.data.set(p.data, start * dim);
            });
          }
          done += count;
          options.onProgress?.({ done, n });
        }),
      );
    }
    // Wait for every task to settle before the pool is destroyed: destroying it while a task is still in
    // flight makes piscina throw "Unexpected message from Worker" as an uncaught exception.
    const settled = await Promise.allSettled(runs);
    const failure = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
    if (failure) throw failure.reason;
    const result: SampleResult = { samples, grid };
    if (simulatedDim !== undefined) result.simulatedDim = simulatedDim;
    if (trajectory) result.trajectory = trajectory;
    return result;
  } catch (e) {
    if (options.signal?.aborted) {
      throw new MixdiffError("INTERRUPTED", `${fn}: aborted (${done} of ${n} samples done)`);
    }
    throw e;
  }
}
