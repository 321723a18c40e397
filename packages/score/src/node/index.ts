/// <reference types="node" />
/**
 * @packageDocumentation
 * Node-only helpers of `@mixdiff/score`: the learner on worker threads.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { checkNumber, MixdiffError, type PointsLike } from "@mixdiff/core";
import { fitScoreSteps } from "../fit-score.js";
import type { FitStep } from "../fit-tasks.js";
import type { LearnedScoreModel } from "../learned-score-model.js";
import type { FitScoreOptions } from "../resolve-fit-options.js";
import { refitProgress } from "../run-steps.js";
import type { FitWorkerMessage, FitWorkerReply } from "./fit-worker.js";

/**
 * Options of {@link fitScoreParallel} besides the learner's.
 *
 * @example
 * ```ts
 * import type { ParallelFitOptions } from "@mixdiff/score/node";
 * const o: ParallelFitOptions = { workers: 2 };
 * ```
 */
export interface ParallelFitOptions {
  /** Worker threads. @default the machine's available parallelism, at most 8 */
  workers?: number;
  /** The worker script (`dist/node/fit-worker.js` of this package by default; bundlers can pass their own). */
  workerFile?: string | URL;
}

/**
 * `fitScore` on worker threads: the fit's passes over the data — EM sums, gate boxes and the regression statistics
 * of every level — are maps over blocks of 2 048 points (`fit-tasks.ts`) that the workers run, while this thread
 * merges their results **in block order** and runs the rest (the descent's solves, cross-validation and warm starts;
 * the refit's levels and the atoms' trials are maps too, one level or trial per block). The model is byte-for-byte
 * the one `fitScore` gives, for any number of workers. The `rng` must come from `createRng` (its key names every
 * noise stream). This thread is free while the workers compute, so an `AbortSignal` (`options.signal`, checked
 * between runs of blocks) or a signal handler can stop the fit.
 *
 * The threads start for this fit and end with it. Each new thread compiles the fit's code afresh (V8 compiles per
 * thread), which costs a single 20 000-point 2-D fit about a quarter of its time on two workers; to fit several
 * times, keep the threads warm with {@link createFitPool}.
 *
 * @throws MixdiffError as `fitScore`, and `INVALID_OPTION` for `workers` or a missing worker script.
 * @example
 * ```ts
 * // @typecheck-only (the worker script it starts is in the built package, dist/node)
 * import { createRng } from "@mixdiff/core";
 * import { fitScoreParallel } from "@mixdiff/score/node";
 * const model = await fitScoreParallel(samples, { rng: createRng(7) }, { workers: 2 });
 * ```
 */
export async function fitScoreParallel(
  samples: PointsLike,
  options: FitScoreOptions,
  parallel: ParallelFitOptions = {},
): Promise<LearnedScoreModel> {
  const fn = "fitScoreParallel";
  const workers = workerCount(parallel, fn);
  const steps = fitScoreSteps(samples, options);
  const first = steps.next(); // validates the options and the data before any thread starts
  const pool = startPool(workers, parallel.workerFile, fn);
  try {
    return await pool.run(steps, first, options, fn);
  } finally {
    await pool.end();
  }
}

/**
 * Worker threads kept for several fits (see {@link createFitPool}).
 *
 * @example
 * ```ts
 * import type { FitPool } from "@mixdiff/score/node";
 * const size = (pool: FitPool) => pool.workers;
 * ```
 */
export interface FitPool {
  /** Number of worker threads. */
  readonly workers: number;
  /**
   * `fitScore(samples, options)` on the pool's threads: the bytes of `fitScore`, as {@link fitScoreParallel}.
   * Fits run one at a time, in call order (each holds the threads' data while it runs).
   *
   * @throws MixdiffError as {@link fitScoreParallel}; `INVALID_OPTION` once the pool is closed.
   */
  fit(samples: PointsLike, options: FitScoreOptions): Promise<LearnedScoreModel>;
  /** Lets the fits already called finish, then ends the threads. Later fits reject. */
  close(): Promise<void>;
}

/**
 * Worker threads for {@link fitScoreParallel}'s fits that outlive one fit. A thread compiles the fit's code the
 * first time it runs it; on a pool, the later fits find it compiled (measured on 2 cores, circle2d, 20 000 points,
 * 2 workers: 3.9–4.0 s for a later fit against 5.1–5.3 s for a first one). The threads keep the last fit's data
 * until the next fit or `close()`. Idle threads do not keep the process alive, but `close()` is how they end.
 *
 * @throws MixdiffError `INVALID_OPTION` for `workers` or a missing worker script.
 * @example
 * ```ts
 * // @typecheck-only (the worker script it starts is in the built package, dist/node)
 * import { createRng } from "@mixdiff/core";
 * import { createFitPool } from "@mixdiff/score/node";
 * const pool = createFitPool({ workers: 2 });
 * try {
 *   const a = await pool.fit(samples, { rng: createRng(1) });
 *   const b = await pool.fit(samples, { rng: createRng(2) }); // warm threads
 * } finally {
 *   await pool.close();
 * }
 * ```
 */
export function createFitPool(parallel: ParallelFitOptions = {}): FitPool {
  const fn = "createFitPool";
  const workers = workerCount(parallel, fn);
  const pool = startPool(workers, parallel.workerFile, fn);
  let closed = false;
  let queue: Promise<unknown> = Promise.resolve();
  return Object.freeze({
    workers,
    fit(samples: PointsLike, options: FitScoreOptions): Promise<LearnedScoreModel> {
      if (closed) {
        return Promise.reject(new MixdiffError("INVALID_OPTION", "FitPool.fit: the pool is closed", { path: "pool" }));
      }
      const done = queue.then(() => {
        const steps = fitScoreSteps(samples, options);
        return pool.run(steps, steps.next(), options, "FitPool.fit");
      });
      queue = done.catch(() => undefined);
      return done;
    },
    async close(): Promise<void> {
      closed = true;
      await queue;
      await pool.end();
    },
  });
}

function workerCount(parallel: ParallelFitOptions, fn: string): number {
  return checkNumber(parallel.workers ?? Math.min(8, availableParallelism()), fn, "workers", {
    min: 1,
    max: 256,
    integer: true,
  });
}

/** Started worker threads: `run` drives one fit's steps on them, `end` terminates them. */
interface StartedPool {
  run(
    steps: ReturnType<typeof fitScoreSteps>,
    first: IteratorResult<FitStep, LearnedScoreModel>,
    options: FitScoreOptions,
    fn: string,
  ): Promise<LearnedScoreModel>;
  end(): Promise<void>;
}

function startPool(workers: number, workerFile: string | URL | undefined, fn: string): StartedPool {
  const file = workerFile ?? defaultWorkerFile(fn);
  const pool = Array.from({ length: workers }, () => new Worker(file));
  let nextId = 0;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  let failure: unknown;
  let ending = false;
  for (const w of pool) {
    w.unref(); // idle threads do not hold the process open; `run` holds them while it computes
    w.on("message", (msg: FitWorkerReply) => {
      const p = waiting.get(msg.id);
      if (!p) return;
      waiting.delete(msg.id);
      if ("error" in msg) {
        const code = msg.error.code;
        p.reject(code ? new MixdiffError(code as never, msg.error.message) : new Error(msg.error.message));
      } else p.resolve(msg.out);
    });
    w.on("error", (e) => {
      failure = e;
      for (const p of waiting.values()) p.reject(e);
      waiting.clear();
    });
    // A thread that stops unasked (its own process.exit, a fatal error) leaves no run to wait for.
    w.on("exit", (code) => {
      if (ending) return;
      failure ??= new Error(`fit worker stopped unexpectedly (exit code ${code})`);
      for (const p of waiting.values()) p.reject(failure);
      waiting.clear();
    });
  }
  const send = (w: Worker, msg: FitWorkerMessage) => w.postMessage(msg);
  const runBlocks = (w: Worker, step: Exclude<FitStep, { task: "init" | "window" }>, first: number, last: number) =>
    new Promise<unknown[]>((resolve, reject) => {
      if (failure) return reject(failure);
      const id = nextId++;
      waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      send(w, { type: "run", id, step, first, last });
    });
  return {
    async run(steps, first, options, fn) {
      if (failure) throw failure;
      const signal = options?.signal;
      const onBlock = refitProgress(options?.onProgress);
      for (const w of pool) w.ref();
      try {
        let r = first;
        while (!r.done) {
          const step = r.value;
          if (step.task === "init" || step.task === "window") {
            // The pools live in SharedArrayBuffers (`poolArray`): every worker reads the same memory, no copy each.
            for (const w of pool) send(w, { type: "data", step });
            r = steps.next([]);
            continue;
          }
          // Runs of blocks go to whichever worker is free (each keeps two in flight, so it never waits for a round
          // trip): about eight runs per worker and map, so that a map of many small blocks costs a few messages,
          // not one per block; a refit's blocks are whole levels and go one by one. Results are stored by block
          // index, so the merge order — and the bytes — do not depend on who ran what.
          const out = new Array<unknown>(step.blocks);
          const size = step.task === "refit" ? 1 : Math.max(1, Math.ceil(step.blocks / (8 * workers)));
          let next = 0;
          let stop = false;
          const drain = async (w: Worker): Promise<void> => {
            while (next < step.blocks && !stop) {
              if (signal?.aborted) throw new MixdiffError("INTERRUPTED", `${fn}: aborted by the caller's signal`);
              const from = next;
              const to = Math.min(step.blocks, from + size);
              next = to;
              const part = await runBlocks(w, step, from, to);
              for (let b = from; b < to; b++) {
                out[b] = part[b - from];
                onBlock(step, b, out[b]);
              }
            }
          };
          // A failed run stops the others after their current one; the fit settles only once none is in flight,
          // so that a pool's next fit never shares the threads with this one's leftovers.
          let failed: { error: unknown } | undefined;
          const guarded = (w: Worker) =>
            drain(w).catch((error: unknown) => {
              failed ??= { error };
              stop = true;
            });
          await Promise.all(pool.flatMap((w) => [guarded(w), guarded(w)]));
          if (failed) throw failed.error;
          r = steps.next(out);
        }
        return r.value;
      } finally {
        for (const w of pool) w.unref();
      }
    },
    async end() {
      ending = true;
      await Promise.all(pool.map((w) => w.terminate()));
    },
  };
}

function defaultWorkerFile(fn: string): string {
  const candidates: string[] = [];
  const cjs = typeof __dirname !== "undefined";
  candidates.push(cjs ? join(__dirname, "fit-worker.cjs") : fileURLToPath(new URL("./fit-worker.js", import.meta.url)));
  try {
    const main = createRequire(cjs ? __filename : import.meta.url).resolve("@mixdiff/score/node");
    candidates.push(join(dirname(main), main.endsWith(".cjs") ? "fit-worker.cjs" : "fit-worker.js"));
  } catch {
    // not resolvable: only the first candidate is tried
  }
  const found = candidates.find((f) => existsSync(f));
  if (!found) {
    throw new MixdiffError(
      "INVALID_OPTION",
      `${fn}: cannot find the worker script (looked at ${candidates.join(", ")}); build @mixdiff/score or pass workerFile`,
      { path: "workerFile" },
    );
  }
  return found;
}
