import { MixdiffError } from "@mixdiff/core";
import { rngFromKey } from "../fit-tasks.js";
import type { FitProgress } from "../resolve-fit-options.js";
import { type AsyncFitOptions, fitScoreAsync } from "./fit-score-async.js";
import { type FitWorkerResponse, isFitRequest, type MessageEndpoint } from "./protocol.js";

/**
 * Serves `fitScoreInWorker` requests on `scope` — call it once in a Web Worker's module (`serveFitWorker(self)`).
 * Each request runs {@link fitScoreAsync} (so the worker handles messages while it fits), posts a progress message
 * after every level, and then the model as JSON or the error as `{ code, message }`; an abort request stops its fit
 * within one slice, answered with an `INTERRUPTED` error. Messages of other types are left alone, so the worker can
 * also serve the application's own jobs.
 *
 * @param scope - the worker's global scope (`self`), or a `MessagePort`. @default `globalThis`
 * @param async - slicing of the fits, see `AsyncFitOptions`.
 * @returns a function that stops serving (running fits finish).
 * @throws MixdiffError `INVALID_INPUT` when `scope` cannot receive messages.
 * @example
 * ```ts
 * // fit.worker.ts — bundled by Vite, webpack, esbuild… as a module worker
 * // @typecheck-only (runs inside a browser worker)
 * import { serveFitWorker } from "@mixdiff/score/worker";
 * serveFitWorker(self);
 * ```
 */
export function serveFitWorker(
  scope: MessageEndpoint = globalThis as unknown as MessageEndpoint,
  async: AsyncFitOptions = {},
): () => void {
  if (typeof scope?.addEventListener !== "function" || typeof scope.postMessage !== "function") {
    throw new MixdiffError(
      "INVALID_INPUT",
      "serveFitWorker: scope must receive and post messages (a worker's self, or a MessagePort)",
      { path: "scope" },
    );
  }
  const running = new Map<number, { aborted: boolean }>();
  const post = (m: FitWorkerResponse) => scope.postMessage(m);
  const listener = (event: { readonly data: unknown }) => {
    const msg = event.data;
    if (!isFitRequest(msg)) return;
    if (msg.type === "mixdiff:fit-abort") {
      const job = running.get(msg.id);
      if (job) job.aborted = true;
      return;
    }
    const { id } = msg;
    const signal = { aborted: false };
    running.set(id, signal);
    let rng: ReturnType<typeof rngFromKey>;
    try {
      rng = rngFromKey(msg.rngKey);
    } catch (e) {
      running.delete(id);
      post(errorMessage(id, e));
      return;
    }
    fitScoreAsync(
      msg.samples,
      {
        ...msg.options,
        rng,
        signal,
        onProgress: (progress: FitProgress) => post({ type: "mixdiff:fit-progress", id, progress }),
      },
      async,
    ).then(
      (model) => {
        running.delete(id);
        post({ type: "mixdiff:fit-result", id, model: model.toJSON() });
      },
      (e: unknown) => {
        running.delete(id);
        post(errorMessage(id, e));
      },
    );
  };
  scope.addEventListener("message", listener);
  scope.start?.();
  return () => scope.removeEventListener("message", listener);
}

function errorMessage(id: number, e: unknown): FitWorkerResponse {
  const err = e as { code?: unknown; message?: unknown } | null;
  return {
    type: "mixdiff:fit-error",
    id,
    ...(typeof err?.code === "string" && { code: err.code }),
    message: String(err?.message ?? e),
  };
}
