import { MixdiffError } from "@mixdiff/core";
import { applyDataStep, type FitData, type FitStep, mapBlock, type Steps } from "./fit-tasks.js";
import { type RefitResult, refitLevelSteps } from "./refit-levels.js";
import type { AbortSignalLike, FitProgress } from "./resolve-fit-options.js";
import { trialBlock } from "./select-atoms.js";

/**
 * Runs block `b` of a map step on `data` (the work a worker does): the map half of the map/merge API. Its result is
 * plain data — the sums of the block's shards, one trial of the atoms (`trials`) or one whole level (`refit`, its
 * own maps run here in order) — for the generator to merge in block order.
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
  if (step.task === "refit") return runLocally(withData(data, refitLevelSteps(data, step.input, b)));
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
export function runLocally<T>(steps: Steps<T>, signal?: AbortSignalLike, onBlock?: BlockHook): T {
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
      onBlock?.(step, b, out[b]);
    }
    r = steps.next(out);
  }
  return r.value;
}

/** `steps` on `data`: an `init` step first, so that a runner starting afresh has the pools (internal). */
export function* withData<T>(data: FitData, steps: Steps<T>): Steps<T> {
  yield { task: "init", data };
  return yield* steps;
}

/**
 * A runner's view of each finished block: the map step, the block's index and its result.
 *
 * @example
 * ```ts
 * import type { BlockHook } from "@mixdiff/score";
 * const count: BlockHook = (step, block) => console.log(step.task, block);
 * ```
 */
export type BlockHook = (step: Exclude<FitStep, { task: "init" | "window" }>, block: number, out: unknown) => void;

/**
 * The refit's progress, reported by the runner: its levels are the blocks of one map, so the generator
 * only sees them all at once. Calls `onProgress` for each level in level order, as soon as it and every level before
 * it are done (workers may finish them out of order). `fitScore`, `fitScoreParallel` and `fitScoreAsync` use it, and
 * so can a runner of one's own.
 *
 * @example
 * ```ts
 * import { fitScoreSteps, refitProgress, runLocally } from "@mixdiff/score";
 * const onProgress = (p: { phase: string; level: number; levels: number }) => console.log(p.phase, p.level + 1, p.levels);
 * const model = runLocally(fitScoreSteps(samples, { rng, onProgress }), undefined, refitProgress(onProgress));
 * ```
 */
export function refitProgress(onProgress: ((p: FitProgress) => void) | undefined, t0 = Date.now()): BlockHook {
  let current: unknown;
  let next = 0;
  const ready = new Map<number, RefitResult>();
  return (step, block, out) => {
    if (typeof onProgress !== "function" || step.task !== "refit") return;
    if (current !== step) {
      current = step;
      next = 0;
      ready.clear();
    }
    ready.set(block, out as RefitResult);
    for (let r = ready.get(next); r !== undefined; r = ready.get(next)) {
      ready.delete(next);
      onProgress({
        phase: "refit",
        level: next,
        levels: step.blocks,
        t: step.input.grid[next]!,
        cells: r.report.cells,
        degree: r.report.degree,
        elapsedMs: Date.now() - t0,
      });
      next++;
    }
  };
}
