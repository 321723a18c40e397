import { MixdiffError, type PointsLike, toPoints } from "@mixdiff/core";
import type { LearnedScoreModel } from "../learned-score-model.js";
import { loadScoreModel } from "../load-score-model.js";
import { checkFitOptions, type FitScoreOptions } from "../resolve-fit-options.js";
import { type FitWorkerRequest, isFitResponse, type MessageEndpoint } from "./protocol.js";

/** Fit ids of this page (one counter for every worker: an id is never reused). */
let nextId = 1;

interface SignalWithEvents {
  readonly aborted: boolean;
  addEventListener?(type: "abort", listener: () => void): void;
  removeEventListener?(type: "abort", listener: () => void): void;
}

/**
 * `fitScore` in a Web Worker: sends the samples and options to a worker that runs `serveFitWorker`, calls
 * `options.onProgress` on this thread after every level, and resolves with the model (rebuilt with
 * `loadScoreModel`, bit-exact: the same bytes as `fitScore` on this thread). The page stays responsive while it
 * fits. `options.signal` aborts it: the worker stops within one slice (≈ 20 ms of work) and stays usable, and the
 * promise rejects with `INTERRUPTED` once the worker has stopped. The options are validated here first, so a bad
 * option rejects at once, naming the field.
 *
 * @param worker - a `Worker` whose script calls `serveFitWorker(self)` (or a `MessagePort` to one).
 * @param samples - `[N, n]` samples of P0 (N ≥ 50).
 * @param options - the learner's options. `rng` is sent by its key, so it must come from `createRng` (or
 *   `rng.stream(…)`) and not have drawn yet — as for `fitScoreParallel`.
 * @returns the learned model.
 * @throws MixdiffError (the promise rejects) as `fitScore`: `INVALID_OPTION`, `INVALID_INPUT`, `NON_FINITE_INPUT`;
 *   `INTERRUPTED` on abort; `INVALID_INPUT` for a `worker` that cannot post messages.
 * @example
 * ```ts
 * // @typecheck-only (needs a browser module worker serving fits: see serveFitWorker)
 * import { createRng } from "@mixdiff/core";
 * import { fitScoreInWorker } from "@mixdiff/score/worker";
 * const worker = new Worker(new URL("./fit.worker.ts", import.meta.url), { type: "module" });
 * const controller = new AbortController();
 * const model = await fitScoreInWorker(worker, samples, {
 *   rng: createRng(7),
 *   onProgress: (p) => console.log(`${p.phase} ${p.level + 1}/${p.levels}`),
 *   signal: controller.signal, // controller.abort() → rejects with INTERRUPTED; the worker stays usable
 * });
 * ```
 */
export async function fitScoreInWorker(
  worker: MessageEndpoint,
  samples: PointsLike,
  options: FitScoreOptions,
): Promise<LearnedScoreModel> {
  const fn = "fitScoreInWorker";
  if (typeof worker?.addEventListener !== "function" || typeof worker.postMessage !== "function") {
    throw new MixdiffError("INVALID_INPUT", `${fn}: worker must post and receive messages (a Worker or MessagePort)`, {
      path: "worker",
    });
  }
  const x = toPoints(samples, { name: "samples" });
  checkFitOptions(options, x.cols); // a bad option rejects here, before anything is sent
  const rngKey = (options.rng as { key?: unknown }).key;
  if (typeof rngKey !== "string") {
    throw new MixdiffError(
      "INVALID_OPTION",
      `${fn}: rng must come from createRng (the worker rebuilds it from its key); got a generator without a key`,
      { path: "rng" },
    );
  }
  const { rng: _r, onProgress, signal: _s, ...rest } = options;
  const signal = options.signal as SignalWithEvents | undefined;
  if (signal?.aborted) throw new MixdiffError("INTERRUPTED", `${fn}: aborted by the caller's signal`);
  const id = nextId++;
  return new Promise<LearnedScoreModel>((resolve, reject) => {
    let abortSent = false;
    const abort = () => {
      if (abortSent) return;
      abortSent = true;
      worker.postMessage({ type: "mixdiff:fit-abort", id } satisfies FitWorkerRequest);
    };
    const done = () => {
      worker.removeEventListener("message", listener);
      signal?.removeEventListener?.("abort", abort);
    };
    const listener = (event: { readonly data: unknown }) => {
      const m = event.data;
      if (!isFitResponse(m) || m.id !== id) return;
      if (m.type === "mixdiff:fit-progress") {
        onProgress?.(m.progress);
        // a signal without events (anything with `aborted`) is polled at each level
        if (signal?.aborted) abort();
        return;
      }
      done();
      if (m.type === "mixdiff:fit-error") {
        reject(new MixdiffError((m.code ?? "NUMERICAL_FAILURE") as never, m.message));
        return;
      }
      try {
        resolve(loadScoreModel(m.model));
      } catch (e) {
        reject(e);
      }
    };
    worker.addEventListener("message", listener);
    worker.start?.();
    signal?.addEventListener?.("abort", abort);
    const data = x.data.slice(); // the caller's array stays theirs (and usable): the copy is what travels
    worker.postMessage({
      type: "mixdiff:fit",
      id,
      samples: { data, rows: x.rows, cols: x.cols },
      options: rest,
      rngKey,
    } satisfies FitWorkerRequest);
  });
}
