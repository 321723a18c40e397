import type { LearnedModelJSON } from "../learned-score-model.js";
import type { FitProgress, FitScoreOptions } from "../resolve-fit-options.js";

/**
 * The learner's options as they travel to a fit worker: everything but the callbacks and the generator, which
 * goes by its key (`Rng.key`).
 *
 * @example
 * ```ts
 * import type { WorkerFitOptions } from "@mixdiff/score/worker";
 * const o: WorkerFitOptions = { sigma0: 1, levels: 12, preset: "practical" };
 * ```
 */
export type WorkerFitOptions = Omit<FitScoreOptions, "rng" | "onProgress" | "signal">;

/**
 * A message to a fit worker (`serveFitWorker`): start fit `id`, or abort it. The `type`s are namespaced, so the
 * same worker can also serve an application's own messages.
 *
 * @example
 * ```ts
 * import type { FitWorkerRequest } from "@mixdiff/score/worker";
 * const abort: FitWorkerRequest = { type: "mixdiff:fit-abort", id: 3 };
 * ```
 */
export type FitWorkerRequest =
  | {
      readonly type: "mixdiff:fit";
      readonly id: number;
      /** The samples `[rows, cols]`, row-major. */
      readonly samples: { readonly data: Float64Array; readonly rows: number; readonly cols: number };
      readonly options: WorkerFitOptions;
      /** Key of the fit's generator: the worker uses the generator of that key, so the bytes equal `fitScore`'s. */
      readonly rngKey: string;
    }
  | { readonly type: "mixdiff:fit-abort"; readonly id: number };

/**
 * A fit worker's message about fit `id`: its progress after each level, the fitted model as JSON, or the error
 * (`code` is a `MixdiffError` code; `INTERRUPTED` after an abort).
 *
 * @example
 * ```ts
 * import type { FitWorkerResponse } from "@mixdiff/score/worker";
 * const isDone = (m: FitWorkerResponse) => m.type === "mixdiff:fit-result" || m.type === "mixdiff:fit-error";
 * ```
 */
export type FitWorkerResponse =
  | { readonly type: "mixdiff:fit-progress"; readonly id: number; readonly progress: FitProgress }
  | { readonly type: "mixdiff:fit-result"; readonly id: number; readonly model: LearnedModelJSON }
  | { readonly type: "mixdiff:fit-error"; readonly id: number; readonly code?: string; readonly message: string };

/**
 * What `serveFitWorker` and `fitScoreInWorker` talk through: a `Worker` on the page, the worker's global scope
 * (`self`) inside it, or a `MessagePort`. Structural, so the package needs no DOM types.
 *
 * @example
 * ```ts
 * // @typecheck-only (a browser module worker)
 * import type { MessageEndpoint } from "@mixdiff/score/worker";
 * const worker: MessageEndpoint = new Worker(new URL("./fit.worker.ts", import.meta.url), { type: "module" });
 * ```
 */
export interface MessageEndpoint {
  postMessage(message: unknown): void;
  addEventListener(type: "message", listener: (event: { readonly data: unknown }) => void): void;
  removeEventListener(type: "message", listener: (event: { readonly data: unknown }) => void): void;
  /** A `MessagePort` delivers nothing until started; workers have no `start`. */
  start?(): void;
}

/** Whether `m` is a request of the fit protocol (internal). */
export function isFitRequest(m: unknown): m is FitWorkerRequest {
  const t = (m as { type?: unknown } | null)?.type;
  return (t === "mixdiff:fit" || t === "mixdiff:fit-abort") && typeof (m as { id?: unknown }).id === "number";
}

/** Whether `m` is a response of the fit protocol (internal). */
export function isFitResponse(m: unknown): m is FitWorkerResponse {
  const t = (m as { type?: unknown } | null)?.type;
  return (
    (t === "mixdiff:fit-progress" || t === "mixdiff:fit-result" || t === "mixdiff:fit-error") &&
    typeof (m as { id?: unknown }).id === "number"
  );
}
