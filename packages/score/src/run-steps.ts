import { MixdiffError } from "@mixdiff/core";
import { applyDataStep, type FitData, type FitStep, mapBlock, type Steps } from "./fit-tasks.js";
import { refitBlock } from "./refit-levels.js";
import type { AbortSignalLike } from "./resolve-fit-options.js";
import { trialBlock } from "./select-atoms.js";

/**
 * Runs block `b` of a map step on `data` (the work a worker does): the map half of the map/merge API. Its result is
 * plain data — the sums of the block's shards, one trial of the atoms (`trials`) or one whole level (`refit`) — for
 * the generator to merge in
 * block order.
 *
 * @example
 * ```ts
 * import { applyDataStep, type FitData, fitScoreSteps, runBlock } from "@mixdiff/score";
 * const state: { base?: FitData; data?: FitData } = {};
 * const steps = fitScoreSteps(samples, { rng });
 * let r = steps.next();
 * while (!r.done) {
 *   const step = r.value;
 *   if (step.task === "init" || step.task === "window") { applyDataStep(state, step); r = steps.next([]); continue; }
 *   // any machine can run any block; the results go back in block order
 *   r = steps.next(Array.from({ length: step.blocks }, (_, b) => runBlock(state.data!, step, b)));
 * }
 * const model = r.value;
 * ```
 */
export function runBlock(data: FitData, step: Exclude<FitStep, { task: "init" | "window" }>, b: number): unknown {
  if (step.task === "refit") return refitBlock(data, step.input, b);
  if (step.task === "trials") return trialBlock(data, step.input, b);
  return mapBlock(data, step, b);
}

/**
 * Runs a fit's steps on this thread (block by block, in order): `fitScore(x, o)` is `runLocally(fitScoreSteps(x, o))`.
 * With a `signal`, it is checked between blocks (`INTERRUPTED`).
 *
 * @example
 * ```ts
 * import { createRng } from "@mixdiff/core";
 * import { fitScoreSteps, runLocally } from "@mixdiff/score";
 * const model = runLocally(fitScoreSteps(samples, { rng: createRng(7) }));
 * ```
 */
export function runLocally<T>(steps: Steps<T>, signal?: AbortSignalLike): T {
  const state: { base?: FitData; data?: FitData } = {};
  let r = steps.next();
  while (!r.done) {
    const step = r.value;
    if (step.task === "init" || step.task === "window") {
      applyDataStep(state, step);
      r = steps.next([]);
      continue;
    }
    if (!state.data) throw new MixdiffError("NUMERICAL_FAILURE", "fitScore: a map step came before the data");
    const out: unknown[] = [];
    for (let b = 0; b < step.blocks; b++) {
      if (signal?.aborted) throw new MixdiffError("INTERRUPTED", "fitScore: aborted by the caller's signal");
      out.push(runBlock(state.data, step, b));
    }
    r = steps.next(out);
  }
  return r.value;
}
