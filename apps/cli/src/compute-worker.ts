/**
 * Worker-thread entry of the CLI's computations (tasks.ts): runs one task given in `workerData` and posts its
 * progress, its output chunks (flow-controlled by credits from the main thread) and its result or error. The main
 * thread stays free for I/O and signals: Ctrl-C terminates this worker at once. Built by tsup as
 * dist/compute-worker.js.
 */
import { parentPort, workerData } from "node:worker_threads";
import { type OutputChunk, type TaskContext, type TaskName, tasks } from "./tasks.js";

/** Chunks the worker may have in flight before it waits for the main thread to write them. */
export const CHUNK_CREDITS = 4;

/** Messages from the worker. */
export type WorkerMessage =
  | { type: "progress"; progress: unknown }
  | { type: "chunk"; chunk: OutputChunk }
  | { type: "done"; result: unknown }
  | { type: "error"; name: string; code?: string; message: string; location?: unknown; details?: unknown };

/** Turns a thrown value into a message the main thread rebuilds (MixdiffError fields, or name and message). */
export function errorMessage(e: unknown): WorkerMessage {
  const err = e as { name?: string; code?: string; message?: string; location?: unknown; details?: unknown };
  return {
    type: "error",
    name: err?.name ?? "Error",
    ...(typeof err?.code === "string" && { code: err.code }),
    message: err?.message ?? String(e),
    location: err?.location,
    details: err?.details,
  };
}

if (parentPort) {
  const port = parentPort;
  const { name, input } = workerData as { name: TaskName; input: unknown };
  let credits = CHUNK_CREDITS;
  let wake: (() => void) | null = null;
  port.on("message", (m: { type: string }) => {
    if (m.type === "credit") {
      credits++;
      wake?.();
      wake = null;
    }
  });
  const ctx: TaskContext = {
    progress: (p) => port.postMessage({ type: "progress", progress: p } satisfies WorkerMessage),
    chunk: async (c, transfer) => {
      while (credits === 0) await new Promise<void>((r) => (wake = r));
      credits--;
      port.postMessage({ type: "chunk", chunk: c } satisfies WorkerMessage, transfer ?? []);
    },
  };
  const run = tasks[name] as (input: unknown, ctx: TaskContext) => unknown;
  Promise.resolve()
    .then(() => run(input, ctx))
    .then(
      (result) => port.postMessage({ type: "done", result } satisfies WorkerMessage),
      (e) => port.postMessage(errorMessage(e)),
    )
    .finally(() => port.close());
}
