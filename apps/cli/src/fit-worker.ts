/**
 * Worker-thread entry for `fit --method diffusion`: runs the synchronous `fitScore` off the main thread so
 * the main thread stays responsive to Ctrl-C / SIGTERM (it terminates the worker, removes temp files and
 * exits 130 / 143 at once). Built by tsup as dist/fit-worker.js.
 */
import { parentPort, workerData } from "node:worker_threads";
import { createRng, type Seed } from "@mixdiff/core";
import { type FitProgress, type FitScoreOptions, fitScore } from "@mixdiff/score";

/** What the main thread sends. */
export interface FitWorkerInput {
  data: Float64Array;
  rows: number;
  cols: number;
  seed: Seed;
  options: Omit<FitScoreOptions, "rng" | "onProgress" | "signal">;
}

/** Messages back to the main thread. */
export type FitWorkerMessage =
  | ({ type: "progress" } & FitProgress)
  | { type: "done"; json: unknown }
  | { type: "error"; name: string; code?: string; message: string; location?: unknown; details?: unknown };

const input = workerData as FitWorkerInput;
const post = (m: FitWorkerMessage) => parentPort!.postMessage(m);
try {
  const model = fitScore(
    { data: input.data, rows: input.rows, cols: input.cols },
    {
      ...input.options,
      rng: createRng(input.seed),
      onProgress: (p) => post({ type: "progress", ...p }),
    },
  );
  post({ type: "done", json: model.toJSON() });
} catch (e) {
  const err = e as { name?: string; code?: string; message?: string; location?: unknown; details?: unknown };
  post({
    type: "error",
    name: err.name ?? "Error",
    code: err.code,
    message: err.message ?? String(e),
    location: err.location,
    details: err.details,
  });
}
