import { checkNumber, MixdiffError, type PointsLike } from "@mixdiff/core";
import { fitScoreSteps } from "../fit-score.js";
import { applyDataStep, type FitData, type FitStep, type Steps } from "../fit-tasks.js";
import type { LearnedScoreModel } from "../learned-score-model.js";
import { refitLevelSteps } from "../refit-levels.js";
import type { FitScoreOptions } from "../resolve-fit-options.js";
import { refitProgress, runBlock, withData } from "../run-steps.js";

/**
 * Options of {@link fitScoreAsync} besides the learner's.
 *
 * @example
 * ```ts
 * import type { AsyncFitOptions } from "@mixdiff/score/worker";
 * const o: AsyncFitOptions = { sliceMs: 10 };
 * ```
 */
export interface AsyncFitOptions {
  /**
   * Longest stretch of work between two returns to the event loop, in ms (checked between blocks of 2 048 points,
   * so a slice can run over by one block). @default 20
   */
  sliceMs?: number;
}

interface Channel {
  port1: { onmessage: (() => void) | null; close(): void };
  port2: { postMessage(m: unknown): void };
}
type Globals = { MessageChannel?: new () => Channel; setTimeout?: (f: () => void, ms: number) => unknown };

/**
 * Resolves after the event loop has run once: a `MessageChannel` round trip where there is one (browsers, workers,
 * Node), else `setTimeout(0)`, which browsers clamp to 4 ms when nested.
 */
export function nextTask(): Promise<void> {
  const g = globalThis as unknown as Globals;
  const MC = g.MessageChannel;
  if (MC) {
    return new Promise((resolve) => {
      const c = new MC();
      c.port1.onmessage = () => {
        c.port1.close();
        resolve();
      };
      c.port2.postMessage(null);
    });
  }
  return new Promise((resolve) => (g.setTimeout as NonNullable<Globals["setTimeout"]>)(resolve, 0));
}

const now = () => Date.now();

/**
 * `fitScore` that returns to the event loop every `sliceMs` of work, for a Web Worker (or any thread) that must
 * stay responsive while it fits: between the fit's blocks of 2 048 points (`fit-tasks.ts`) it awaits the next
 * task, so messages — an abort, a new request — are handled during the fit. `options.signal` is checked after every
 * block (not only between levels, as `fitScore` does), so an abort takes effect within one slice. The model is
 * byte-for-byte the one `fitScore` gives.
 *
 * @param samples - `[N, n]` samples of P0 (N ≥ 50), as for `fitScore`.
 * @param options - the learner's options (`FitScoreOptions`); `signal` may be an `AbortSignal`.
 * @param async - see {@link AsyncFitOptions}.
 * @returns the learned model.
 * @throws MixdiffError as `fitScore` (the promise rejects): `INVALID_OPTION` (also for `sliceMs`), `INVALID_INPUT`,
 *   `NON_FINITE_INPUT`, and `INTERRUPTED` when `options.signal` is aborted.
 * @example
 * ```ts
 * import { createRng } from "@mixdiff/core";
 * import { fitScoreAsync } from "@mixdiff/score/worker";
 * const controller = new AbortController();
 * const model = await fitScoreAsync(samples, { rng: createRng(7), signal: controller.signal });
 * // controller.abort() from a message handler rejects it with INTERRUPTED within ≈ 20 ms
 * ```
 */
export async function fitScoreAsync(
  samples: PointsLike,
  options: FitScoreOptions,
  async: AsyncFitOptions = {},
): Promise<LearnedScoreModel> {
  const fn = "fitScoreAsync";
  if (typeof async !== "object" || async === null) {
    throw new MixdiffError("INVALID_OPTION", `${fn}: the third argument must be an object`, { path: "async" });
  }
  const slice = checkNumber(async.sliceMs ?? 20, fn, "sliceMs", { min: 0, max: 60_000 });
  const signal = options?.signal;
  let last = now();
  const pause = async () => {
    if (now() - last >= slice) {
      await nextTask();
      last = now();
    }
    if (signal?.aborted) throw new MixdiffError("INTERRUPTED", `${fn}: aborted by the caller's signal`);
  };
  const onBlock = refitProgress(options?.onProgress);
  // Runs a generator of steps in slices; a refit map's blocks are whole levels, each run as its own steps.
  const drive = async <T>(gen: Steps<T>, state: { base?: FitData; data?: FitData }): Promise<T> => {
    try {
      let r = gen.next(); // validates the options and the data first
      while (!r.done) {
        const step: FitStep = r.value;
        if (step.task === "init" || step.task === "window") {
          applyDataStep(state, step);
          r = gen.next([]);
          continue;
        }
        const data = state.data;
        if (!data) throw new MixdiffError("NUMERICAL_FAILURE", `${fn}: a map step came before the data`);
        const out: unknown[] = [];
        for (let b = 0; b < step.blocks; b++) {
          out.push(
            step.task === "refit"
              ? await drive(withData(data, refitLevelSteps(data, step.input, b)), {})
              : runBlock(data, step, b),
          );
          onBlock(step, b, out[b]);
          await pause();
        }
        r = gen.next(out);
      }
      return r.value;
    } finally {
      gen.return(undefined as never);
    }
  };
  return drive(fitScoreSteps(samples, options), {});
}
