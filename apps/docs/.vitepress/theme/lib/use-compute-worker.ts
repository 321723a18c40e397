import { isMixdiffError } from "@mixdiff/core";
import { fitScoreInWorker } from "@mixdiff/score/worker";
import { onBeforeUnmount, onMounted, ref, shallowRef } from "vue";
import { fitJobFraction, fitLabel, learnerOptions, trainingData } from "./compute";
import type { FitRequest, FitResult, SweepRequest, SweepResult, WorkerResponse } from "./protocol";

/** Where a job of the compute worker stands. */
export type ComputeState = "idle" | "running" | "done" | "error";

/** The request that yields a result of type `R` (fit → fit-result, sweep → sweep-result), without its job id. */
export type RequestFor<R extends FitResult | SweepResult> = Omit<R extends FitResult ? FitRequest : SweepRequest, "id">;

/**
 * Runs jobs of `fit-worker.ts` for a live example: creates the Web Worker when the component mounts and
 * terminates it when it unmounts, numbers the jobs (messages of a superseded job are ignored), and exposes the
 * job's state, progress, error text and result as refs. `result` keeps the last successful result while a new
 * job runs and after it fails (a bad input shows its error without wiping the previous results).
 *
 * A fit job runs the learner through `fitScoreInWorker` of `@mixdiff/score/worker` (the package's browser fit
 * worker: progress after every level, abort through an AbortSignal), then asks the same worker for the analysis
 * (sampling, EM, metrics). `cancel` during the learner aborts it in the worker, which stays; during the analysis
 * (one synchronous job) it replaces the worker. `cancelNote` says which.
 *
 * @param resultType - the result message this component waits for (`"fit-result"` or `"sweep-result"`).
 * @param onResult - called with the result after `result` is set and before `state` becomes `"done"`.
 * @example
 * ```ts
 * const { state, fraction, result, start } = useComputeWorker<SweepResult>("sweep-result");
 * start({ type: "sweep", spec, seed: 1, sizes: [250, 500], sampleSize: 1500, levels: 14, steps: 100, emComponents: 3 });
 * ```
 */
export function useComputeWorker<R extends FitResult | SweepResult>(resultType: R["type"], onResult?: (r: R) => void) {
  const worker = shallowRef<Worker>();
  const state = ref<ComputeState>("idle");
  const fraction = ref(0);
  const label = ref("");
  const errorText = ref("");
  const cancelNote = ref("");
  const result = shallowRef<R>();
  let jobId = 0;
  /** The running fit's abort controller (while the learner runs), else undefined. */
  let fitting: AbortController | undefined;
  /** The job `cancel` aborted in the worker (its note is completed when the worker confirms). */
  let cancelledJob = 0;

  function makeWorker() {
    const w = new Worker(new URL("./fit-worker.ts", import.meta.url), { type: "module" });
    w.onmessage = (ev: MessageEvent<WorkerResponse | { type: string; id: number }>) => {
      const m = ev.data;
      // the learner's own messages (mixdiff:fit-…) are fitScoreInWorker's
      if (m.id !== jobId || m.type.startsWith("mixdiff:")) return;
      if (m.type === "progress") {
        fraction.value = (m as { fraction: number }).fraction;
        label.value = (m as { label: string }).label;
      } else if (m.type === "error") {
        const e = m as { message: string; code?: string };
        fail(e.code ? `${e.code}: ${e.message}` : e.message);
      } else if (m.type === resultType) {
        result.value = m as R;
        onResult?.(m as R);
        state.value = "done";
      }
    };
    w.onerror = (ev) => fail(ev.message || "the worker failed to start");
    worker.value = w;
  }
  onMounted(makeWorker);
  onBeforeUnmount(() => {
    fitting?.abort();
    worker.value?.terminate();
  });

  function fail(text: string) {
    state.value = "error";
    errorText.value = text;
  }

  /** A fit job: the learner in the worker (fitScoreInWorker), then the analysis job. */
  async function runFitJob(w: Worker, request: Omit<FitRequest, "id">, id: number) {
    const req: FitRequest = { ...request, id };
    const controller = new AbortController();
    fitting = controller;
    let last = "before the first level";
    try {
      const x = trainingData(req);
      const { options, rng } = learnerOptions(req);
      const t0 = performance.now();
      const model = await fitScoreInWorker(w, x, {
        ...options,
        rng,
        signal: controller.signal,
        onProgress: (p) => {
          last = `after level ${p.level + 1} of ${p.levels}, ${p.phase}`;
          if (id !== jobId) return;
          fraction.value = fitJobFraction(p, req.preset);
          label.value = fitLabel(p);
        },
      });
      const fitMs = performance.now() - t0;
      if (id !== jobId) return;
      const { type: _t, id: _i, ...rest } = req;
      w.postMessage({
        type: "analyse",
        id,
        request: rest,
        train: { data: x.data, rows: x.rows },
        model: model.toJSON(),
        fitMs,
      });
    } catch (e) {
      // the worker's answer to cancel(): it stopped the fit (INTERRUPTED) and is free again
      if (isMixdiffError(e) && e.code === "INTERRUPTED") {
        if (cancelledJob === id && state.value !== "running")
          cancelNote.value = `Cancelled: the fit stopped in the worker ${last}.`;
        return;
      }
      if (id !== jobId) return;
      const err = e as { message?: string; code?: string };
      fail(err.code ? `${err.code}: ${err.message}` : String(err.message ?? e));
    } finally {
      if (fitting === controller) fitting = undefined;
    }
  }

  /**
   * Starts a new job (a running one is superseded: its messages are ignored from now on).
   * `startLabel`, when given, is shown as the progress label until the worker's first progress message.
   */
  function start(request: RequestFor<R>, startLabel?: string) {
    const w = worker.value;
    if (!w) return;
    fitting?.abort();
    jobId += 1;
    state.value = "running";
    fraction.value = 0;
    if (startLabel !== undefined) label.value = startLabel;
    errorText.value = "";
    cancelNote.value = "";
    if (request.type === "fit") void runFitJob(w, request as unknown as Omit<FitRequest, "id">, jobId);
    else w.postMessage({ ...request, id: jobId });
  }

  /**
   * Stops a running job. While the learner runs, its AbortSignal stops it in the worker, which is kept; a
   * synchronous job (the analysis, a sweep) cannot be interrupted, so the worker is replaced by a fresh one.
   */
  function cancel() {
    if (fitting) {
      cancelledJob = jobId;
      fitting.abort();
      cancelNote.value = "Cancelling: waiting for the worker to stop the fit…";
    } else {
      worker.value?.terminate();
      makeWorker();
      cancelNote.value = `Cancelled during “${label.value}”: the worker was replaced.`;
    }
    jobId += 1;
    state.value = "idle";
    fraction.value = 0;
  }

  return { worker, state, fraction, label, errorText, cancelNote, result, start, cancel };
}
