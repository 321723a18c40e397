import { onBeforeUnmount, onMounted, ref, shallowRef } from "vue";
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
  const result = shallowRef<R>();
  let jobId = 0;

  function makeWorker() {
    const w = new Worker(new URL("./fit-worker.ts", import.meta.url), { type: "module" });
    w.onmessage = (ev: MessageEvent<WorkerResponse>) => {
      const m = ev.data;
      if (m.id !== jobId) return;
      if (m.type === "progress") {
        fraction.value = m.fraction;
        label.value = m.label;
      } else if (m.type === "error") {
        state.value = "error";
        errorText.value = m.code ? `${m.code}: ${m.message}` : m.message;
      } else if (m.type === resultType) {
        result.value = m as R;
        onResult?.(m as R);
        state.value = "done";
      }
    };
    w.onerror = (ev) => {
      state.value = "error";
      errorText.value = ev.message || "the worker failed to start";
    };
    worker.value = w;
  }
  onMounted(makeWorker);
  onBeforeUnmount(() => worker.value?.terminate());

  /**
   * Starts a new job (a running one is superseded: its messages are ignored from now on).
   * `startLabel`, when given, is shown as the progress label until the worker's first progress message.
   */
  function start(request: RequestFor<R>, startLabel?: string) {
    if (!worker.value) return;
    jobId += 1;
    state.value = "running";
    fraction.value = 0;
    if (startLabel !== undefined) label.value = startLabel;
    errorText.value = "";
    worker.value.postMessage({ ...request, id: jobId });
  }

  /** Stops a running job: the worker is replaced by a fresh one (a synchronous job cannot be interrupted). */
  function cancel() {
    worker.value?.terminate();
    jobId += 1;
    makeWorker();
    state.value = "idle";
    fraction.value = 0;
  }

  return { worker, state, fraction, label, errorText, result, start, cancel };
}
