import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { type ErrorCode, type ErrorLocation, MixdiffError } from "@mixdiff/core";
import type { WorkerMessage } from "./compute-worker.js";
import { type OutputChunk, type TaskContext, type TaskInput, type TaskName, type TaskOutput, tasks } from "./tasks.js";

/** Rebuilds an error posted by the worker: a MixdiffError keeps its code, location and details. */
function rebuild(m: Extract<WorkerMessage, { type: "error" }>): Error {
  if (m.name === "MixdiffError" && m.code) {
    return new MixdiffError(
      m.code as ErrorCode,
      m.message,
      (m.location ?? {}) as ErrorLocation,
      (m.details ?? {}) as Record<string, unknown>,
    );
  }
  if (m.name === "RangeError") return new RangeError(m.message);
  const e = new Error(m.message);
  e.name = m.name;
  return e;
}

/** Handlers of a running task. */
export interface TaskHandlers {
  /** Progress messages, in order. */
  onProgress?: (p: unknown) => void;
  /** Output chunks, in order; the next chunk waits until the returned promise settles. */
  onChunk?: (c: OutputChunk) => void | Promise<void>;
  /** Input buffers handed to the worker (no copy; the caller must not use them afterwards). */
  transfer?: ArrayBuffer[];
}

/**
 * Runs a task of tasks.ts on a worker thread (dist/compute-worker.js beside this bundle), so that the main thread
 * only does I/O and handles SIGINT/SIGTERM at once: the signal handler exits the process, which ends the worker
 * mid-computation. Progress and chunks arrive through `handlers`, in order. Without the built worker (tests
 * importing src/) the task runs in-process with the same handlers.
 *
 * @example
 * ```ts
 * const em = await runTask("fitEm", { x, seed: 1, noiseStd: 1, k: 3, kMax: 8 });
 * await runTask("draw", { source: { kind: "spec", spec }, n: 1e6, seed: 1 }, { onChunk: (c) => out.write(formatCsv(c.x)) });
 * ```
 */
export async function runTask<K extends TaskName>(
  name: K,
  input: TaskInput<K>,
  handlers: TaskHandlers = {},
): Promise<TaskOutput<K>> {
  const workerFile = new URL("./compute-worker.js", import.meta.url);
  if (!import.meta.url.endsWith(".js") || !existsSync(fileURLToPath(workerFile))) {
    const ctx: TaskContext = {
      progress: (p) => handlers.onProgress?.(p),
      chunk: async (c) => {
        await handlers.onChunk?.(c);
      },
    };
    return (await (tasks[name] as (i: unknown, c: TaskContext) => unknown)(input, ctx)) as TaskOutput<K>;
  }
  return new Promise<TaskOutput<K>>((resolve, reject) => {
    const w = new Worker(workerFile, { workerData: { name, input }, transferList: handlers.transfer ?? [] });
    let settled = false;
    let chain = Promise.resolve();
    const fail = (e: unknown) => {
      if (settled) return;
      settled = true;
      void w.terminate();
      reject(e);
    };
    w.on("message", (m: WorkerMessage) => {
      // one chain keeps chunk writes and the final result in order, even when a chunk handler awaits
      chain = chain
        .then(async () => {
          if (settled) return;
          if (m.type === "progress") handlers.onProgress?.(m.progress);
          else if (m.type === "chunk") {
            await handlers.onChunk?.(m.chunk);
            w.postMessage({ type: "credit" });
          } else if (m.type === "done") {
            settled = true;
            resolve(m.result as TaskOutput<K>);
          } else fail(rebuild(m));
        })
        .catch(fail);
    });
    w.on("error", (e: Error & { code?: string }) =>
      fail(
        e.code === "ERR_WORKER_OUT_OF_MEMORY"
          ? new RangeError(`out of memory in the compute worker (${e.message})`)
          : e,
      ),
    );
    w.on("exit", (code) => {
      void chain.then(() => fail(new Error(`the compute worker exited with code ${code} before finishing`)));
    });
  });
}
