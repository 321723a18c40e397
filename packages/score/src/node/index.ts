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
  const workers = checkNumber(parallel.workers ?? Math.min(8, availableParallelism()), fn, "workers", {
    min: 1,
    max: 256,
    integer: true,
  });
  const signal = options?.signal;
  const onBlock = refitProgress(options?.onProgress);
  const steps = fitScoreSteps(samples, options);
  let r = steps.next(); // validates the options and the data before any thread starts
  const file = parallel.workerFile ?? defaultWorkerFile();
  const pool = Array.from({ length: workers }, () => new Worker(file));
  let nextId = 0;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  let failure: unknown;
  for (const w of pool) {
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
  }
  const send = (w: Worker, msg: FitWorkerMessage) => w.postMessage(msg);
  const run = (w: Worker, step: Exclude<FitStep, { task: "init" | "window" }>, first: number, last: number) =>
    new Promise<unknown[]>((resolve, reject) => {
      if (failure) return reject(failure);
      const id = nextId++;
      waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      send(w, { type: "run", id, step, first, last });
    });
  try {
    while (!r.done) {
      const step = r.value;
      if (step.task === "init" || step.task === "window") {
        // The pools live in SharedArrayBuffers (`poolArray`): every worker reads the same memory, no copy each.
        for (const w of pool) send(w, { type: "data", step });
        r = steps.next([]);
        continue;
      }
      // Runs of blocks go to whichever worker is free (each keeps two in flight, so it never waits for a round
      // trip): about eight runs per worker and map, so that a map of many small blocks costs a few messages, not
      // one per block; a refit's blocks are whole levels and go one by one. Results are stored by block index, so
      // the merge order — and the bytes — do not depend on who ran what.
      const out = new Array<unknown>(step.blocks);
      const size = step.task === "refit" ? 1 : Math.max(1, Math.ceil(step.blocks / (8 * workers)));
      let next = 0;
      const drain = async (w: Worker): Promise<void> => {
        while (next < step.blocks) {
          if (signal?.aborted) throw new MixdiffError("INTERRUPTED", `${fn}: aborted by the caller's signal`);
          const first = next;
          const last = Math.min(step.blocks, first + size);
          next = last;
          const part = await run(w, step, first, last);
          for (let b = first; b < last; b++) {
            out[b] = part[b - first];
            onBlock(step, b, out[b]);
          }
        }
      };
      await Promise.all(pool.flatMap((w) => [drain(w), drain(w)]));
      r = steps.next(out);
    }
    return r.value;
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
}

function defaultWorkerFile(): string {
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
      `fitScoreParallel: cannot find the worker script (looked at ${candidates.join(", ")}); build @mixdiff/score or pass workerFile`,
      { path: "workerFile" },
    );
  }
  return found;
}
